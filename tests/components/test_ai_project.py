"""AIProject, built directly (no stack config), as the engine receives it."""

import pulumi
import pytest
from harness import CONNECTION, PROJECT, ROLE, SHARED, WORKSPACE, run_component

from components import AIProject
from components.ai_project import member_problems
from components.roles import BUILTIN_ROLES, role_assignment_name
from components.validation import ArgsError
from offline.engine import MOCK_TENANT, principal_for

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers"
HUB_ID = f"{SUB}/Microsoft.MachineLearningServices/workspaces/hub-x"
ACCOUNT_ID = f"{SUB}/Microsoft.CognitiveServices/accounts/ais-x"
STORAGE_ID = f"{SUB}/Microsoft.Storage/storageAccounts/stx"
BLOB_ENDPOINT = f"{SUB}/Microsoft.Network/privateEndpoints/pe-x-storage-blob"
FILE_ENDPOINT = f"{SUB}/Microsoft.Network/privateEndpoints/pe-x-storage-file"
ALICE = "aaaaaaaa-0000-4000-8000-000000000001"
TEAM = "aaaaaaaa-0000-4000-8000-000000000002"


def build(**extra):
    def program():
        project = AIProject("x-chat", {
            "workspace_name": "proj-x-chat",
            "hub_id": HUB_ID,
            "resource_group_name": "rg-ai",
            "location": "westeurope",
            **extra,
        })
        pulumi.export("foundry", project.foundry_url)
        pulumi.export("portal", project.portal_url)

    return run_component(program)


@pytest.fixture(scope="module")
def full():
    return build(
        friendly_name="Chat",
        description="Support assistant",
        members=[
            {"principal_id": ALICE},
            {"principal_id": TEAM, "principal_type": "Group", "role": "AzureML Data Scientist"},
        ],
        connections=[
            {"name": "tickets", "category": "ApiKey", "target": "https://t.example.com", "auth_type": "ApiKey",
             "api_key": pulumi.Output.secret("k")},
            {"name": "pypi", "category": "PythonFeed", "target": "https://pypi.org/simple", "auth_type": "None"},
        ],
        provider_account_id=ACCOUNT_ID,
        provider_role="Cognitive Services OpenAI User",
        storage_account_id=STORAGE_ID,
        storage_private_endpoint_ids={"storage-blob": BLOB_ENDPOINT, "storage-file": FILE_ENDPOINT},
        public_network_access="Disabled",
        tags={"env": "test"},
    )


def grants(run):
    return {
        (r.inputs["principalId"], r.inputs["scope"],
         next(n for n, g in BUILTIN_ROLES.items() if r.inputs["roleDefinitionId"].endswith(g)),
         r.inputs["principalType"])
        for r in run.by_type(ROLE)
    }


def test_project_workspace_inherits_from_the_hub(full):
    ws = full.one(WORKSPACE)
    assert ws.parent == full.one(PROJECT).urn
    assert ws.inputs == {
        "workspaceName": "proj-x-chat",
        "resourceGroupName": "rg-ai",
        "location": "westeurope",
        "kind": "Project",
        "hubResourceId": HUB_ID,
        "sku": {"name": "Basic", "tier": "Basic"},
        "identity": {"type": "SystemAssigned"},
        "friendlyName": "Chat",
        "description": "Support assistant",
        # The hub's: a Deny policy on public workspaces judges the project's own request.
        "publicNetworkAccess": "Disabled",
        "tags": {"env": "test"},
    }
    # Exactly the keys above: no managed network, storage, key vault or encryption of its own.


def test_members_and_identities_get_their_roles(full):
    project_id = full.one(WORKSPACE).id
    identity = principal_for(project_id)
    assert grants(full) == {
        (ALICE, project_id, "Azure AI Developer", "User"),
        (TEAM, project_id, "AzureML Data Scientist", "Group"),
        # What members need beyond the project is granted once per person by the hub (AIHubArgs.users).
        (identity, ACCOUNT_ID, "Cognitive Services OpenAI User", "ServicePrincipal"),
        # Not blob: with data isolation Azure gives the project's identity its own containers (ABAC).
        (identity, STORAGE_ID, "Storage File Data Privileged Contributor", "ServicePrincipal"),
        # Private storage: Learn, hub-configure-private-link, "Private storage configuration".
        (identity, BLOB_ENDPOINT, "Reader", "ServicePrincipal"),
        (identity, FILE_ENDPOINT, "Reader", "ServicePrincipal"),
    }
    for ra in full.by_type(ROLE):
        guid = ra.inputs["roleDefinitionId"].rsplit("/", 1)[-1]
        assert ra.inputs["roleAssignmentName"] == role_assignment_name(ra.inputs["scope"], ra.inputs["principalId"], guid)


def test_a_role_given_as_guid():
    run = build(members=[{"principal_id": ALICE, "role": "f6c7c914-8db3-469d-8ca1-694a8f32e121"}])
    (ra,) = run.by_type(ROLE)
    assert ra.inputs["roleDefinitionId"].endswith("/roleDefinitions/f6c7c914-8db3-469d-8ca1-694a8f32e121")


def test_project_connections_are_scoped_to_the_project_and_serialized(full):
    conns = {r.inputs["connectionName"]: r for r in full.by_type(CONNECTION)}
    assert set(conns) == {"tickets", "pypi"}
    assert all(c.inputs["workspaceName"] == "proj-x-chat" for c in conns.values())
    assert conns["tickets"].urn in conns["pypi"].dependencies
    assert {full.by_urn(s.parent).type for s in full.by_type(SHARED)} == {PROJECT}


def test_links(full):
    project_id = full.one(WORKSPACE).id
    assert full.outputs["foundry"] == f"https://ai.azure.com/build/overview?wsid={project_id}&tid={MOCK_TENANT}"
    assert full.outputs["portal"] == f"https://portal.azure.com/#@{MOCK_TENANT}/resource{project_id}/overview"


def test_minimal_project_grants_nothing_extra():
    run = build()
    assert run.by_type(ROLE) == [] and run.by_type(CONNECTION) == []
    assert run.one(WORKSPACE).inputs["friendlyName"] == "proj-x-chat"


@pytest.mark.parametrize(
    "member, field",
    [
        ({"principal_id": "alice@contoso.com"}, "principalId"),
        ({"principal_id": ALICE, "principal_type": "Robot"}, "principalType"),
        ({"principal_id": ALICE, "role": "Owner-ish"}, "role"),
    ],
)
def test_member_problems(member, field):
    assert [f for f, _ in member_problems(member)] == [field]


def test_invalid_member_is_refused():
    with pytest.raises(ArgsError, match=r"members\[0\]\.principal_id: must be an Entra ID object ID"):
        build(members=[{"principal_id": "alice"}])
