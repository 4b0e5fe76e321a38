"""AIHub, built directly (no stack config), as the engine receives it."""

import re

import pulumi
import pytest

from components import AIHub, ProviderMode
from components.naming import short_hash
from components.roles import BUILTIN_ROLES, role_assignment_name
from harness import (
    ACCOUNT,
    BLOB_SERVICE,
    CONNECTION,
    DEPLOYMENT,
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
)
from offline.engine import MOCK_TENANT, principal_for

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
        [ACCOUNT, BLOB_SERVICE, DEPLOYMENT, INSIGHTS, LOGS, ROLE, SHARED, STORAGE, VAULT, WORKSPACE]
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
    suffix = short_hash("rg-ai", "contoso-ai")
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
    assert default.one(VAULT).inputs["vaultName"] == f"kv-contoso-ai-{short_hash('rg-ai', 'contoso-ai')}"


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
    assert acct["properties"]["customSubDomainName"] == f"ais-contoso-ai-{short_hash('rg-ai', 'contoso-ai')}"


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
    assert role_assignments(default, storage.id, hub_principal) == {
        "Storage Blob Data Contributor",
        "Storage File Data Privileged Contributor",
    }
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
    assert len(names) == 8 and len(set(names)) == 8
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
    )
    for type_ in (STORAGE, BLOB_SERVICE, VAULT, INSIGHTS, LOGS, REGISTRY):
        assert run.by_type(type_) == [], type_
    ws = run.one(WORKSPACE).inputs
    assert (ws["storageAccount"], ws["keyVault"], ws["applicationInsights"], ws["containerRegistry"]) == (
        EXISTING["storage"], EXISTING["vault"], EXISTING["insights"], EXISTING["registry"],
    )
    # Keyless access still needs the hub's identity on the storage it was given.
    hub_principal = principal_for(run.one(WORKSPACE).id)
    assert "Storage Blob Data Contributor" in role_assignments(run, EXISTING["storage"], hub_principal)


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


def test_a_bad_provider_mode_is_refused():
    with pytest.raises(ValueError):
        build(provider_mode="speech")


def test_an_existing_account_of_the_other_kind_is_warned_about():
    # The mock answers that the existing account is of kind OpenAI.
    run = build(existing_provider_account_id=EXISTING["openai"])
    assert any("is an account of kind OpenAI, but providerMode aiServices expects AIServices" in w for w in run.warnings)
    assert build(provider_mode=ProviderMode.OPEN_AI, existing_provider_account_id=EXISTING["openai"]).warnings == []
