"""The named scenarios (tests/stacks/), as Azure Verified Modules name theirs: defaults, max, waf-aligned.

Each renders as CI renders a stack, `python -m offline.plan --stack-file <scenario> --strict`, and must exit 0:
no config problem, no deploy-rule violation, no baseline finding left unwaived. waf-aligned carries no waiver at
all and has no finding; defaults says only a location and a hub name.
"""

import json
import subprocess
import sys

import pytest
import yaml
from harness import BUDGET, ROOT, STORAGE, VAULT, WORKSPACE

NAMED = ("defaults", "max", "waf-aligned")
LOCK = "azure-native:authorization:ManagementLockByScope"
POLICY = "azure-native:authorization:PolicyAssignment"
LOGS = "azure-native:operationalinsights:Workspace"
ENDPOINT = "azure-native:network:PrivateEndpoint"
KEY = "azure-native:keyvault:Key"


def scenario(name):
    return ROOT / "tests" / "stacks" / f"{name}.yaml"


def render(name, out):
    """The strict plan of a scenario, in a process of its own as `make plan` runs it; its JSON."""
    result = subprocess.run(
        [sys.executable, "-m", "offline.plan", "--stack", name, "--stack-file", str(scenario(name)), "--strict",
         "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads((out / f"plan-{name}.json").read_text())


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenarios")
    return {name: render(name, out) for name in ("defaults", "waf-aligned")}


def test_the_named_scenarios_exist():
    assert all(scenario(name).is_file() for name in NAMED)


def test_max_renders_strictly(tmp_path):
    assert render("max", tmp_path)["resourceCount"] > 0


def test_defaults_says_only_a_location_and_a_hub_name(plans):
    config = yaml.safe_load(scenario("defaults").read_text())["config"]
    assert {k for k in config if k != "azure-ai-hub:waivers"} == {"azure-native:location", "azure-ai-hub:hub"}
    assert config["azure-ai-hub:hub"] == {"name": "contoso-min"}
    # Its findings are the defaults' known deviations, each waived with a reason.
    findings = plans["defaults"]["findings"]
    assert findings and all(f["waived"] for f in findings)
    hub = next(r for r in plans["defaults"]["resources"] if r["type"] == WORKSPACE and r["inputs"]["kind"] == "Hub")
    assert hub["inputs"]["publicNetworkAccess"] == "Enabled"
    assert "managedNetwork" not in hub["inputs"] or hub["inputs"]["managedNetwork"].get("isolationMode") == "Disabled"


def test_waf_aligned_has_no_finding_and_no_waiver(plans):
    config = yaml.safe_load(scenario("waf-aligned").read_text())["config"]
    assert "azure-ai-hub:waivers" not in config
    assert plans["waf-aligned"]["findings"] == []


def test_waf_aligned_registers_what_it_promises(plans):
    resources = plans["waf-aligned"]["resources"]

    def of(type_):
        return [r for r in resources if r["type"] == type_]

    hub = next(r for r in of(WORKSPACE) if r["inputs"]["kind"] == "Hub")
    assert hub["inputs"]["publicNetworkAccess"] == "Disabled"
    assert hub["inputs"]["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    # A customer-managed key, created in the stack's own vault.
    (key,) = of(KEY)
    (vault,) = of(VAULT)
    assert hub["inputs"]["encryption"]["status"] == "Enabled"
    assert hub["inputs"]["encryption"]["keyVaultProperties"]["keyIdentifier"].startswith(
        f"https://{vault['azureName']}.vault.azure.net/keys/{key['inputs']['keyName']}/")
    assert hub["options"]["protect"] is True
    (storage,) = of(STORAGE)
    assert storage["inputs"]["sku"] == {"name": "Standard_ZRS"}
    assert storage["options"]["protect"] is True and storage["options"]["retainOnDelete"] is True
    assert any(lock["inputs"]["scope"].endswith("/workspaces/" + hub["inputs"]["workspaceName"]) for lock in of(LOCK))
    assert len(of(ENDPOINT)) >= 3
    assert [w["inputs"]["retentionInDays"] for w in of(LOGS)] == [90]
    assert len(of(BUDGET)) == 1
    assert {p["inputs"]["policyAssignmentName"] for p in of(POLICY)} >= {"ml-workspaces-private",
                                                                          "ai-services-no-keys"}
