"""Policy self-consistency: would the stack's own policy assignments deny what the stack creates?

A stack may assign Azure Policy at the hub's resource group (`azure-ai-hub:policyAssignments`). Each
`azure-native:authorization:PolicyAssignment` the run registers is judged here: for a built-in definition this
repository ships (azpolicy/definitions), its effect under the assignment's parameters is evaluated against the
create request of every resource the stack puts in the assignment's scope. A Deny the assignment enforces that
holds for one of them is an error: Azure would answer that resource's create or update with
RequestDisallowedByPolicy (Learn, "Azure Policy definitions deny effect"). Pulumi creates the assignment beside
the other resources, so a resource created before it may slip through once, but every later update is denied.

With enforcementMode DoNotEnforce the effect is not enforced (Learn, "Azure Policy assignment structure":
enforcement mode), so a Deny that holds is a warning. Other effects (Audit, Modify, DeployIfNotExists, ...) are
notes. A definition this repository does not ship (custom, an initiative, another built-in), or a condition the
evaluator can't judge, is listed as not evaluated, never as compliant.
"""

from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from azpolicy.evaluate import AssignmentError, NotEvaluable, effect, effective_parameters, judge, known
from azpolicy.requests import arm_request
from components.resource_types import POLICY_ASSIGNMENT

from .engine import ProgramRun
from .recorder import SECRET_MASK, Registration, plain

ERROR_STATUSES = ("denied", "invalid")


@dataclass(frozen=True)
class PolicyResult:
    """One verdict: an assignment against one resource, or about the assignment itself."""

    assignment: str
    definition_id: str
    policy: str
    effect: str
    enforcement_mode: str
    resource: str
    """`<type> <Azure name>`, or empty for a verdict about the assignment itself."""
    status: str
    """denied (error), invalid (error: Azure refuses the assignment), warning, note or not evaluated."""
    message: str


@dataclass
class PolicyCheck:
    """The verdicts for every policy assignment a run registers."""

    assignments: list[str] = field(default_factory=list)
    results: list[PolicyResult] = field(default_factory=list)
    judged_by: dict[str, int] = field(default_factory=dict)
    """Per assignment, how many resources in its scope were evaluated."""

    @property
    def judged(self) -> int:
        return sum(self.judged_by.values())

    @property
    def errors(self) -> list[PolicyResult]:
        return [r for r in self.results if r.status in ERROR_STATUSES]


def _in_scope(reg: Registration, scope: str) -> bool:
    # The group the assignment is made at exists before the assignment, so only what is inside it counts.
    return bool(reg.id) and reg.id.lower().startswith(scope.lower().rstrip("/") + "/")


def check_policy_assignments(run: ProgramRun) -> PolicyCheck:
    """Judge every policy assignment the run registers against the resources in its scope."""
    check = PolicyCheck()
    resources = sorted((r for r in run.resources if r.custom), key=lambda r: r.urn)
    for reg in run.by_type(POLICY_ASSIGNMENT):
        inputs = plain(reg.inputs)
        name = str(inputs.get("policyAssignmentName") or reg.name)
        results, check.judged_by[name] = judge_assignment(name, inputs, resources)
        check.assignments.append(name)
        check.results += results
    return check


def _kind_of(definition_id: str) -> str:
    lowered = definition_id.lower()
    if "/policysetdefinitions/" in lowered:
        return "a policy set (initiative)"
    if lowered.startswith("/subscriptions/") or "/managementgroups/" in lowered:
        return "a custom definition"
    return "a built-in this repository does not ship"


def judge_assignment(
    name: str, inputs: dict[str, Any], resources: list[Registration]
) -> tuple[list[PolicyResult], int]:
    """The verdicts of one assignment (its wire inputs) over the resources in its scope, and how many it judged."""
    definition_id = str(inputs.get("policyDefinitionId") or "")
    mode = str(inputs.get("enforcementMode") or "Default")
    assigned = {k: (v.get("value") if isinstance(v, dict) else v) for k, v in (inputs.get("parameters") or {}).items()}
    definition = known(definition_id)
    row = partial(PolicyResult, name, definition_id)
    if definition is None:
        return [row(definition_id.rsplit("/", 1)[-1], "", mode, "", "not evaluated",
                    f"{_kind_of(definition_id)}: its rule is not known offline")], 0
    policy = f"{definition.display_name} ({definition.name})"
    try:
        values = effective_parameters(definition, assigned)
        effect_name = effect(definition, values)
    except AssignmentError as err:
        return [row(policy, "", mode, "", "invalid", f"Azure refuses this assignment: {err}")], 0
    except NotEvaluable as err:
        return [row(policy, "", mode, "", "not evaluated", str(err))], 0
    if effect_name == "Disabled":
        return [row(policy, effect_name, mode, "", "note", "effect Disabled: the policy is not evaluated")], 0
    unmodelled = [key for key in ("overrides", "resourceSelectors") if inputs.get(key)]
    if unmodelled:
        # Learn, "Azure Policy assignment structure": overrides change the effect and resource selectors the
        # resources, per location or type; this check does not model them.
        return [row(policy, effect_name, mode, "", "not evaluated",
                    f"the assignment sets {' and '.join(unmodelled)}, which this check does not model")], 0
    scope = str(inputs.get("scope") or "")
    excluded = [str(s) for s in inputs.get("notScopes") or []]
    results: list[PolicyResult] = []
    judged = 0
    for target in resources:
        if not _in_scope(target, scope) or any(_in_scope(target, s) or target.id.lower() == s.lower()
                                               for s in excluded):
            continue
        request = arm_request(target.type, target.id, plain(target.inputs))
        label = f"{target.type} {target.id.rsplit('/', 1)[-1]}"
        if request is None:
            results.append(row(policy, effect_name, mode, label, "not evaluated",
                               "the evaluator does not map this resource type"))
            continue
        judged += 1
        outcome = judge(definition, request, values)
        why = _masked("; ".join(outcome.why), target.inputs)
        if outcome.applies is None:
            results.append(row(policy, effect_name, mode, label, "not evaluated", why))
        elif outcome.applies:
            status, message = _verdict(effect_name, mode, why or "the rule's condition holds")
            results.append(row(policy, effect_name, mode, label, status, message))
    return results, judged


def _secret_texts(value: Any, secret: bool = False) -> set[str]:
    from pulumi.runtime import rpc

    if rpc.is_rpc_secret(value):
        return _secret_texts(rpc.unwrap_rpc_secret(value), True)
    if isinstance(value, dict):
        return {t for v in value.values() for t in _secret_texts(v, secret)}
    if isinstance(value, list):
        return {t for v in value for t in _secret_texts(v, secret)}
    return {str(value)} if secret and value is not None and str(value) else set()


def _masked(text: str, inputs: dict[str, Any]) -> str:
    """A reason with every secret input value masked: a condition on a secret property must not print it."""
    for secret in sorted(_secret_texts(inputs), key=len, reverse=True):
        text = text.replace(secret, SECRET_MASK)
    return text


def _verdict(effect_name: str, mode: str, reason: str) -> tuple[str, str]:
    if effect_name == "Deny" and mode != "DoNotEnforce":
        return "denied", f"Azure would deny it (RequestDisallowedByPolicy): {reason}"
    if effect_name == "Deny":
        return "warning", f"would be denied, but enforcementMode is DoNotEnforce: {reason}"
    return "note", f"effect {effect_name} applies: {reason}"


def policy_lines(check: PolicyCheck) -> list[str]:
    """The console report."""
    lines = [f"Policy self-check: {len(check.assignments)} assignment(s), {check.judged} resource evaluation(s), "
             f"{len(check.errors)} error(s)"]
    for name in check.assignments:
        verdicts = sum(1 for r in check.results if r.assignment == name)
        lines.append(f"  {name}: {check.judged_by[name]} resource(s) in scope evaluated, {verdicts} verdict(s)")
    for r in check.results:
        where = f" {r.resource}" if r.resource else ""
        tag = r.status.upper() if r.status in ERROR_STATUSES else r.status
        lines.append(f"  {r.assignment} [{r.policy}]{where}: {r.message} [{tag}]")
    return lines


def policy_section(check: PolicyCheck) -> str:
    """The Markdown report section."""
    rows = "\n".join(
        f"| {r.assignment} | {r.policy} | {r.effect or '-'} / {r.enforcement_mode} | "
        f"{'`' + r.resource + '`' if r.resource else '-'} | {r.message} | "
        f"{'**' + r.status + '**' if r.status in ERROR_STATUSES else r.status} |"
        for r in check.results
    )
    table = ("\n\n| assignment | policy | effect / enforcement | resource | why | status |\n|---|---|---|---|---|---|\n"
             + rows) if rows else ""
    return (
        "## Policy self-check\n\nThe stack's own policy assignments, evaluated against what it creates in their "
        f"scope: {len(check.assignments)} assignment(s), {check.judged} resource evaluation(s), "
        f"{len(check.errors)} error(s).{table}\n\n"
    )


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def policy_json(check: PolicyCheck) -> dict[str, Any]:
    """The plan JSON's `policySelfCheck`: camelCase keys, like the rest of the plan."""
    return {"assignments": [{"name": n, "judged": check.judged_by[n]} for n in check.assignments],
            "results": [{_camel(k): v for k, v in asdict(r).items()} for r in check.results]}

