"""An AI hub told only what it must be told: its name, resource group and location.

Everything else is AIHub's default: an AI services account as the model provider, new storage,
key vault, Application Insights and Log Analytics, Entra ID instead of keys, diagnostics on, and
public network access (see examples/private-hub-cmk for a private hub).
"""

import pulumi
from azure_ai_hub import AIHub
from pulumi_azure_native import resources

location = pulumi.Config().get("location") or "swedencentral"

group = resources.ResourceGroup("group", resource_group_name="rg-contoso-ai", location=location)
hub = AIHub("contoso", {"name": "contoso-ai", "resource_group_name": group.name, "location": location})

pulumi.export("hubId", hub.hub_id)
pulumi.export("foundryUrl", hub.foundry_url)
