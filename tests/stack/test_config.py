"""Stack config validation: every mistake names its key path and reason."""

import json

import pulumi
import pytest

from components import ProviderMode
from config import ConfigError, StackConfig, parse

SUB = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg/providers"
OPENAI_ID = f"{SUB}/Microsoft.CognitiveServices/accounts/aoai"


def raw(**keys):
    """A minimal valid config plus `keys` (objects given as Python values)."""
    base = {"azure-native:location": "swedencentral", "azure-ai-hub:hub": {"name": "contoso-ai"}}
    base.update({k if ":" in k else f"azure-ai-hub:{k}": v for k, v in keys.items()})
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in base.items() if v is not None}


def problems(config):
    with pytest.raises(ConfigError) as caught:
        parse(config)
    return caught.value.problems


def test_minimal_config_defaults():
    cfg = parse(raw())
    assert cfg.provider_mode is ProviderMode.AI_SERVICES
    assert cfg.provider.deployments == [] and cfg.provider.existing_account_id is None
    assert cfg.dependencies.container_registry is False
    assert cfg.resource_group is None and cfg.tags == {}
    assert cfg.resource_group_name("dev") == "rg-contoso-ai-dev"


def test_full_config():
    cfg = parse(
        raw(
            providerMode="openAI",
            provider={"existingAccountId": OPENAI_ID,
                      "deployments": [{"name": "ada", "model": "text-embedding-ada-002", "version": 2}]},
            hub={"name": "contoso-ai", "friendlyName": "Contoso", "description": "d"},
            resourceGroup="rg-shared",
            dependencies={"containerRegistry": True},
            tags={"env": "dev"},
        )
    )
    assert cfg.provider_mode is ProviderMode.OPEN_AI
    assert cfg.provider.deployments[0].version == "2"  # YAML numbers become model version strings
    assert cfg.provider.deployments[0].sku == "Standard" and cfg.provider.deployments[0].capacity == 10
    assert cfg.resource_group_name("dev") == "rg-shared"
    args = cfg.hub_args("rg-shared")
    assert args["existing_provider_account_id"] == OPENAI_ID
    assert args["provider_mode"] is ProviderMode.OPEN_AI
    assert args["create_container_registry"] is True
    assert args["model_deployments"][0]["model"] == "text-embedding-ada-002"
    assert "storage_account_id" not in args  # absent, not None: the component creates one


@pytest.mark.parametrize(
    "keys, path, reason",
    [
        ({"hub": {"name": "Contoso_AI"}}, "azure-ai-hub:hub.name", "lowercase"),
        ({"hub": {"name": "ab"}}, "azure-ai-hub:hub.name", "3 to 40"),
        ({"hub": None}, "azure-ai-hub:hub", "is required"),
        ({"hub": {}}, "azure-ai-hub:hub.name", "is required"),
        ({"hub": {"name": "contoso", "friendlyname": "x"}}, "azure-ai-hub:hub.friendlyname",
         "unknown key (allowed here: name, friendlyName, description, generation, uniqueSuffix)"),
        ({"hub": "contoso"}, "azure-ai-hub:hub", "must be an object or list"),
        ({"hub": ["contoso"]}, "azure-ai-hub:hub", "must be an object"),
        ({"providerMode": "openai"}, "azure-ai-hub:providerMode", "must be one of aiServices, openAI"),
        ({"providerMode": "speech"}, "azure-ai-hub:providerMode", "got 'speech'"),
        ({"provider": {"existingAccountID": OPENAI_ID}}, "azure-ai-hub:provider.existingAccountID",
         "allowed here: existingAccountId, deployments"),
        ({"provider": {"deployments": [{"name": "g", "model": "m", "version": "1", "skuName": "x"}]}},
         "azure-ai-hub:provider.deployments[0].skuName", "allowed here: name, model, version, sku, capacity"),
        ({"provider": {"deployments": [{"name": "gpt", "model": "m", "version": "1", "capacity": "5"}]}},
         "azure-ai-hub:provider.deployments[0].capacity", "must be an integer"),
        ({"provider": {"existingAccountId": "aoai"}}, "azure-ai-hub:provider.existingAccountId",
         "is not an Azure resource ID"),
        ({"provider": {"existingAccountId": f"{SUB}/Microsoft.Storage/storageAccounts/st"}},
         "azure-ai-hub:provider.existingAccountId", "must be the ID of a Microsoft.CognitiveServices/accounts"),
        ({"provider": {"deployments": [{"name": "gpt", "model": "gpt-4o"}]}},
         "azure-ai-hub:provider.deployments[0].version", "is required"),
        ({"provider": {"deployments": [{"name": "gpt", "model": "gpt-4o", "version": "1", "sku": "Premium"}]}},
         "azure-ai-hub:provider.deployments[0].sku", "got 'Premium'"),
        ({"provider": {"deployments": [{"name": "gpt", "model": "gpt-4o", "version": "1", "capacity": 0}]}},
         "azure-ai-hub:provider.deployments[0].capacity", "greater than or equal to 1"),
        ({"provider": {"deployments": [{"name": "gpt", "model": "m", "version": "1"},
                                       {"name": "GPT", "model": "m", "version": "1"}]}},
         "azure-ai-hub:provider.deployments", "used twice"),
        ({"provider": {"deployments": [{"name": "g p t", "model": "m", "version": "1"}]}},
         "azure-ai-hub:provider.deployments[0].name", "letters, digits"),
        ({"providerMode": "openAI",
          "provider": {"deployments": [{"name": "phi", "model": "Phi-4", "version": "1", "format": "Microsoft"}]}},
         "azure-ai-hub:provider.deployments[0].format", "only OpenAI models"),
        ({"dependencies": {"storageAccountId": f"{SUB}/Microsoft.KeyVault/vaults/kv"}},
         "azure-ai-hub:dependencies.storageAccountId", "not Microsoft.KeyVault/vaults"),
        ({"dependencies": {"keyVaultId": "kv"}}, "azure-ai-hub:dependencies.keyVaultId", "not an Azure resource ID"),
        ({"dependencies": {"applicationInsightsId": f"{SUB}/Microsoft.Insights/workbooks/w"}},
         "azure-ai-hub:dependencies.applicationInsightsId", "Microsoft.Insights/components"),
        ({"dependencies": {"containerRegistryId": f"{SUB}/Microsoft.ContainerRegistry/registries/cr/replications/x"}},
         "azure-ai-hub:dependencies.containerRegistryId", "child resource"),
        ({"dependencies": {"containerRegistry": "yes"}}, "azure-ai-hub:dependencies.containerRegistry",
         "must be true or false"),
        ({"dependencies": {"storageAccount": "x"}}, "azure-ai-hub:dependencies.storageAccount", "unknown key"),
        ({"tags": ["env", "dev"]}, "azure-ai-hub:tags", "must be an object"),
        ({"tags": {"env": 5}}, "azure-ai-hub:tags.env", "must be a string"),
        ({"tags": {"cost/center": "x"}}, "azure-ai-hub:tags", "'cost/center'"),
        ({"tags": {"env": "x" * 257}}, "azure-ai-hub:tags", "longer than 256"),
        ({"tags": {f"t{i}": "x" for i in range(51)}}, "azure-ai-hub:tags", "at most 50"),
        ({"tags": "env=dev"}, "azure-ai-hub:tags", "must be an object or list"),
        ({"resourceGroup": "rg."}, "azure-ai-hub:resourceGroup", "not ending in '.'"),
        ({"azure-native:location": None}, "azure-native:location", "pulumi config set azure-native:location"),
        ({"azure-native:location": "West Europe"}, "azure-native:location", "Azure region name"),
        ({"providerMod": "openAI"}, "azure-ai-hub:providerMod", "unknown key (known keys: providerMode"),
    ],
)
def test_bad_input_names_key_path_and_reason(keys, path, reason):
    found = problems(raw(**keys))
    assert any(p == path and reason in r for p, r in found), found


def test_every_problem_is_reported_at_once():
    found = problems(raw(hub={"name": "X"}, providerMode="x", tags={"a": 1}))
    assert {p for p, _ in found} == {"azure-ai-hub:hub.name", "azure-ai-hub:providerMode", "azure-ai-hub:tags.a"}


def test_config_error_is_a_pulumi_run_error_listing_every_problem():
    with pytest.raises(pulumi.RunError) as caught:
        parse(raw(hub={"name": "X"}))
    assert "azure-ai-hub:hub.name" in str(caught.value)


def test_stack_config_is_immutable():
    cfg = parse(raw())
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        cfg.hub = None  # type: ignore[misc]
    assert isinstance(cfg, StackConfig)


def test_a_secret_in_a_plain_key_is_refused():
    with pytest.raises(ConfigError) as caught:
        parse(raw(tags={"costCenter": "cc-1"}), secret_keys=["azure-ai-hub:tags", "azure-native:clientSecret"])
    assert caught.value.problems == [
        ("azure-ai-hub:tags", "is stored as a secret, but it becomes plain resource names, IDs or tags "
                              "visible in Azure; set it without --secret")
    ]


# -- projects, connections and their keys -----------------------------------------------

ALICE = "aaaaaaaa-0000-4000-8000-000000000001"
SEARCH_ID = f"{SUB}/Microsoft.Search/searchServices/srch"
KEYS = "azure-ai-hub:connectionKeys"


def with_keys(keys, secret=True, **config):
    values = raw(**config)
    values[KEYS] = json.dumps(keys)
    return values, [KEYS] if secret else []


def test_projects_connections_and_keys_become_component_args():
    values, secret = with_keys(
        {"weather": "k-1", "crm": {"x-api-key": "k-2"}},
        connections=[{"name": "weather", "category": "ApiKey", "target": "https://w.example.com"},
                     {"name": "search", "category": "CognitiveSearch", "target": "https://s.search.windows.net",
                      "resourceId": SEARCH_ID}],
        projects=[{"name": "chat", "members": [{"principalId": ALICE}],
                   "connections": [{"name": "crm", "category": "CustomKeys", "target": "https://crm.example.com"}]}],
    )
    cfg = parse(values, secret)
    assert "k-1" not in repr(cfg) and "k-2" not in repr(cfg)
    hub_args = cfg.hub_args("rg")
    weather, search = hub_args["connections"]
    assert weather["auth_type"] == "ApiKey" and isinstance(weather["api_key"], pulumi.Output)
    assert search["auth_type"] == "AAD" and search["resource_id"] == SEARCH_ID and "api_key" not in search
    (chat,) = cfg.projects
    assert chat.members[0].role == "Azure AI Developer" and chat.members[0].principal_type == "User"
    assert chat.connections[0].auth == "CustomKeys"


@pytest.mark.parametrize(
    "config, path, reason",
    [
        ({"projects": [{"name": "chat"}, {"name": "chat"}]}, "azure-ai-hub:projects", "'chat' is used twice"),
        ({"projects": [{"name": "Chat Bot"}]}, "azure-ai-hub:projects[0].name", "lowercase"),
        ({"projects": [{"name": "c"}]}, "azure-ai-hub:projects[0].name", "2-32"),
        ({"projects": [{"name": "chat", "team": []}]}, "azure-ai-hub:projects[0].team", "unknown key"),
        ({"projects": [{"name": "chat", "members": [{"principalId": "alice@contoso.com"}]}]},
         "azure-ai-hub:projects[0].members[0].principalId", "GUID"),
        ({"projects": [{"name": "chat", "members": [{"principalId": ALICE, "role": "Boss"}]}]},
         "azure-ai-hub:projects[0].members[0].role", "unknown role 'Boss'"),
        ({"projects": [{"name": "chat", "members": [{"principalId": ALICE, "principalType": "Bot"}]}]},
         "azure-ai-hub:projects[0].members[0].principalType", "User, Group, ServicePrincipal"),
        ({"projects": [{"name": "chat", "members": [{"principalId": ALICE}, {"principalId": ALICE}]}]},
         "azure-ai-hub:projects[0].members", "used twice"),
        ({"connections": [{"name": "feed", "category": "PythonFeed", "target": "https://p.example.com"},
                          {"name": "FEED", "category": "PythonFeed", "target": "https://p.example.com"}]},
         "azure-ai-hub:connections", "'FEED' is used twice"),
        ({"projects": [{"name": "chat", "connections": [
            {"name": "feed", "category": "PythonFeed", "target": "https://p.example.com"},
            {"name": "feed", "category": "PythonFeed", "target": "https://q.example.com"}]}]},
         "azure-ai-hub:projects[0].connections", "used twice"),
        ({"connections": [{"name": "feed", "category": "PythonFeed", "target": "https://p.example.com"}],
          "projects": [{"name": "chat", "connections": [
              {"name": "feed", "category": "PythonFeed", "target": "https://q.example.com"}]}]},
         "azure-ai-hub:projects[0].connections[0].name", "already a shared hub connection"),
        ({"connections": [{"name": "ais-contoso-ai", "category": "PythonFeed", "target": "https://p.example.com"}]},
         "azure-ai-hub:connections[0].name", "the hub's provider connection"),
        ({"connections": [{"name": "db", "category": "Cosmos", "target": "https://c.example.com"}]},
         "azure-ai-hub:connections[0].category", "unknown category 'Cosmos'"),
        ({"connections": [{"name": "feed", "category": "PythonFeed", "target": "https://p.example.com",
                           "authType": "Kerberos"}]},
         "azure-ai-hub:connections[0].authType", "unknown auth type 'Kerberos'"),
        ({"connections": [{"name": "search", "category": "CognitiveSearch", "target": "https://s.search.windows.net"}]},
         "azure-ai-hub:connections[0].resourceId", "is required"),
        ({"connections": [{"name": "feed", "category": "PythonFeed", "target": "ftp://p"}]},
         "azure-ai-hub:connections[0].target", "https://"),
        ({"connections": [{"name": "feed", "category": "PythonFeed"}]},
         "azure-ai-hub:connections[0].target", "is required"),
    ],
)
def test_bad_projects_and_connections(config, path, reason):
    found = problems(raw(**config))
    assert any(p == path and reason in r for p, r in found), found


WEATHER = [{"name": "weather", "category": "ApiKey", "target": "https://w.example.com"}]


@pytest.mark.parametrize(
    "keys, secret, config, path, reason",
    [
        ({}, True, {"connections": WEATHER}, "azure-ai-hub:connections[0]",
         "ApiKey connection 'weather' has no key: pulumi config set --secret --path azure-ai-hub:connectionKeys.weather"),
        ({"weather": "k"}, False, {"connections": WEATHER}, KEYS, "plaintext"),
        ({"weather": {"a": "k"}}, True, {"connections": WEATHER}, f"{KEYS}.weather", "takes one key, not a map"),
        ({"crm": "k"}, True,
         {"connections": [{"name": "crm", "category": "CustomKeys", "target": "https://c.example.com"}]},
         f"{KEYS}.crm", "takes a map of key names"),
        ({"weather": "k", "wether": "k"}, True, {"connections": WEATHER}, f"{KEYS}.wether",
         "no ApiKey or CustomKeys connection has this name"),
        ({"weather": ""}, True, {"connections": WEATHER}, f"{KEYS}.weather", "non-empty"),
        ({"weather": 5}, True, {"connections": WEATHER}, f"{KEYS}.weather", "non-empty"),
        ({}, True, {"projects": [{"name": "chat", "connections": WEATHER}]},
         "azure-ai-hub:projects[0].connections[0]", "has no key"),
    ],
)
def test_connection_keys(keys, secret, config, path, reason):
    values, secret_keys = with_keys(keys, secret, **config)
    with pytest.raises(ConfigError) as caught:
        parse(values, secret_keys)
    found = caught.value.problems
    assert any(p == path and reason in r for p, r in found), found
    # A problem report never repeats key material.
    assert "'k'" not in str(caught.value) and '"k"' not in str(caught.value)


def test_connection_keys_must_be_an_object():
    with pytest.raises(ConfigError) as caught:
        parse(raw() | {KEYS: "plain-key"}, [KEYS])
    assert caught.value.problems == [(KEYS, "must be an object: connection name -> key, or -> {key name: key}")]
    assert "plain-key" not in str(caught.value)


# -- network and encryption -------------------------------------------------------------

NET_SUB = "/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-net/providers"
SUBNET_ID = f"{NET_SUB}/Microsoft.Network/virtualNetworks/vnet/subnets/snet"
APPROVED = {"isolationMode": "AllowOnlyApprovedOutbound"}
CIDRS = {"vnetAddressPrefix": "10.20.0.0/16", "subnetPrefix": "10.20.1.0/24"}
VAULT_ID = f"{SUB}/Microsoft.KeyVault/vaults/kv-keys"


def test_network_and_encryption_become_component_args():
    cfg = parse(raw(
        network={**APPROVED, "publicNetworkAccess": "Disabled", "firewallSku": "Basic", "provisionNow": True,
                 "outboundRules": [
                     {"name": "pypi", "type": "FQDN", "destination": "pypi.org"},
                     {"name": "tag", "type": "ServiceTag",
                      "destination": {"serviceTag": "AzureMonitor", "protocol": "TCP", "portRanges": 443}},
                     {"name": "pe", "type": "PrivateEndpoint",
                      "destination": {"serviceResourceId": SEARCH_ID, "subresourceTarget": "searchService",
                                      "sparkEnabled": True}}],
                 "privateEndpoints": {"subnetId": SUBNET_ID}},
        encryption={"keyVaultId": VAULT_ID, "keyName": "k", "serviceSide": True},
        projects=[{"name": "chat", "connections": [
            {"name": "docs", "category": "AzureBlob", "target": "https://st.blob.core.windows.net",
             "resourceId": f"{SUB}/Microsoft.Storage/storageAccounts/st", "metadata": {"ContainerName": "c"}}]}],
    ))
    args = cfg.hub_args("rg")
    assert args["public_network_access"] == "Disabled"
    net = args["managed_network"]
    assert net["isolation_mode"] == "AllowOnlyApprovedOutbound" and net["firewall_sku"] == "Basic"
    assert net["provision_now"] is True
    assert net["outbound_rules"] == [
        {"name": "pypi", "type": "FQDN", "fqdn": "pypi.org"},
        {"name": "tag", "type": "ServiceTag", "service_tag": "AzureMonitor", "protocol": "TCP", "port_ranges": "443"},
        {"name": "pe", "type": "PrivateEndpoint", "service_resource_id": SEARCH_ID,
         "subresource_target": "searchService", "spark_enabled": True},
    ]
    # A project's connection goes through the hub's managed network too: the hub declares its rule
    # (tests/components/test_ai_hub.py), so it learns of the projects' connections, without their keys.
    assert args["project_connections"] == [
        {"name": "docs", "category": "AzureBlob", "target": "https://st.blob.core.windows.net", "auth_type": "AAD",
         "resource_id": f"{SUB}/Microsoft.Storage/storageAccounts/st", "metadata": {"ContainerName": "c"}},
    ]
    assert args["private_endpoints"] == {"subnet_id": SUBNET_ID}
    assert args["encryption"] == {"key_vault_id": VAULT_ID, "key_name": "k", "service_side": True}


def test_no_network_key_means_no_managed_network():
    args = parse(raw()).hub_args("rg")
    assert "managed_network" not in args and "private_endpoints" not in args and "encryption" not in args
    assert args["public_network_access"] == "Enabled"


@pytest.mark.parametrize(
    "config, path, reason",
    [
        ({"network": {"publicNetworkAccess": "Off"}}, "azure-ai-hub:network.publicNetworkAccess",
         "'Enabled' or 'Disabled'"),
        ({"network": {"isolationMode": "Private"}}, "azure-ai-hub:network.isolationMode", "AllowOnlyApprovedOutbound"),
        ({"network": {"isolation": "Disabled"}}, "azure-ai-hub:network.isolation", "unknown key"),
        ({"network": {"privateEndpoints": {}}}, "azure-ai-hub:network.privateEndpoints.subnetId",
         "private endpoints need a subnet"),
        ({"network": {"privateEndpoints": {"vnetAddressPrefix": "10.20.0.0/16"}}},
         "azure-ai-hub:network.privateEndpoints.subnetId", "need a subnet"),
        ({"network": {"privateEndpoints": {"vnetAddressPrefix": "10.20.0.0/16", "subnetPrefix": "10.30.1.0/24"}}},
         "azure-ai-hub:network.privateEndpoints.subnetPrefix", "not inside"),
        ({"network": {"privateEndpoints": {"vnetAddressPrefix": "10.20.0.0/33", "subnetPrefix": "10.20.1.0/24"}}},
         "azure-ai-hub:network.privateEndpoints.vnetAddressPrefix", "not a network"),
        ({"network": {"privateEndpoints": {"vnetAddressPrefix": "10.20.0.0/16", "subnetPrefix": "10.20.1.1/24"}}},
         "azure-ai-hub:network.privateEndpoints.subnetPrefix", "host bits"),
        ({"network": {"privateEndpoints": {"vnetAddressPrefix": "10.20.0.0/16", "subnetPrefix": "10.20.1.0/29"}}},
         "azure-ai-hub:network.privateEndpoints.subnetPrefix", "too small"),
        ({"network": {"privateEndpoints": {"subnetId": "snet-pe"}}},
         "azure-ai-hub:network.privateEndpoints.subnetId", "is not a subnet ID"),
        ({"network": {"privateEndpoints": {"subnetId": SUBNET_ID, **CIDRS}}},
         "azure-ai-hub:network.privateEndpoints.subnetId", "not both"),
        ({"network": {"privateEndpoints": {**CIDRS, "privateDnsZoneIds": {
            "privatelink.example.com": f"{NET_SUB}/Microsoft.Network/privateDnsZones/privatelink.example.com"}}}},
         "azure-ai-hub:network.privateEndpoints.privateDnsZoneIds.privatelink.example.com", "unknown private DNS zone"),
        ({"network": {"privateEndpoints": {**CIDRS, "privateDnsZoneIds": {"privatelink.api.azureml.ms": "zone"}}}},
         "azure-ai-hub:network.privateEndpoints.privateDnsZoneIds.privatelink.api.azureml.ms", "not a private DNS zone ID"),
        ({"network": {"outboundRules": [{"name": "pypi", "type": "FQDN", "destination": "pypi.org"}]}},
         "azure-ai-hub:network.outboundRules[0].type", "need isolationMode AllowInternetOutbound or"),
        ({"network": {"isolationMode": "AllowInternetOutbound",
                      "outboundRules": [{"name": "pypi", "type": "FQDN", "destination": "pypi.org"}]}},
         "azure-ai-hub:network.outboundRules[0].type", "FQDN rules need isolationMode AllowOnlyApprovedOutbound"),
        ({"network": {**APPROVED, "outboundRules": [{"name": "x", "type": "FQDN", "destination": "not a host"}]}},
         "azure-ai-hub:network.outboundRules[0].destination", "host name"),
        ({"network": {**APPROVED, "outboundRules": [{"name": "x", "type": "Route", "destination": "a.b"}]}},
         "azure-ai-hub:network.outboundRules[0].type", "'FQDN', 'PrivateEndpoint' or 'ServiceTag'"),
        ({"network": {**APPROVED, "outboundRules": [{"name": "x", "type": "ServiceTag", "destination": "AzureMonitor"}]}},
         "azure-ai-hub:network.outboundRules[0].destination", "is an object"),
        ({"network": {**APPROVED, "outboundRules": [
            {"name": "x", "type": "ServiceTag", "destination": {"serviceTag": "AzureMonitor", "port": 443}}]}},
         "azure-ai-hub:network.outboundRules[0].destination.port", "unknown key"),
        ({"network": {**APPROVED, "outboundRules": [
            {"name": "x", "type": "ServiceTag", "destination": {"serviceTag": "AzureMonitor"}}]}},
         "azure-ai-hub:network.outboundRules[0].destination.protocol", "must be one of"),
        ({"network": {**APPROVED, "outboundRules": [
            {"name": "x", "type": "PrivateEndpoint", "destination": {"serviceResourceId": "st", "subresourceTarget": "blob"}}]}},
         "azure-ai-hub:network.outboundRules[0].destination.serviceResourceId", "not an Azure resource ID"),
        ({"network": {**APPROVED, "outboundRules": [
            {"name": "x", "type": "PrivateEndpoint", "destination": {"serviceResourceId": SEARCH_ID,
                                                                     "subresourceTarget": "disk"}}]}},
         "azure-ai-hub:network.outboundRules[0].destination.subresourceTarget", "must be one of"),
        ({"network": {**APPROVED, "outboundRules": [
            {"name": "a", "type": "FQDN", "destination": "pypi.org"}, {"name": "A", "type": "FQDN", "destination": "x.org"}]}},
         "azure-ai-hub:network.outboundRules[1].name", "used twice"),
        ({"network": {**APPROVED, "outboundRules": [{"name": "provider-x", "type": "FQDN", "destination": "x.org"}]}},
         "azure-ai-hub:network.outboundRules[0].name", "the hub's own rules"),
        ({"network": {"firewallSku": "Standard"}}, "azure-ai-hub:network.firewallSku", "only comes with"),
        ({"network": {"provisionNow": True}}, "azure-ai-hub:network.provisionNow", "no managed network"),
        ({"network": {"privateEndpoints": CIDRS}, "dependencies": {"containerRegistry": True,
                                                                   "containerRegistrySku": "Standard"}},
         "azure-ai-hub:dependencies.containerRegistrySku", "private endpoint only on Premium"),
        ({"network": {"publicNetworkAccess": "Disabled", "privateEndpoints": CIDRS},
          "dependencies": {"containerRegistry": True, "containerRegistrySku": "Basic"}},
         "azure-ai-hub:dependencies.containerRegistrySku", "only a Premium registry"),
        ({"encryption": {"keyName": "k"}}, "azure-ai-hub:encryption.keyVaultId", "both keyVaultId and keyName"),
        ({"encryption": {"cosmosDbPrincipalId": "Azure Cosmos DB"}}, "azure-ai-hub:encryption.cosmosDbPrincipalId",
         "object ID (a GUID)"),
        ({"encryption": {"serviceSide": True, "cosmosDbPrincipalId": "cccccccc-0000-4000-8000-000000000001"}},
         "azure-ai-hub:encryption.cosmosDbPrincipalId", "no Cosmos DB"),
        ({"encryption": {"keyVaultId": VAULT_ID}}, "azure-ai-hub:encryption.keyName", "both keyVaultId and keyName"),
        ({"encryption": {"keyVersion": "0123456789abcdef0123456789abcdef"}}, "azure-ai-hub:encryption.keyVersion",
         "needs keyName"),
        ({"encryption": {"keyVaultId": VAULT_ID, "keyName": "k", "keyVersion": "v1"}},
         "azure-ai-hub:encryption.keyVersion", "32 hexadecimal"),
        ({"encryption": {"keyVaultId": "kv-keys", "keyName": "k"}}, "azure-ai-hub:encryption.keyVaultId",
         "not an Azure resource ID"),
        ({"encryption": {"keyVaultId": f"{SUB}/Microsoft.Storage/storageAccounts/st", "keyName": "k"}},
         "azure-ai-hub:encryption.keyVaultId", "Microsoft.KeyVault/vaults"),
        ({"encryption": {"keyVaultId": VAULT_ID, "keyName": "my_key"}}, "azure-ai-hub:encryption.keyName",
         "letters, digits or '-'"),
        ({"encryption": {"serviceSide": "yes"}}, "azure-ai-hub:encryption.serviceSide", "true or false"),
        ({"encryption": {"keyUri": "x"}}, "azure-ai-hub:encryption.keyUri", "unknown key"),
    ],
)
def test_bad_network_and_encryption(config, path, reason):
    found = problems(raw(**config))
    assert any(p == path and reason in r for p, r in found), found


# -- data safety and waivers ---------------------------------------------------------------


def test_data_safety_flags_are_booleans():
    cfg = parse(raw(protect="true", retainOnDelete="false", locks="true"))
    args = cfg.hub_args("rg")
    assert (args["protect"], args["retain_on_delete"], args["locks"]) == (True, False, True)
    assert parse(raw()).hub_args("rg")["protect"] is False


@pytest.mark.parametrize(
    "config, path, reason",
    [
        ({"protect": "yes"}, "azure-ai-hub:protect", "must be true or false (got 'yes')"),
        ({"locks": "1"}, "azure-ai-hub:locks", "must be true or false"),
        ({"hazardChecks": "off"}, "azure-ai-hub:hazardChecks", "must be true or false"),
        ({"waivers": [{"rule": "ST-99", "reason": "a good long reason"}]}, "azure-ai-hub:waivers[0].rule",
         "unknown rule 'ST-99'"),
        ({"waivers": [{"rule": "ST-01", "reason": "meh"}]}, "azure-ai-hub:waivers[0].reason", "say why"),
        ({"waivers": [{"rule": "ST-01", "reason": "a good long reason", "expires": "x"}]},
         "azure-ai-hub:waivers[0].expires", "unknown key"),
        ({"waivers": {"rule": "ST-01"}}, "azure-ai-hub:waivers", "must be a list"),
        ({"dependencies": {"storageSku": "Premium_LRS"}}, "azure-ai-hub:dependencies.storageSku", "Standard_ZRS"),
    ],
)
def test_bad_data_safety_and_waivers(config, path, reason):
    found = problems(raw(**config))
    assert any(p == path and reason in r for p, r in found), found


# -- governance ------------------------------------------------------------------------------

GOOD_BUDGET_CFG = {"amount": 100, "thresholds": [80], "contactEmails": ["a@contoso.com"]}
CI = {"name": "ci-alice", "vmSize": "Standard_DS11_v2", "assignedUserObjectId": ALICE}


@pytest.mark.parametrize(
    "config, path, reason",
    [
        ({"policyAssignments": [{"name": "p", "definitionId": "438c38d2-3772-465a-a9cc-7a6666a275ce"}]},
         "azure-ai-hub:policyAssignments[0].definitionId", "not a policy definition or set definition ID"),
        ({"policyAssignments": [{"name": "a/b", "definitionId":
                                 "/providers/Microsoft.Authorization/policyDefinitions/x"}]},
         "azure-ai-hub:policyAssignments[0].name", "without"),
        ({"policyAssignments": [{"name": "p", "definitionId": "/providers/Microsoft.Authorization/policyDefinitions/x",
                                 "enforcementMode": "Audit"}]},
         "azure-ai-hub:policyAssignments[0].enforcementMode", "'Default' or 'DoNotEnforce'"),
        ({"policyAssignments": [{"name": "p", "definitionId": "/providers/Microsoft.Authorization/policyDefinitions/x"},
                                {"name": "p", "definitionId": "/providers/Microsoft.Authorization/policyDefinitions/y"}]},
         "azure-ai-hub:policyAssignments", "used twice"),
        ({"budget": {"amount": 100, "thresholds": [80]}}, "azure-ai-hub:budget.contactEmails", "at least one contact"),
        ({"budget": {**GOOD_BUDGET_CFG, "contactEmails": []}}, "azure-ai-hub:budget.contactEmails", "at least one"),
        ({"budget": {**GOOD_BUDGET_CFG, "thresholds": [0.5]}}, "azure-ai-hub:budget.thresholds[0]", "1 to 1000"),
        ({"budget": {**GOOD_BUDGET_CFG, "thresholds": [1500]}}, "azure-ai-hub:budget.thresholds[0]", "1 to 1000"),
        ({"budget": {**GOOD_BUDGET_CFG, "amount": -5}}, "azure-ai-hub:budget.amount", "positive"),
        ({"budget": {**GOOD_BUDGET_CFG, "currency": "EUR"}}, "azure-ai-hub:budget.currency", "unknown key"),
        ({"computeInstances": [{**CI, "name": "ci"}]}, "azure-ai-hub:computeInstances[0].name", "3-24"),
        ({"computeInstances": [{**CI, "name": "compute-instance-for-alice"}]},
         "azure-ai-hub:computeInstances[0].name", "3-24"),
        ({"computeInstances": [{**CI, "assignedUserObjectId": "alice@contoso.com"}]},
         "azure-ai-hub:computeInstances[0].assignedUserObjectId", "GUID"),
        ({"computeInstances": [CI, CI]}, "azure-ai-hub:computeInstances", "used twice"),
        ({"diagnostics": {"retentionDays": 7}}, "azure-ai-hub:diagnostics.retentionDays", "greater than or equal to 30"),
        ({"diagnostics": {"logAnalyticsWorkspaceId": f"{SUB}/Microsoft.Insights/components/x"}},
         "azure-ai-hub:diagnostics.logAnalyticsWorkspaceId", "Microsoft.OperationalInsights/workspaces"),
        ({"dependencies": {"applicationInsightsId": f"{SUB}/Microsoft.Insights/components/x",
                           "applicationInsightsEntraOnly": True}},
         "azure-ai-hub:dependencies.applicationInsightsEntraOnly", "not an existing one"),
    ],
)
def test_bad_governance_config(config, path, reason):
    found = problems(raw(**config))
    assert any(p == path and reason in r for p, r in found), found
