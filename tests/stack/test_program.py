"""The whole program, run for stack configs as `pulumi up` would (under mocks)."""

import pytest
from harness import (
    ACCOUNT,
    CONNECTION,
    DEPLOYMENT,
    EXISTING,
    HUB,
    INSIGHTS,
    LOCK,
    LOGS,
    REGISTRY,
    RESOURCE_GROUP,
    ROLE,
    SCOPED,
    STORAGE,
    VAULT,
    WORKSPACE,
    run_stack,
)

from config import ConfigError

TAGS = {"environment": "dev", "costCenter": "cc-1234", "owner": "platform-team"}
TAGGABLE = {RESOURCE_GROUP, STORAGE, VAULT, INSIGHTS, LOGS, ACCOUNT, DEPLOYMENT, WORKSPACE, REGISTRY}


def test_dev_stack_creates_a_dedicated_resource_group(dev_run):
    rg = dev_run.one(RESOURCE_GROUP)
    assert rg.inputs == {"resourceGroupName": "rg-contoso-ai-dev", "location": "swedencentral", "tags": TAGS}
    assert rg.parent.endswith("pulumi:pulumi:Stack::azure-ai-hub-dev")
    hub = dev_run.one(HUB)
    assert hub.name == "contoso-ai"
    assert all(
        r.inputs["resourceGroupName"] == "rg-contoso-ai-dev"
        for r in dev_run.resources
        if r.custom and r.type not in {RESOURCE_GROUP} | SCOPED
    )
    # Everything waits for the group it goes in.
    assert all(rg.urn in r.dependencies for r in dev_run.by_type(STORAGE) + dev_run.by_type(WORKSPACE))


def test_dev_stack_hub_and_provider(dev_run):
    ws = dev_run.one(WORKSPACE, kind="Hub").inputs
    assert ws["kind"] == "Hub" and ws["friendlyName"] == "Contoso AI (dev)"
    assert ws["location"] == "swedencentral"
    assert dev_run.one(ACCOUNT).inputs["kind"] == "AIServices"
    provider_connection = dev_run.one(CONNECTION, connectionName=dev_run.outputs["providerConnection"])
    assert provider_connection.inputs["properties"]["category"] == "AIServices"
    assert sorted(d.inputs["deploymentName"] for d in dev_run.by_type(DEPLOYMENT)) == ["gpt-4o", "text-embedding-3-small"]


def test_tags_reach_every_taggable_resource(dev_run):
    taggable = [r for r in dev_run.resources if r.type in TAGGABLE]
    assert len(taggable) == 11  # group, storage, vault, logs, insights, account, 2 deployments, hub, 2 projects
    assert all(r.inputs.get("tags") == TAGS for r in taggable), [r.type for r in taggable if r.inputs.get("tags") != TAGS]


def test_outputs(dev_run):
    hub = dev_run.one(WORKSPACE, kind="Hub")
    account = dev_run.one(ACCOUNT)
    out = dev_run.outputs
    assert out["resourceGroup"] == "rg-contoso-ai-dev"
    assert out["hubName"] == "hub-contoso-ai" and out["hubId"] == hub.id
    assert out["providerEndpoint"] == account.state["properties"]["endpoint"]
    assert out["providerAccountId"] == account.id
    assert out["foundryUrl"].startswith("https://ai.azure.com/managementCenter/hub/overview?wsid=" + hub.id)
    assert out["portalUrl"].endswith(f"/resource{hub.id}/overview")
    assert dev_run.secret_outputs == set()


def test_openai_mode_with_a_new_account():
    run = run_stack(providerMode="openAI")
    assert run.one(ACCOUNT).inputs["kind"] == "OpenAI"
    assert run.one(CONNECTION, connectionName=run.outputs.get("providerConnection")).inputs["properties"]["category"] == "AzureOpenAI"


def test_openai_mode_with_an_existing_account():
    run = run_stack(providerMode="openAI", provider={"existingAccountId": EXISTING["openai"]})
    assert run.by_type(ACCOUNT) == [] and run.by_type(DEPLOYMENT) == []
    assert run.one(CONNECTION, connectionName=run.outputs.get("providerConnection")).inputs["properties"]["metadata"]["ResourceId"] == EXISTING["openai"]
    assert run.outputs["providerAccountId"] == EXISTING["openai"]


def test_existing_resource_group_and_dependencies():
    run = run_stack(
        resourceGroup="rg-platform",
        dependencies={"storageAccountId": EXISTING["storage"], "keyVaultId": EXISTING["vault"],
                      "applicationInsightsId": EXISTING["insights"], "containerRegistryId": EXISTING["registry"]},
        diagnostics={"logAnalyticsWorkspaceId": EXISTING["logs"]},
    )
    assert run.by_type(RESOURCE_GROUP) == []
    assert run.by_type(STORAGE) == run.by_type(VAULT) == run.by_type(INSIGHTS) == run.by_type(LOGS) == []
    ws = run.one(WORKSPACE, kind="Hub").inputs
    assert ws["resourceGroupName"] == "rg-platform"
    assert ws["storageAccount"] == EXISTING["storage"] and ws["containerRegistry"] == EXISTING["registry"]
    assert run.outputs["resourceGroup"] == "rg-platform"


def test_container_registry_flag():
    run = run_stack(dependencies={"containerRegistry": True})
    registry = run.one(REGISTRY)
    assert run.one(WORKSPACE, kind="Hub").inputs["containerRegistry"] == registry.id


def test_same_config_gives_the_same_names_and_inputs(dev_run):
    again = run_stack("dev")

    def snapshot(run):
        return sorted((r.urn, repr(r.inputs), tuple(r.dependencies)) for r in run.registrations)

    assert snapshot(again) == snapshot(dev_run)
    assert again.outputs == dev_run.outputs


def test_another_stack_gets_other_global_names(dev_run):
    from harness import ROOT, stack_config

    from offline.engine import run_program

    project, config, secrets = stack_config("dev")
    staging = run_program(ROOT / "__main__.py", config, project=project, stack="staging", secret_keys=secrets)
    assert staging.one(RESOURCE_GROUP).inputs["resourceGroupName"] == "rg-contoso-ai-staging"
    for type_, key in ((STORAGE, "accountName"), (VAULT, "vaultName")):
        assert staging.one(type_).inputs[key] != dev_run.one(type_).inputs[key]


@pytest.mark.parametrize(
    "overrides, path",
    [
        ({"projects": [{"name": "chat"}, {"name": "chat"}]}, "azure-ai-hub:projects"),
        ({"projects": [{"name": "chat", "members": [{"principalId": "alice"}]}]},
         "azure-ai-hub:projects[0].members[0].principalId"),
        ({"connections": [{"name": "w", "category": "ApiKey", "target": "https://w"}]},
         "azure-ai-hub:connections[0].name"),
        ({"connections": [{"name": "weather", "category": "ApiKey", "target": "https://w.example.com"}]},
         "azure-ai-hub:connections[0]"),
        ({"network": {"privateEndpoints": {}}}, "azure-ai-hub:network.privateEndpoints.subnetId"),
        ({"network": {"outboundRules": [{"name": "pypi", "type": "FQDN", "destination": "pypi.org"}]}},
         "azure-ai-hub:network.outboundRules[0].type"),
        ({"encryption": {"keyName": "k"}}, "azure-ai-hub:encryption.keyVaultId"),
        ({"hub": {"name": "Contoso AI"}}, "azure-ai-hub:hub.name"),
        ({"providerMode": "cognitive"}, "azure-ai-hub:providerMode"),
        ({"hub": {"name": "contoso-ai", "frendlyName": "x"}}, "azure-ai-hub:hub.frendlyName"),
        ({"provider": {"existingAccountId": EXISTING["storage"]}}, "azure-ai-hub:provider.existingAccountId"),
        ({"dependencies": {"keyVaultId": EXISTING["storage"]}}, "azure-ai-hub:dependencies.keyVaultId"),
        ({"tags": {"owner": ["a", "b"]}}, "azure-ai-hub:tags.owner"),
        ({"tags": "owner"}, "azure-ai-hub:tags"),
    ],
)
def test_bad_config_stops_before_anything_is_registered(overrides, path):
    run = run_stack(check=False, **overrides)
    assert isinstance(run.error, ConfigError)
    assert path in [p for p, _ in run.error.problems]
    assert [r.type for r in run.registrations if r.type != "pulumi:pulumi:Stack"] == []


def test_a_secret_config_value_never_reaches_resources_in_plaintext(tmp_path):
    # `pulumi config set --secret --path azure-ai-hub:tags.owner alice` stores the
    # whole key as a secret; the program refuses it instead of tagging in plaintext.
    import shutil

    from harness import ROOT

    from offline.engine import load_stack_config, offline_secret, run_program

    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    (tmp_path / "Pulumi.sec.yaml").write_text(
        (ROOT / "Pulumi.dev.yaml").read_text().replace("owner: platform-team", "owner:\n      secure: v1:abc")
    )
    project, config, secrets = load_stack_config(tmp_path, "sec")
    assert secrets == ["azure-ai-hub:tags"]
    run = run_program(ROOT / "__main__.py", config, project=project, stack="sec", secret_keys=secrets, check=False)
    assert isinstance(run.error, ConfigError)
    assert [p for p, _ in run.error.problems] == ["azure-ai-hub:tags"]
    leaked = offline_secret("azure-ai-hub:tags.owner")
    assert leaked in config["azure-ai-hub:tags"]  # the stand-in really was in the config
    assert all(leaked not in repr(r.inputs) for r in run.registrations)


# -- projects, members and connections (scenario tests/stacks/max.yaml) -------------------

from harness import PROJECT  # noqa: E402
from pulumi.runtime import rpc  # noqa: E402

from offline.engine import offline_secret  # noqa: E402


@pytest.fixture(scope="module")
def max_run():
    return run_stack("max")


def test_dev_stack_projects_and_shared_connection(dev_run):
    hub_ws = dev_run.one(WORKSPACE, kind="Hub")
    projects = dev_run.by_type(WORKSPACE)
    assert sorted(p.inputs["workspaceName"] for p in projects if p.inputs["kind"] == "Project") == [
        "proj-contoso-ai-chat", "proj-contoso-ai-research"]
    assert all(p.inputs["hubResourceId"] == hub_ws.id for p in projects if p.inputs["kind"] == "Project")
    hub_component = dev_run.one("aihub:index:AIHub")
    assert {p.parent for p in dev_run.by_type(PROJECT)} == {hub_component.urn}
    feed = dev_run.one(CONNECTION, connectionName="pypi")
    assert feed.inputs["workspaceName"] == "hub-contoso-ai"
    assert feed.inputs["properties"] == {"authType": "None", "category": "PythonFeed",
                                         "target": "https://pypi.org/simple", "isSharedToAll": True, "metadata": {}}
    provider = dev_run.one(CONNECTION, connectionName="ais-contoso-ai")
    assert provider.urn in feed.dependencies  # after the provider connection on the same hub


def test_project_outputs(dev_run):
    chat = dev_run.one(WORKSPACE, workspaceName="proj-contoso-ai-chat")
    out = dev_run.outputs["projects"]["chat"]
    assert out["name"] == "proj-contoso-ai-chat" and out["id"] == chat.id
    assert out["foundryUrl"].startswith(f"https://ai.azure.com/build/overview?wsid={chat.id}&tid=")
    assert out["portalUrl"].endswith(f"/resource{chat.id}/overview")
    assert set(dev_run.outputs["projects"]) == {"chat", "research"}


def test_every_category_and_auth_type(max_run):
    sent = {}
    for conn in max_run.by_type(CONNECTION):
        props = rpc.unwrap_rpc_secret(conn.inputs["properties"])
        sent[conn.inputs["connectionName"]] = (props["category"], props["authType"], conn.inputs["workspaceName"])
    assert sent == {
        "ais-contoso-max": ("AIServices", "AAD", "hub-contoso-max"),
        "search": ("CognitiveSearch", "AAD", "hub-contoso-max"),
        "search-legacy": ("CognitiveSearch", "ApiKey", "hub-contoso-max"),
        "openai-eu": ("AzureOpenAI", "AAD", "hub-contoso-max"),
        "docs": ("AzureBlob", "AAD", "hub-contoso-max"),
        "weather": ("ApiKey", "ApiKey", "hub-contoso-max"),
        "crm": ("CustomKeys", "CustomKeys", "hub-contoso-max"),
        "pypi": ("PythonFeed", "None", "hub-contoso-max"),
        "chat-services": ("AIServices", "AAD", "proj-contoso-max-chat"),
        "tickets": ("ApiKey", "ApiKey", "proj-contoso-max-chat"),
    }


def test_a_projects_connection_gets_its_outbound_rule_from_the_hub():
    # The config passes the projects' connections to AIHub, which declares every private-endpoint rule.
    run = run_stack("max", network={"isolationMode": "AllowOnlyApprovedOutbound"})
    rules = run.one(WORKSPACE, kind="Hub").inputs["managedNetwork"]["outboundRules"]
    assert rules["connection-chat-services"] == {"type": "PrivateEndpoint", "category": "UserDefined", "destination": {
        "serviceResourceId": "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-ai/providers/"
                             "Microsoft.CognitiveServices/accounts/ais-other",
        "subresourceTarget": "account", "sparkEnabled": False}}
    assert sorted(rules) == ["connection-chat-services", "connection-docs", "connection-openai-eu",
                             "connection-search", "connection-search-legacy", "provider-account"]


def test_connections_on_each_workspace_form_one_chain(max_run):
    by_workspace: dict[str, list] = {}
    for conn in max_run.by_type(CONNECTION):
        by_workspace.setdefault(conn.inputs["workspaceName"], []).append(conn)
    for workspace, conns in by_workspace.items():
        urns = {c.urn for c in conns}
        firsts = [c for c in conns if not urns & set(c.dependencies)]
        assert len(firsts) == 1, workspace  # exactly one starts the chain...
        for c in conns:  # ...and every other waits for exactly one connection before it
            assert c in firsts or len(urns & set(c.dependencies)) == 1, c.name
    hub_chain = by_workspace["hub-contoso-max"]
    assert [c.inputs["connectionName"] for c in hub_chain if not {x.urn for x in hub_chain} & set(c.dependencies)] == [
        "ais-contoso-max"]


def test_key_material_stays_secret(max_run):
    stand_ins = {
        offline_secret("azure-ai-hub:connectionKeys.search-legacy"),
        offline_secret("azure-ai-hub:connectionKeys.weather"),
        offline_secret("azure-ai-hub:connectionKeys.crm.x-api-key"),
        offline_secret("azure-ai-hub:connectionKeys.crm.x-tenant"),
        offline_secret("azure-ai-hub:connectionKeys.tickets"),
    }

    def plain_strings(value):
        """Strings not inside a secret."""
        if rpc.is_rpc_secret(value):
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in plain_strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in plain_strings(v)]
        return []

    found_secret = set()
    for r in max_run.registrations:
        assert not stand_ins & set(plain_strings(r.inputs)), r.name
        if r.type == CONNECTION and rpc.is_rpc_secret(r.inputs.get("properties")):
            found_secret |= {s for s in stand_ins if s in repr(r.inputs["properties"])}
            assert r.additional_secret_outputs == ["properties"]
    assert found_secret == stand_ins  # each key really was sent, as a secret
    assert not any(s in repr(max_run.outputs) for s in stand_ins)


def test_members_get_roles_on_project_and_provider(max_run):
    chat = max_run.one(WORKSPACE, workspaceName="proj-contoso-max-chat")
    account = max_run.one(ACCOUNT)
    alice = "aaaaaaaa-0000-4000-8000-000000000001"
    on_chat = {(r.inputs["principalId"], r.inputs["roleDefinitionId"].rsplit("/", 1)[-1], r.inputs["principalType"])
               for r in max_run.by_type(ROLE) if r.inputs["scope"] == chat.id}
    assert on_chat == {
        (alice, "64702f94-c441-49e6-a78b-ef80e0188fee", "User"),
        ("aaaaaaaa-0000-4000-8000-000000000002", "f6c7c914-8db3-469d-8ca1-694a8f32e121", "Group"),
        ("aaaaaaaa-0000-4000-8000-000000000003", "f6c7c914-8db3-469d-8ca1-694a8f32e121", "ServicePrincipal"),
    }
    assert any(r.inputs["scope"] == account.id and r.inputs["principalId"] == alice for r in max_run.by_type(ROLE))
    names = [r.inputs["roleAssignmentName"] for r in max_run.by_type(ROLE)]
    assert len(names) == len(set(names))


def test_max_scenario_is_deterministic(max_run):
    again = run_stack("max")
    assert sorted((r.urn, repr(r.inputs)) for r in again.registrations) == sorted(
        (r.urn, repr(r.inputs)) for r in max_run.registrations)




# -- the production stack (Pulumi.prod.yaml) ---------------------------------------------

from harness import DNS_ZONE, ENDPOINT, IDENTITY, KEY, REGISTRY, VNET  # noqa: E402


@pytest.fixture(scope="module")
def prod_run():
    return run_stack("prod")


def test_prod_is_private(prod_run):
    assert prod_run.warnings == []
    hub = prod_run.one(WORKSPACE, kind="Hub").inputs
    assert hub["publicNetworkAccess"] == "Disabled"
    for project in (p for p in prod_run.by_type(WORKSPACE) if p.inputs["kind"] == "Project"):
        # Projects inherit the hub's network (no managed network or endpoints of their own) but carry its
        # public network access: the prod policy denying public ML workspaces judges each project's request.
        assert project.inputs["publicNetworkAccess"] == "Disabled" and "managedNetwork" not in project.inputs
    assert prod_run.one(ACCOUNT).inputs["properties"]["publicNetworkAccess"] == "Disabled"
    assert prod_run.one(STORAGE).inputs["publicNetworkAccess"] == "Disabled"
    assert prod_run.one(VAULT).inputs["properties"]["publicNetworkAccess"] == "Disabled"
    assert prod_run.one(REGISTRY).inputs["publicNetworkAccess"] == "Disabled"


def test_prod_managed_network(prod_run):
    net = prod_run.one(WORKSPACE, kind="Hub").inputs["managedNetwork"]
    assert net["isolationMode"] == "AllowOnlyApprovedOutbound" and net["firewallSku"] == "Standard"
    assert sorted(net["outboundRules"]) == ["monitor-scope", "provider-account", "pypi", "pypi-files"]
    # Private monitoring is reached from the managed network through its private link scope.
    scope = net["outboundRules"]["monitor-scope"]["destination"]
    assert scope["subresourceTarget"] == "azuremonitor"
    assert scope["serviceResourceId"] == prod_run.one("azure-native:monitor:PrivateLinkScope").id
    assert prod_run.one(WORKSPACE, kind="Hub").inputs["provisionNetworkNow"] is True


def test_prod_private_endpoints_and_dns(prod_run):
    groups = sorted(e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in prod_run.by_type(ENDPOINT))
    assert groups == ["account", "amlworkspace", "azuremonitor", "blob", "file", "registry", "vault"]
    assert prod_run.one(VNET).inputs["addressSpace"] == {"addressPrefixes": ["10.20.0.0/16"]}
    assert len(prod_run.by_type(DNS_ZONE)) == 13


def test_prod_customer_managed_key(prod_run):
    hub = prod_run.one(WORKSPACE, kind="Hub").inputs
    assert hub["encryption"]["status"] == "Enabled"
    cmk_identity = prod_run.one(IDENTITY, "contoso-ai-cmk-identity").id
    assert hub["encryption"]["identity"]["userAssignedIdentity"] == cmk_identity
    assert hub["encryption"]["keyVaultProperties"]["keyIdentifier"] == prod_run.one(KEY).state["keyUriWithVersion"]


def test_prod_is_deterministic(prod_run):
    again = run_stack("prod")
    assert sorted((r.urn, repr(r.inputs)) for r in again.registrations) == sorted(
        (r.urn, repr(r.inputs)) for r in prod_run.registrations)


# -- data safety ---------------------------------------------------------------------------



def test_prod_protects_and_retains_what_holds_data(prod_run):
    by_type = {}
    for r in prod_run.resources:
        if r.custom:
            by_type.setdefault(r.type, set()).add((bool(r.protect), bool(r.retain_on_delete)))
    assert by_type[WORKSPACE] == {(True, False)}  # the hub and both projects
    assert by_type[ACCOUNT] == {(True, False)}
    # The stack's own group holds the retained stores: deleting it would delete them (test_lifecycle).
    for data_store in (STORAGE, VAULT, LOGS, KEY, RESOURCE_GROUP):
        assert by_type[data_store] == {(True, True)}, data_store
    # The hub's primary identity goes with the hub: without it the hub can't reach anything.
    assert prod_run.one(IDENTITY, "contoso-ai-hub-identity").protect is True
    assert not prod_run.one(IDENTITY, "contoso-ai-cmk-identity").protect
    # Nothing else is protected: connections, roles and endpoints come and go freely.
    for type_, seen in by_type.items():
        if type_ not in (WORKSPACE, ACCOUNT, STORAGE, VAULT, LOGS, KEY, IDENTITY, RESOURCE_GROUP):
            assert seen == {(False, False)}, type_


def test_dev_protects_nothing(dev_run):
    assert all(not r.protect and not r.retain_on_delete for r in dev_run.resources if r.custom)


def test_locks_are_opt_in_and_never_read_only(dev_run):
    assert dev_run.by_type(LOCK) == []
    run = run_stack("prod", locks="true")
    locks = run.by_type(LOCK)
    scopes = {r.inputs["scope"] for r in locks}
    assert scopes == {run.one(WORKSPACE, kind="Hub").id, run.one(STORAGE).id, run.one(VAULT).id}
    assert {r.inputs["level"] for r in locks} == {"CanNotDelete"}
