"""FoundryProject: the project, its identity's and members' roles, its connections, and the standard agent setup.

Everything is read from what the component registers (wire-format inputs, parents, dependencies, options).
"""

import re

import pulumi
import pytest
from harness import ROLE, SHARED, run_component, waits_for

from components.foundry_checks import foundry_project_problems
from components.foundry_project import (
    FoundryProject,
    agent_blob_condition,
    agent_store_connection_names,
    workspace_guid,
)
from components.naming import CONNECTION_NAME_PATTERN
from components.resource_types import COSMOS_ROLE, PROJECT_ACCOUNT, PROJECT_CONNECTION
from components.roles import BUILTIN_ROLES
from components.validation import ArgsError
from offline.azure_state import GENERIC_RESOURCE, principal_for, workspace_id_for

COMPONENT = "aihub:index:FoundryProject"
SLEEP = "time:index/sleep:Sleep"
SUB = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-ai/providers"
ACCOUNT_ID = f"{SUB}/Microsoft.CognitiveServices/accounts/ais-x"
COSMOS_ID = f"{SUB}/Microsoft.DocumentDB/databaseAccounts/cosmos-agents"
SEARCH_ID = f"{SUB}/Microsoft.Search/searchServices/srch-agents"
STORAGE_ID = f"{SUB}/Microsoft.Storage/storageAccounts/stagents"
STORES = {
    "cosmos_db_account_id": COSMOS_ID,
    "cosmos_db_endpoint": "https://cosmos-agents.documents.azure.com:443/",
    "search_service_id": SEARCH_ID,
    "search_endpoint": "https://srch-agents.search.windows.net",
    "storage_account_id": STORAGE_ID,
    "storage_blob_endpoint": "https://stagents.blob.core.windows.net/",
}
ALICE = "aaaaaaaa-0000-4000-8000-000000000001"
BOB = "bbbbbbbb-0000-4000-8000-000000000002"
# Learn (foundry/concepts/rbac-foundry): roles that start with Cognitive Services, and Azure AI Developer, are not for
# Foundry.
REFUSED_GUIDS = {g for n, g in BUILTIN_ROLES.items() if n.startswith("Cognitive Services") or n == "Azure AI Developer"}


def args(**changes):
    base = {"project_name": "chat", "account_name": "ais-x", "account_id": ACCOUNT_ID, "resource_group_name": "rg-ai",
            "location": "swedencentral"}
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


def build(*projects, opts=None):
    def program():
        for name, project_args in projects:
            FoundryProject(name, project_args, opts)

    return run_component(program)


def standard(**changes):
    return args(agent_setup="standard", agent_stores=dict(STORES), **changes)


def role_guid(reg):
    return reg.inputs["roleDefinitionId"].rsplit("/", 1)[1]


def project_id(run, name="chat"):
    return run.one(PROJECT_ACCOUNT, name).id


# --- the project ------------------------------------------------------------------------------------------------


def test_project_wire_format_and_parent():
    run = build(("chat", args(display_name="Chat team", description="Customer chat", tags={"team": "chat"},
                              protect=True)))
    component = run.one(COMPONENT)
    project = run.one(PROJECT_ACCOUNT)
    assert project.parent == component.urn
    assert project.inputs == {
        "accountName": "ais-x",
        "projectName": "chat",
        "resourceGroupName": "rg-ai",
        "location": "swedencentral",
        "identity": {"type": "SystemAssigned"},
        "properties": {"displayName": "Chat team", "description": "Customer chat"},
        "tags": {"team": "chat"},
    }
    assert project.protect is True


def test_display_name_defaults_to_the_project_name():
    project = build(("chat", args())).one(PROJECT_ACCOUNT)
    assert project.inputs["properties"] == {"displayName": "chat"}
    assert not project.protect


def test_the_components_depends_on_reaches_the_project():
    def program():
        before = pulumi.ComponentResource("test:index:Account", "account")
        gate = pulumi.CustomResource("test:index:Gate", "gate", opts=pulumi.ResourceOptions(parent=before))
        FoundryProject("chat", args(), pulumi.ResourceOptions(depends_on=[gate]))

    run = run_component(program)
    assert run.one("test:index:Gate").urn in run.one(PROJECT_ACCOUNT).dependencies


def test_outputs():
    captured = {}

    def program():
        project = FoundryProject("chat", args())
        for key in ("project_id", "project_name", "principal_id", "endpoint", "foundry_url", "portal_url"):
            getattr(project, key).apply(lambda v, k=key: captured.__setitem__(k, v))

    run = run_component(program)
    pid = project_id(run)
    assert captured["project_id"] == pid and captured["project_name"] == "chat"
    assert captured["principal_id"] == principal_for(pid)
    assert captured["endpoint"] == "https://ais-x.services.ai.azure.com/api/projects/chat"
    assert captured["foundry_url"].startswith(f"https://ai.azure.com/foundryProject/overview?wsid={pid}&tid=")
    assert captured["portal_url"].startswith("https://portal.azure.com/#@") and pid in captured["portal_url"]


# --- roles ------------------------------------------------------------------------------------------------------


def test_project_identity_is_foundry_user_on_the_account():
    run = build(("chat", args()))
    grant = run.one(ROLE, "chat-identity-foundry-user")
    assert grant.parent == run.one(COMPONENT).urn
    assert grant.inputs["scope"] == ACCOUNT_ID
    assert role_guid(grant) == "53ca6127-db72-4b80-b1b0-d745d6d5456d"
    assert grant.inputs["principalId"] == principal_for(project_id(run))
    assert grant.inputs["principalType"] == "ServicePrincipal"


def test_members_get_foundry_user_on_the_project_by_default():
    run = build(("chat", args(members=[{"principal_id": ALICE},
                                       {"principal_id": BOB, "principal_type": "Group",
                                        "role": "Foundry Project Manager"}])))
    pid = project_id(run)
    alice = run.one(ROLE, f"chat-member-{ALICE}-foundry-user")
    assert (alice.inputs["scope"], alice.inputs["principalId"], alice.inputs["principalType"], role_guid(alice)) == (
        pid, ALICE, "User", "53ca6127-db72-4b80-b1b0-d745d6d5456d")
    bob = run.one(ROLE, f"chat-member-{BOB}-foundry-project-manager")
    assert (bob.inputs["scope"], bob.inputs["principalType"], role_guid(bob)) == (
        pid, "Group", "eadc314b-1a2d-4efa-be10-5d325db5065e")


def test_a_former_role_name_is_the_same_grant_under_the_same_name():
    old = build(("chat", args(members=[{"principal_id": ALICE, "role": "Azure AI User"}])))
    new = build(("chat", args(members=[{"principal_id": ALICE, "role": "Foundry User"}])))
    old_grant, new_grant = (r.one(ROLE, f"chat-member-{ALICE}-foundry-user") for r in (old, new))
    assert old_grant.urn == new_grant.urn and old_grant.inputs == new_grant.inputs


@pytest.mark.parametrize("role", ["Azure AI Developer", "Cognitive Services User", "Cognitive Services OpenAI User",
                                  "a97b65f3-24c7-4388-baec-2e87135dc908"])
def test_roles_learn_says_not_to_use_are_refused_before_anything_registers(role):
    run = run_component_unchecked(args(members=[{"principal_id": ALICE, "role": role}]))
    assert isinstance(run.error, ArgsError)
    (path, reason), = run.error.problems
    assert path == "members[0].role" and "rbac-foundry" in reason
    assert not run.resources


def test_no_cognitive_services_role_anywhere():
    run = build(("chat", standard(members=[{"principal_id": ALICE}])))
    grants = run.by_type(ROLE)
    assert len(grants) == 7  # the account's, the member's, four before the capability host, Blob Data Owner after
    assert not {role_guid(g) for g in grants} & REFUSED_GUIDS


def run_component_unchecked(project_args):
    from offline.engine import run

    return run(lambda: FoundryProject("chat", project_args), {"azure-native:location": "westeurope"},
               project="test", stack="unit", check=False)


# --- connections ------------------------------------------------------------------------------------------------


def test_project_connections_are_chained_on_the_project():
    run = build(("chat", args(connections=[
        {"name": n, "category": "ApiKey", "target": "https://a.example.com", "api_key": "k"} for n in ("alpha", "beta")])))
    conns = {r.inputs["connectionName"]: r for r in run.by_type(PROJECT_CONNECTION)}
    assert set(conns) == {"alpha", "beta"}
    assert all(c.inputs["projectName"] == "chat" and c.inputs["accountName"] == "ais-x" for c in conns.values())
    assert conns["alpha"].urn in conns["beta"].dependencies
    assert all(run.by_urn(c.parent).type == SHARED and run.by_urn(run.by_urn(c.parent).parent).type == COMPONENT
               for c in conns.values())


def test_hub_only_connection_is_refused_on_a_foundry_project():
    run = run_component_unchecked(args(connections=[
        {"name": "pypi", "category": "PythonFeed", "target": "https://pypi.org/simple", "auth_type": "None"}]))
    assert any(p == "connections[0].category" and "hubs only" in r for p, r in run.error.problems)
    assert not run.resources


# --- basic setup ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("setup", [None, "basic", "none"])
def test_basic_and_no_agents_create_no_capability_host_nor_store_access(setup):
    run = build(("chat", args(agent_setup=setup)))
    assert {r.type for r in run.resources} == {COMPONENT, PROJECT_ACCOUNT, ROLE}
    assert not any(token == "azure-native:resources:getResource" for token, _ in run.invokes)


# --- standard setup ---------------------------------------------------------------------------------------------


def test_standard_setup_connects_the_three_stores_after_the_projects_own_connections():
    run = build(("chat", standard(connections=[
        {"name": "weather", "category": "ApiKey", "target": "https://w.example.com", "api_key": "k"}])))
    conns = {r.inputs["connectionName"]: r for r in run.by_type(PROJECT_CONNECTION)}
    assert conns["chat-cosmos"].inputs["properties"] == {
        "authType": "AAD", "category": "CosmosDb", "target": STORES["cosmos_db_endpoint"], "isSharedToAll": True,
        "metadata": {"ApiType": "Azure", "ResourceId": COSMOS_ID, "location": "swedencentral"}}
    assert conns["chat-storage"].inputs["properties"] == {
        "authType": "AAD", "category": "AzureStorageAccount", "target": STORES["storage_blob_endpoint"],
        "isSharedToAll": True, "metadata": {"ApiType": "Azure", "ResourceId": STORAGE_ID, "location": "swedencentral"}}
    assert conns["chat-search"].inputs["properties"] == {
        "authType": "AAD", "category": "CognitiveSearch", "target": STORES["search_endpoint"], "isSharedToAll": True,
        "metadata": {"ApiType": "Azure", "ResourceId": SEARCH_ID, "location": "swedencentral"}}
    order = ["weather", "chat-cosmos", "chat-storage", "chat-search"]
    for before, after in zip(order, order[1:], strict=False):
        assert conns[before].urn in conns[after].dependencies, (before, after)


def test_roles_before_then_a_wait_then_the_capability_host():
    run = build(("chat", standard()))
    principal = principal_for(project_id(run))
    before = {
        "chat-identity-cosmos-db-operator": (COSMOS_ID, "230815da-be43-4aae-9cb4-875f7bd000aa"),
        "chat-identity-storage-blob-data-contributor": (STORAGE_ID, "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
        "chat-identity-search-index-data-contributor": (SEARCH_ID, "8ebe5a00-799e-43f5-93ac-243d3dce84a7"),
        "chat-identity-search-service-contributor": (SEARCH_ID, "7ca78c08-252a-4471-8644-bb5ff32d4ba0"),
    }
    wait = run.one(SLEEP)
    caphost = run.one(GENERIC_RESOURCE)
    for name, (scope, guid) in before.items():
        grant = run.one(ROLE, name)
        assert (grant.inputs["scope"], role_guid(grant), grant.inputs["principalId"]) == (scope, guid, principal)
        assert grant.urn in wait.dependencies
        assert not waits_for(run, grant, caphost)
    assert wait.urn in caphost.dependencies
    for conn in run.by_type(PROJECT_CONNECTION):
        assert waits_for(run, caphost, conn)


def test_capability_host_body_and_options():
    run = build(("chat", standard()))
    caphost = run.one(GENERIC_RESOURCE)
    assert caphost.parent == run.one(COMPONENT).urn
    assert caphost.inputs == {
        "resourceProviderNamespace": "Microsoft.CognitiveServices",
        "parentResourcePath": "accounts/ais-x/projects/chat",
        "resourceType": "capabilityHosts",
        "resourceName": "caphost-chat",
        "resourceGroupName": "rg-ai",
        "apiVersion": "2025-06-01",
        # Learn, foundry/agents/concepts/capability-hosts: the project capability host's request.
        "properties": {
            "capabilityHostKind": "Agents",
            "threadStorageConnections": ["chat-cosmos"],
            "storageConnections": ["chat-storage"],
            "vectorStoreConnections": ["chat-search"],
        },
    }
    # Any change of its body replaces it (Azure can't update one); its name and parent are its ID already.
    assert caphost.replace_on_changes == ["properties", "apiVersion"]
    assert caphost.delete_before_replace is True
    assert caphost.id.endswith("/accounts/ais-x/projects/chat/capabilityHosts/caphost-chat")


def test_capability_host_name_can_be_given():
    caphost = build(("chat", standard(capability_host_name="agents"))).one(GENERIC_RESOURCE)
    assert caphost.inputs["resourceName"] == "agents"


def test_cosmos_data_role_on_the_agent_database_after_the_capability_host():
    run = build(("chat", standard()))
    caphost = run.one(GENERIC_RESOURCE)
    data = run.one(COSMOS_ROLE)
    assert data.parent == run.one(COMPONENT).urn
    assert {k: v for k, v in data.inputs.items() if k != "roleAssignmentId"} == {
        "accountName": "cosmos-agents",
        "resourceGroupName": "rg-ai",
        "principalId": principal_for(project_id(run)),
        "roleDefinitionId": f"{COSMOS_ID}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002",
        "scope": f"{COSMOS_ID}/dbs/enterprise_memory",
    }
    assert re.fullmatch(r"[0-9a-f-]{36}", data.inputs["roleAssignmentId"])
    assert caphost.urn in data.dependencies
    assert data.delete_before_replace is True


def test_blob_data_owner_is_conditioned_on_the_projects_workspace_id_after_the_capability_host():
    run = build(("chat", standard()))
    pid = project_id(run)
    owner = run.one(ROLE, "chat-identity-storage-blob-data-owner")
    assert owner.inputs["scope"] == STORAGE_ID
    assert role_guid(owner) == "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
    assert owner.inputs["conditionVersion"] == "2.0"
    guid = workspace_guid(workspace_id_for(pid))
    # foundry-samples 15 blob-storage-container-role-assignments.bicep, whitespace aside.
    assert owner.inputs["condition"] == (
        "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read'}) AND "
        "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/filter/action'}) AND "
        "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write'})) OR "
        f"(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringStartsWithIgnoreCase "
        f"'{guid}' AND @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] "
        "StringLikeIgnoreCase '*-azureml-agent'))")
    assert run.one(GENERIC_RESOURCE).urn in owner.dependencies
    # The workspace ID came from a GET of this project (azure-native's Project has no internalId).
    (token, call), = [(t, a) for t, a in run.invokes if t == "azure-native:resources:getResource"]
    assert call == {"resourceProviderNamespace": "Microsoft.CognitiveServices", "parentResourcePath": "accounts/ais-x",
                    "resourceType": "projects", "resourceName": "chat", "resourceGroupName": "rg-ai",
                    "apiVersion": "2025-06-01"}


def test_two_projects_on_one_set_of_stores_do_not_collide():
    run = build(("chat", standard()), ("research", standard(project_name="research")))
    names = [r.inputs["connectionName"] for r in run.by_type(PROJECT_CONNECTION)]
    assert sorted(names) == sorted(["chat-cosmos", "chat-storage", "chat-search",
                                    "research-cosmos", "research-storage", "research-search"])
    assignment_names = [r.inputs["roleAssignmentName"] for r in run.by_type(ROLE)]
    assert len(assignment_names) == len(set(assignment_names))
    cosmos_ids = [r.inputs["roleAssignmentId"] for r in run.by_type(COSMOS_ROLE)]
    assert len(cosmos_ids) == 2 and len(set(cosmos_ids)) == 2
    assert {r.inputs["resourceName"] for r in run.by_type(GENERIC_RESOURCE)} == {"caphost-chat", "caphost-research"}


# --- validation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, path, reason",
    [
        (dict(agent_setup="standard"), "agent_stores", "is required for the standard agent setup"),
        (dict(agent_setup="standard", agent_stores={k: v for k, v in STORES.items() if k != "search_service_id"}),
         "agent_stores.search_service_id", "is required"),
        (dict(agent_setup="standard", agent_stores={**STORES, "cosmos_db_account_id": STORAGE_ID}),
         "agent_stores.cosmos_db_account_id", "Microsoft.DocumentDB/databaseAccounts"),
        (dict(agent_setup="standard", agent_stores={**STORES, "search_endpoint": "srch.search.windows.net"}),
         "agent_stores.search_endpoint", "https://"),
        (dict(agent_stores=dict(STORES)), "agent_stores", "belongs to the standard agent setup"),
        (dict(capability_host_name="agents"), "capability_host_name", "belongs to the standard agent setup"),
        (dict(agent_setup="standard", agent_stores=dict(STORES), capability_host_name="bad name"),
         "capability_host_name", "letters, digits"),
        (dict(agent_setup="standard", agent_stores=dict(STORES), connections=[
            {"name": "chat-cosmos", "category": "ApiKey", "target": "https://a.example.com", "api_key": "k"}]),
         "connections[0].name", "agent store's connection"),
        (dict(project_name="x"), "project_name", "2-64"),
        (dict(account_id=STORAGE_ID), "account_id", "Microsoft.CognitiveServices/accounts"),
        (dict(members=[{"principal_id": "alice"}]), "members[0].principal_id", "GUID"),
        (dict(members=[{"principal_id": ALICE}, {"principal_id": ALICE, "role": "Azure AI User"}]),
         "members[1].principal_id", "already has role 'Foundry User'"),
        (dict(agent_setup="advanced"), "agent_setup", "must be one of none, basic, standard"),
    ],
)
def test_bad_args_name_the_path_and_the_reason_before_anything_registers(changes, path, reason):
    run = run_component_unchecked(args(**changes))
    assert isinstance(run.error, ArgsError), run.error
    assert any(p == path and reason in r for p, r in run.error.problems), run.error.problems
    assert not run.resources


def test_the_validator_is_pure_and_passes_good_args():
    assert foundry_project_problems(standard(members=[{"principal_id": ALICE}])) == []


# --- pure helpers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "internal_id, guid",
    [
        ("0123456789abcdef0123456789ABCDEF", "01234567-89ab-cdef-0123-456789abcdef"),
        ("01234567-89ab-cdef-0123-456789abcdef", "01234567-89ab-cdef-0123-456789abcdef"),
    ],
)
def test_workspace_guid(internal_id, guid):
    assert workspace_guid(internal_id) == guid


@pytest.mark.parametrize("bad", ["", "xyz", "0123456789abcdef0123456789abcdeg", "0123456789abcdef"])
def test_workspace_guid_refuses_what_is_no_workspace_id(bad):
    with pytest.raises(ValueError, match="32 hex digits"):
        workspace_guid(bad)


@pytest.mark.parametrize(
    "project, expected",
    [
        ("chat", {"cosmos_db_account_id": "chat-cosmos", "storage_account_id": "chat-storage",
                  "search_service_id": "chat-search"}),
        ("team.chat", {"cosmos_db_account_id": "team-chat-cosmos", "storage_account_id": "team-chat-storage",
                       "search_service_id": "team-chat-search"}),
    ],
)
def test_agent_store_connection_names(project, expected):
    assert agent_store_connection_names(project) == expected


def test_long_project_names_give_valid_distinct_connection_names():
    a, b = "p" * 60 + "-one", "p" * 60 + "-two"
    names_a, names_b = agent_store_connection_names(a), agent_store_connection_names(b)
    for name in [*names_a.values(), *names_b.values()]:
        assert CONNECTION_NAME_PATTERN.match(name), name
    assert not set(names_a.values()) & set(names_b.values())


def test_condition_names_the_workspace_guid_once_as_a_prefix():
    condition = agent_blob_condition("01234567-89ab-cdef-0123-456789abcdef")
    assert condition.count("StringStartsWithIgnoreCase '01234567-89ab-cdef-0123-456789abcdef'") == 1
    assert condition.count("(") == condition.count(")")


def test_stores_from_another_resource_are_taken_as_outputs():
    # FoundryResource hands its stores over as Outputs: nothing about them is known at construction time.
    def program():
        stores = {key: pulumi.Output.from_input(value) for key, value in STORES.items()}
        FoundryProject("chat", {**args(agent_setup="standard"), "agent_stores": stores,
                                "account_id": pulumi.Output.from_input(ACCOUNT_ID)})

    run = run_component(program)
    assert run.one(COSMOS_ROLE).inputs["scope"] == f"{COSMOS_ID}/dbs/enterprise_memory"
    assert run.one(COSMOS_ROLE).inputs["accountName"] == "cosmos-agents"
    assert run.one(ROLE, "chat-identity-cosmos-db-operator").inputs["scope"] == COSMOS_ID
    assert run.one(ROLE, "chat-identity-foundry-user").inputs["scope"] == ACCOUNT_ID
    assert run.one(PROJECT_CONNECTION, "chat-chat-search").inputs["properties"]["target"] == STORES["search_endpoint"]


def test_a_bad_store_id_from_another_resource_fails_with_the_reason():
    def program():
        stores = {**STORES, "cosmos_db_account_id": pulumi.Output.from_input(STORAGE_ID)}
        FoundryProject("chat", {**args(agent_setup="standard"), "agent_stores": stores})

    from offline.engine import run

    result = run(program, {"azure-native:location": "westeurope"}, project="test", stack="unit", check=False)
    assert "Microsoft.DocumentDB/databaseAccounts" in str(result.error)


def test_a_get_without_internal_id_fails_with_the_reason():
    from components.foundry_project import _internal_id

    with pytest.raises(ValueError, match="no properties.internalId"):
        _internal_id({})
    with pytest.raises(ValueError, match="no properties.internalId"):
        _internal_id(None)
    assert _internal_id({"internalId": "0123456789abcdef0123456789abcdef"}) == "0123456789abcdef0123456789abcdef"
