"""AIHub, built directly (no stack config), as the engine receives it."""

import re

import pulumi
import pytest
from harness import (
    ACCOUNT,
    BLOB_SERVICE,
    CONNECTION,
    DEPLOYMENT,
    DIAGNOSTIC,
    EXISTING,
    HUB,
    INSIGHTS,
    LOGS,
    REGISTRY,
    ROLE,
    SHARED,
    STORAGE,
    VAULT,
    WORKSPACE,
    all_strings,
    run_component,
    waits_for,
)

from components import AIHub, ProviderMode
from components.naming import unique_suffix
from components.resource_types import LINK_SCOPE, SCOPED_RESOURCE
from components.roles import BUILTIN_ROLES, role_assignment_name
from components.validation import ArgsError
from offline.engine import MOCK_SUBSCRIPTION, MOCK_TENANT, principal_for

SLEEP = "time:index/sleep:Sleep"
MONITOR_SCOPE = LINK_SCOPE
SCOPED = SCOPED_RESOURCE
DEPLOYMENTS = [
    {"name": "gpt-4o", "model": "gpt-4o", "version": "2024-11-20", "sku": "GlobalStandard", "capacity": 20},
    {"name": "embed", "model": "text-embedding-3-small", "version": "1"},
    {"name": "mini", "model": "gpt-4o-mini", "version": "2024-07-18"},
]


def build(**args):
    def program():
        hub = AIHub("hub", {"name": "contoso-ai", "resource_group_name": "rg-ai", "location": "westeurope", **args})
        pulumi.export("foundry", hub.foundry_url)
        pulumi.export("portal", hub.portal_url)
        pulumi.export("endpoint", hub.provider_endpoint)
        pulumi.export("connection", hub.provider_connection_name)

    return run_component(program)


@pytest.fixture(scope="module")
def default():
    return build(tags={"env": "test"}, model_deployments=DEPLOYMENTS, description="d")


def role_assignments(run, scope_id, principal):
    return {
        next(n for n, g in BUILTIN_ROLES.items() if r.inputs["roleDefinitionId"].endswith(g))
        for r in run.by_type(ROLE)
        if r.inputs["scope"] == scope_id and r.inputs["principalId"] == principal
    }


def test_children_are_parented_to_the_component(default):
    hub = default.one(HUB)
    assert hub.parent.endswith("pulumi:pulumi:Stack::test-unit")
    children = [r for r in default.resources if r.parent == hub.urn]
    assert sorted({r.type for r in children}) == sorted(
        [ACCOUNT, BLOB_SERVICE, DEPLOYMENT, DIAGNOSTIC, INSIGHTS, LOGS, ROLE, SHARED, STORAGE, VAULT, WORKSPACE]
    )
    shared = default.one(SHARED)
    assert default.one(CONNECTION).parent == shared.urn
    assert len(default.resources) == len(children) + 2  # the hub itself and the connection


def test_hub_workspace(default):
    ws = default.one(WORKSPACE).inputs
    assert ws["kind"] == "Hub"
    assert ws["workspaceName"] == "hub-contoso-ai"
    assert ws["identity"] == {"type": "SystemAssigned"}
    assert ws["sku"] == {"name": "Basic", "tier": "Basic"}
    assert ws["systemDatastoresAuthMode"] == "Identity"
    assert ws["friendlyName"] == "contoso-ai" and ws["description"] == "d"
    assert ws["storageAccount"] == default.one(STORAGE).id
    assert ws["keyVault"] == default.one(VAULT).id
    assert ws["applicationInsights"] == default.one(INSIGHTS).id
    assert "containerRegistry" not in ws
    assert ws["location"] == "westeurope" and ws["resourceGroupName"] == "rg-ai"
    assert ws["tags"] == {"env": "test"}


def test_storage_is_keyless_and_private_to_tls(default):
    st = default.one(STORAGE).inputs
    suffix = unique_suffix(MOCK_SUBSCRIPTION, "rg-ai", "contoso-ai")
    assert st["accountName"] == f"stcontosoai{suffix}"
    assert st["kind"] == "StorageV2" and st["sku"] == {"name": "Standard_LRS"}
    assert st["minimumTlsVersion"] == "TLS1_2"
    assert st["enableHttpsTrafficOnly"] is True
    assert st["allowBlobPublicAccess"] is False
    assert st["allowSharedKeyAccess"] is False
    assert st["allowCrossTenantReplication"] is False
    assert st["encryption"]["requireInfrastructureEncryption"] is True
    blob = default.one(BLOB_SERVICE).inputs
    assert blob["accountName"] == st["accountName"] and blob["blobServicesName"] == "default"
    (rule,) = blob["cors"]["corsRules"]
    assert {"https://ai.azure.com", "https://*.ai.azure.com", "https://ml.azure.com"} <= set(rule["allowedOrigins"])
    assert {"GET", "PUT", "OPTIONS"} <= set(rule["allowedMethods"])
    assert blob["deleteRetentionPolicy"] == {"enabled": True, "days": 7}


def test_key_vault_uses_rbac_and_purge_protection(default):
    props = default.one(VAULT).inputs["properties"]
    assert props["enableRbacAuthorization"] is True
    assert props["enablePurgeProtection"] is True
    assert props["enableSoftDelete"] is True
    assert props["tenantId"] == MOCK_TENANT
    assert props["sku"] == {"family": "A", "name": "standard"}
    assert "accessPolicies" not in props
    assert default.one(VAULT).inputs["vaultName"] == f"kv-contoso-ai-{unique_suffix(MOCK_SUBSCRIPTION, 'rg-ai', 'contoso-ai')}"


def test_application_insights_is_workspace_based(default):
    insights = default.one(INSIGHTS).inputs
    assert insights["workspaceResourceId"] == default.one(LOGS).id
    assert insights["ingestionMode"] == "LogAnalytics"
    assert default.one(LOGS).inputs["features"] == {"disableLocalAuth": True}


def test_ai_services_account(default):
    acct = default.one(ACCOUNT).inputs
    assert acct["kind"] == "AIServices" and acct["sku"] == {"name": "S0"}
    assert acct["identity"] == {"type": "SystemAssigned"}
    assert acct["properties"]["disableLocalAuth"] is True
    assert acct["properties"]["customSubDomainName"] == f"ais-contoso-ai-{unique_suffix(MOCK_SUBSCRIPTION, 'rg-ai', 'contoso-ai')}"


def test_connection_to_the_provider_is_entra_id_and_shared(default):
    conn = default.one(CONNECTION).inputs
    account = default.one(ACCOUNT)
    assert conn["workspaceName"] == "hub-contoso-ai"
    assert conn["connectionName"] == "ais-contoso-ai"
    assert conn["properties"] == {
        "authType": "AAD",
        "category": "AIServices",
        "target": account.state["properties"]["endpoint"],
        "isSharedToAll": True,
        "metadata": {"ApiType": "Azure", "ResourceId": account.id, "Location": "westeurope"},
    }
    assert default.outputs["connection"] == "ais-contoso-ai"
    assert default.outputs["endpoint"] == account.state["properties"]["endpoint"]


def test_model_deployments_are_created_one_after_another(default):
    deployments = {r.inputs["deploymentName"]: r for r in default.by_type(DEPLOYMENT)}
    assert list(deployments) == ["embed", "gpt-4o", "mini"]
    first, second, third = (deployments[d["name"]] for d in DEPLOYMENTS)
    assert not any(d.urn in first.dependencies for d in (second, third))
    assert first.urn in second.dependencies and second.urn in third.dependencies
    assert first.inputs["sku"] == {"name": "GlobalStandard", "capacity": 20}
    assert second.inputs["sku"] == {"name": "Standard", "capacity": 10}
    assert second.inputs["properties"] == {
        "model": {"format": "OpenAI", "name": "text-embedding-3-small", "version": "1"}
    }
    account = default.one(ACCOUNT)
    assert all(d.inputs["accountName"] == "ais-contoso-ai" for d in deployments.values())
    assert all(account.urn in d.dependencies for d in deployments.values())


def test_keyless_role_assignments(default):
    hub = default.one(WORKSPACE)
    storage, account = default.one(STORAGE), default.one(ACCOUNT)
    hub_principal, account_principal = principal_for(hub.id), principal_for(account.id)
    # Azure assigns the hub's identity its storage roles when it creates the hub (Learn, hub
    # disable-local-auth); ours would fail with RoleAssignmentExists.
    assert role_assignments(default, storage.id, hub_principal) == set()
    assert role_assignments(default, account.id, hub_principal) == {"Cognitive Services User"}
    assert role_assignments(default, storage.id, account_principal) == {"Storage Blob Data Contributor"}
    for ra in default.by_type(ROLE):
        guid = ra.inputs["roleDefinitionId"].rsplit("/", 1)[-1]
        assert ra.inputs["principalType"] == "ServicePrincipal"
        assert ra.inputs["roleDefinitionId"].startswith("/subscriptions/00000000-0000-0000-0000-000000000000/providers/")
        assert ra.inputs["roleAssignmentName"] == role_assignment_name(ra.inputs["scope"], ra.inputs["principalId"], guid)


def test_links_open_the_hub(default):
    hub_id = default.one(WORKSPACE).id
    assert default.outputs["foundry"] == (
        f"https://ai.azure.com/managementCenter/hub/overview?wsid={hub_id}&tid={MOCK_TENANT}"
    )
    assert default.outputs["portal"] == f"https://portal.azure.com/#@{MOCK_TENANT}/resource{hub_id}/overview"


def test_inputs_use_wire_names_only(default):
    def keys(value):
        if isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from keys(v)
        elif isinstance(value, list):
            for v in value:
                yield from keys(v)

    for r in default.resources:
        snake = [k for k in keys(r.inputs) if "_" in k and k not in ("__provider",)]
        assert not snake, (r.type, snake)


def test_no_keys_or_credentials_anywhere(default):
    for r in default.resources:
        text = " ".join(all_strings(r.inputs)).lower() + " ".join(str(k) for k in r.inputs).lower()
        assert "credentials" not in text and "password" not in text, r.type


def test_two_hubs_in_one_resource_group_never_collide():
    def program():
        AIHub("one", {"name": "team-one", "resource_group_name": "rg-shared", "location": "westeurope"})
        AIHub("two", {"name": "team-two", "resource_group_name": "rg-shared", "location": "westeurope"})

    run = run_component(program)
    names = [r.inputs["roleAssignmentName"] for r in run.by_type(ROLE)]
    assert len(names) == 4 and len(set(names)) == 4
    for type_, key in ((STORAGE, "accountName"), (VAULT, "vaultName"), (WORKSPACE, "workspaceName")):
        assert len({r.inputs[key] for r in run.by_type(type_)}) == 2


def test_container_registry_is_opt_in_premium_without_admin_user():
    run = build(create_container_registry=True)
    registry = run.one(REGISTRY)
    assert registry.inputs["sku"] == {"name": "Premium"}
    assert registry.inputs["adminUserEnabled"] is False
    assert registry.inputs["anonymousPullEnabled"] is False
    assert re.fullmatch(r"crcontosoai[0-9a-f]{6}", registry.inputs["registryName"])
    assert run.one(WORKSPACE).inputs["containerRegistry"] == registry.id


def test_bring_your_own_dependencies():
    run = build(
        storage_account_id=EXISTING["storage"],
        key_vault_id=EXISTING["vault"],
        application_insights_id=EXISTING["insights"],
        container_registry_id=EXISTING["registry"],
        create_container_registry=True,
        diagnostics_workspace_id=EXISTING["logs"],
    )
    for type_ in (STORAGE, BLOB_SERVICE, VAULT, INSIGHTS, LOGS, REGISTRY):
        assert run.by_type(type_) == [], type_
    ws = run.one(WORKSPACE).inputs
    assert (ws["storageAccount"], ws["keyVault"], ws["applicationInsights"], ws["containerRegistry"]) == (
        EXISTING["storage"], EXISTING["vault"], EXISTING["insights"], EXISTING["registry"],
    )
    # Azure grants the hub's identity its storage roles itself, on brought storage too.
    hub_principal = principal_for(run.one(WORKSPACE).id)
    assert role_assignments(run, EXISTING["storage"], hub_principal) == set()


def test_existing_application_insights_sends_diagnostics_to_its_own_workspace():
    run = build(application_insights_id=EXISTING["insights"])
    lookups = [a for t, a in run.invokes if t == "azure-native:applicationinsights:getComponent"]
    assert lookups == [{"resourceGroupName": "shared-rg", "resourceName": "shared-appi"}]
    behind = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/shared-rg/providers/" \
             "Microsoft.OperationalInsights/workspaces/shared-appi-workspace"
    assert run.by_type(DIAGNOSTIC) and {d.inputs["workspaceId"] for d in run.by_type(DIAGNOSTIC)} == {behind}
    assert run.by_type(LOGS) == []


def test_a_classic_application_insights_needs_a_workspace_named():
    classic = EXISTING["insights"].replace("shared-appi", "classic-appi")
    run = build(application_insights_id=classic)
    assert any("classic Application Insights" in e for e in run.errors) and run.warnings == []
    named = build(application_insights_id=classic, diagnostics_workspace_id=EXISTING["logs"])
    assert not [t for t, _ in named.invokes if t == "azure-native:applicationinsights:getComponent"]


def test_entra_only_ingestion_is_a_choice():
    assert "disableLocalAuth" not in build().one(INSIGHTS).inputs
    assert build(application_insights_entra_only=True).one(INSIGHTS).inputs["disableLocalAuth"] is True


def test_openai_mode_creates_an_openai_account():
    run = build(provider_mode=ProviderMode.OPEN_AI)
    acct = run.one(ACCOUNT)
    assert acct.inputs["kind"] == "OpenAI"
    assert acct.inputs["accountName"] == "oai-contoso-ai"
    assert acct.inputs["properties"]["disableLocalAuth"] is True
    conn = run.one(CONNECTION).inputs["properties"]
    assert conn["category"] == "AzureOpenAI" and conn["authType"] == "AAD"
    assert conn["target"] == acct.state["properties"]["endpoint"]
    assert conn["target"].endswith(".openai.azure.com/")
    hub_principal = principal_for(run.one(WORKSPACE).id)
    assert role_assignments(run, acct.id, hub_principal) == {"Cognitive Services OpenAI User"}


def test_openai_mode_reuses_an_existing_account():
    run = build(
        provider_mode=ProviderMode.OPEN_AI,
        existing_provider_account_id=EXISTING["openai"],
        model_deployments=DEPLOYMENTS[:1],
    )
    assert run.by_type(ACCOUNT) == []
    lookups = [args for token, args in run.invokes if token == "azure-native:cognitiveservices:getAccount"]
    assert lookups == [{"accountName": "shared-openai", "resourceGroupName": "shared-rg"}]
    conn = run.one(CONNECTION).inputs
    assert conn["connectionName"] == "shared-openai"
    assert conn["properties"]["category"] == "AzureOpenAI"
    assert conn["properties"]["target"] == "https://shared-openai.openai.azure.com/"
    assert conn["properties"]["metadata"]["ResourceId"] == EXISTING["openai"]
    (deployment,) = run.by_type(DEPLOYMENT)
    assert (deployment.inputs["accountName"], deployment.inputs["resourceGroupName"]) == ("shared-openai", "shared-rg")
    hub_principal = principal_for(run.one(WORKSPACE).id)
    assert role_assignments(run, EXISTING["openai"], hub_principal) == {"Cognitive Services OpenAI User"}
    # We don't own the account's identity, so nothing is granted to it.
    assert {r.inputs["principalId"] for r in run.by_type(ROLE)} == {hub_principal}


def test_an_existing_account_in_another_subscription_is_reached_through_a_provider_for_it():
    """A central shared account in another subscription: its lookup and deployments go to that subscription."""
    run = build(existing_provider_account_id=EXISTING["openai"], provider_mode=ProviderMode.OPEN_AI,
                model_deployments=DEPLOYMENTS[:1])
    (arm,) = [r for r in run.registrations if r.type == "pulumi:providers:azure-native"]
    assert arm.inputs["subscriptionId"] == "33333333-3333-3333-3333-333333333333"
    assert run.one(DEPLOYMENT).provider.startswith(arm.urn + "::")
    # Role assignments name their scope in full, so they need no provider of their own.
    assert all(not r.provider.startswith(arm.urn) for r in run.by_type(ROLE))
    same = build(existing_provider_account_id=EXISTING["openai"].replace(
        "33333333-3333-3333-3333-333333333333", "00000000-0000-0000-0000-000000000000"),
        provider_mode=ProviderMode.OPEN_AI, model_deployments=DEPLOYMENTS[:1])
    assert [r for r in same.registrations if r.type.startswith("pulumi:providers:")] == []


def test_a_bad_provider_mode_is_refused():
    with pytest.raises(ArgsError, match="provider_mode: must be one of aiServices, openAI"):
        build(provider_mode="speech")


def test_an_existing_account_of_the_other_kind_is_warned_about():
    # The mock answers that the existing account is of kind OpenAI.
    run = build(existing_provider_account_id=EXISTING["openai"])
    assert any("is an account of kind OpenAI, but providerMode aiServices expects AIServices" in w for w in run.warnings)
    assert build(provider_mode=ProviderMode.OPEN_AI, existing_provider_account_id=EXISTING["openai"]).warnings == []


# -- private networking, managed network and customer-managed keys -------------------------

from harness import DNS_ZONE, ENDPOINT, IDENTITY, KEY, PRIVATE_NETWORK  # noqa: E402

SEARCH_ID = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg/providers/Microsoft.Search/searchServices/srch"


@pytest.fixture(scope="module")
def private():
    return build(
        public_network_access="Disabled",
        create_container_registry=True,
        managed_network={
            "isolation_mode": "AllowOnlyApprovedOutbound",
            "firewall_sku": "Standard",
            "provision_now": True,
            "outbound_rules": [
                {"name": "pypi", "type": "FQDN", "fqdn": "pypi.org"},
                {"name": "monitor", "type": "ServiceTag", "service_tag": "AzureMonitor", "protocol": "TCP",
                 "port_ranges": "443"},
            ],
        },
        connections=[{"name": "search", "category": "CognitiveSearch", "target": "https://srch.search.windows.net",
                      "resource_id": SEARCH_ID}],
        private_endpoints={"vnet_address_prefix": "10.20.0.0/16", "subnet_prefix": "10.20.1.0/24"},
        encryption={},
    )


def test_public_access_is_off_everywhere(private):
    assert private.one(WORKSPACE).inputs["publicNetworkAccess"] == "Disabled"
    account = private.one(ACCOUNT).inputs["properties"]
    assert account["publicNetworkAccess"] == "Disabled"
    assert account["networkAcls"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
    storage = private.one(STORAGE).inputs
    assert storage["publicNetworkAccess"] == "Disabled"
    assert storage["networkRuleSet"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
    vault = private.one(VAULT).inputs["properties"]
    assert vault["publicNetworkAccess"] == "Disabled"
    assert vault["networkAcls"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
    registry = private.one(REGISTRY).inputs
    assert registry["publicNetworkAccess"] == "Disabled"
    assert registry["networkRuleSet"] == {"defaultAction": "Deny"}
    assert registry["networkRuleBypassOptions"] == "AzureServices"


def test_public_by_default(default):
    assert default.one(WORKSPACE).inputs["publicNetworkAccess"] == "Enabled"
    assert default.one(STORAGE).inputs["networkRuleSet"]["defaultAction"] == "Allow"
    assert "managedNetwork" not in default.one(WORKSPACE).inputs
    assert default.by_type(PRIVATE_NETWORK) == []


def test_approved_only_managed_network(private):
    net = private.one(WORKSPACE).inputs["managedNetwork"]
    assert net["isolationMode"] == "AllowOnlyApprovedOutbound" and net["firewallSku"] == "Standard"
    rules = net["outboundRules"]
    assert rules["pypi"] == {"type": "FQDN", "category": "UserDefined", "destination": "pypi.org"}
    assert rules["monitor"]["destination"] == {"serviceTag": "AzureMonitor", "protocol": "TCP", "portRanges": "443",
                                               "action": "Allow"}
    # Added by the hub: without them prompt flow can't reach the models or the search index.
    assert rules["provider-account"]["destination"] == {
        "serviceResourceId": private.one(ACCOUNT).id, "subresourceTarget": "account", "sparkEnabled": False}
    assert rules["connection-search"]["destination"]["subresourceTarget"] == "searchService"
    assert rules["connection-search"]["destination"]["serviceResourceId"] == SEARCH_ID
    assert private.one(WORKSPACE).inputs["provisionNetworkNow"] is True


def test_the_hub_declares_the_rules_its_projects_connections_need():
    blob = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
    search = {"name": "search", "category": "CognitiveSearch", "target": "https://srch.search.windows.net",
              "resource_id": SEARCH_ID}
    run = build(
        managed_network={"isolation_mode": "AllowOnlyApprovedOutbound"},
        connections=[search],
        project_connections=[
            {"name": "docs", "category": "AzureBlob", "target": "https://st.blob.core.windows.net",
             "resource_id": blob},
            # The same search service as the hub's connection: one rule, the project's (declared first).
            {**search, "name": "chat-search"},
            {"name": "weather", "category": "CustomKeys", "target": "https://api.example.com"},
        ],
    )
    rules = run.one(WORKSPACE).inputs["managedNetwork"]["outboundRules"]
    assert sorted(rules) == ["connection-chat-search", "connection-docs", "provider-account"]
    assert rules["connection-docs"] == {"type": "PrivateEndpoint", "category": "UserDefined", "destination": {
        "serviceResourceId": blob, "subresourceTarget": "blob", "sparkEnabled": False}}
    assert rules["connection-chat-search"]["destination"]["serviceResourceId"] == SEARCH_ID
    # The projects create the connections themselves: the hub registers only its own.
    assert sorted(c.inputs["connectionName"] for c in run.by_type(CONNECTION)) == [
        "ais-contoso-ai", "search"]


@pytest.mark.parametrize("mode", ["Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"])
def test_every_isolation_mode(mode):
    rules = [] if mode == "Disabled" else [
        {"name": "blob", "type": "PrivateEndpoint", "service_resource_id": SEARCH_ID, "subresource_target": "searchService"}]
    run = build(managed_network={"isolation_mode": mode, "outbound_rules": rules})
    net = run.one(WORKSPACE).inputs["managedNetwork"]
    assert net["isolationMode"] == mode
    names = sorted(net.get("outboundRules") or {})
    expected = {"Disabled": [], "AllowInternetOutbound": ["blob"],
                "AllowOnlyApprovedOutbound": ["blob", "provider-account"]}[mode]
    assert names == expected


def test_private_endpoints_for_the_hub_and_what_it_creates(private):
    targets = {}
    for endpoint in private.by_type(ENDPOINT):
        (link,) = endpoint.inputs["privateLinkServiceConnections"]
        targets[link["groupIds"][0], link["privateLinkServiceId"]] = endpoint
    assert set(targets) == {
        ("amlworkspace", private.one(WORKSPACE).id),
        ("account", private.one(ACCOUNT).id),
        ("blob", private.one(STORAGE).id),
        ("file", private.one(STORAGE).id),
        ("vault", private.one(VAULT).id),
        ("registry", private.one(REGISTRY).id),
        ("azuremonitor", private.one(MONITOR_SCOPE).id),
    }
    assert private.one(PRIVATE_NETWORK).parent == private.one(HUB).urn
    # 2 hub + 3 account + blob, file, vault, registry + 4 Azure Monitor (its blob zone is the storage's)
    assert len(private.by_type(DNS_ZONE)) == 13


def test_a_private_stacks_monitoring_is_private_behind_a_private_link_scope(private):
    """The stack's stance reaches Application Insights and Log Analytics: public ingestion and query off, reached
    through an Azure Monitor private link scope (Learn, azure-monitor/logs/private-link-security)."""
    insights, logs = private.one(INSIGHTS), private.one(LOGS)
    for resource in (insights, logs):
        assert resource.inputs["publicNetworkAccessForIngestion"] == "Disabled"
        assert resource.inputs["publicNetworkAccessForQuery"] == "Disabled"
    scope = private.one(MONITOR_SCOPE)
    assert scope.inputs["location"] == "global"
    assert scope.inputs["accessModeSettings"] == {"ingestionAccessMode": "Open", "queryAccessMode": "Open"}
    linked = {r.inputs["linkedResourceId"] for r in private.by_type(SCOPED)}
    assert linked == {insights.id, logs.id}
    # A scope has no diagnostic settings of its own.
    assert scope.id not in {d.inputs["resourceUri"] for d in private.by_type(DIAGNOSTIC)}


def test_a_private_stack_without_endpoints_keeps_monitoring_reachable():
    run = build(public_network_access="Disabled")
    # azure-native sends Azure's default, Enabled, when none is given.
    assert run.one(INSIGHTS).inputs["publicNetworkAccessForIngestion"] == "Enabled"
    assert run.by_type(MONITOR_SCOPE) == []


def test_no_endpoints_for_what_the_stack_does_not_own():
    run = build(storage_account_id=EXISTING["storage"], key_vault_id=EXISTING["vault"],
                existing_provider_account_id=EXISTING["openai"], provider_mode=ProviderMode.OPEN_AI,
                private_endpoints={"vnet_address_prefix": "10.0.0.0/16", "subnet_prefix": "10.0.0.0/24"})
    groups = sorted(e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in run.by_type(ENDPOINT))
    assert groups == ["amlworkspace"]


def test_a_non_premium_registry_gets_no_endpoint():
    run = build(create_container_registry=True, container_registry_sku="Standard",
                private_endpoints={"vnet_address_prefix": "10.0.0.0/16", "subnet_prefix": "10.0.0.0/24"})
    assert run.one(REGISTRY).inputs["sku"] == {"name": "Standard"}
    assert "registry" not in {e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in run.by_type(ENDPOINT)}


def test_public_access_off_without_endpoints_is_warned_about():
    run = build(public_network_access="Disabled")
    assert any("no private endpoints" in w for w in run.warnings)


def test_customer_managed_key_in_the_hubs_own_vault(private):
    ws = private.one(WORKSPACE)
    identity, key, vault = private.one(IDENTITY, "contoso-ai-cmk-identity"), private.one(KEY), private.one(VAULT)
    primary = private.one(IDENTITY, "contoso-ai-hub-identity")
    assert key.inputs["vaultName"] == vault.inputs["vaultName"]
    assert key.inputs["properties"] == {"kty": "RSA", "keySize": 3072, "keyOps": ["wrapKey", "unwrapKey"]}
    assert vault.inputs["properties"]["enablePurgeProtection"] is True
    assert ws.inputs["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [primary.id, identity.id]}
    assert ws.inputs["encryption"] == {
        "status": "Enabled",
        "identity": {"userAssignedIdentity": identity.id},
        "keyVaultProperties": {"keyVaultArmId": vault.id, "keyIdentifier": key.state["keyUriWithVersion"]},
    }
    (grant,) = [r for r in private.by_type(ROLE) if r.inputs["principalId"] == identity.state["principalId"]]
    assert grant.inputs["scope"] == vault.id
    assert grant.inputs["roleDefinitionId"].endswith("/e147488a-f6f5-4113-8e2d-b22465e65bf6")
    # The hub is created only once the identity can use the key, and the grant had time to propagate.
    assert waits_for(private, ws, grant) and key.urn in ws.dependencies
    (pause,) = private.by_type(SLEEP)
    assert pause.inputs["createDuration"] == "60s" and pause.urn in ws.dependencies
    assert grant.urn in pause.dependencies
    # Classic mode: Azure's Cosmos DB for the hub uses the key too, through its first-party app, whose
    # object ID is looked up in the tenant (Learn, how-to-setup-customer-managed-keys).
    lookups = [a for t, a in private.invokes if t == "azuread:index/getServicePrincipal:getServicePrincipal"]
    assert lookups == [{"clientId": "a232010e-820c-4083-83bb-3ace5fc29d0b"}]
    (cosmos,) = [r for r in private.by_type(ROLE) if r.inputs["principalId"] == principal_for(
        "sp/a232010e-820c-4083-83bb-3ace5fc29d0b")]
    assert cosmos.inputs["scope"] == vault.id and cosmos.inputs["principalType"] == "ServicePrincipal"
    assert cosmos.inputs["roleDefinitionId"].endswith("/e147488a-f6f5-4113-8e2d-b22465e65bf6")
    assert waits_for(private, ws, cosmos)


def test_approved_only_hub_gets_a_user_assigned_primary_identity_granted_before_it(private):
    """Learn, configure-managed-network, "Approval of private endpoints": since 30 April 2025 the hub's identity
    needs Azure AI Enterprise Network Connection Approver on every private-endpoint target but its defaults."""
    ws = private.one(WORKSPACE)
    primary = private.one(IDENTITY, "contoso-ai-hub-identity")
    assert ws.inputs["primaryUserAssignedIdentity"] == primary.id
    assert ws.inputs["identity"]["type"] == "UserAssigned"  # no system identity beside a primary user-assigned one
    principal = primary.state["principalId"]
    grants = {(r.inputs["scope"], r.inputs["roleDefinitionId"].rsplit("/", 1)[-1]): r
              for r in private.by_type(ROLE) if r.inputs["principalId"] == principal}
    approver = BUILTIN_ROLES["Azure AI Enterprise Network Connection Approver"]
    account, storage, vault = private.one(ACCOUNT).id, private.one(STORAGE).id, private.one(VAULT).id
    scope = private.one(MONITOR_SCOPE).id
    # Not the defaults (storage, vault, registry): Azure grants those itself.
    assert {s for s, role in grants if role == approver} == {account, SEARCH_ID, scope}
    # What Azure gives a hub's system identity, at the hub's group (all it creates lives there).
    admin = BUILTIN_ROLES["Azure AI Administrator"]
    group = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai"
    assert {s for s, role in grants if role == admin} == {group}
    assert (storage, BUILTIN_ROLES["Storage Blob Data Contributor"]) in grants
    assert (storage, BUILTIN_ROLES["Storage File Data Privileged Contributor"]) in grants
    assert (vault, BUILTIN_ROLES["Key Vault Administrator"]) in grants
    assert (private.one(REGISTRY).id, BUILTIN_ROLES["AcrPull"]) in grants
    # All of it is in place before the hub (it provisions its network at once), and the hub waits for it.
    hub_own = (account, BUILTIN_ROLES["Cognitive Services User"])  # granted once the hub exists
    before = [r for key, r in grants.items() if key != hub_own]
    assert len(before) == 3 + 1 + 2 + 1 + 1  # approvals; the group; storage data; vault; registry
    assert all(waits_for(private, ws, r) for r in before)
    assert hub_own in grants  # the hub's own grants go to that identity too


def test_brought_dependencies_get_the_control_role_of_their_own():
    run = build(storage_account_id=EXISTING["storage"], managed_network={"isolation_mode": "AllowInternetOutbound"})
    principal = run.one(IDENTITY, "contoso-ai-hub-identity").state["principalId"]
    admin = BUILTIN_ROLES["Azure AI Administrator"]
    scopes = {r.inputs["scope"] for r in run.by_type(ROLE)
              if r.inputs["principalId"] == principal and r.inputs["roleDefinitionId"].endswith(admin)}
    assert EXISTING["storage"] in scopes and run.one(VAULT).id not in scopes


def test_a_rule_to_a_default_resource_needs_no_approval():
    store = EXISTING["storage"]
    run = build(storage_account_id=store, managed_network={"isolation_mode": "AllowOnlyApprovedOutbound", "outbound_rules": [
        {"name": "own-files", "type": "PrivateEndpoint", "service_resource_id": store, "subresource_target": "file"}]})
    approver = BUILTIN_ROLES["Azure AI Enterprise Network Connection Approver"]
    approved = {r.inputs["scope"] for r in run.by_type(ROLE) if r.inputs["roleDefinitionId"].endswith(approver)}
    assert store not in approved and approved == {run.one(ACCOUNT).id}


def test_internet_outbound_hub_declares_rules_to_its_private_targets_only_when_private():
    conn = [{"name": "search", "category": "CognitiveSearch", "target": "https://srch.search.windows.net",
             "resource_id": SEARCH_ID}]
    private = build(public_network_access="Disabled", connections=conn,
                    managed_network={"isolation_mode": "AllowInternetOutbound"})
    rules = private.one(WORKSPACE).inputs["managedNetwork"]["outboundRules"]
    assert {name: r["destination"]["subresourceTarget"] for name, r in rules.items()} == {
        "provider-account": "account", "connection-search": "searchService"}
    public = build(connections=conn, managed_network={"isolation_mode": "AllowInternetOutbound"})
    assert "outboundRules" not in public.one(WORKSPACE).inputs["managedNetwork"]
    # The identity hangs on isolation alone, so adding a rule never flips it (Learn: SAI can't come back).
    for run in (private, public):
        assert run.one(WORKSPACE).inputs["identity"]["type"] == "UserAssigned"
    assert build().one(WORKSPACE).inputs["identity"] == {"type": "SystemAssigned"}


def test_cosmos_db_principal_from_args_and_none_service_side():
    given = "cccccccc-0000-4000-8000-000000000001"
    run = build(encryption={"cosmos_db_principal_id": given})
    assert not [t for t, _ in run.invokes if t.startswith("azuread:")]
    assert any(r.inputs["principalId"] == given for r in run.by_type(ROLE))
    service_side = build(encryption={"key_vault_id": LOCAL_VAULT, "key_name": "k", "service_side": True})
    assert [r.inputs["principalId"] for r in service_side.by_type(ROLE) if r.inputs["scope"] == LOCAL_VAULT] == [
        service_side.one(IDENTITY).state["principalId"]]


# A vault in the hub's own subscription (the mock engine's), as Azure requires of a CMK vault.
LOCAL_VAULT = EXISTING["vault"].replace("33333333-3333-3333-3333-333333333333", "00000000-0000-0000-0000-000000000000")


def test_bring_your_own_key():
    version = "0123456789abcdef0123456789abcdef"
    run = build(encryption={"key_vault_id": LOCAL_VAULT, "key_name": "hub-key", "key_version": version,
                            "service_side": True})
    assert run.by_type(KEY) == []
    ws = run.one(WORKSPACE).inputs
    assert ws["encryption"]["keyVaultProperties"] == {
        "keyVaultArmId": LOCAL_VAULT,
        "keyIdentifier": f"https://shared-kv.vault.azure.net/keys/hub-key/{version}",
    }
    assert ws["enableServiceSideCMKEncryption"] is True  # the wire name keeps CMK upper-case
    grant = next(r for r in run.by_type(ROLE) if r.inputs["scope"] == LOCAL_VAULT)
    assert grant.inputs["principalId"] == run.one(IDENTITY).state["principalId"]
    # The vault is looked up to warn when it lacks purge protection.
    assert ("azure-native:keyvault:getVault", {"resourceGroupName": "shared-rg", "vaultName": "shared-kv"}) in run.invokes


def test_service_side_encryption_with_a_brought_private_vault_fails_the_deploy():
    private_vault = LOCAL_VAULT.replace("/vaults/shared-kv", "/vaults/private-kv")
    run = build(encryption={"key_vault_id": private_vault, "key_name": "k", "service_side": True})
    assert any("encryption.serviceSide: vault private-kv has public network access off" in e for e in run.errors)
    classic = build(encryption={"key_vault_id": private_vault, "key_name": "k"})
    # The vault has purge protection: no warning (the result comes through Output.all as a plain mapping).
    assert classic.errors == [] and classic.warnings == []


def test_bring_your_own_key_at_its_current_version():
    run = build(encryption={"key_vault_id": LOCAL_VAULT, "key_name": "hub-key"})
    lookup = [a for t, a in run.invokes if t == "azure-native:keyvault:getKey"]
    assert lookup == [{"keyName": "hub-key", "resourceGroupName": "shared-rg", "vaultName": "shared-kv"}]
    assert run.one(WORKSPACE).inputs["encryption"]["keyVaultProperties"]["keyIdentifier"].startswith(
        "https://shared-kv.vault.azure.net/keys/hub-key/")


def test_a_compute_instance_user_is_granted_by_the_hub_itself():
    """Not only through the stack config: a team that builds AIHub directly gets the same grants."""
    user = "aaaaaaaa-0000-4000-8000-000000000009"
    run = build(compute_instances=[{"name": "ci-one", "vm_size": "Standard_DS11_v2", "assigned_user_object_id": user}])
    granted = role_assignments(run, run.one(STORAGE).id, user)
    assert granted == {"Storage Blob Data Contributor", "Storage File Data Privileged Contributor"}
    assert role_assignments(run, run.one(ACCOUNT).id, user) == {"Cognitive Services User"}
