"""FoundryResource, built directly (no stack config), as the engine receives it."""

import pytest
from harness import (
    ACCOUNT,
    DEPLOYMENT,
    DIAGNOSTIC,
    DNS_ZONE,
    ENDPOINT,
    IDENTITY,
    KEY,
    LOCK,
    LOGS,
    POLICY,
    PRIVATE_NETWORK,
    ROLE,
    STORAGE,
    SUBNET,
    VNET,
    ZONE_GROUP,
    all_strings,
    engine_urns,
    resolved,
    run_component,
    waits_for,
)

from components import AIHub
from components.foundry_resource import FoundryResource, UnfitResourceError
from components.network import GROUP_ZONES
from components.resource_types import ACCOUNT_CAPABILITY_HOST, COSMOS, SEARCH
from components.validation import ArgsError
from offline.azure_state import MOCK_SUBSCRIPTION
from offline.engine import principal_for

FOUNDRY = "aihub:index:FoundryResource"
SLEEP = "time:index/sleep:Sleep"
SUB = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/shared-rg/providers"
VAULT_ID = f"{SUB}/Microsoft.KeyVault/vaults/shared-kv"
# What the projects write through (a Cosmos DB's data roles, the account's projects) is in the deploying subscription.
HERE = f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/shared-rg/providers"
COSMOS_ID = f"{HERE}/Microsoft.DocumentDB/databaseAccounts/shared-cosmos"
SEARCH_ID = f"{SUB}/Microsoft.Search/searchServices/shared-search"
STORAGE_ID = f"{SUB}/Microsoft.Storage/storageAccounts/sharedagentfiles"
AGENT_SUBNET_ID = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-agent"
PE_SUBNET_ID = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe"
ACCOUNT_ID = f"{HERE}/Microsoft.CognitiveServices/accounts/ais-elsewhere"
DEPLOYMENTS = [
    {"name": "gpt-4o", "model": "gpt-4o", "version": "2024-11-20", "sku": "GlobalStandard", "capacity": 10},
    {"name": "embed", "model": "text-embedding-3-small", "version": "1"},
]
PRIVATE = {"public_network_access": "Disabled",
           "private_endpoints": {"vnet_address_prefix": "10.20.0.0/16", "subnet_prefix": "10.20.1.0/24"}}
# Pinned, so the names are known: the same base and suffix give a hub's account and a Foundry resource's one name.
BASE = {"name": "contoso-ai", "resource_group_name": "rg-ai", "location": "swedencentral", "unique_suffix": "x1y2z3"}


def build(**extra):
    def program():
        FoundryResource("contoso", {**BASE, "tags": {"env": "test"}, **extra})

    return run_component(program)


def props(registration):
    return registration.inputs["properties"]


@pytest.fixture(scope="module")
def basic():
    return build(model_deployments=DEPLOYMENTS)


@pytest.fixture(scope="module")
def standard():
    return build(agent_setup="standard")


@pytest.fixture(scope="module")
def private():
    return build(agent_setup="standard", agent_subnet={"prefix": "10.20.0.0/24"}, model_deployments=DEPLOYMENTS,
                 **PRIVATE)


@pytest.fixture(scope="module")
def cmk():
    return build(encryption={"key_vault_id": VAULT_ID})


# Basic, public


def test_account_is_a_foundry_resource(basic):
    account = basic.one(ACCOUNT)
    assert account.parent == basic.one(FOUNDRY).urn
    assert account.inputs["kind"] == "AIServices"
    assert account.inputs["sku"] == {"name": "S0"}
    assert account.inputs["identity"] == {"type": "SystemAssigned"}
    assert account.inputs["accountName"] == "ais-contoso-ai"
    assert props(account) == {
        "allowProjectManagement": True,
        "customSubDomainName": "ais-contoso-ai-x1y2z3",
        "disableLocalAuth": True,
        "publicNetworkAccess": "Enabled",
        "networkAcls": {"defaultAction": "Allow", "bypass": "AzureServices"},
    }
    assert account.protect is False


def test_basic_setup_creates_no_stores_and_no_capability_host(basic):
    assert not basic.by_type(COSMOS) and not basic.by_type(SEARCH) and not basic.by_type(STORAGE)
    assert not basic.by_type(ACCOUNT_CAPABILITY_HOST)
    assert not basic.by_type(PRIVATE_NETWORK) and not basic.by_type(VNET)


def test_deployments_one_after_another_on_the_account(basic):
    account = basic.one(ACCOUNT)
    first, second = (basic.one(DEPLOYMENT, f"contoso-ai-deployment-{d['name']}") for d in DEPLOYMENTS)
    assert first.inputs["accountName"] == account.inputs["accountName"]
    assert first.inputs["sku"] == {"name": "GlobalStandard", "capacity": 10}
    assert first.inputs["properties"]["model"] == {"format": "OpenAI", "name": "gpt-4o", "version": "2024-11-20"}
    assert account.urn in first.dependencies
    assert first.urn in second.dependencies


def test_diagnostics_of_the_account_go_to_a_log_analytics_it_creates(basic):
    logs = basic.one(LOGS)
    setting = basic.one(DIAGNOSTIC, "contoso-ai-diagnostics-provider")
    assert setting.inputs["resourceUri"] == basic.one(ACCOUNT).id
    assert setting.inputs["workspaceId"] == logs.id
    assert setting.inputs["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
    assert logs.inputs["features"] == {"disableLocalAuth": True}


def test_the_account_is_the_hubs_account_request(basic):
    """`hub+foundry` (AIHub with allow_project_management) and `foundry` send the same account: one builder."""
    def program():
        AIHub("contoso-ai", {**BASE, "allow_project_management": True, "tags": {"env": "test"}})

    hub = run_component(program).one(ACCOUNT)
    foundry = basic.one(ACCOUNT)
    assert hub.name == foundry.name
    assert hub.inputs == foundry.inputs


def test_a_hubs_account_gets_project_management_only_when_asked():
    def program(**extra):
        return lambda: AIHub("contoso-ai", {**BASE, **extra})

    assert "allowProjectManagement" not in props(run_component(program()).one(ACCOUNT))
    assert props(run_component(program(allow_project_management=True)).one(ACCOUNT))["allowProjectManagement"]


@pytest.mark.parametrize("extra", [{"existing_provider_account_id": ACCOUNT_ID}, {"provider_mode": "openAI"}])
def test_project_management_needs_a_created_ai_services_account(extra):
    with pytest.raises(ArgsError) as err:
        run_component(lambda: AIHub("contoso-ai", {**BASE, "allow_project_management": True, **extra}))
    assert [p[0] for p in err.value.problems] == ["allow_project_management"]


# Standard setup, stores created


def test_cosmos_db_is_entra_only_session_consistent(standard):
    cosmos = standard.one(COSMOS)
    assert cosmos.parent == standard.one(FOUNDRY).urn
    assert cosmos.inputs["accountName"] == "cosmos-contoso-ai-x1y2z3"
    assert cosmos.inputs["kind"] == "GlobalDocumentDB"
    assert cosmos.inputs["databaseAccountOfferType"] == "Standard"
    assert cosmos.inputs["consistencyPolicy"] == {"defaultConsistencyLevel": "Session"}
    assert cosmos.inputs["locations"] == [{"locationName": "swedencentral", "failoverPriority": 0,
                                           "isZoneRedundant": False}]
    assert cosmos.inputs["disableLocalAuth"] is True
    assert cosmos.inputs["disableKeyBasedMetadataWriteAccess"] is True
    assert cosmos.inputs["minimalTlsVersion"] == "Tls12"
    assert cosmos.inputs["publicNetworkAccess"] == "Enabled"


def test_search_is_standard_with_an_identity_and_no_keys(standard):
    service = standard.one(SEARCH)
    assert service.inputs["searchServiceName"] == "srch-contoso-ai-x1y2z3"
    assert service.inputs["sku"] == {"name": "standard"}
    assert service.inputs["identity"] == {"type": "SystemAssigned"}
    assert service.inputs["disableLocalAuth"] is True
    assert "authOptions" not in service.inputs  # Azure refuses them beside disableLocalAuth
    assert service.inputs["replicaCount"] == 1 and service.inputs["partitionCount"] == 1


def test_agent_storage_is_keyless_zrs(standard):
    account = standard.one(STORAGE)
    assert account.inputs["accountName"] == "stagcontosoaix1y2z3"
    assert account.inputs["kind"] == "StorageV2"
    assert account.inputs["sku"] == {"name": "Standard_ZRS"}
    assert account.inputs["allowSharedKeyAccess"] is False
    assert account.inputs["allowBlobPublicAccess"] is False
    assert account.inputs["minimumTlsVersion"] == "TLS1_2"
    assert account.inputs["networkRuleSet"] == {"defaultAction": "Allow", "bypass": "AzureServices"}


def test_without_injection_the_account_gets_an_agents_capability_host(standard):
    caphost = standard.one(ACCOUNT_CAPABILITY_HOST)
    assert caphost.inputs["accountName"] == standard.one(ACCOUNT).inputs["accountName"]
    assert caphost.inputs["capabilityHostName"] == "caphostacc"
    assert caphost.inputs["capabilityHostProperties"] == {"capabilityHostKind": "Agents"}
    assert caphost.replace_on_changes == ["*"] and caphost.delete_before_replace
    assert standard.one(ACCOUNT).urn in caphost.dependencies


def test_stores_are_diagnosed(standard):
    for label, resource in (("agent-cosmos", standard.one(COSMOS)), ("agent-search", standard.one(SEARCH))):
        assert standard.one(DIAGNOSTIC, f"contoso-ai-diagnostics-{label}").inputs["resourceUri"] == resource.id
    storage_id = standard.one(STORAGE).id
    assert standard.one(DIAGNOSTIC, "contoso-ai-diagnostics-agent-storage-blob").inputs["resourceUri"] == storage_id
    service = standard.one(DIAGNOSTIC, "contoso-ai-diagnostics-agent-storage-blob-service")
    assert service.inputs["resourceUri"] == f"{storage_id}/blobServices/default"


def test_outputs_name_the_stores_and_their_endpoints():
    found = {}

    def program():
        resource = FoundryResource("contoso", {**BASE, "agent_setup": "standard"})
        resource.cosmos_db_endpoint.apply(lambda v: found.__setitem__("cosmos", v))
        resource.storage_blob_endpoint.apply(lambda v: found.__setitem__("blob", v))
        resource.search_endpoint.apply(lambda v: found.__setitem__("search", v))
        resource.account_capability_host_name.apply(lambda v: found.__setitem__("caphost", v))

    run_component(program)
    assert found == {"cosmos": "https://cosmos-contoso-ai-x1y2z3.documents.azure.com:443/",
                     "blob": "https://stagcontosoaix1y2z3.blob.core.windows.net/",
                     "search": "https://srch-contoso-ai-x1y2z3.search.windows.net", "caphost": "caphostacc"}


# Standard setup, stores brought


@pytest.fixture(scope="module")
def brought():
    return build(agent_setup="standard", agent_stores={"cosmos_db_account_id": COSMOS_ID,
                                                       "search_service_id": SEARCH_ID,
                                                       "storage_account_id": STORAGE_ID}, **PRIVATE)


def test_brought_stores_are_used_not_created(brought):
    assert not brought.by_type(COSMOS) and not brought.by_type(SEARCH) and not brought.by_type(STORAGE)
    # Their network is their owner's: only the account (and the private monitoring's scope) get endpoints here.
    groups = sorted(e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in brought.by_type(ENDPOINT))
    assert groups == ["account", "azuremonitor"]
    assert not [d for d in brought.by_type(DIAGNOSTIC) if "agent" in d.name]
    invoked = {token: args for token, args in brought.invokes}
    assert invoked["azure-native:cosmosdb:getDatabaseAccount"] == {"accountName": "shared-cosmos",
                                                                   "resourceGroupName": "shared-rg"}
    assert invoked["azure-native:storage:getStorageAccount"]["accountName"] == "sharedagentfiles"


def test_brought_stores_are_the_outputs():
    found = {}

    def program():
        resource = FoundryResource("contoso", {**BASE, "agent_setup": "standard", "agent_stores": {
            "cosmos_db_account_id": COSMOS_ID, "search_service_id": SEARCH_ID, "storage_account_id": STORAGE_ID}})
        for key in ("cosmos_db_account_id", "cosmos_db_endpoint", "search_service_id", "search_endpoint",
                    "storage_account_id", "storage_blob_endpoint"):
            getattr(resource, key).apply(lambda v, key=key: found.__setitem__(key, v))

    run_component(program)
    assert found == {
        "cosmos_db_account_id": COSMOS_ID, "cosmos_db_endpoint": "https://shared-cosmos.documents.azure.com:443/",
        "search_service_id": SEARCH_ID, "search_endpoint": "https://shared-search.search.windows.net",
        "storage_account_id": STORAGE_ID, "storage_blob_endpoint": "https://sharedagentfiles.blob.core.windows.net/",
    }


# Private, with a created VNet and agent subnet


def test_agent_subnet_is_delegated_and_created_after_the_endpoints_subnet(private):
    agent = private.one(SUBNET, "contoso-ai-agent-subnet")
    endpoints = private.one(SUBNET, "contoso-ai-endpoints")
    assert agent.inputs["addressPrefix"] == "10.20.0.0/24"
    assert agent.inputs["delegations"] == [{"name": "Microsoft.App/environments",
                                            "serviceName": "Microsoft.App/environments"}]
    assert agent.inputs["virtualNetworkName"] == private.one(VNET).inputs["virtualNetworkName"]
    assert endpoints.urn in agent.dependencies
    assert "delegations" not in endpoints.inputs


def test_account_is_injected_into_the_agent_subnet_and_private(private):
    account = private.one(ACCOUNT)
    agent = private.one(SUBNET, "contoso-ai-agent-subnet")
    assert props(account)["networkInjections"] == [
        {"scenario": "agent", "subnetArmId": agent.id, "useMicrosoftManagedNetwork": False}]
    assert props(account)["publicNetworkAccess"] == "Disabled"
    assert props(account)["networkAcls"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
    assert agent.urn in account.dependencies


def test_with_injection_the_service_makes_the_capability_host(private):
    assert not private.by_type(ACCOUNT_CAPABILITY_HOST)


def test_private_endpoints_after_the_account_into_the_endpoints_subnet(private):
    network = private.one(PRIVATE_NETWORK)
    assert network.name == "contoso-ai-network" and network.parent == private.one(FOUNDRY).urn
    subnet = private.one(SUBNET, "contoso-ai-endpoints")
    endpoints = {e.name: e for e in private.by_type(ENDPOINT)}
    assert sorted(endpoints) == ["contoso-ai-pe-agent-cosmos", "contoso-ai-pe-agent-search",
                                 "contoso-ai-pe-agent-storage-blob", "contoso-ai-pe-monitor", "contoso-ai-pe-provider"]
    groups = {name: e.inputs["privateLinkServiceConnections"][0]["groupIds"] for name, e in endpoints.items()}
    assert groups == {"contoso-ai-pe-agent-cosmos": ["Sql"], "contoso-ai-pe-agent-search": ["searchService"],
                      "contoso-ai-pe-agent-storage-blob": ["blob"], "contoso-ai-pe-monitor": ["azuremonitor"],
                      "contoso-ai-pe-provider": ["account"]}
    assert all(e.inputs["subnet"]["id"] == subnet.id and e.parent == network.urn for e in endpoints.values())
    account = private.one(ACCOUNT)
    assert waits_for(private, endpoints["contoso-ai-pe-provider"], account)
    assert waits_for(private, endpoints["contoso-ai-pe-agent-cosmos"], private.one(COSMOS))


def test_private_dns_has_the_cosmos_and_search_zones(private):
    zones = sorted(z.inputs["privateZoneName"] for z in private.by_type(DNS_ZONE))
    # The account's three, the stores' and, for the private Log Analytics' link scope, Azure Monitor's (network.py).
    assert zones == sorted(["privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com",
                            "privatelink.services.ai.azure.com", "privatelink.documents.azure.com",
                            "privatelink.search.windows.net", "privatelink.blob.core.windows.net",
                            *GROUP_ZONES["azuremonitor"][:-1]])
    group = private.one(ZONE_GROUP, "contoso-ai-pe-agent-cosmos-dns")
    (config,) = group.inputs["privateDnsZoneConfigs"]
    assert config["privateDnsZoneId"] == private.one(DNS_ZONE, "contoso-ai-privatelink.documents.azure.com").id


def test_private_stores_are_closed(private):
    assert private.one(COSMOS).inputs["publicNetworkAccess"] == "Disabled"
    assert private.one(SEARCH).inputs["publicNetworkAccess"] == "Disabled"
    storage = private.one(STORAGE)
    assert storage.inputs["publicNetworkAccess"] == "Disabled"
    assert storage.inputs["networkRuleSet"]["defaultAction"] == "Deny"


def test_agent_subnet_in_a_brought_endpoints_vnet():
    run = build(agent_setup="standard", agent_subnet={"prefix": "10.30.2.0/24"}, public_network_access="Disabled",
                private_endpoints={"subnet_id": PE_SUBNET_ID})
    agent = run.one(SUBNET)
    assert agent.inputs["virtualNetworkName"] == "vnet-spoke" and agent.inputs["resourceGroupName"] == "shared-rg"
    assert not run.by_type(VNET)
    assert props(run.one(ACCOUNT))["networkInjections"][0]["subnetArmId"] == agent.id
    assert {e.inputs["subnet"]["id"] for e in run.by_type(ENDPOINT)} == {PE_SUBNET_ID}


# A brought agent subnet


def test_brought_agent_subnet_is_checked_and_used():
    run = build(agent_subnet={"subnet_id": AGENT_SUBNET_ID})
    assert props(run.one(ACCOUNT))["networkInjections"] == [
        {"scenario": "agent", "subnetArmId": AGENT_SUBNET_ID, "useMicrosoftManagedNetwork": False}]
    assert ("azure-native:network:getSubnet", {"resourceGroupName": "shared-rg", "virtualNetworkName": "vnet-spoke",
                                               "subnetName": "snet-agent"}) in run.invokes
    assert not run.errors and not run.by_type(SUBNET)


def _failed(**extra):
    from offline.engine import run

    return run(lambda: FoundryResource("contoso", {**BASE, **extra}), {"azure-native:location": "westeurope"},
               project="test", stack="unit", check=False)


@pytest.mark.parametrize(("subnet", "says"), [
    ("undelegated-snet", "not delegated to Microsoft.App/environments"),
    ("small-snet", "10.30.0.0/28 is smaller than /27"),
])
def test_an_unfit_brought_agent_subnet_fails_the_deployment_before_the_account(subnet, says):
    run = _failed(agent_subnet={"subnet_id": AGENT_SUBNET_ID.replace("snet-agent", subnet)})
    assert isinstance(run.error, UnfitResourceError) and says in str(run.error)
    assert "agent_subnet.subnet_id" in str(run.error)
    assert not [r for r in run.registrations if r.type == ACCOUNT]


def test_an_existing_account_that_cant_hold_projects_fails_the_deployment():
    openai = ACCOUNT_ID.replace("ais-elsewhere", "shared-openai")
    run = _failed(existing_account_id=openai, agent_setup="standard")
    assert isinstance(run.error, UnfitResourceError) and "of kind OpenAI" in str(run.error)
    # Nothing that names the account was sent to it.
    assert not [r for r in run.registrations if r.inputs.get("accountName") == "shared-openai"]


# Customer-managed key


def test_cmk_identity_is_granted_crypto_user_on_the_vault(cmk):
    identity = cmk.one(IDENTITY)
    assert identity.inputs["resourceName"] == "id-contoso-ai-account-cmk"
    grant = cmk.one(ROLE)
    assert grant.inputs["scope"] == VAULT_ID
    assert grant.inputs["principalId"] == principal_for(identity.id)
    assert grant.inputs["roleDefinitionId"].endswith("/roleDefinitions/12338af0-0e69-4776-bea7-57ae8d297424")
    key = cmk.one(KEY)
    assert key.inputs["vaultName"] == "shared-kv" and key.inputs["resourceGroupName"] == "shared-rg"
    assert key.inputs["properties"]["kty"] == "RSA" and key.inputs["properties"]["keySize"] >= 2048


def test_account_reads_its_key_through_the_identity_after_the_grant(cmk):
    account, identity, grant, key = cmk.one(ACCOUNT), cmk.one(IDENTITY), cmk.one(ROLE), cmk.one(KEY)
    assert account.inputs["identity"] == {"type": "SystemAssigned, UserAssigned",
                                          "userAssignedIdentities": [identity.id]}
    assert props(account)["encryption"] == {
        "keySource": "Microsoft.KeyVault",
        # The created key's version, as Microsoft's templates send one (the account doesn't follow a rotation).
        "keyVaultProperties": {"keyVaultUri": "https://shared-kv.vault.azure.net/", "keyName": "cmk-contoso-ai-account",
                               "keyVersion": key.state["keyUriWithVersion"].rsplit("/", 1)[-1],
                               "identityClientId": principal_for(identity.id + "/client")},
    }
    sleep = cmk.one(SLEEP)
    assert grant.urn in sleep.dependencies
    assert sleep.urn in account.dependencies and key.urn in account.dependencies


def test_cmk_with_a_pinned_key_version():
    run = build(encryption={"key_vault_id": VAULT_ID, "key_name": "mine", "key_version": "abc123"})
    assert not run.by_type(KEY)
    assert props(run.one(ACCOUNT))["encryption"]["keyVaultProperties"]["keyName"] == "mine"
    assert props(run.one(ACCOUNT))["encryption"]["keyVaultProperties"]["keyVersion"] == "abc123"


# An existing account


def test_existing_account_creates_no_account_deployments_or_endpoint():
    found = {}

    def program():
        resource = FoundryResource("contoso", {**BASE, "existing_account_id": ACCOUNT_ID, "agent_setup": "standard",
                                               **PRIVATE})
        resource.account_id.apply(lambda v: found.__setitem__("account_id", v))
        resource.principal_id.apply(lambda v: found.__setitem__("principal_id", v))

    run = run_component(program)
    assert not run.by_type(ACCOUNT) and not run.by_type(DEPLOYMENT)
    assert "contoso-ai-pe-provider" not in {e.name for e in run.by_type(ENDPOINT)}
    assert "contoso-ai-diagnostics-provider" not in {d.name for d in run.by_type(DIAGNOSTIC)}
    assert found == {"account_id": ACCOUNT_ID, "principal_id": None}
    # Standard setup without injection: the capability host goes onto the existing account.
    assert run.one(ACCOUNT_CAPABILITY_HOST).inputs["accountName"] == "ais-elsewhere"


# Migration: taking a hub's resources over


# Public with private endpoints: the standard setup's stores are reachable without network injection, which a hub's
# account never has (its private migration, with the monitoring's link scope: tests/scenarios/test_migration.py).
HUB_ARGS = {**BASE, "model_deployments": DEPLOYMENTS, "private_endpoints": PRIVATE["private_endpoints"],
            "policy_assignments": [{"name": "deny-public", "definition_id": "/providers/Microsoft.Authorization/"
                                    "policyDefinitions/037eea7a-bd0a-46c5-9a66-03aea78705d3"}],
            "budget": {"amount": 500, "thresholds": [80], "contact_emails": ["ops@contoso.com"]}}
MOVED = {
    ACCOUNT: ["contoso-ai-ais"],
    DEPLOYMENT: ["contoso-ai-deployment-embed", "contoso-ai-deployment-gpt-4o"],
    DIAGNOSTIC: ["contoso-ai-diagnostics-provider"],
    LOGS: ["contoso-ai-logs"],
    POLICY: ["contoso-ai-policy-deny-public"],
    "azure-native:consumption:Budget": ["contoso-ai-budget"],
    VNET: ["contoso-ai-vnet"],
    SUBNET: ["contoso-ai-endpoints"],
    ENDPOINT: ["contoso-ai-pe-provider"],
    ZONE_GROUP: ["contoso-ai-pe-provider-dns"],
}


@pytest.fixture(scope="module")
def migration():
    hub = run_component(lambda: AIHub("contoso-ai", {**HUB_ARGS, "allow_project_management": True}))
    foundry = run_component(lambda: FoundryResource("contoso-ai", {**HUB_ARGS, "agent_setup": "standard",
                                                                   "adopt_hub": True}))
    return hub, foundry


def test_adopted_resources_alias_the_hubs(migration):
    hub, foundry = migration
    hub_urns = engine_urns(hub)
    taken: dict[str, list[str]] = {}
    for registration in foundry.resources:
        for urn in resolved(foundry, registration):
            if urn in hub_urns:
                assert hub_urns[urn].type == registration.type and hub_urns[urn].name == registration.name
                taken.setdefault(registration.type, []).append(registration.name)
    zones_and_links = {t: sorted(n) for t, n in taken.items() if t in (DNS_ZONE, "azure-native:privatedns:"
                                                                          "VirtualNetworkLink")}
    moved = {t: sorted(n) for t, n in taken.items() if t not in zones_and_links}
    assert moved == MOVED
    # The zones both networks have (the account's three and blob) and their VNet links.
    shared = ["contoso-ai-privatelink.blob.core.windows.net", "contoso-ai-privatelink.cognitiveservices.azure.com",
              "contoso-ai-privatelink.openai.azure.com", "contoso-ai-privatelink.services.ai.azure.com"]
    assert zones_and_links[DNS_ZONE] == shared
    assert zones_and_links["azure-native:privatedns:VirtualNetworkLink"] == [f"{z}-link" for z in shared]


def test_adopted_account_keeps_its_request(migration):
    hub, foundry = migration
    assert foundry.one(ACCOUNT).inputs == hub.one(ACCOUNT).inputs


def test_the_new_zones_alias_nothing_of_the_hubs(migration):
    hub, foundry = migration
    hub_urns = engine_urns(hub)
    for name in ("contoso-ai-privatelink.documents.azure.com", "contoso-ai-privatelink.search.windows.net"):
        zone = foundry.one(DNS_ZONE, name)
        assert zone.alias_specs and not [u for u in resolved(foundry, zone) if u in hub_urns]


def test_without_adopt_hub_nothing_is_aliased(private):
    assert not [r.name for r in private.resources if any("parentUrn" in s for s in r.alias_specs)]


# Locks and protection


def test_locks_and_protect_cover_the_account_and_the_stores():
    run = build(agent_setup="standard", locks=True, protect=True, retain_on_delete=True)
    scopes = {lock.inputs["scope"] for lock in run.by_type(LOCK)}
    assert scopes == {run.one(ACCOUNT).id, run.one(COSMOS).id, run.one(SEARCH).id, run.one(STORAGE).id}
    assert run.one(ACCOUNT).protect is True
    for store in (run.one(COSMOS), run.one(SEARCH), run.one(STORAGE)):
        assert store.protect is True and store.retain_on_delete is True


def test_inputs_use_wire_names_only(private):
    for registration in private.resources:
        # Keys below `tags` are the caller's; every other key is Azure's camelCase.
        keys = [k for k in _keys({k: v for k, v in registration.inputs.items() if k != "tags"})]
        assert not [k for k in keys if "_" in k], registration.name


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_no_key_material_anywhere(private):
    assert not [s for r in private.resources for s in all_strings(r.inputs) if "AccountKey=" in s or "key=" in s]


# Bad args


@pytest.mark.parametrize("extra, path", [
    ({"existing_account_id": ACCOUNT_ID, "model_deployments": DEPLOYMENTS}, "model_deployments"),
    ({"existing_account_id": ACCOUNT_ID, "agent_subnet": {"subnet_id": AGENT_SUBNET_ID}}, "agent_subnet"),
    ({"encryption": {"key_name": "k"}}, "encryption.key_vault_id"),
    ({"encryption": {"key_vault_id": VAULT_ID, "service_side": True}}, "encryption.service_side"),
    ({"agent_stores": {"cosmos_db_account_id": COSMOS_ID}}, "agent_stores.cosmos_db_account_id"),
    # Another subscription than the deploying one: the components write the projects and the Cosmos DB's data
    # roles through the default provider.
    ({"agent_setup": "standard", "agent_stores": {"cosmos_db_account_id": COSMOS_ID.replace(HERE, SUB)}},
     "agent_stores.cosmos_db_account_id"),
    ({"existing_account_id": ACCOUNT_ID.replace(HERE, SUB)}, "existing_account_id"),
    ({"agent_setup": "standard", "agent_stores": {"search_service_id": COSMOS_ID}}, "agent_stores.search_service_id"),
    ({"agent_subnet": {"prefix": "10.20.0.0/24"}}, "agent_subnet.prefix"),
    ({"agent_subnet": {"prefix": "10.20.0.0/28"}, **PRIVATE}, "agent_subnet.prefix"),
    ({"agent_subnet": {"prefix": "10.99.0.0/24"}, **PRIVATE}, "agent_subnet.prefix"),
    ({"agent_subnet": {"prefix": "10.20.1.0/24"}, **PRIVATE}, "agent_subnet.prefix"),
    ({"agent_subnet": {"prefix": "10.20.0.0/24", "subnet_id": AGENT_SUBNET_ID}, **PRIVATE}, "agent_subnet"),
    ({"agent_setup": "premium"}, "agent_setup"),
    ({"public_network_access": "Off"}, "public_network_access"),
    ({"name": "Contoso"}, "name"),
    ({"connections": [{"name": "feed", "category": "PythonFeed", "target": "https://pypi.org/simple"}]},
     "connections[0].category"),
])
def test_bad_args_are_refused_naming_the_field(extra, path):
    with pytest.raises(ArgsError) as err:
        run_component(lambda: FoundryResource("contoso", {**BASE, **extra}))
    assert path in [p[0] for p in err.value.problems], err.value.problems


def test_bad_args_register_nothing():
    from offline.engine import run

    result = run(lambda: FoundryResource("contoso", {**BASE, "agent_setup": "premium"}),
                 {"azure-native:location": "westeurope"}, project="test", stack="unit", check=False)
    assert isinstance(result.error, ArgsError)
    assert [r.type for r in result.registrations] == ["pulumi:pulumi:Stack"]


@pytest.mark.parametrize(("key", "says"), [("cmk-3072", "3072 bits"), ("cmk-ec", "of type EC")])
def test_a_brought_key_azure_ai_services_cant_use_fails_before_the_account(key, says):
    run = _failed(encryption={"key_vault_id": VAULT_ID, "key_name": key})
    assert isinstance(run.error, UnfitResourceError) and says in str(run.error) and "DR-12" in str(run.error)
    assert not [r for r in run.registrations if r.type == ACCOUNT]


def test_a_created_account_key_is_rsa_2048(cmk):
    (key,) = cmk.by_type(KEY)
    assert key.inputs["properties"]["kty"] == "RSA" and key.inputs["properties"]["keySize"] == 2048


@pytest.mark.parametrize("preview", [True, False])
def test_an_existing_account_with_project_management_off_stops_only_an_up(preview, monkeypatch):
    """In hub+foundry the account is the hub's, which turns project management on in the update a preview shows:
    the preview reads it still off and must go on; `up` reads it after that update, so an account still off there
    is one whose owner hasn't turned it on."""
    import pulumi.runtime

    monkeypatch.setattr(pulumi.runtime, "is_dry_run", lambda: preview)
    run = _failed(existing_account_id=ACCOUNT_ID.replace("ais-elsewhere", "ais-nopm"))
    if preview:
        assert run.error is None
    else:
        assert isinstance(run.error, UnfitResourceError) and "project management off" in str(run.error)


def test_a_brought_key_without_a_version_is_sent_with_its_current_one():
    from offline.azure_state import invoke_result

    run = build(encryption={"key_vault_id": VAULT_ID, "key_name": "mine"})
    asked = {"keyName": "mine", "resourceGroupName": "shared-rg", "vaultName": "shared-kv"}
    assert ("azure-native:keyvault:getKey", asked) in run.invokes
    answered = invoke_result("azure-native:keyvault:getKey", asked, "swedencentral", MOCK_SUBSCRIPTION)
    sent = props(run.one(ACCOUNT))["encryption"]["keyVaultProperties"]
    assert sent["keyName"] == "mine" and sent["keyVersion"] == answered["keyUriWithVersion"].rsplit("/", 1)[-1]
