"""Who gets which role, through the stack config: people once per hub, identities Azure doesn't already cover."""

from harness import ACCOUNT, COMPUTE, ENDPOINT, ROLE, STORAGE, WORKSPACE, run_stack

from components.roles import BUILTIN_ROLES

ALICE = "aaaaaaaa-0000-4000-8000-000000000001"
BOB = "aaaaaaaa-0000-4000-8000-000000000002"
STORAGE_ROLES = {"Storage Blob Data Contributor", "Storage File Data Privileged Contributor"}


def role_names(run, scope, principal):
    by_guid = {guid: name for name, guid in BUILTIN_ROLES.items()}
    return {by_guid[r.inputs["roleDefinitionId"].rsplit("/", 1)[-1]] for r in run.by_type(ROLE)
            if r.inputs["scope"] == scope and r.inputs["principalId"] == principal}


def test_a_person_in_two_projects_and_twice_in_one_is_granted_once_per_scope_and_role():
    run = run_stack("dev", projects=[
        {"name": "chat", "members": [{"principalId": ALICE},
                                     {"principalId": ALICE.upper(), "role": "AzureML Data Scientist"}]},
        {"name": "research", "members": [{"principalId": ALICE}, {"principalId": BOB, "storageAccess": False}]},
    ])
    keys = [(r.inputs["scope"], r.inputs["principalId"], r.inputs["roleDefinitionId"]) for r in run.by_type(ROLE)]
    assert len(keys) == len(set(keys))  # Azure would answer RoleAssignmentExists to a second one
    names = [r.inputs["roleAssignmentName"] for r in run.by_type(ROLE)]
    assert len(names) == len(set(names))
    account, storage = run.one(ACCOUNT).id, run.one(STORAGE).id
    assert role_names(run, account, ALICE) == {"Cognitive Services User"}
    assert role_names(run, storage, ALICE) == STORAGE_ROLES  # shared keys are off: uploads need these
    assert role_names(run, account, BOB) == {"Cognitive Services User"}
    assert role_names(run, storage, BOB) == set()  # opted out
    chat = run.one(WORKSPACE, workspaceName="proj-contoso-ai-chat").id
    assert role_names(run, chat, ALICE) == {"Azure AI Developer", "AzureML Data Scientist"}
    alice_grants = [r for r in run.by_type(ROLE) if r.inputs["principalId"] == ALICE]
    assert {r.inputs["principalType"] for r in alice_grants} == {"User"}


def test_the_hub_identity_gets_no_storage_role_azure_assigns_itself(dev_run):
    hub = dev_run.one(WORKSPACE, kind="Hub")
    principal = hub.state["identity"]["principalId"]
    assert role_names(dev_run, dev_run.one(STORAGE).id, principal) == set()


def test_private_storage_gives_each_project_reader_on_its_endpoints():
    run = run_stack("prod")
    endpoints = {r.inputs["privateEndpointName"]: r.id for r in run.by_type(ENDPOINT)}
    storage_endpoints = {endpoints["pe-contoso-ai-storage-blob"], endpoints["pe-contoso-ai-storage-file"]}
    for project in (p for p in run.by_type(WORKSPACE) if p.inputs["kind"] == "Project"):
        principal = project.state["identity"]["principalId"]
        readers = {r.inputs["scope"] for r in run.by_type(ROLE)
                   if r.inputs["principalId"] == principal and r.inputs["roleDefinitionId"].endswith(
                       BUILTIN_ROLES["Reader"])}
        assert readers == storage_endpoints


CI = [{"name": "ci-alice", "vmSize": "Standard_DS11_v2", "assignedUserObjectId": ALICE}]


def test_no_public_ip_only_with_the_hubs_private_endpoint():
    # Learn, configure-managed-network limitations: no public IP needs a private endpoint on the hub.
    private = run_stack("prod", computeInstances=CI).one(COMPUTE).inputs["properties"]["properties"]
    assert private["enableNodePublicIp"] is False
    isolated_without_endpoint = run_stack("dev", computeInstances=CI, network={
        "isolationMode": "AllowInternetOutbound"}).one(COMPUTE).inputs["properties"]["properties"]
    assert "enableNodePublicIp" not in isolated_without_endpoint


def test_a_compute_instance_user_gets_storage_access_even_when_not_a_member():
    run = run_stack("dev", computeInstances=[{"name": "ci-bob", "vmSize": "Standard_DS11_v2",
                                              "assignedUserObjectId": BOB}])
    assert role_names(run, run.one(STORAGE).id, BOB) == STORAGE_ROLES
    assert role_names(run, run.one(ACCOUNT).id, BOB) == {"Cognitive Services User"}
