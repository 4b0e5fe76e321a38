"""Private networking facts and maths: group IDs, DNS zones, CIDRs, subnet and zone IDs.

Group IDs and zone names are Microsoft's for the Azure public cloud (Learn,
"Azure Private Endpoint private DNS zone values"), as the network-restricted
hub quickstart (azure-quickstart-templates aifoundry-network-restricted) uses
them. Not `privatelink.notebooks.azureml.net`, which some samples create by
mistake: the notebooks zone is `privatelink.notebooks.azure.net`.
"""

import ipaddress
import re
from dataclasses import dataclass
from typing import Optional

#: Private-link group ID -> the private DNS zones its endpoint registers in.
GROUP_ZONES: dict[str, tuple[str, ...]] = {
    "amlworkspace": ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"),
    # An AIServices account answers on all three; an OpenAI account on the first two.
    "account": (
        "privatelink.cognitiveservices.azure.com",
        "privatelink.openai.azure.com",
        "privatelink.services.ai.azure.com",
    ),
    "blob": ("privatelink.blob.core.windows.net",),
    "file": ("privatelink.file.core.windows.net",),
    "vault": ("privatelink.vaultcore.azure.net",),
    "registry": ("privatelink.azurecr.io",),
    "searchService": ("privatelink.search.windows.net",),
    # Cosmos DB for NoSQL (the agent threads store of the Foundry standard setup): Learn, private-link DNS zone
    # values, "Azure Cosmos DB (Microsoft.DocumentDB/databaseAccounts) | Sql | privatelink.documents.azure.com";
    # the AVM ai-foundry pattern's Cosmos DB endpoint uses `service: 'Sql'` (avm/ptn/ai-ml/ai-foundry/modules/
    # cosmosDb.bicep).
    "Sql": ("privatelink.documents.azure.com",),
    # An Azure Monitor private link scope (Learn, azure-monitor/logs/private-link-configure: the endpoint's
    # zones), for a private Application Insights and Log Analytics. The blob zone is the storage endpoints'.
    "azuremonitor": (
        "privatelink.monitor.azure.com",
        "privatelink.oms.opinsights.azure.com",
        "privatelink.ods.opinsights.azure.com",
        "privatelink.agentsvc.azure-automation.net",
        "privatelink.blob.core.windows.net",
    ),
}
KNOWN_ZONES = tuple(zone for zones in GROUP_ZONES.values() for zone in zones)

#: The sub-resource a managed-network private-endpoint rule targets, per connection category.
CONNECTION_SUBRESOURCES = {
    "AIServices": "account",
    "AzureOpenAI": "account",
    "CognitiveSearch": "searchService",
    "AzureBlob": "blob",
}

#: Smallest subnet for the hub's private endpoints: a /28 leaves 11 addresses
#: (Azure keeps 5), enough for the hub and its dependencies.
MIN_SUBNET_PREFIX = 28

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_SUBNET_ID = re.compile(
    rf"^/subscriptions/{_GUID}/resourceGroups/(?P<rg>[-\w._()]{{1,90}})"
    r"/providers/Microsoft\.Network/virtualNetworks/(?P<vnet>[-\w.]{2,64})/subnets/(?P<subnet>[-\w.]{1,80})$",
    re.IGNORECASE,
)
_ZONE_ID = re.compile(
    rf"^/subscriptions/{_GUID}/resourceGroups/[-\w._()]{{1,90}}"
    r"/providers/Microsoft\.Network/privateDnsZones/(?P<zone>[a-z0-9.-]+)$",
    re.IGNORECASE,
)


def zones_for(group_ids: list[str]) -> list[str]:
    """Every zone the given group IDs need, once each, in a stable order."""
    seen: list[str] = []
    for group in group_ids:
        seen.extend(z for z in GROUP_ZONES[group] if z not in seen)
    return seen


def network_problem(cidr: str) -> Optional[str]:
    """Why `cidr` isn't an IPv4 network in CIDR notation, or None."""
    try:
        network = ipaddress.ip_network(cidr, strict=True)
    except ValueError as err:
        return f"{cidr!r} is not a network in CIDR notation ({err})"
    if network.version != 4:
        return "must be an IPv4 network"
    return None


def subnet_problem(vnet_prefix: str, subnet_prefix: str) -> Optional[str]:
    """Why `subnet_prefix` can't be the endpoints' subnet inside `vnet_prefix`, or None."""
    for cidr in (vnet_prefix, subnet_prefix):
        problem = network_problem(cidr)
        if problem:
            return problem
    vnet = ipaddress.ip_network(vnet_prefix)
    subnet = ipaddress.ip_network(subnet_prefix)
    if not subnet.subnet_of(vnet):  # type: ignore[arg-type]
        return f"{subnet_prefix} is not inside the virtual network's {vnet_prefix}"
    if subnet.prefixlen > MIN_SUBNET_PREFIX:
        return f"/{subnet.prefixlen} is too small for the private endpoints: use /{MIN_SUBNET_PREFIX} or larger"
    return None


@dataclass(frozen=True)
class SubnetRef:
    resource_group: str
    vnet: str
    subnet: str
    vnet_id: str


def parse_subnet_id(value: str) -> SubnetRef:
    """Parse a subnet's resource ID, or raise ValueError."""
    match = _SUBNET_ID.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(
            "is not a subnet ID (/subscriptions/<guid>/resourceGroups/<name>/providers/"
            "Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)"
        )
    return SubnetRef(match["rg"], match["vnet"], match["subnet"], value.rsplit("/subnets/", 1)[0])


def zone_id_problem(zone: str, zone_id: str) -> Optional[str]:
    """Why `zone_id` can't stand for the private DNS zone `zone`, or None."""
    if zone not in KNOWN_ZONES:
        return f"unknown private DNS zone {zone!r} (known: {', '.join(KNOWN_ZONES)})"
    match = _ZONE_ID.match(zone_id) if isinstance(zone_id, str) else None
    if not match:
        return "is not a private DNS zone ID (.../providers/Microsoft.Network/privateDnsZones/<zone>)"
    if match["zone"].lower() != zone:
        return f"is the ID of zone {match['zone']!r}, not {zone!r}"
    return None
