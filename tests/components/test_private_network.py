"""PrivateNetwork, built directly: endpoints, group IDs, DNS zones, links and subnets."""

import pytest
from harness import DNS_ZONE, ENDPOINT, PRIVATE_NETWORK, SUBNET, VNET, VNET_LINK, ZONE_GROUP, run_component

from components import PrivateNetwork
from components.validation import ArgsError

SUB = "/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-net/providers"
SUBNET_ID = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe"
HUB = f"{SUB}/Microsoft.MachineLearningServices/workspaces/hub-x"
ACCOUNT = f"{SUB}/Microsoft.CognitiveServices/accounts/ais-x"
STORAGE = f"{SUB}/Microsoft.Storage/storageAccounts/stx"
VAULT = f"{SUB}/Microsoft.KeyVault/vaults/kv-x"
REGISTRY = f"{SUB}/Microsoft.ContainerRegistry/registries/crx"
TARGETS = [
    {"name": "hub", "resource_id": HUB, "group_id": "amlworkspace"},
    {"name": "provider", "resource_id": ACCOUNT, "group_id": "account"},
    {"name": "storage-blob", "resource_id": STORAGE, "group_id": "blob"},
    {"name": "storage-file", "resource_id": STORAGE, "group_id": "file"},
    {"name": "keyvault", "resource_id": VAULT, "group_id": "vault"},
    {"name": "registry", "resource_id": REGISTRY, "group_id": "registry"},
]
EXPECTED_ZONES = {
    "hub": ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"],
    "provider": ["privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com",
                 "privatelink.services.ai.azure.com"],
    "storage-blob": ["privatelink.blob.core.windows.net"],
    "storage-file": ["privatelink.file.core.windows.net"],
    "keyvault": ["privatelink.vaultcore.azure.net"],
    "registry": ["privatelink.azurecr.io"],
}


def build(**extra):
    def program():
        PrivateNetwork("x-network", {"name": "x", "resource_group_name": "rg-ai", "location": "westeurope",
                                     "targets": TARGETS, "tags": {"env": "test"}, **extra})

    return run_component(program)


@pytest.fixture(scope="module")
def created():
    return build(vnet_address_prefix="10.20.0.0/16", subnet_prefix="10.20.1.0/24")


def test_creates_vnet_and_subnet_from_cidrs(created):
    vnet, subnet = created.one(VNET), created.one(SUBNET)
    assert vnet.inputs["addressSpace"] == {"addressPrefixes": ["10.20.0.0/16"]}
    assert subnet.inputs["addressPrefix"] == "10.20.1.0/24"
    assert subnet.inputs["virtualNetworkName"] == vnet.inputs["virtualNetworkName"]
    assert all(r.parent == created.one(PRIVATE_NETWORK).urn for r in created.resources if r.custom)


def test_every_target_gets_an_endpoint_with_its_group_id(created):
    subnet = created.one(SUBNET)
    endpoints = {e.inputs["privateEndpointName"]: e for e in created.by_type(ENDPOINT)}
    assert len(endpoints) == len(TARGETS)
    for target in TARGETS:
        endpoint = endpoints[f"pe-x-{target['name']}"]
        (link,) = endpoint.inputs["privateLinkServiceConnections"]
        assert link["privateLinkServiceId"] == target["resource_id"]
        assert link["groupIds"] == [target["group_id"]]
        assert endpoint.inputs["subnet"]["id"] == subnet.id
        assert endpoint.inputs["tags"] == {"env": "test"}


def test_every_endpoint_registers_in_its_zones(created):
    zones = {z.inputs["privateZoneName"]: z for z in created.by_type(DNS_ZONE)}
    assert sorted(zones) == sorted(z for group in EXPECTED_ZONES.values() for z in group)
    assert all(z.inputs["location"] == "global" for z in zones.values())
    groups = {g.inputs["privateEndpointName"]: g for g in created.by_type(ZONE_GROUP)}
    for target, expected in EXPECTED_ZONES.items():
        group = groups[f"pe-x-{target}"]
        assert group.inputs["privateDnsZoneGroupName"] == "default"
        assert [c["privateDnsZoneId"] for c in group.inputs["privateDnsZoneConfigs"]] == [zones[z].id for z in expected]


def test_created_zones_are_linked_to_the_vnet_without_registration(created):
    vnet = created.one(VNET)
    links = created.by_type(VNET_LINK)
    assert len(links) == len(created.by_type(DNS_ZONE))
    assert all(line.inputs["virtualNetwork"] == {"id": vnet.id} and line.inputs["registrationEnabled"] is False
               and line.inputs["location"] == "global" for line in links)


def test_endpoints_and_zones_go_up_in_parallel(created):
    endpoints = {e.urn for e in created.by_type(ENDPOINT)}
    zones = {z.urn for z in created.by_type(DNS_ZONE)}
    assert all(not (set(e.dependencies) & endpoints) for e in created.by_type(ENDPOINT))
    assert all(not (set(z.dependencies) & (zones | endpoints)) for z in created.by_type(DNS_ZONE))


def test_an_existing_subnet():
    run = build(subnet_id=SUBNET_ID)
    assert run.by_type(VNET) == [] and run.by_type(SUBNET) == []
    assert {e.inputs["subnet"]["id"] for e in run.by_type(ENDPOINT)} == {SUBNET_ID}
    vnet_id = SUBNET_ID.rsplit("/subnets/", 1)[0]
    assert {line.inputs["virtualNetwork"]["id"] for line in run.by_type(VNET_LINK)} == {vnet_id}


def test_existing_zones_are_used_not_created():
    central = f"{SUB}/Microsoft.Network/privateDnsZones"
    existing = {z: f"{central}/{z}" for z in EXPECTED_ZONES["hub"]}
    run = build(subnet_id=SUBNET_ID, private_dns_zone_ids=existing)
    created = {z.inputs["privateZoneName"] for z in run.by_type(DNS_ZONE)}
    assert created.isdisjoint(existing) and len(created) == 7
    assert len(run.by_type(VNET_LINK)) == 7  # central zones are linked by their owner
    (hub_group,) = [g for g in run.by_type(ZONE_GROUP) if g.inputs["privateEndpointName"] == "pe-x-hub"]
    assert [c["privateDnsZoneId"] for c in hub_group.inputs["privateDnsZoneConfigs"]] == list(existing.values())


def test_without_a_subnet_it_refuses():
    with pytest.raises(ArgsError, match="subnet_id: private endpoints need a subnet"):
        build()


def test_a_network_aliases_nothing_unless_it_takes_one_over(created):
    assert not [r.name for r in created.resources if any("parentUrn" in spec for spec in r.alias_specs)]


def test_adopt_from_aliases_every_child_to_the_other_network():
    old = "urn:pulumi:unit::test::aihub:index:AIHub$aihub:index:PrivateNetwork::x-network"
    run = build(vnet_address_prefix="10.20.0.0/16", subnet_prefix="10.20.1.0/24", adopt_from=old)
    network = run.one(PRIVATE_NETWORK)
    children = [r for r in run.resources if r.parent == network.urn]
    assert len(children) == len(run.resources) - 1
    for child in children:
        assert {"parentUrn": old} in child.alias_specs, child.name
    # Only the aliases: names and inputs are the network's own, so the engine finds the old state under them.
    plain = build(vnet_address_prefix="10.20.0.0/16", subnet_prefix="10.20.1.0/24")
    assert sorted((r.name, str(r.inputs)) for r in plain.resources if r.custom) == sorted(
        (r.name, str(r.inputs)) for r in children)
