"""A private AI hub with a customer-managed key and one project, composed from the components alone.

- no public network access to the hub, its project or its dependencies;
- a managed network that lets out only approved traffic (the hub adds the private-endpoint rules it
  needs itself, this adds PyPI), built with the hub rather than with the first compute;
- private endpoints with private DNS zones for the hub and its dependencies, in a VNet it creates;
- the hub's data encrypted with a key it creates in its own key vault, read through a
  user-assigned identity;
- zone-redundant storage.

No azure-ai-hub stack config: the arguments are the components' own (AIHubArgs, AIProjectArgs).
"""

import pulumi
from azure_ai_hub import AIHub, AIProject, DeploymentSku, ProviderMode
from pulumi_azure_native import machinelearningservices as ml
from pulumi_azure_native import resources, storage

config = pulumi.Config()
location = config.get("location") or "swedencentral"
team = config.get_object("team") or []
tags = {"environment": "example"}

group = resources.ResourceGroup("group", resource_group_name="rg-secure-ai", location=location, tags=tags)
hub = AIHub(
    "secure",
    {
        "name": "secure-ai",
        "resource_group_name": group.name,
        "location": location,
        "provider_mode": ProviderMode.AI_SERVICES,
        "model_deployments": [
            {"name": "gpt-4o", "model": "gpt-4o", "version": "2024-11-20", "sku": DeploymentSku.GLOBAL_STANDARD}
        ],
        "public_network_access": ml.PublicNetworkAccessType.DISABLED,
        "managed_network": {
            "isolation_mode": ml.IsolationMode.ALLOW_ONLY_APPROVED_OUTBOUND,
            # An FQDN rule needs the managed network's Azure Firewall; Standard for production traffic.
            "firewall_sku": ml.FirewallSku.STANDARD,
            "provision_now": True,
            "outbound_rules": [{"name": "pypi", "type": ml.RuleType.FQDN, "fqdn": "pypi.org"}],
        },
        "private_endpoints": {"vnet_address_prefix": "10.50.0.0/16", "subnet_prefix": "10.50.1.0/24"},
        # No key named: the hub creates an RSA key in its own vault.
        "encryption": {},
        "storage_sku": storage.SkuName.STANDARD_ZRS,
        "tags": tags,
    },
)
chat = AIProject(
    "secure-chat",
    {
        "workspace_name": "proj-secure-chat",
        "hub_id": hub.hub_id,
        "resource_group_name": group.name,
        "location": location,
        "public_network_access": "Disabled",
        "members": [{"principal_id": member} for member in team],
        "provider_account_id": hub.provider_account_id,
        "storage_account_id": hub.storage_account_id,
        # The project's identity reads the storage's private endpoints (Reader), as a private hub's projects need.
        "storage_private_endpoint_ids": dict(hub.storage_private_endpoint_ids),
        "tags": tags,
    },
    pulumi.ResourceOptions(parent=hub),
)

pulumi.export("hubId", hub.hub_id)
pulumi.export("projectUrl", chat.foundry_url)
