"""An AI hub with one project, composed from the components alone (no azure-ai-hub stack config)."""

import pulumi
from azure_ai_hub import AIHub, AIProject, DeploymentSku, ProviderMode
from pulumi_azure_native import resources

config = pulumi.Config()
location = config.get("location") or "swedencentral"
team = config.get_object("team") or []

group = resources.ResourceGroup("group", resource_group_name="rg-research-ai", location=location)
hub = AIHub(
    "research",
    {
        "name": "research-ai",
        "resource_group_name": group.name,
        "location": location,
        "provider_mode": ProviderMode.AI_SERVICES,
        "model_deployments": [
            {"name": "gpt-4o", "model": "gpt-4o", "version": "2024-11-20", "sku": DeploymentSku.GLOBAL_STANDARD}
        ],
        "tags": {"environment": "example"},
    },
)
papers = AIProject(
    "research-papers",
    {
        "workspace_name": "proj-research-papers",
        "hub_id": hub.hub_id,
        "resource_group_name": group.name,
        "location": location,
        "members": [{"principal_id": member} for member in team],
        "provider_account_id": hub.provider_account_id,
        "storage_account_id": hub.storage_account_id,
    },
    pulumi.ResourceOptions(parent=hub),
)

pulumi.export("hubId", hub.hub_id)
pulumi.export("projectUrl", papers.foundry_url)
