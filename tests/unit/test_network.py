"""Pure networking helpers: zones, CIDRs, IDs and outbound rules, table-tested."""

import pytest

from components.managed_network import approved_outbound_rules, outbound_rule_problems
from components.network import (
    GROUP_ZONES,
    network_problem,
    parse_subnet_id,
    subnet_problem,
    zone_id_problem,
    zones_for,
)

SUB = "/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-net/providers"
SUBNET_ID = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe"
ZONE = "privatelink.api.azureml.ms"
ZONE_ID = f"{SUB}/Microsoft.Network/privateDnsZones/{ZONE}"


def test_group_ids_and_zones_are_microsofts():
    assert GROUP_ZONES == {
        "amlworkspace": ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"),
        "account": ("privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com",
                    "privatelink.services.ai.azure.com"),
        "blob": ("privatelink.blob.core.windows.net",),
        "file": ("privatelink.file.core.windows.net",),
        "vault": ("privatelink.vaultcore.azure.net",),
        "registry": ("privatelink.azurecr.io",),
        "searchService": ("privatelink.search.windows.net",),
        "Sql": ("privatelink.documents.azure.com",),
        "azuremonitor": ("privatelink.monitor.azure.com", "privatelink.oms.opinsights.azure.com",
                         "privatelink.ods.opinsights.azure.com", "privatelink.agentsvc.azure-automation.net",
                         "privatelink.blob.core.windows.net"),
    }
    assert "privatelink.notebooks.azureml.net" not in zones_for(list(GROUP_ZONES))  # a known sample bug


def test_zones_for_dedupes_in_order():
    assert zones_for(["blob", "file", "blob"]) == ["privatelink.blob.core.windows.net",
                                                  "privatelink.file.core.windows.net"]


@pytest.mark.parametrize(
    "cidr, problem",
    [("10.0.0.0/16", None), ("10.0.0.1/16", "host bits"), ("10.0.0.0/33", "not a network"),
     ("banana", "not a network"), ("fd00::/64", "IPv4")],
)
def test_network_problem(cidr, problem):
    found = network_problem(cidr)
    assert found is None if problem is None else problem in found


@pytest.mark.parametrize(
    "vnet, subnet, problem",
    [
        ("10.20.0.0/16", "10.20.1.0/24", None),
        ("10.20.0.0/16", "10.20.0.0/28", None),
        ("10.20.0.0/16", "10.21.1.0/24", "not inside"),
        ("10.20.0.0/24", "10.20.0.0/16", "not inside"),
        ("10.20.0.0/16", "10.20.1.0/29", "too small"),
        ("10.20.0.0/16", "10.20.1.7/24", "host bits"),
    ],
)
def test_subnet_problem(vnet, subnet, problem):
    found = subnet_problem(vnet, subnet)
    assert found is None if problem is None else problem in found


def test_parse_subnet_id():
    ref = parse_subnet_id(SUBNET_ID)
    assert (ref.resource_group, ref.vnet, ref.subnet) == ("rg-net", "vnet-spoke", "snet-pe")
    assert ref.vnet_id == f"{SUB}/Microsoft.Network/virtualNetworks/vnet-spoke"
    for bad in ("snet-pe", SUBNET_ID.rsplit("/subnets", 1)[0], SUBNET_ID.replace("virtualNetworks", "vnets")):
        with pytest.raises(ValueError, match="is not a subnet ID"):
            parse_subnet_id(bad)


@pytest.mark.parametrize(
    "zone, zone_id, problem",
    [
        (ZONE, ZONE_ID, None),
        ("privatelink.example.com", ZONE_ID, "unknown private DNS zone"),
        (ZONE, "zone", "is not a private DNS zone ID"),
        (ZONE, ZONE_ID.replace(ZONE, "privatelink.blob.core.windows.net"), "not 'privatelink.api.azureml.ms'"),
        (ZONE, ZONE_ID.replace("privateDnsZones", "dnszones"), "is not a private DNS zone ID"),
    ],
)
def test_zone_id_problem(zone, zone_id, problem):
    found = zone_id_problem(zone, zone_id)
    assert found is None if problem is None else problem in found


@pytest.mark.parametrize(
    "rule, fields",
    [
        ({"type": "FQDN", "fqdn": "pypi.org"}, []),
        ({"type": "FQDN"}, ["destination"]),
        ({"type": "PrivateEndpoint", "service_resource_id": "x", "subresource_target": "blob"}, []),
        ({"type": "PrivateEndpoint", "subresource_target": "disk"},
         ["destination.serviceResourceId", "destination.subresourceTarget"]),
        ({"type": "ServiceTag", "service_tag": "AzureMonitor", "protocol": "TCP", "port_ranges": "443"}, []),
        ({"type": "ServiceTag", "protocol": "HTTP"},
         ["destination.serviceTag", "destination.protocol", "destination.portRanges"]),
        ({"type": "Route"}, ["type"]),
    ],
)
def test_outbound_rule_problems(rule, fields):
    # Which types an isolation mode takes is deploy rule DR-01 (tests/unit/test_deploy_rules.py).
    assert [f for f, _ in outbound_rule_problems(rule)] == fields


def test_approved_outbound_rules_cover_the_provider_and_azure_connections():
    search = f"{SUB}/Microsoft.Search/searchServices/srch"
    store = f"{SUB}/Microsoft.Storage/storageAccounts/st"
    connections = [
        {"name": "search", "category": "CognitiveSearch", "resource_id": search},
        {"name": "docs", "category": "AzureBlob", "resource_id": store},
        {"name": "docs-again", "category": "AzureBlob", "resource_id": store},  # one rule per target
        {"name": "weather", "category": "ApiKey"},  # not an Azure resource
    ]
    declared = [{"name": "mine", "type": "PrivateEndpoint", "service_resource_id": search.upper(),
                 "subresource_target": "searchService"}]
    rules = approved_outbound_rules("ACCOUNT-ID", connections, declared)
    assert [(r["name"], r["service_resource_id"], r["subresource_target"]) for r in rules] == [
        ("provider-account", "ACCOUNT-ID", "account"),
        ("connection-docs", store, "blob"),
    ]
    assert approved_outbound_rules(None, [], []) == []
