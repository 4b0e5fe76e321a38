"""A Foundry resource with one project on the standard agent setup, composed from the components alone (no
azure-ai-hub stack config): the account, a model, the Cosmos DB, AI Search and storage the Agent Service keeps
threads, vectors and files in, and a project with its capability host."""

import pulumi
from azure_ai_hub import AgentSetup, DeploymentSku, FoundryProject, FoundryResource
from pulumi_azure_native import resources

config = pulumi.Config()
location = config.get("location") or "swedencentral"
team = config.get_object("team") or []

group = resources.ResourceGroup("group", resource_group_name="rg-support-ai", location=location)
foundry = FoundryResource(
    "support",
    {
        "name": "support-ai",
        "resource_group_name": group.name,
        "location": location,
        "model_deployments": [
            {"name": "gpt-4o", "model": "gpt-4o", "version": "2024-11-20", "sku": DeploymentSku.GLOBAL_STANDARD}
        ],
        "agent_setup": AgentSetup.STANDARD,
        "tags": {"environment": "example"},
    },
)
agents = FoundryProject(
    "support-agents",
    {
        "project_name": "agents",
        "account_name": foundry.account_name,
        "account_id": foundry.account_id,
        "resource_group_name": group.name,
        "location": location,
        "display_name": "Support agents",
        "members": [{"principal_id": member} for member in team],
        "agent_setup": AgentSetup.STANDARD,
        # The stores the Foundry resource created, as a project takes them.
        "agent_stores": foundry.agent_stores,
    },
    pulumi.ResourceOptions(parent=foundry),
)

pulumi.export("accountEndpoint", foundry.endpoint)
pulumi.export("projectEndpoint", agents.endpoint)
