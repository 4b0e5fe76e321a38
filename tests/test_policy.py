"""The policy pack's validators (policy/validators.py), tested without pulumi_policy."""

import sys

import pytest
from harness import ROOT

from baseline.rules import RULES

sys.path.insert(0, str(ROOT / "policy"))
import validators  # noqa: E402

STORAGE = "azure-native:storage:StorageAccount"
ST01 = next(r for r in RULES if r.id == "ST-01")
ML01 = next(r for r in RULES if r.id == "ML-01")


def urn(stack, type_=STORAGE, name="st"):
    return f"urn:pulumi:{stack}::azure-ai-hub::aihub:index:AIHub${type_}::{name}"


def test_one_uniquely_named_policy_per_rule():
    names = [validators.policy_name(r) for r in RULES]
    assert len(set(names)) == len(RULES) and names[0].startswith("aihub-")
    assert all(validators.describe(r).startswith(f"{r.id} ") for r in RULES)


def test_stack_of_urn():
    assert validators.stack_of(urn("prod")) == "prod"


def test_reports_what_the_rule_finds():
    message = validators.violation(ST01, STORAGE, {"allowBlobPublicAccess": True}, urn("prod"), "st")
    assert message == "ST-01 Storage: no anonymous blob access: allowBlobPublicAccess is True; must be False"
    assert validators.violation(ST01, STORAGE, {"allowBlobPublicAccess": False}, urn("prod"), "st") is None
    assert validators.violation(ST01, "azure-native:keyvault:Vault", {}, urn("prod"), "kv") is None


def test_waivers_come_from_the_stack_file():
    hub = {"kind": "Hub", "publicNetworkAccess": "Enabled"}
    ws = "azure-native:machinelearningservices:Workspace"
    assert validators.violation(ML01, ws, hub, urn("dev", ws, "hub"), "hub") is None  # Pulumi.dev.yaml waives ML-01
    assert validators.violation(ML01, ws, hub, urn("prod", ws, "hub"), "hub") is not None  # prod waives nothing
    assert validators.violation(ML01, ws, hub, urn("nostack", ws, "hub"), "hub") is not None


def test_waivers_for_reads_only_valid_entries(tmp_path):
    (tmp_path / "Pulumi.x.yaml").write_text(
        "config:\n  azure-ai-hub:waivers:\n"
        "    - {rule: ST-01, reason: public demo assets, resources: [st]}\n"
        "    - {rule: ST-02}\n"
    )
    waivers = validators.waivers_for("x", tmp_path)
    assert [(w.rule, w.resources) for w in waivers] == [("ST-01", ("st",))]
    assert validators.violation(ST01, STORAGE, {"allowBlobPublicAccess": True}, urn("x"), "st", tmp_path) is None
    assert validators.violation(ST01, STORAGE, {"allowBlobPublicAccess": True}, urn("x", name="other"), "other",
                                tmp_path) is not None


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_pack_passes_each_stack_as_rendered(stack):
    from harness import run_stack

    from offline.engine import _plain

    run = run_stack(stack)
    found = [
        message
        for r in run.resources if r.custom
        for rule in RULES
        if (message := validators.violation(rule, r.type, _plain(r.inputs), r.urn, r.name))
    ]
    assert found == []
