"""Policy self-consistency in the offline plan: the stack's own policy assignments against what it creates."""

import dataclasses
import json

import pytest
import yaml
from harness import ROOT

from components.resource_types import ACCOUNT, POLICY_ASSIGNMENT, RESOURCE_GROUP, WORKSPACE
from offline import plan
from offline.engine import MOCK_SUBSCRIPTION, ProgramRun, Registration
from offline.policy_check import check_policy_assignments, policy_section

RG = f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/rg-hub"
OTHER_RG = f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/rg-other"
WS = WORKSPACE
NO_PUBLIC_ML = "/providers/Microsoft.Authorization/policyDefinitions/438c38d2-3772-465a-a9cc-7a6666a275ce"
NO_KEYS_AI = "/providers/Microsoft.Authorization/policyDefinitions/71ef260a-8f18-47b7-abcb-62d0673d94dc"


def reg(type_, name, arm_id, **inputs):
    return Registration(urn=f"urn:pulumi:s::p::{type_}::{name}", type=type_, name=name, custom=True, parent="",
                        inputs=inputs, dependencies=[], property_dependencies={}, protect=None,
                        retain_on_delete=None, ignore_changes=[], deleted_with="", provider="", id=arm_id)


def workspace(name, kind, rg=RG, **inputs):
    return reg(WS, name, f"{rg}/providers/Microsoft.MachineLearningServices/workspaces/{name}",
               resourceGroupName=rg.rsplit("/", 1)[-1], workspaceName=name, kind=kind, location="swedencentral",
               tags={"env": "prod"}, sku={"name": "Basic"}, identity={"type": "SystemAssigned"}, **inputs)


def assignment(definition=NO_PUBLIC_ML, mode="Default", **parameters):
    inputs = {"policyAssignmentName": "ml-private", "scope": RG, "policyDefinitionId": definition,
              "displayName": "ml-private", "enforcementMode": mode}
    if parameters:
        inputs["parameters"] = {k: {"value": v} for k, v in parameters.items()}
    return reg(POLICY_ASSIGNMENT, "hub-policy-ml-private",
               f"{RG}/providers/Microsoft.Authorization/policyAssignments/ml-private", **inputs)


def stack(*regs, project_access=None):
    """A private hub and a project (sent without publicNetworkAccess unless given), as the program registers them."""
    group = reg(RESOURCE_GROUP, "rg", RG, resourceGroupName="rg-hub", location="x")
    hub = workspace("hub-a", "Hub", publicNetworkAccess="Disabled")
    extra = {"publicNetworkAccess": project_access} if project_access else {}
    project = workspace("proj-a", "Project", hubResourceId=hub.id, **extra)
    return ProgramRun([group, hub, project, *regs], {}, set(), [])


def test_a_deny_that_rejects_a_project_is_an_error_naming_assignment_resource_policy_and_why():
    check = check_policy_assignments(stack(assignment(effect="Deny")))
    assert check.assignments == ["ml-private"]
    [error] = check.errors
    assert (error.assignment, error.status, error.effect, error.enforcement_mode) == (
        "ml-private", "denied", "Deny", "Default")
    assert error.resource == f"{WS} proj-a"
    assert error.policy == ("Azure Machine Learning Workspaces should disable public network access "
                            "(438c38d2-3772-465a-a9cc-7a6666a275ce)")
    assert error.message == ('Azure would deny it (RequestDisallowedByPolicy): properties.publicNetworkAccess is '
                             'not set (condition: exists "false")')
    assert check.results == check.errors  # the private hub passes


def test_a_project_carrying_disabled_passes():
    check = check_policy_assignments(stack(assignment(effect="Deny"), project_access="Disabled"))
    assert check.results == [] and check.judged == 3  # the group itself is the scope, not inside it


@pytest.mark.parametrize("mode, parameters, status", [
    ("Default", {"effect": "Audit"}, "note"),
    ("Default", {}, "note"),  # the definition's default effect is Audit
    ("DoNotEnforce", {"effect": "Deny"}, "warning"),
])
def test_what_is_not_enforced_is_not_an_error(mode, parameters, status):
    check = check_policy_assignments(stack(assignment(mode=mode, **parameters)))
    assert check.errors == []
    assert [(r.resource, r.status) for r in check.results] == [(f"{WS} proj-a", status)]


def test_effect_disabled_is_a_note_without_evaluation():
    check = check_policy_assignments(stack(assignment(effect="Disabled")))
    assert [(r.status, r.resource) for r in check.results] == [("note", "")] and check.judged == 0


def test_resources_outside_the_assignments_scope_are_not_judged():
    outside = workspace("proj-b", "Project", rg=OTHER_RG)
    check = check_policy_assignments(stack(assignment(effect="Deny"), outside, project_access="Disabled"))
    assert check.errors == []


@pytest.mark.parametrize("definition, says", [
    ("/subscriptions/33333333-3333-3333-3333-333333333333/providers/Microsoft.Authorization/policyDefinitions/mine",
     "a custom definition: its rule is not known offline"),
    ("/providers/Microsoft.Management/managementGroups/corp/providers/Microsoft.Authorization/policyDefinitions/x",
     "a custom definition: its rule is not known offline"),
    ("/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8",
     "a policy set (initiative): its rule is not known offline"),
    ("/providers/Microsoft.Authorization/policyDefinitions/00000000-1111-2222-3333-444444444444",
     "a built-in this repository does not ship: its rule is not known offline"),
])
def test_what_it_does_not_know_is_listed_as_not_evaluated(definition, says):
    check = check_policy_assignments(stack(assignment(definition=definition, effect="Deny")))
    assert [(r.status, r.message) for r in check.results] == [("not evaluated", says)]
    assert check.errors == []


def test_not_scopes_are_left_out_and_overrides_are_not_guessed():
    excluded = assignment(effect="Deny")
    excluded.inputs["notScopes"] = [f"{RG}/providers/Microsoft.MachineLearningServices/workspaces/proj-a"]
    assert check_policy_assignments(stack(excluded)).results == []
    overridden = assignment(effect="Deny")
    overridden.inputs["overrides"] = [{"kind": "policyEffect", "value": "Audit"}]
    check = check_policy_assignments(stack(overridden))
    assert [(r.status, r.message) for r in check.results] == [
        ("not evaluated", "the assignment sets overrides, which this check does not model")]


def test_parameters_azure_refuses_are_an_error():
    check = check_policy_assignments(stack(assignment(effect="Block")))
    [error] = check.errors
    assert error.status == "invalid" and "parameter 'effect' is 'Block'; allowed: Audit, Deny, Disabled" in (
        error.message)


def test_a_resource_type_it_does_not_map_is_listed():
    odd = reg("azure-native:web:WebApp", "app", f"{RG}/providers/Microsoft.Web/sites/app", siteName="app")
    check = check_policy_assignments(stack(assignment(effect="Deny"), odd, project_access="Disabled"))
    assert [(r.status, r.resource) for r in check.results] == [
        ("not evaluated", "azure-native:web:WebApp app")]


def test_other_definitions_judge_their_own_types():
    account = reg(ACCOUNT, "ais",
                  f"{RG}/providers/Microsoft.CognitiveServices/accounts/ais", resourceGroupName="rg-hub",
                  accountName="ais", kind="AIServices", location="x", properties={"disableLocalAuth": False})
    check = check_policy_assignments(stack(assignment(definition=NO_KEYS_AI, effect="Deny"), account))
    [error] = check.errors
    assert error.resource == "azure-native:cognitiveservices:Account ais"
    assert "properties.disableLocalAuth is false (condition: notEquals true)" in error.message


def test_the_report_section_lists_every_verdict():
    section = policy_section(check_policy_assignments(stack(assignment(effect="Deny"))))
    assert section.startswith("## Policy self-check\n")
    assert "1 assignment(s), 3 resource evaluation(s), 1 error(s)" in section
    assert "| ml-private | Azure Machine Learning Workspaces should disable public network access " in section
    assert f"| Deny / Default | `{WS} proj-a` |" in section and "| **denied** |" in section


# -- the real program, through the plan command ---------------------------------------------------------------


def _stack_file(tmp_path, **overrides):
    content = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    content["config"].update({f"azure-ai-hub:{k}": v for k, v in overrides.items()})
    path = tmp_path / "Pulumi.selfdeny.yaml"
    path.write_text(yaml.safe_dump(content))
    return path


def test_the_plan_fails_when_the_stack_denies_itself_regardless_of_strict(tmp_path, capsys):
    # dev's hub is public; assigning "ML workspaces must disable public network access" with Deny contradicts it.
    stack_file = _stack_file(tmp_path, policyAssignments=[
        {"name": "ml-private", "definitionId": NO_PUBLIC_ML, "parameters": {"effect": "Deny"}}])
    code = plan.main(["--stack", "selfdeny", "--stack-file", str(stack_file), "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 1
    assert "policy: " in captured.err and "the stack's own policy assignments would refuse" in captured.err
    assert ("assignment ml-private (Azure Machine Learning Workspaces should disable public network access "
            "(438c38d2-3772-465a-a9cc-7a6666a275ce), effect Deny) denied "
            f"{WS} hub-contoso-ai: Azure would deny it (RequestDisallowedByPolicy): properties.publicNetworkAccess "
            'is "Enabled" (condition: notEquals "Disabled")') in captured.err
    assert "Policy self-check: 1 assignment(s)" in captured.out
    data = json.loads((tmp_path / "plan-selfdeny.json").read_text())
    assert data["policySelfCheck"]["assignments"][0]["name"] == "ml-private"
    assert data["policySelfCheck"]["assignments"][0]["judged"] > 10
    denied = [r for r in data["policySelfCheck"]["results"] if r["status"] == "denied"]
    assert denied[0]["definitionId"] == NO_PUBLIC_ML and denied[0]["enforcementMode"] == "Default"
    assert {r["resource"].split()[-1] for r in denied} >= {"hub-contoso-ai"}
    assert "## Policy self-check" in (tmp_path / "plan-selfdeny.md").read_text()


def test_the_same_assignment_with_audit_passes(tmp_path, capsys):
    stack_file = _stack_file(tmp_path, policyAssignments=[
        {"name": "ml-private", "definitionId": NO_PUBLIC_ML, "parameters": {"effect": "Audit"}}])
    assert plan.main(["--stack", "selfdeny", "--stack-file", str(stack_file), "--out", str(tmp_path)]) == 0
    assert "effect Audit applies" in capsys.readouterr().out


def test_prods_projects_meet_prods_own_deny():
    """Issue 10, defect 2: prod assigns 438c38d2 with Deny at the hub's group; a project sent without
    publicNetworkAccess would be rejected (RequestDisallowedByPolicy), so projects carry the hub's."""
    from harness import run_stack

    run = run_stack("prod")
    projects = [r for r in run.by_type(WS) if r.inputs.get("kind") == "Project"]
    assert len(projects) == 2 and {r.inputs.get("publicNetworkAccess") for r in projects} == {"Disabled"}
    assert check_policy_assignments(run).errors == []
    # The check does see a project without it: the one Azure would refuse.
    stripped = run.registrations[:]
    bare = next(i for i, r in enumerate(stripped) if r is projects[0])
    stripped[bare] = dataclasses.replace(projects[0], inputs={
        k: v for k, v in projects[0].inputs.items() if k != "publicNetworkAccess"})
    check = check_policy_assignments(dataclasses.replace(run, registrations=stripped))
    assert [r.resource.split()[-1] for r in check.errors] == [projects[0].inputs["workspaceName"]]


def test_prod_plan_is_clean(tmp_path, capsys):
    # Without --strict: this is about the policy self-check; the baseline has its own prod test.
    assert plan.main(["--stack", "prod", "--out", str(tmp_path)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("Policy self-check:"))
    assert line.startswith("Policy self-check: 2 assignment(s),") and line.endswith(", 0 error(s)")


def test_every_resource_type_the_stacks_create_is_mapped(dev_run):
    from harness import run_stack

    from azpolicy.requests import ARM_TYPES

    for run in (dev_run, run_stack("prod"), run_stack("max")):
        azure = {r.type for r in run.resources if r.custom and r.type.startswith("azure-native:")}
        assert azure - set(ARM_TYPES) == set()


def test_a_reason_never_prints_a_secret_input(monkeypatch):
    from pulumi.runtime import rpc

    from azpolicy import aliases, evaluate

    # A test-only alias onto a property the program sends as a secret.
    alias = "Microsoft.MachineLearningServices/workspaces/credentials.key"
    monkeypatch.setattr(evaluate, "ALIASES", {**aliases.ALIASES, alias.lower(): "properties.credentials.key"})
    monkeypatch.setattr(evaluate, "OWNERS", {**aliases.OWNERS,
                                             alias.lower(): "microsoft.machinelearningservices/workspaces"})
    from azpolicy.evaluate import Definition

    rule = {"if": {"field": alias, "exists": "true"}, "then": {"effect": "deny"}}
    monkeypatch.setattr("offline.policy_check.known", lambda _: Definition("/d", "d", "keys", "All", {}, rule))
    # A secret input as the engine records it (pulumi.runtime.rpc's secret signature).
    secret = {rpc._special_sig_key: rpc._special_secret_sig, "value": {"key": "hunter2-key"}}
    assert rpc.is_rpc_secret(secret)
    project = workspace("proj-s", "Project", publicNetworkAccess="Disabled", credentials=secret)
    check = check_policy_assignments(ProgramRun([project, assignment()], {}, set(), []))
    [error] = check.errors
    assert "hunter2-key" not in error.message and "[secret]" in error.message
