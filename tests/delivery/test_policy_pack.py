"""The policy pack: its configuration as pure functions, then the real pack over the dev and prod plans.

The real pack runs as the Pulumi CLI runs it (tests/pack_analyzer.py): a copy
of the policy/ folder alone, started with `python -m pulumi.policy` in the
pack's own environment (policy/venv: pulumi-policy pins an older protobuf),
spoken to over gRPC, so every resource reaches the rules through
pulumi-policy's deserialisation, read-only property proxies and
ResourceValidationArgs.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from harness import ROOT, run_stack, stack_config

from baseline import pack_config as cli
from baseline.evaluate import Waiver
from baseline.rules import PRIVATE_LINK_ZONES, RULES, STORAGE
from components.resource_types import CONNECTION, ENDPOINT, KEY, VAULT, WORKSPACE
from policy.aihub_baseline.pack_config import (
    CONFIG_SCHEMA,
    describe,
    pack_config,
    policy_name,
    violation,
    waivers_from_config,
)

POLICY_PYTHON = ROOT / "policy" / "venv" / "bin" / "python"
RULE = {r.id: r for r in RULES}
# pulumi-policy's sentinel for a string input unknown during preview (pulumi_policy/proxy.py).
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


# -- the pack's configuration, pure ----------------------------------------------------------


def test_one_policy_per_rule_with_its_level_severity_and_remediation():
    names = [policy_name(r.id) for r in RULES]
    assert len(set(names)) == len(RULES) and policy_name("ML-01") == "aihub-ml-01"
    for r in RULES:
        assert describe(r).startswith(f"{r.id} {r.title}. Source: ")
        assert r.severity in ("low", "medium", "high", "critical") and r.enforcement in ("advisory", "mandatory")
        assert r.remediation.startswith(("Set ", "Leave ", "Give ", "Choose ", "Name ", "Grant ")), r.id
    assert {r.id for r in RULES if r.enforcement == "advisory"} == {"CMP-02", "ST-09", "RA-01", "TAG-01"}
    assert RULE["RA-02"].severity == "critical" and RULE["TAG-01"].severity == "low"


def test_pack_config_puts_each_waiver_under_its_rules_policy():
    waivers = [Waiver("ST-05", "public uploads in dev"), Waiver("ST-06", "same as ST-05 for dev", ("st",)),
               Waiver("ST-05", "second reason for ST-05", ("a", "b"))]
    assert pack_config(waivers) == {
        "aihub-st-05": {"waivers": [{"reason": "public uploads in dev"},
                                    {"reason": "second reason for ST-05", "resources": ["a", "b"]}]},
        "aihub-st-06": {"waivers": [{"reason": "same as ST-05 for dev", "resources": ["st"]}]},
    }
    assert pack_config([]) == {}


@pytest.mark.parametrize("entries, expected", [
    ([{"reason": "accepted for the demo"}], [Waiver("ST-01", "accepted for the demo")]),
    ([{"reason": " accepted for the demo ", "resources": ["st"]}], [Waiver("ST-01", "accepted for the demo", ("st",))]),
    ([{"reason": "short"}], []),
    ([{"reason": "accepted for the demo", "resources": "st"}], []),
    ([{"reason": "accepted for the demo", "until": "2027"}], []),
    (["ST-01"], []),
    ("not a list", []),
])
def test_waivers_from_config_keep_only_valid_entries(entries, expected):
    assert waivers_from_config("ST-01", {"waivers": entries}) == expected


def test_violation_is_waived_by_pulumi_or_azure_name_only():
    st01, props = RULE["ST-01"], {"allowBlobPublicAccess": True, "accountName": "stdata"}
    message = "allowBlobPublicAccess is True; must be False"
    assert violation(st01, STORAGE, props, "st", {}) == message
    assert violation(st01, STORAGE, {"allowBlobPublicAccess": False}, "st", {}) is None
    assert violation(st01, VAULT, props, "kv", {}) is None
    for resources in ([], ["st"], ["stdata"]):
        config = {"waivers": [{"reason": "public demo assets", "resources": resources}]}
        assert violation(st01, STORAGE, props, "st", config) is None
    assert violation(st01, STORAGE, props, "st", {"waivers": [{"reason": "public demo assets",
                                                               "resources": ["other"]}]}) == message


def test_config_schema_matches_the_stack_files_waiver_rules():
    import re

    item = CONFIG_SCHEMA["waivers"]["items"]
    assert item["required"] == ["reason"] and item["additionalProperties"] is False
    assert set(item["properties"]) == {"reason", "resources"} and CONFIG_SCHEMA["waivers"]["default"] == []
    pattern = re.compile(item["properties"]["reason"]["pattern"])
    assert pattern.search("ten chars!") and pattern.search("  padded reason, long enough \n")
    assert not pattern.search("nine char") and not pattern.search("   short   ")


def test_the_rules_zones_are_the_ones_the_components_create():
    from components.network import KNOWN_ZONES

    assert set(KNOWN_ZONES) == PRIVATE_LINK_ZONES


def test_the_pack_imports_nothing_from_outside_its_folder():
    """`pulumi policy publish` uploads policy/ alone: no baseline, components, config or offline."""
    local = {"pack", "aihub_baseline"}
    allowed = set(sys.stdlib_module_names) | {"pulumi_policy"} | local
    for path in (ROOT / "policy").rglob("*.py"):
        if "venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed, f"{path.relative_to(ROOT)} imports {roots}"


def test_baseline_re_exports_the_packs_rules():
    import baseline.evaluate
    import baseline.rules
    import policy.aihub_baseline.evaluate
    import policy.aihub_baseline.rules

    assert baseline.rules.RULES is policy.aihub_baseline.rules.RULES
    assert baseline.evaluate.evaluate is policy.aihub_baseline.evaluate.evaluate


# -- a stack's waivers as the pack's config ----------------------------------------------------


def test_writes_the_dev_stacks_waivers_as_the_packs_config(tmp_path, capsys):
    assert cli.main(["--stack", "dev", "--out", str(tmp_path)]) == 0
    config = json.loads((tmp_path / "policy-config-dev.json").read_text())
    assert sorted(config) == ["aihub-cs-02", "aihub-kv-04", "aihub-ml-01", "aihub-ml-03", "aihub-ml-05",
                              "aihub-st-05", "aihub-st-06", "aihub-st-09"]
    assert config["aihub-st-09"] == {"waivers": [{"reason": "Dev data is disposable; locally redundant storage "
                                                            "is enough."}]}
    assert "8 waiver(s) of stack dev" in capsys.readouterr().out
    assert cli.main(["--stack", "prod", "--out", str(tmp_path)]) == 0
    assert json.loads((tmp_path / "policy-config-prod.json").read_text()) == {}


def test_a_bad_waiver_in_the_stack_file_is_an_error_naming_its_key(tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text())
    stack = (ROOT / "Pulumi.dev.yaml").read_text().replace(
        "    - rule: ST-09\n", "    - rule: ST-99\n      reason: no such rule at all\n    - rule: ST-09\n")
    (tmp_path / "Pulumi.dev.yaml").write_text(stack)
    assert cli.main(["--stack", "dev", "--root", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "azure-ai-hub:waivers[7].rule: unknown rule 'ST-99'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert cli.main(["--stack", "nope", "--root", str(tmp_path)]) == 2


# -- the real pack, as the Pulumi CLI runs it ---------------------------------------------------


def analyze(tmp_path: Path, plan: dict, config: object = None) -> dict:
    """What the real pack reports over `plan` with `config` (the --policy-pack-config JSON)."""
    if not POLICY_PYTHON.exists():
        pytest.fail("the policy pack's environment is missing: `make policy-check` (or `make test`) builds it")
    plan_path = tmp_path / f"plan-{len(list(tmp_path.iterdir()))}.json"
    plan_path.write_text(json.dumps(plan))
    args = [str(POLICY_PYTHON), str(ROOT / "tests" / "pack_analyzer.py"), str(plan_path), "--json"]
    if config is not None:
        config_path = plan_path.with_suffix(".config.json")
        config_path.write_text(config if isinstance(config, str) else json.dumps(config))
        args += ["--config", str(config_path)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def found(report: dict) -> list[tuple[str, str, str]]:
    return sorted((d["policy"], d["resource"], d["enforcementLevel"]) for d in report["diagnostics"])


@pytest.fixture(scope="module")
def plans():
    """The dev and prod plans (as `python -m offline.plan` writes them) and their pack configs."""
    from config import parse
    from offline.report import plan_json
    from offline.review import review

    result = {}
    for stack in ("dev", "prod"):
        _, config, secret_keys = stack_config(stack)
        waivers = parse(config, secret_keys).parsed_waivers
        run = run_stack(stack)
        result[stack] = (json.loads(json.dumps(plan_json(run, stack, review(run, waivers)))), pack_config(waivers))
    return result


def test_the_pack_describes_each_policy_over_the_wire(tmp_path, plans):
    policies = analyze(tmp_path, {"stack": "x", "resources": [], "findings": []})["pack"]["policies"]
    assert [p["name"] for p in policies] == [policy_name(r.id) for r in RULES]
    for p, r in zip(policies, RULES, strict=True):
        assert p["enforcementLevel"] == r.enforcement
        assert p["severity"] == f"POLICY_SEVERITY_{r.severity.upper()}"
        assert p["remediationSteps"].startswith(r.remediation) and "waiver" in p["remediationSteps"]
        assert p["displayName"] == f"{r.id} {r.title}" and p["description"] == describe(r)
        assert p["configSchema"]["properties"]["waivers"]["items"]["required"] == ["reason"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_each_stack_passes_the_pack_with_its_waivers_as_config(tmp_path, plans, stack):
    plan, config = plans[stack]
    assert sum(r["custom"] for r in plan["resources"]) > 25
    assert analyze(tmp_path, plan, config)["diagnostics"] == []


def test_without_its_config_dev_gets_exactly_the_offline_baselines_findings(tmp_path, plans):
    plan, _ = plans["dev"]
    expected = sorted((policy_name(f["rule"]), f["resource"], RULE[f["rule"]].enforcement) for f in plan["findings"])
    assert len(expected) == 8 and all(f["waived"] for f in plan["findings"])
    report = analyze(tmp_path, plan)
    assert found(report) == expected
    hub = next(d for d in report["diagnostics"] if d["policy"] == "aihub-ml-01")
    assert hub["message"] == f"{describe(RULE['ML-01'])}\npublicNetworkAccess is 'Enabled'; must be 'Disabled'"
    assert hub["severity"] == "POLICY_SEVERITY_HIGH"


def resource(plan: dict, resource_type: str, **changes: object) -> dict:
    """A copy of the plan's first resource of this type, with inputs changed (None removes one)."""
    original = next(r for r in plan["resources"] if r["type"] == resource_type and r["custom"])
    copy = json.loads(json.dumps(original))
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = copy["inputs"]
        for part in parents:
            node = node[part]
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    return copy


def test_nested_inputs_and_lists_are_read_through_the_proxies(tmp_path, plans):
    prod, _ = plans["prod"]
    canary = {"stack": "prod", "findings": [], "resources": [
        resource(prod, STORAGE, networkRuleSet__defaultAction="Allow"),
        resource(prod, KEY, properties__keySize=1024),
        resource(prod, ENDPOINT, privateLinkServiceConnections=[
            {"name": "x", "privateLinkServiceId": "/subscriptions/x/resourceGroups/rg/providers/y/z"}]),
        resource(prod, CONNECTION,
                 properties__authType="ApiKey"),
    ]}
    report = analyze(tmp_path, canary)
    names = [r["name"] for r in canary["resources"]]
    assert found(report) == sorted([("aihub-st-06", names[0], "mandatory"), ("aihub-kv-05", names[1], "mandatory"),
                                    ("aihub-pe-01", names[2], "mandatory"), ("aihub-con-01", names[3], "mandatory")])
    key = next(d for d in report["diagnostics"] if d["policy"] == "aihub-kv-05")
    assert key["message"].endswith("properties.keySize is 1024.0; an RSA key needs at least 2048 bits")


def test_a_waiver_in_the_packs_config_covers_only_its_resources(tmp_path, plans):
    prod, _ = plans["prod"]
    storage = resource(prod, STORAGE, networkRuleSet__defaultAction="Allow")
    plan = {"stack": "prod", "findings": [], "resources": [storage]}

    def waived(resources):
        return analyze(tmp_path, plan, {"aihub-st-06": {"waivers": [{"reason": "open for the demo uploads",
                                                                      "resources": resources}]}})

    assert found(waived(["another-account"])) == [("aihub-st-06", storage["name"], "mandatory")]
    assert found(waived([storage["name"]])) == []
    assert found(waived([storage["azureName"]])) == []
    downgraded = analyze(tmp_path, plan, {"aihub-st-06": {"enforcementLevel": "advisory"}})
    assert found(downgraded) == [("aihub-st-06", storage["name"], "advisory")]


@pytest.mark.parametrize("config, problem", [
    ({"aihub-st-06": {"waivers": [{"reason": "too short"}]}}, "'aihub-st-06'"),
    ({"aihub-st-06": {"waivers": [{"reason": "open for the demo uploads", "until": "2027"}]}}, "until"),
    ({"aihub-st-06": {"waivers": [{"reason": "open for the demo uploads", "resources": "st"}]}}, "'st'"),
    ({"aihub-st-06": {"waivers": [{"rule": "ST-06"}]}}, "'reason' is a required property"),
])
def test_the_packs_config_schema_rejects_bad_waivers(tmp_path, config, problem):
    report = analyze(tmp_path, {"stack": "x", "resources": [], "findings": []}, config)
    assert any(problem in p for p in report["configProblems"]), report


def test_an_input_unknown_during_preview_is_no_violation(tmp_path, plans):
    """A first preview doesn't know the hub's ID, so a project's hubResourceId is unknown."""
    prod, _ = plans["prod"]
    project = next(r for r in prod["resources"] if r["type"] == WORKSPACE
                   and r["inputs"]["kind"] == "Project")
    project = json.loads(json.dumps(project))
    project["inputs"]["hubResourceId"] = UNKNOWN_STRING
    report = analyze(tmp_path, {"stack": "prod", "findings": [], "resources": [project]})
    assert [(d["policy"], d["enforcementLevel"]) for d in report["diagnostics"]] == [("aihub-prj-01", "advisory")]
    assert "can't be known during preview" in report["diagnostics"][0]["message"]


def test_the_gate_fails_on_a_mandatory_violation_and_on_disagreeing_with_the_offline_baseline(tmp_path, plans):
    plan, config = plans["dev"]
    plan_path, config_path = tmp_path / "plan-dev.json", tmp_path / "policy-config-dev.json"
    plan_path.write_text(json.dumps(plan))
    config_path.write_text(json.dumps(config))

    def gate(*args):
        return subprocess.run([str(POLICY_PYTHON), str(ROOT / "tests" / "pack_analyzer.py"), *args],
                              capture_output=True, text=True, timeout=120)

    passed = gate(str(plan_path), "--config", str(config_path))
    assert passed.returncode == 0, passed.stderr
    assert "8 violation(s) without config, 0 with" in passed.stdout
    unwaived = gate(str(plan_path))
    assert unwaived.returncode == 1 and "[mandatory] aihub-ml-01 contoso-ai-hub" in unwaived.stdout
    plan["findings"] = plan["findings"][1:]
    plan_path.write_text(json.dumps(plan))
    disagreeing = gate(str(plan_path), "--config", str(config_path))
    assert disagreeing.returncode == 1 and "disagree without waivers" in disagreeing.stderr
