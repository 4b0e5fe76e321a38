"""The offline plan: a real command users run in review and CI."""

import json
import re
import shutil
import subprocess
import sys

import pulumi
import pytest
from harness import EXISTING, ROOT, run_component, run_stack
from pulumi_azure_native import machinelearningservices as ml

from components.resource_types import WORKSPACE
from offline import plan
from offline.critical_path import critical_path
from offline.diagram import mermaid
from offline.engine import SECRET_MASK
from offline.report import markdown, plan_json
from offline.tree import TREE_WIDTH, elide, render_tree


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan")
    done = subprocess.run(
        [sys.executable, "-m", "offline.plan", "--stack", "dev", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    return done, out


def test_prints_the_tree_with_a_count(rendered):
    done, _ = rendered
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Offline plan of stack dev (project azure-ai-hub): 33 resources to create"
    assert lines[1] == "Region: swedencentral (azure-native:location)"
    assert "pulumi:pulumi:Stack  azure-ai-hub-dev" in lines
    assert "├─ aihub:index:AIHub  contoso-ai" in lines
    assert "│  ├─ aihub:index:AIProject  contoso-ai-chat" in lines
    # A resource whose properties don't fit on its line has them on the lines below it.
    at = lines.index("│  │  ├─ azure-native:machinelearningservices:Workspace  contoso-ai-chat")
    assert lines[at + 1] == "│  │  │       name=proj-contoso-ai-chat, kind=Project, sku=Basic, publicNetworkAccess=Enabled"
    hub_at = next(i for i, line in enumerate(lines) if line.endswith("machinelearningservices:Workspace  contoso-ai-hub"))
    assert lines[hub_at].startswith("│  ") and "kind=Hub" in lines[hub_at + 1] and "name=hub-contoso-ai" in lines[hub_at + 1]
    account_line = next(line for line in lines if "cognitiveservices:Account " in line)
    assert "kind=AIServices" in account_line and "sku=S0" in account_line
    assert any("model=gpt-4o@2024-11-20" in line and "sku=GlobalStandard/10" in line for line in lines)
    # The region is shown where the resource group is created.
    assert "└─ azure-native:resources:ResourceGroup  resource-group  (name=rg-contoso-ai-dev, location=swedencentral)" in lines
    # Role assignments by role, principal and scope, not by their GUID names.
    assert "│  │       role=Cognitive Services User, principal=hub-contoso-ai, scope=ais-contoso-ai" in lines


def test_writes_json_of_every_resource(rendered):
    _, out = rendered
    data = json.loads((out / "plan-dev.json").read_text())
    assert data["resourceCount"] == 33
    by_name = {r["name"]: r for r in data["resources"]}
    hub = by_name["contoso-ai-hub"]
    assert hub["type"] == WORKSPACE
    assert hub["parent"] == by_name["contoso-ai"]["urn"]
    assert hub["inputs"]["kind"] == "Hub" and hub["azureName"] == "hub-contoso-ai"
    assert by_name["contoso-ai-storage"]["urn"] in hub["dependencies"]
    assert set(hub["options"]) == {"protect", "retainOnDelete", "ignoreChanges", "deletedWith",
                                   "additionalSecretOutputs"}
    assert data["outputs"]["hubName"] == "hub-contoso-ai"


def test_writes_a_markdown_report_with_a_diagram(rendered):
    _, out = rendered
    report = (out / "plan-dev.md").read_text()
    assert "```mermaid\nflowchart LR" in report
    for label in ("AI hub<br/>hub-contoso-ai", "AI provider<br/>ais-contoso-ai", "Key Vault<br/>",
                  "Storage<br/>stcontosoai", "Application Insights<br/>appi-contoso-ai", "Log Analytics<br/>"):
        assert label in report
    assert '-->|"storageAccount"|' in report and '-->|"keyVault"|' in report
    assert '-->|"serves ×2"|' in report and '-.->|"Cognitive Services User"|' in report


def test_diagram_shows_existing_resources():
    run = run_stack(dependencies={"storageAccountId": EXISTING["storage"]})
    diagram = "\n".join(mermaid(run))
    assert '[("existing<br/>sharedstore")]' in diagram
    assert '-->|"storageAccount"|' in diagram


def test_bad_config_lists_every_problem_and_fails(tmp_path, capsys):
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copy(ROOT / "__main__.py", tmp_path)
    (tmp_path / "Pulumi.bad.yaml").write_text(
        "config:\n"
        "  azure-native:location: westeurope\n"
        "  azure-ai-hub:providerMode: speech\n"
        "  azure-ai-hub:hub:\n"
        "    name: Bad_Name\n"
        "    colour: blue\n"
    )
    code = plan.main(["--stack", "bad", "--root", str(tmp_path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Stack bad: 3 config problem(s):" in err
    assert "azure-ai-hub:providerMode: must be one of aiServices, openAI (got 'speech')" in err
    assert "azure-ai-hub:hub.name:" in err and "azure-ai-hub:hub.colour: unknown key" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_unknown_stack(tmp_path, capsys):
    assert plan.main(["--stack", "nope", "--out", str(tmp_path)]) == 2
    assert "Pulumi.nope.yaml" in capsys.readouterr().err


def test_secrets_are_masked_in_json_and_report():
    def program():
        ml.WorkspaceConnection(
            "search",
            workspace_name="hub",
            resource_group_name="rg",
            connection_name="search",
            properties=ml.ApiKeyAuthWorkspaceConnectionPropertiesArgs(
                auth_type="ApiKey",
                category="CognitiveSearch",
                target="https://s.search.windows.net",
                credentials=ml.WorkspaceConnectionApiKeyArgs(key=pulumi.Output.secret("hunter2-key")),
            ),
        )
        pulumi.export("key", pulumi.Output.secret("hunter2-key"))

    run = run_component(program)
    text = json.dumps(plan_json(run, "unit")) + markdown(run, "unit") + "\n".join(render_tree(run))
    assert "hunter2-key" not in text
    assert SECRET_MASK in text


def test_max_scenario_shows_projects_members_and_connections(tmp_path, capsys):
    code = plan.main(["--stack", "max", "--stack-file", str(ROOT / "tests/stacks/max.yaml"), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "aihub:index:SharedConnection  contoso-max-connection-weather" in out
    assert "name=weather, category=ApiKey, authType=ApiKey, credentials=[secret]" in out
    assert "role=Azure AI Developer, principal=User aaaaaaaa-0000-4000-8000-000000000001, scope=proj-contoso-max-chat" in out
    report = (tmp_path / "plan-max.md").read_text()
    # Members are one node, projects list their connections, edges to projects start at the subgraph.
    assert re.search(r'\(\["Project members<br/>\d+ groups?, \d+ service ?principals?, \d+ users?"\]\)', report) or \
        '(["Project members<br/>' in report
    assert "Project<br/>proj-contoso-max-chat<br/>" in report and "connections: " in report and "tickets" in report
    assert '-->|"connection' in report and "Azure AI Developer" in report
    assert 'projects -->|"on hub' in report
    assert "Compute instance" in report and "ci-alice" in report and '-->|"compute' in report
    assert "Policy assignment" in report and "ml-no-public-access" in report
    assert "Budget<br/>budget-contoso-max" in report
    assert '-->|"scope' in report  # policy and budget at the hub's resource group
    text = (tmp_path / "plan-max.json").read_text() + report + out
    assert "offline-secret-" not in text


def test_prod_plan_shows_the_network_and_the_critical_path(tmp_path, capsys):
    plan.main(["--stack", "prod", "--out", str(tmp_path)])  # its exit status: test_prod_plan_is_clean
    out = capsys.readouterr().out
    assert "Critical path (" in out
    report = (tmp_path / "plan-prod.md").read_text()
    for label in ("Private endpoints ×7<br/>pe-contoso-ai-hub", "Private DNS zones ×13<br/>privatelink.agentsvc.azure-automation.net",
                  "VNet<br/>vnet-contoso-ai", "Subnet<br/>snet-private-endpoints", "Key<br/>cmk-contoso-ai",
                  "Managed identity<br/>id-contoso-ai-cmk"):
        assert label in report, label
    assert '-->|"private link (amlworkspace)"|' in report and '-->|"dns ×14"|' in report
    assert '-.->|"linked ×13"|' in report
    assert '-->|"outbound rule"|' in report and '-->|"encrypted by"|' in report
    assert "## Critical path" in report
    # Role assignments on the path are named by role, principal and scope.
    assert ("7. `azure-native:authorization:RoleAssignment` Reader for proj-contoso-ai-chat "
            "on pe-contoso-ai-storage-blob") in report
    assert "  7. RoleAssignment Reader for proj-contoso-ai-chat on pe-contoso-ai-storage-blob" in out.splitlines()
    # The hub waits for the grants it depends on to propagate; Microsoft's Cosmos DB app is named.
    assert "  4. Sleep contoso-ai-role-propagation" in out.splitlines()
    assert any("for Azure Cosmos DB on kv-contoso-ai" in line for line in out.splitlines())


def test_tree_fits_a_terminal_and_elides_long_values():
    from pulumi_azure_native import resources

    def program():
        resources.ResourceGroup("a-" + "very-" * 40 + "long-name", resource_group_name="rg-" + "x" * 150,
                                location="westeurope")

    lines = render_tree(run_component(program))
    assert max(len(line) for line in lines) <= TREE_WIDTH
    assert any("…" in line and "azure-native:resources:ResourceGroup  a-very-" in line for line in lines)
    assert any("name=rg-xxx" in line and "…" in line for line in lines)


@pytest.mark.parametrize("stack", ["dev", "prod", "max"])
def test_every_tree_line_fits_in_120_columns(stack):
    lines = render_tree(run_stack(stack))
    assert len(lines) > 30 and max(len(line) for line in lines) <= 120


def test_elide_keeps_both_ends():
    assert elide("abcdefghij", 20) == "abcdefghij"
    assert elide("abcdefghij", 5) == "ab…ij"
    assert elide("abcdefghij", 6) == "ab…hij"
    assert len(elide("x" * 300, 120)) == 120


def test_markdown_outputs_are_json():
    def program():
        pulumi.export("projects", {"chat": {"name": "proj-chat", "ids": ["a|b"]}})
        pulumi.export("count", 3)

    report = markdown(run_component(program), "unit")
    assert '| `projects` | `{"chat": {"ids": ["a\\|b"], "name": "proj-chat"}}` |' in report
    assert "| `count` | `3` |" in report
    assert "{'chat'" not in report


def test_critical_path_follows_dependencies():
    def program():
        from pulumi_azure_native import resources

        a = resources.ResourceGroup("a", resource_group_name="a")
        b = resources.ResourceGroup("b", resource_group_name=a.name)
        resources.ResourceGroup("c", resource_group_name=b.name)
        resources.ResourceGroup("lone", resource_group_name="lone")

    path = critical_path(run_component(program))
    assert [r.name for r in path] == ["a", "b", "c"]


# -- the security baseline in the plan ------------------------------------------------------


def test_dev_findings_are_all_waived_and_strict_passes(tmp_path, capsys):
    assert plan.main(["--stack", "dev", "--out", str(tmp_path), "--strict"]) == 0
    out = capsys.readouterr().out
    assert "Security baseline: 0 finding(s), 8 waived" in out
    assert "ML-01 contoso-ai-hub: publicNetworkAccess is 'Enabled'; must be 'Disabled' [waived (Developers reach" in out
    data = json.loads((tmp_path / "plan-dev.json").read_text())
    assert {f["rule"] for f in data["findings"]} == {"ML-01", "ML-03", "ML-05", "CS-02", "ST-05", "ST-06", "ST-09",
                                                     "KV-04"}
    assert all(f["waived"] for f in data["findings"])
    assert "## Security baseline" in (tmp_path / "plan-dev.md").read_text()


def test_prod_passes_every_rule_without_a_waiver(tmp_path, capsys):
    plan.main(["--stack", "prod", "--out", str(tmp_path), "--strict"])  # its exit status: test_prod_plan_is_clean
    assert "Security baseline: 0 finding(s), 0 waived" in capsys.readouterr().out
    assert json.loads((tmp_path / "plan-prod.json").read_text())["findings"] == []
    from harness import stack_config

    assert "azure-ai-hub:waivers" not in stack_config("prod")[1]


def test_strict_fails_on_a_finding_not_waived(tmp_path, capsys):
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copy(ROOT / "__main__.py", tmp_path)
    (tmp_path / "Pulumi.open.yaml").write_text(
        "config:\n  azure-native:location: westeurope\n  azure-ai-hub:hub:\n    name: open-hub\n"
        "  azure-ai-hub:tags:\n    env: test\n"
        "  azure-ai-hub:waivers:\n    - rule: ST-09\n      reason: disposable test data only\n"
        "    - rule: CR-01\n      reason: there is no registry in this stack\n"
    )
    common = ["--stack", "open", "--root", str(tmp_path), "--out", str(tmp_path / "out")]
    assert plan.main(common) == 0  # findings are reported, not fatal, without --strict
    out = capsys.readouterr().out
    assert "ML-01 open-hub-hub: publicNetworkAccess is 'Enabled'" in out and "[FINDING]" in out
    assert "unused waiver for CR-01" in out
    assert plan.main(common + ["--strict"]) == 1
    assert "strict: 7 baseline finding(s) not waived" in capsys.readouterr().err


def test_previous_plan_calls_out_hazards(tmp_path, capsys):
    assert plan.main(["--stack", "dev", "--out", str(tmp_path)]) == 0
    previous = json.loads((tmp_path / "plan-dev.json").read_text())
    previous["outputs"]["hazardFingerprint"]["providerMode"] = "openAI"
    (tmp_path / "before.json").write_text(json.dumps(previous))
    capsys.readouterr()
    assert plan.main(["--stack", "dev", "--out", str(tmp_path), "--previous", str(tmp_path / "before.json")]) == 0
    out = capsys.readouterr().out
    assert "warning: hazard: providerMode changes from 'openAI' to 'aiServices'" in out
    report = (tmp_path / "plan-dev.md").read_text()
    assert "## Hazards" in report and "providerMode changes from 'openAI' to 'aiServices'" in report
    assert json.loads((tmp_path / "plan-dev.json").read_text())["hazards"]


@pytest.mark.parametrize(
    "content, message",
    [("config:\n  azure-ai-hub:hub: [unclosed\n", "Pulumi.broken.yaml is not valid YAML"),
     ("config:\n  - not a map\n", "`config` must be a map")],
)
def test_a_broken_stack_file_is_an_error_not_a_traceback(tmp_path, capsys, content, message):
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    (tmp_path / "Pulumi.broken.yaml").write_text(content)
    assert plan.main(["--stack", "broken", "--root", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
