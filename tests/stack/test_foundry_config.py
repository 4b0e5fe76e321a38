"""The stack config's platforms (hub, foundry, hub+foundry): keys that mean nothing on the chosen platform, the
Foundry keys, and the mapping to FoundryResourceArgs and FoundryProjectArgs. Every bad input is a ConfigError
naming its key path, raised before any resource is registered.

The programs of the Foundry stacks render once the Foundry components are built: tests/stack/
pending_foundry_program.py.
"""

import json

import pytest
import yaml
from harness import DNS_ZONE, ROOT, run_stack

from components.foundry_project import FoundryProjectArgs
from components.foundry_resource import FoundryResourceArgs
from components.network import GROUP_ZONES
from components.validation import typeddict_problems
from config import ConfigError, parse
from config.args import _foundry_project_args, hub_zones
from config.messages import foundry_key_path, foundry_project_key_path
from offline.stackfile import load_stack_config

SUB = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg/providers"
ACCOUNT_ID = f"{SUB}/Microsoft.CognitiveServices/accounts/ais-central"
COSMOS_ID = f"{SUB}/Microsoft.DocumentDB/databaseAccounts/cosmos-agents"
SEARCH_ID = f"{SUB}/Microsoft.Search/searchServices/srch-agents"
STORAGE_ID = f"{SUB}/Microsoft.Storage/storageAccounts/stagents"
VAULT_ID = f"{SUB}/Microsoft.KeyVault/vaults/kv-keys"
SUBNET_ID = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-agent"
PE_SUBNET_ID = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe"
ALICE = "aaaaaaaa-0000-4000-8000-000000000001"
FOUNDRY_STACKS = ("foundry-basic", "foundry-private", "hub-plus-foundry")
CREATED_VNET = {"vnetAddressPrefix": "10.20.0.0/16", "subnetPrefix": "10.20.1.0/24"}


def stack_file(name):
    """A Foundry scenario: in tests/stacks/ once the Foundry components render, in tests/stacks/pending/ before."""
    final = ROOT / "tests" / "stacks" / f"{name}.yaml"
    return final if final.exists() else ROOT / "tests" / "stacks" / "pending" / f"{name}.yaml"


def load(name):
    _, values, secret_keys = load_stack_config(ROOT, name, stack_file(name))
    return parse(values, secret_keys)


def raw(**keys):
    base = {"azure-native:location": "swedencentral", "azure-ai-hub:hub": {"name": "contoso-ai"}}
    base.update({k if ":" in k else f"azure-ai-hub:{k}": v for k, v in keys.items()})
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in base.items() if v is not None}


def problems(values):
    with pytest.raises(ConfigError) as caught:
        parse(values)
    return caught.value.problems


# -- the stack files -------------------------------------------------------------------


@pytest.mark.parametrize("name", FOUNDRY_STACKS)
def test_the_foundry_stack_files_are_valid(name):
    assert load(name).platform == yaml.safe_load(stack_file(name).read_text())["config"]["azure-ai-hub:platform"]


@pytest.mark.parametrize("name", FOUNDRY_STACKS)
def test_the_mapped_args_fit_the_components_args_types(name):
    """What the components' check_args will see first: the shape of their Args TypedDicts."""
    cfg = load(name)
    assert typeddict_problems(cfg.foundry_args("rg"), FoundryResourceArgs) == []
    stores = {"cosmos_db_account_id": COSMOS_ID, "cosmos_db_endpoint": "https://c.documents.azure.com:443/",
              "search_service_id": SEARCH_ID, "search_endpoint": "https://s.search.windows.net",
              "storage_account_id": STORAGE_ID, "storage_blob_endpoint": "https://st.blob.core.windows.net/"}
    for i, project in enumerate(cfg.projects):
        if project.platform == "foundry" or cfg.platform == "foundry":
            args = _foundry_project_args(cfg, i, "ais", ACCOUNT_ID, "rg", stores)
            assert typeddict_problems(args, FoundryProjectArgs) == []
            assert ("agent_stores" in args) == (cfg.foundry_args("rg")["agent_setup"] == "standard")


def test_foundry_private_maps_to_a_private_foundry_resource():
    cfg = load("foundry-private")
    args = cfg.foundry_args("rg-prod")
    assert args["agent_setup"] == "standard" and "agent_stores" not in args  # the stack creates the three stores
    assert args["agent_subnet"] == {"prefix": "10.20.0.0/24"}
    assert args["private_endpoints"] == {"vnet_address_prefix": "10.20.0.0/16", "subnet_prefix": "10.20.1.0/24"}
    assert args["public_network_access"] == "Disabled"
    assert args["encryption"] == {
        "key_vault_id": "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-keys/providers/"
                        "Microsoft.KeyVault/vaults/kv-contoso-keys",
        "key_name": "foundry-cmk"}
    assert args["adopt_hub"] is True and "existing_account_id" not in args
    assert [d["name"] for d in args["model_deployments"]] == ["gpt-4o", "text-embedding-3-small"]
    assert (args["protect"], args["retain_on_delete"], args["locks"]) == (True, True, True)
    assert args["log_retention_days"] == 90 and args["diagnostics"] is True
    assert [a["name"] for a in args["policy_assignments"]] == ["ai-services-no-key-access"]
    assert args["budget"]["amount"] == 5000
    assert "storage_sku" not in args  # the component's default (Standard_ZRS)


def test_foundry_basic_maps_projects_with_the_foundry_defaults():
    cfg = load("foundry-basic")
    assert cfg.foundry_args("rg")["agent_setup"] == "basic"
    assert cfg.foundry_args("rg")["connections"][0]["name"] == "search"
    chat = _foundry_project_args(cfg, 0, "ais-contoso", ACCOUNT_ID, "rg", None)
    research = _foundry_project_args(cfg, 1, "ais-contoso", ACCOUNT_ID, "rg", None)
    assert chat["project_name"] == "chat" and chat["display_name"] == "Customer chat"
    assert chat["description"] == "Support assistant"
    # Not Azure AI Developer, the hub's default: no role given means the component's, Foundry User.
    assert chat["members"] == [{"principal_id": ALICE, "principal_type": "User"}]
    assert research["members"][0]["role"] == "eadc314b-1a2d-4efa-be10-5d325db5065e"
    assert research["display_name"] == "research" and "description" not in research
    assert chat["agent_setup"] == "basic" and "agent_stores" not in chat


def test_hub_plus_foundry_keeps_the_hub_and_adds_foundry_projects_to_its_account():
    cfg = load("hub-plus-foundry")
    hub = cfg.hub_args("rg")
    assert hub["allow_project_management"] is True
    assert [p.name for p in cfg.projects_on("hub")] == ["chat"]
    assert [p.name for p in cfg.projects_on("foundry")] == ["agents"]
    foundry = cfg.foundry_args("rg")
    # The account, its deployments and governance stay the hub's; the shared connections go on the account too.
    assert not {"model_deployments", "policy_assignments", "budget", "encryption", "adopt_hub",
                "agent_subnet", "log_retention_days"} & set(foundry)
    assert foundry["agent_setup"] == "standard"
    assert [c["name"] for c in foundry["connections"]] == [c.name for c in cfg.connections] == ["search"]


def test_the_hub_platform_is_todays():
    cfg = parse(raw())
    assert cfg.platform == "hub" and "allow_project_management" not in cfg.hub_args("rg")
    assert cfg.projects_on("foundry") == []


def test_a_minimal_foundry_config_maps_to_the_component_defaults():
    cfg = parse(raw(platform="foundry"))
    assert cfg.foundry_args("rg") == {
        "name": "contoso-ai", "resource_group_name": "rg", "location": "swedencentral",
        "public_network_access": "Enabled", "agent_setup": "basic", "protect": False, "retain_on_delete": False,
        "locks": False, "diagnostics": True, "adopt_hub": True, "connections": [], "log_retention_days": 30,
    }


def test_brought_agent_stores_map_to_the_args():
    cfg = parse(raw(platform="foundry", agents={"setup": "standard", "cosmosDbAccountId": COSMOS_ID,
                                                "searchServiceId": SEARCH_ID, "storageAccountId": STORAGE_ID},
                    network={"agentSubnet": {"subnetId": SUBNET_ID}}))
    args = cfg.foundry_args("rg")
    assert args["agent_stores"] == {"cosmos_db_account_id": COSMOS_ID, "search_service_id": SEARCH_ID,
                                    "storage_account_id": STORAGE_ID}
    assert args["agent_subnet"] == {"subnet_id": SUBNET_ID}


def test_an_existing_account_is_taken_as_it_is():
    cfg = parse(raw(platform="foundry", provider={"existingAccountId": ACCOUNT_ID}, projects=[{"name": "chat"}]))
    args = cfg.foundry_args("rg")
    assert args["existing_account_id"] == ACCOUNT_ID and "model_deployments" not in args


def test_projects_of_an_existing_account_go_in_its_group():
    from config.args import _account_group

    cfg = parse(raw(platform="foundry", provider={"existingAccountId": ACCOUNT_ID}))
    assert _account_group(cfg, "rg-stack") == "rg"
    assert _account_group(parse(raw(platform="foundry")), "rg-stack") == "rg-stack"


# -- bad input --------------------------------------------------------------------------

FOUNDRY = {"platform": "foundry"}
MIGRATING = {"platform": "hub+foundry"}


@pytest.mark.parametrize(("keys", "path", "reason"), [
    ({"platform": "foundry-resource"}, "platform", "must be 'hub', 'foundry' or 'hub+foundry'"),
    # Foundry keys on a hub.
    ({"agents": {"setup": "basic"}}, "agents", "platform hub has none"),
    ({"network": {"agentSubnet": {"subnetId": SUBNET_ID}}}, "network.agentSubnet", "platform hub has none"),
    # Private stores the Agent Service can't reach: no network injection on the account.
    ({**FOUNDRY, "agents": {"setup": "standard"}, "network": {"publicNetworkAccess": "Disabled"}}, "agents.setup",
     "isn't injected into your network"),
    ({"platform": "hub+foundry", "agents": {"setup": "standard"}, "network": {"publicNetworkAccess": "Disabled"}},
     "agents.setup", "need a new Foundry resource created with network.agentSubnet"),
    ({"projects": [{"name": "chat", "platform": "foundry"}]}, "projects[0].platform", "hub+foundry"),
    # Hub keys on a Foundry resource.
    ({**FOUNDRY, "computeInstances": [{"name": "ci-alice", "vmSize": "Standard_DS11_v2",
                                       "assignedUserObjectId": ALICE}]}, "computeInstances", "keep a hub"),
    ({**FOUNDRY, "network": {"isolationMode": "AllowInternetOutbound"}}, "network.isolationMode",
     "managed network"),
    ({**FOUNDRY, "network": {"isolationMode": "Disabled"}}, "network.isolationMode", "managed network"),
    ({**FOUNDRY, "network": {"firewallSku": "Standard"}}, "network.firewallSku", "managed network"),
    ({**FOUNDRY, "network": {"provisionNow": True}}, "network.provisionNow", "managed network"),
    ({**FOUNDRY, "network": {"outboundRules": [{"name": "pypi", "type": "FQDN", "destination": "pypi.org"}]}},
     "network.outboundRules", "managed network"),
    ({**FOUNDRY, "providerMode": "openAI"}, "providerMode", "can't host Foundry projects"),
    ({**FOUNDRY, "dependencies": {"storageSku": "Standard_ZRS"}}, "dependencies.storageSku", "a hub's dependency"),
    ({**FOUNDRY, "dependencies": {"keyVaultId": VAULT_ID}}, "dependencies.keyVaultId", "a hub's dependency"),
    ({**FOUNDRY, "hub": {"name": "contoso-ai", "friendlyName": "Contoso"}}, "hub.friendlyName", "no hub"),
    ({**FOUNDRY, "encryption": {"keyVaultId": VAULT_ID, "keyName": "k", "serviceSide": True}},
     "encryption.serviceSide", "a hub's encryption option"),
    ({**FOUNDRY, "encryption": {}}, "encryption.keyVaultId", "has no key vault of its own"),
    ({**FOUNDRY, "projects": [{"name": "chat", "platform": "hub"}]}, "projects[0].platform", "has no hub"),
    ({**FOUNDRY, "projects": [{"name": "chat", "members": [{"principalId": ALICE, "storageAccess": False}]}]},
     "projects[0].members[0].storageAccess", "a hub's storage"),
    ({**FOUNDRY, "projects": [{"name": "chat", "members": [{"principalId": ALICE, "role": "Azure AI Developer"}]}]},
     "projects[0].members[0].role", "is not for Foundry"),
    ({**FOUNDRY, "projects": [{"name": "chat", "members": [
        {"principalId": ALICE, "role": "Cognitive Services OpenAI User"}]}]},
     "projects[0].members[0].role", "is not for Foundry"),
    ({**FOUNDRY, "connections": [{"name": "pypi", "category": "PythonFeed", "target": "https://pypi.org/simple"}]},
     "connections[0].category", "is for hubs only"),
    ({**FOUNDRY, "projects": [{"name": "chat", "connections": [
        {"name": "repo", "category": "Git", "target": "https://github.com/contoso/x"}]}]},
     "projects[0].connections[0].category", "is for hubs only"),
    # The agents and the agent subnet.
    ({**FOUNDRY, "agents": {"cosmosDbAccountId": COSMOS_ID}}, "agents.cosmosDbAccountId", "standard agent setup"),
    ({**FOUNDRY, "agents": {"setup": "none", "searchServiceId": SEARCH_ID}}, "agents.searchServiceId",
     "(the setup here is 'none')"),
    ({**FOUNDRY, "agents": {"setup": "standard", "searchServiceId": COSMOS_ID}}, "agents.searchServiceId",
     "Microsoft.Search/searchServices"),
    ({**FOUNDRY, "agents": {"setup": "premium"}}, "agents.setup", "'premium'"),
    ({**FOUNDRY, "agents": {"setUp": "basic"}}, "agents.setUp", "unknown key"),
    ({**FOUNDRY, "network": {"agentSubnet": {"prefix": "10.20.2.0/24"}}}, "network.agentSubnet.prefix",
     "VNet of the private endpoints"),
    ({**FOUNDRY, "network": {"agentSubnet": {"prefix": "10.30.0.0/24"}, "privateEndpoints": CREATED_VNET}},
     "network.agentSubnet.prefix", "DR-11: 10.30.0.0/24 is not inside the VNet"),
    # The Foundry deploy rules judge the stack's args too (Learn: the agent subnet is /27 or larger).
    ({**FOUNDRY, "network": {"agentSubnet": {"prefix": "10.20.2.0/28"}, "privateEndpoints": CREATED_VNET}},
     "network.agentSubnet.prefix", "DR-08: 10.20.2.0/28 has 16 addresses"),
    ({**FOUNDRY, "network": {"agentSubnet": {"prefix": "10.20.1.0/25"}, "privateEndpoints": CREATED_VNET}},
     "network.agentSubnet.prefix", "overlaps the private endpoints' subnet"),
    ({**FOUNDRY, "network": {"agentSubnet": {}}}, "network.agentSubnet", "exactly one"),
    ({**FOUNDRY, "network": {"agentSubnet": {"subnetId": SUBNET_ID, "prefix": "10.20.2.0/24"}}},
     "network.agentSubnet", "exactly one"),
    ({**FOUNDRY, "network": {"agentSubnet": {"subnetId": "snet-agent"}}}, "network.agentSubnet.subnetId",
     "not a subnet ID"),
    # An existing account is its owner's.
    ({**FOUNDRY, "provider": {"existingAccountId": ACCOUNT_ID,
                              "deployments": [{"name": "gpt", "model": "gpt-4o", "version": "1"}]}},
     "provider.deployments", "its owner deploys its models"),
    ({**FOUNDRY, "provider": {"existingAccountId": ACCOUNT_ID}, "network": {"agentSubnet": {"subnetId": SUBNET_ID}}},
     "network.agentSubnet", "set when an account is created"),
    # The migration.
    ({**MIGRATING, "network": {"agentSubnet": {"subnetId": SUBNET_ID}}}, "network.agentSubnet", "hub's account"),
    ({**MIGRATING, "providerMode": "openAI"}, "providerMode", "upgrade it to AIServices first"),
    ({**MIGRATING, "projects": [{"name": "chat"}, {"name": "chat", "platform": "foundry"}]}, "projects",
     "both a hub project and a Foundry project"),
    ({**FOUNDRY, "projects": [{"name": "chat"}, {"name": "chat", "platform": "foundry"}]}, "projects",
     "'chat' is used twice"),
    ({**MIGRATING, "projects": [{"name": "hubby"}, {"name": "agents", "platform": "foundry", "connections": [
        {"name": "feed", "category": "PythonFeed", "target": "https://pypi.org/simple"}]}]},
     "projects[1].connections[0].category", "is for hubs only"),
    ({**MIGRATING, "projects": [{"name": "agents", "platform": "foundry", "members": [
        {"principalId": ALICE, "role": "Azure AI Developer"}]}]}, "projects[0].members[0].role", "Foundry User"),
])
def test_bad_input_names_its_key_path_and_why(keys, path, reason):
    found = problems(raw(**keys))
    assert any(p == f"azure-ai-hub:{path}" and reason in r for p, r in found), found


def test_hub_keys_on_a_migrating_stack_keep_their_meaning():
    cfg = parse(raw(platform="hub+foundry", computeInstances=[
        {"name": "ci-alice", "vmSize": "Standard_DS11_v2", "assignedUserObjectId": ALICE}],
        network={"isolationMode": "AllowInternetOutbound"}, dependencies={"storageSku": "Standard_ZRS"},
        projects=[{"name": "chat", "members": [{"principalId": ALICE, "role": "Azure AI Developer"}]}]))
    assert cfg.hub_args("rg")["compute_instances"][0]["name"] == "ci-alice"


def test_a_foundry_project_in_hub_plus_foundry_sees_none_of_the_hubs_connections():
    search = {"name": "search", "category": "CognitiveSearch", "target": "https://s.search.windows.net",
              "resourceId": SEARCH_ID}
    parse(raw(platform="hub+foundry", connections=[search],
              projects=[{"name": "agents", "platform": "foundry", "connections": [search]}]))
    found = problems(raw(platform="foundry", connections=[search], projects=[{"name": "agents",
                                                                              "connections": [search]}]))
    assert ("azure-ai-hub:projects[0].connections[0].name",
            "'search' is already a shared connection of the Foundry resource, which the project sees") in found


def test_every_problem_is_reported_at_once():
    found = problems(raw(platform="foundry", computeInstances=[
        {"name": "ci-alice", "vmSize": "Standard_DS11_v2", "assignedUserObjectId": ALICE}],
        network={"isolationMode": "Disabled", "firewallSku": "Standard"}, hub={"name": "contoso-ai",
                                                                                "description": "d"}))
    assert {p for p, _ in found} == {f"azure-ai-hub:{k}" for k in (
        "computeInstances", "network.isolationMode", "network.firewallSku", "hub.description")}


def test_a_bad_foundry_config_registers_nothing():
    run = run_stack("defaults", check=False, platform="foundry", network={"isolationMode": "AllowInternetOutbound"})
    assert isinstance(run.error, ConfigError)
    assert "azure-ai-hub:network.isolationMode" in str(run.error)
    assert [r.type for r in run.registrations] == ["pulumi:pulumi:Stack"]


@pytest.mark.parametrize(("arg_path", "key_path"), [
    ("agent_subnet.prefix", "network.agentSubnet.prefix"),
    ("agent_stores.cosmos_db_account_id", "agents.cosmosDbAccountId"),
    ("agent_setup", "agents.setup"),
    ("existing_account_id", "provider.existingAccountId"),
    ("model_deployments[1].name", "provider.deployments[1].name"),
    ("private_endpoints.private_dns_zone_ids.privatelink.blob.core.windows.net",
     "network.privateEndpoints.privateDnsZoneIds.privatelink.blob.core.windows.net"),
    ("encryption.key_vault_id", "encryption.keyVaultId"),
    ("connections[0].metadata.ContainerName", "connections[0].metadata.ContainerName"),
    ("log_retention_days", "diagnostics.retentionDays"),
    ("budget.contact_emails[0]", "budget.contactEmails[0]"),
    ("name", "hub.name"),
])
def test_foundry_argument_paths_are_config_key_paths(arg_path, key_path):
    assert foundry_key_path(arg_path) == f"azure-ai-hub:{key_path}"


@pytest.mark.parametrize(("arg_path", "key_path"), [
    ("project_name", "projects[2].name"),
    ("display_name", "projects[2].friendlyName"),
    ("members[0].principal_id", "projects[2].members[0].principalId"),
    ("connections[1].auth_type", "projects[2].connections[1].authType"),
    ("agent_stores.search_service_id", "agents.searchServiceId"),
])
def test_foundry_project_argument_paths_are_config_key_paths(arg_path, key_path):
    assert foundry_project_key_path(2, arg_path) == f"azure-ai-hub:{key_path}"


# -- hub+foundry: the hub's private DNS zones are reused, never made twice ----------------------------


@pytest.mark.parametrize("stack", ["prod", "waf-aligned", "private-internet-outbound"])
def test_hub_zones_are_the_zones_the_hub_registers_or_takes(stack):
    """`hub_zones` knows from the config which zones the hub's private network has: checked against a render."""
    run = run_stack(stack)
    project, values, secret_keys = load_stack_config(
        ROOT, stack, ROOT / "tests" / "stacks" / f"{stack}.yaml" if stack != "prod" else None)
    cfg = parse(values, secret_keys)
    created = {r.inputs["privateZoneName"] for r in run.by_type(DNS_ZONE)}
    given = set(cfg.network.private_endpoints.private_dns_zone_ids)
    groups = {g for r in run.by_type("azure-native:network:PrivateEndpoint")
              for c in r.inputs["privateLinkServiceConnections"] for g in c["groupIds"]}
    used = {zone for group in groups for zone in GROUP_ZONES[group]}
    assert created | (given & used) == set(hub_zones(cfg)) == used


def test_a_private_hub_plus_foundry_takes_standard_agents_on_stores_of_its_own_or_a_brought_account():
    """Refused only where the hub's own account (never injected) would reach private stores the stack creates."""
    private = {"publicNetworkAccess": "Disabled"}
    brought = {"setup": "standard", "cosmosDbAccountId": COSMOS_ID, "searchServiceId": SEARCH_ID,
               "storageAccountId": STORAGE_ID}
    assert parse(raw(platform="hub+foundry", network=private, agents=brought)).platform == "hub+foundry"
    assert parse(raw(platform="hub+foundry", network=private, agents={"setup": "standard"},
                     provider={"existingAccountId": ACCOUNT_ID})).platform == "hub+foundry"
