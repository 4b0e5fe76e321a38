"""The examples per use case (examples/), each a Pulumi program run under mocks as `pulumi up` would run it.

The examples import the package by its installed name, `azure_ai_hub`; here that name is the checkout's
`components`. `defaults` runs under the canonical mocks of Pulumi's unit-testing guide and under the project's
own engine (offline/engine.py). `private-hub-cmk` runs under the project's engine only: its hub has a
user-assigned identity (the CMK's), which azure-native sends as a list and types as a map on the way back, so
echoed inputs can't resolve its outputs (README, "Unit tests with Pulumi's own mocks").
(hub-with-project runs in tests/components/test_canonical_mocks.py and in `make package-check`.)
"""

import ast
import importlib.util
import runpy
import sys

import pytest
from harness import ENDPOINT, KEY, PROJECT, ROOT, STORAGE, VAULT, WORKSPACE

import components
from offline.engine import run_program
from offline.plan import review

EXAMPLES = ROOT / "examples"
CONFIG = {"azure-native:location": "swedencentral"}
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"

_spec = importlib.util.spec_from_file_location("run_under_mocks", EXAMPLES / "run_under_mocks.py")
canonical = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(canonical)  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def installed_name(monkeypatch):
    monkeypatch.setitem(sys.modules, "azure_ai_hub", components)


def run_example(name):
    return run_program(EXAMPLES / name / "__main__.py", CONFIG, project=name, stack="example")


def hub_of(run):
    return next(r for r in run.by_type(WORKSPACE) if r.inputs["kind"] == "Hub")


def test_every_example_is_a_pulumi_program_that_installs_the_package():
    for name in ("hub-with-project", "defaults", "private-hub-cmk", "foundry-agents"):
        folder = EXAMPLES / name
        assert (folder / "__main__.py").is_file() and (folder / "Pulumi.yaml").is_file(), name
        assert "runtime:\n  name: python" in (folder / "Pulumi.yaml").read_text(), name
        lines = [line.strip() for line in (folder / "requirements.txt").read_text().splitlines()
                 if line.strip() and not line.startswith("#")]
        assert lines == ["../.."], name
        # Composed from the package alone: nothing of the repository's stack program (config/, components/).
        tree = ast.parse((folder / "__main__.py").read_text())
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}
        assert "azure_ai_hub" in imported and imported <= {"azure_ai_hub", "pulumi", "pulumi_azure_native"}, name


def test_defaults_under_the_guides_mocks():
    found = canonical.run(lambda: runpy.run_path(str(EXAMPLES / "defaults" / "__main__.py"), run_name="__main__"))
    hubs = [r for r in found.of_type(WORKSPACE) if r.inputs["kind"] == "Hub"]
    assert [h.inputs["workspaceName"] for h in hubs] == ["hub-contoso-ai"]
    assert found.of_type(STORAGE) and found.of_type(VAULT)
    assert found.outputs["hubId"] == "contoso-ai-hub_id"


def test_defaults_under_the_projects_engine():
    run = run_example("defaults")
    hub = hub_of(run)
    assert hub.inputs["workspaceName"] == "hub-contoso-ai"
    assert hub.inputs["publicNetworkAccess"] == "Enabled"
    assert "encryption" not in hub.inputs
    assert hub.inputs["identity"]["type"] == "SystemAssigned"
    # Given only a name, a resource group and a location, the hub makes its own dependencies.
    assert len(run.by_type(STORAGE)) == len(run.by_type(VAULT)) == 1
    assert not run.by_type(ENDPOINT) and not run.by_type(KEY)
    assert run.outputs["hubId"].endswith("/resourceGroups/rg-contoso-ai/providers/"
                                         "Microsoft.MachineLearningServices/workspaces/hub-contoso-ai")


@pytest.fixture(scope="module")
def private_run():
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "azure_ai_hub", components)
        return run_example("private-hub-cmk")


def test_private_hub_cmk_is_private_with_a_managed_network(private_run):
    hub = hub_of(private_run)
    assert hub.inputs["publicNetworkAccess"] == "Disabled"
    network = hub.inputs["managedNetwork"]
    assert network["isolationMode"] == "AllowOnlyApprovedOutbound"
    assert network["firewallSku"] == "Standard"
    assert network["outboundRules"]["pypi"] == {"type": "FQDN", "destination": "pypi.org", "category": "UserDefined"}
    # The rules the hub adds itself: its provider account reached privately.
    assert network["outboundRules"]["provider-account"]["type"] == "PrivateEndpoint"
    (project,) = private_run.by_type(PROJECT)
    assert project.parent == private_run.one("aihub:index:AIHub").urn
    workspace = next(r for r in private_run.by_type(WORKSPACE) if r.inputs["kind"] == "Project")
    assert workspace.inputs["publicNetworkAccess"] == "Disabled"


def test_private_hub_cmk_reaches_its_dependencies_through_private_endpoints(private_run):
    targets = {r.inputs["privateLinkServiceConnections"][0]["groupIds"][0]
               for r in private_run.by_type(ENDPOINT)}
    assert {"amlworkspace", "blob", "file", "vault", "account"} <= targets
    (storage,) = private_run.by_type(STORAGE)
    assert storage.inputs["publicNetworkAccess"] == "Disabled"
    assert storage.inputs["sku"] == {"name": "Standard_ZRS"}


def test_private_hub_cmk_encrypts_with_a_key_of_its_own_vault(private_run):
    hub = hub_of(private_run)
    (key,) = private_run.by_type(KEY)
    (vault,) = private_run.by_type(VAULT)
    encryption = hub.inputs["encryption"]
    assert encryption["status"] == "Enabled"
    assert encryption["keyVaultProperties"]["keyVaultArmId"] == vault.id
    assert encryption["keyVaultProperties"]["keyIdentifier"].startswith(
        f"https://{vault.inputs['vaultName']}.vault.azure.net/keys/{key.inputs['keyName']}/")
    # The key is read through a user-assigned identity that the hub carries beside its own.
    cmk_identity = encryption["identity"]["userAssignedIdentity"]
    assert cmk_identity in {r.id for r in private_run.by_type(IDENTITY)}
    assert cmk_identity in hub.inputs["identity"]["userAssignedIdentities"]


def test_private_hub_cmk_has_no_baseline_finding(private_run):
    assert [(f.rule, f.resource) for f in review(private_run, []).findings] == []


def test_foundry_agents_is_a_foundry_resource_with_a_standard_setup_project():
    run = run_example("foundry-agents")
    account = run.one("azure-native:cognitiveservices:Account")
    assert account.inputs["kind"] == "AIServices" and account.inputs["properties"]["allowProjectManagement"] is True
    project = run.one("azure-native:cognitiveservices:Project")
    assert project.inputs["projectName"] == "agents" and project.inputs["accountName"] == account.inputs["accountName"]
    # The project's capability host names its connections to the stores the Foundry resource created.
    (host,) = run.by_type("azure-native:resources:Resource")
    assert host.inputs["properties"]["threadStorageConnections"] == ["agents-cosmos"]
    cosmos = run.one("azure-native:cosmosdb:DatabaseAccount")
    connection = run.one("azure-native:cognitiveservices:ProjectConnection", connectionName="agents-cosmos")
    assert connection.inputs["properties"]["metadata"]["ResourceId"] == cosmos.id
    assert run.outputs["projectEndpoint"].endswith("/api/projects/agents")
