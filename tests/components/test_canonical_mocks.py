"""The components and the example under the mocks of Pulumi's own unit-testing guide.

A consumer's tests use `new_resource` -> (name + '_id', inputs) and `call` -> {}:
no resource IDs, no invoke results, no stack outputs. The components must still
register the same resources with sensible inputs. The project's own harness
(offline/engine.py) stays for realistic state.
"""

import importlib.util
import subprocess
import sys

import pulumi
import pytest
from harness import ENDPOINT, PROJECT, ROLE, ROOT, SHARED, VAULT, WORKSPACE, all_strings

from components import AIHub, AIProject, PrivateNetwork, SharedConnection
from components.resource_types import CONNECTION, POLICY_ASSIGNMENT
from components.roles import BUILTIN_ROLES

_spec = importlib.util.spec_from_file_location("run_under_mocks", ROOT / "examples" / "run_under_mocks.py")
canonical = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(canonical)  # type: ignore[union-attr]

SUB = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/shared-rg/providers"
MEMBER = "aaaaaaaa-0000-4000-8000-000000000001"
TENANT_ROLE = "/providers/Microsoft.Authorization/roleDefinitions/"


def test_the_mocks_are_the_guides():
    mocks = canonical.CanonicalMocks()
    args = pulumi.runtime.MockResourceArgs("t:m:R", "thing", {"a": 1}, "", "", True)
    assert mocks.new_resource(args) == ["thing_id", {"a": 1}]
    assert mocks.call(pulumi.runtime.MockCallArgs("t:m:f", {}, "")) == {}


def consumer():
    hub = AIHub("hub", {
        "name": "contoso-ai", "resource_group_name": "rg-ai", "location": "westeurope",
        "existing_provider_account_id": f"{SUB}/Microsoft.CognitiveServices/accounts/shared-openai",
        "provider_mode": "openAI",
        "model_deployments": [{"name": "gpt", "model": "gpt-4o", "version": "2024-11-20"}],
        "public_network_access": "Disabled",
        "create_container_registry": True,
        # No managed network: an isolated hub's user-assigned identity is sent as a list and typed as a map on
        # the way back, which echoing inputs can't give (README, "Unit tests with Pulumi's own mocks").
        "private_endpoints": {"vnet_address_prefix": "10.0.0.0/16", "subnet_prefix": "10.0.1.0/24"},
        "connections": [
            {"name": "docs", "category": "AzureBlob", "target": "https://stdocs.blob.core.windows.net",
             "resource_id": f"{SUB}/Microsoft.Storage/storageAccounts/stdocs", "metadata": {"ContainerName": "m"}},
            {"name": "weather", "category": "ApiKey", "target": "https://w.example.com", "auth_type": "ApiKey",
             "api_key": pulumi.Output.secret("k")},
        ],
        "policy_assignments": [{"name": "p1", "definition_id":
                                "/providers/Microsoft.Authorization/policyDefinitions/438c38d2-3772-465a-a9cc-7a6666a275ce"}],
        "budget": {"amount": 100, "thresholds": [80], "contact_emails": ["ops@example.com"]},
        "compute_instances": [{"name": "ci-one", "vm_size": "Standard_DS11_v2", "assigned_user_object_id": MEMBER}],
        "locks": True,
    })
    project = AIProject("proj", {
        "workspace_name": "proj-x", "hub_id": hub.hub_id, "resource_group_name": "rg-ai", "location": "westeurope",
        "members": [{"principal_id": MEMBER}], "provider_account_id": hub.provider_account_id,
        "storage_account_id": hub.storage_account_id, "diagnostics_workspace_id": hub.diagnostics_workspace_id,
    })
    SharedConnection("feed", {"name": "feed", "category": "PythonFeed", "target": "https://pypi.org/simple",
                              "auth_type": "None", "workspace_name": project.project_name,
                              "resource_group_name": "rg-ai"})
    PrivateNetwork("spoke", {"name": "spoke", "resource_group_name": "rg-ai", "location": "westeurope",
                             "subnet_id": f"{SUB}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe",
                             "targets": [{"name": "hub", "resource_id": hub.hub_id, "group_id": "amlworkspace"}]})
    pulumi.export("hubUrl", hub.foundry_url)
    pulumi.export("hubPortal", hub.portal_url)
    pulumi.export("projectUrl", project.foundry_url)


@pytest.fixture(scope="module")
def run():
    return canonical.run(consumer)


def test_consumer_registers_every_component(run):
    workspaces = {r.inputs["workspaceName"]: r.inputs for r in run.of_type(WORKSPACE)}
    assert workspaces["hub-contoso-ai"]["kind"] == "Hub"
    # The hub's ID under these mocks is the workspace's name + '_id'.
    assert workspaces["proj-x"]["hubResourceId"] == "contoso-ai-hub_id"
    assert {r.inputs["connectionName"] for r in run.of_type(CONNECTION)} \
        == {"shared-openai", "docs", "weather", "feed"}
    assert len(run.of_type(ENDPOINT)) >= 2  # the hub's own private network and the consumer's
    assert run.of_type(VAULT)[0].inputs["vaultName"].startswith("kv-contoso-ai-")
    (project,) = run.of_type(PROJECT)
    assert project.parent.endswith("pulumi:pulumi:Stack::example-test")
    assert {r.name for r in run.of_type(SHARED)} >= {"feed", "contoso-ai-connection-docs", "contoso-ai-connection-weather"}


def test_role_definitions_need_no_parsable_scope(run):
    # Most scopes here are '<name>_id', not ARM IDs: their role comes in Azure's tenant-level
    # form. The existing provider account's scope is a real ID: its subscription is used.
    grants = run.of_type(ROLE)
    assert grants
    for grant in grants:
        role_id, scope = grant.inputs["roleDefinitionId"], grant.inputs["scope"]
        prefix = "/subscriptions/33333333-3333-3333-3333-333333333333" if scope.startswith("/subscriptions/") else ""
        assert role_id.startswith(prefix + TENANT_ROLE), (scope, role_id)
        assert role_id.rsplit("/", 1)[1] in BUILTIN_ROLES.values()
    assert any(not g.inputs["roleDefinitionId"].startswith("/subscriptions/") for g in grants)
    member = [g for g in grants if g.inputs["principalId"] == MEMBER]
    # The project role, and (as the compute instance's user) the provider's and the storage data roles.
    assert {g.inputs["roleDefinitionId"].rsplit("/", 1)[1] for g in member} == {
        BUILTIN_ROLES[r] for r in ("Azure AI Developer", "Cognitive Services OpenAI User",
                                   "Storage Blob Data Contributor", "Storage File Data Privileged Contributor")}


def test_empty_invoke_results_leave_no_none_behind(run):
    assert run.outputs["hubUrl"] == "https://ai.azure.com/managementCenter/hub/overview?wsid=contoso-ai-hub_id"
    assert run.outputs["hubPortal"] == "https://portal.azure.com/#/resourcecontoso-ai-hub_id/overview"
    policy = run.of_type(POLICY_ASSIGNMENT)[0]
    assert policy.inputs["scope"] == "/resourceGroups/rg-ai"
    # No `None` was formatted into a name, ID or URL (authType None is a real value).
    strings = [s for r in run.registered for s in all_strings(r.inputs) if s != "None"]
    assert strings and not [s for s in strings if "None" in s]


def test_the_stacks_hazard_check_reads_nothing_without_failing():
    from components.hazards import watch_hazards

    def program():
        watch_hazards({"hubName": "hub-x"}, "hazardFingerprint")

    found = canonical.run(program)
    assert [r.type for r in found.registered] == ["pulumi:pulumi:StackReference"]


def test_the_example_runs_under_the_guides_mocks(tmp_path):
    # The example imports the package by its installed name; here that name points at the checkout.
    (tmp_path / "azure_ai_hub").symlink_to(ROOT / "components")
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "run_under_mocks.py"), str(ROOT / "examples" / "hub-with-project")],
        capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": ""}, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "aihub:index:AIProject" in result.stdout
    assert ROLE in result.stdout


def test_the_dev_stack_runs_under_the_guides_mocks_hazard_check_included():
    import runpy

    from harness import stack_config
    from pulumi.runtime.config import set_all_config

    project, config, secret_keys = stack_config("dev")

    def program():
        set_all_config(config, secret_keys)
        runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__")

    found = canonical.run(program, project=project, stack_name="dev")
    # The guide's mocks name no organization: the reference is to the stack in the CLI's own.
    assert [r.name for r in found.of_type("pulumi:pulumi:StackReference")] == [f"{project}/dev"]
    assert found.outputs["hazardFingerprint"]["hubName"] == "hub-contoso-ai"
    hub = next(r for r in found.of_type(WORKSPACE) if r.inputs["kind"] == "Hub")
    assert hub.inputs["workspaceName"] == "hub-contoso-ai"


def foundry_consumer():
    from components import FoundryProject, FoundryResource

    foundry = FoundryResource("foundry", {
        "name": "contoso-fdy", "resource_group_name": "rg-ai", "location": "westeurope",
        "model_deployments": [{"name": "gpt", "model": "gpt-4o", "version": "2024-11-20"}],
        "connections": [{"name": "search", "category": "CognitiveSearch", "target": "https://s.search.windows.net",
                         "resource_id": f"{SUB}/Microsoft.Search/searchServices/s"}],
    })
    project = FoundryProject("chat", {
        "project_name": "chat", "account_name": foundry.account_name, "account_id": foundry.account_id,
        "resource_group_name": "rg-ai", "location": "westeurope", "members": [{"principal_id": MEMBER}],
        "connections": [{"name": "weather", "category": "ApiKey", "target": "https://w.example.com",
                         "auth_type": "ApiKey", "api_key": pulumi.Output.secret("k")}],
    }, pulumi.ResourceOptions(parent=foundry, depends_on=foundry.ready_for_projects))
    pulumi.export("projectName", project.project_name)


def test_the_foundry_components_under_the_guides_mocks():
    """The basic agent setup (the standard one reads resource IDs and the project's workspace ID, which these
    mocks give as '<name>_id' and {}: its consumers need a mock that answers them, as the project's harness does)."""
    found = canonical.run(foundry_consumer)
    (account,) = found.of_type("azure-native:cognitiveservices:Account")
    assert account.inputs["properties"]["allowProjectManagement"] is True
    (project,) = found.of_type("azure-native:cognitiveservices:Project")
    # The account's name as given, not the echo these mocks don't make.
    assert project.inputs["accountName"] == account.inputs["accountName"]
    (connection,) = found.of_type("azure-native:cognitiveservices:ProjectConnection")
    assert connection.inputs["projectName"] == "chat" and connection.inputs["accountName"] == account.inputs["accountName"]
    assert found.of_type("azure-native:cognitiveservices:AccountConnection")
    assert found.outputs["projectName"] == "chat"
    strings = [s for r in found.registered for s in all_strings(r.inputs) if s != "None"]
    assert strings and not [s for s in strings if "None" in s]
