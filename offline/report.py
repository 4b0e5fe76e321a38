"""The plan's files: the JSON of every resource, and the Markdown report."""

import json
from dataclasses import asdict
from typing import Any, Optional

from .critical_path import critical_path
from .describe import azure_name, describe, principal_names, stack_region
from .diagram import mermaid
from .engine import ProgramRun
from .policy_check import PolicyCheck, check_policy_assignments, policy_section
from .recorder import SECRET_MASK, mask_secrets
from .review import Review, review
from .tree import render_tree


def plan_json(run: ProgramRun, stack: str, checked: Optional[Review] = None) -> dict[str, Any]:
    """The plan as JSON: every registration (inputs masked, parent, dependencies, options), findings, outputs."""
    checked = checked or review(run, [])
    return {
        "findings": [asdict(f) for f in checked.findings],
        "hazards": checked.hazards,
        "stack": stack,
        "resourceCount": len(run.resources),
        "resources": [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
                "custom": r.custom,
                "parent": r.parent or None,
                "azureName": azure_name(r),
                "inputs": mask_secrets(r.inputs),
                "dependencies": r.dependencies,
                "options": {
                    "protect": r.protect,
                    "retainOnDelete": r.retain_on_delete,
                    "ignoreChanges": r.ignore_changes,
                    "deletedWith": r.deleted_with or None,
                    "additionalSecretOutputs": r.additional_secret_outputs,
                },
            }
            for r in sorted(run.registrations, key=lambda r: r.urn)
        ],
        "outputs": {k: (SECRET_MASK if k in run.secret_outputs else v) for k, v in sorted(run.outputs.items())},
    }



def _cell(value: Any) -> str:
    """A value as JSON in a Markdown table cell (pipes escaped so they don't end the cell)."""
    return "`" + json.dumps(value, sort_keys=True).replace("|", "\\|") + "`"


def _baseline_section(checked: Review) -> str:
    from baseline.rules import RULES

    rows = "\n".join(
        f"| {f.rule} | `{f.resource}` | {f.message} | {'waived: ' + f.waived if f.waived else '**finding**'} |"
        for f in checked.findings
    )
    unused_rows = "".join(f"\n- waiver for {w.rule} matched nothing: {w.reason}" for w in checked.unused_waivers)
    table = f"\n\n| rule | resource | what | status |\n|---|---|---|---|\n{rows}" if rows else ""
    return (
        f"## Security baseline\n\n{len(RULES)} rules; {len(checked.open)} finding(s), "
        f"{len(checked.findings) - len(checked.open)} waived.{table}{unused_rows}\n\n"
    )


def markdown(run: ProgramRun, stack: str, checked: Optional[Review] = None,
             policies: Optional[PolicyCheck] = None) -> str:
    """The plan as a Markdown report: diagram, hazards, baseline, policy self-check, critical path, tree."""
    counts: dict[str, int] = {}
    for r in run.resources:
        counts[r.type] = counts.get(r.type, 0) + 1
    rows = "\n".join(f"| `{t}` | {n} |" for t, n in sorted(counts.items()))
    outputs = "\n".join(
        f"| `{k}` | {_cell(SECRET_MASK if k in run.secret_outputs else v)} |" for k, v in sorted(run.outputs.items())
    )
    tree = "\n".join(render_tree(run))
    diagram = "\n".join(mermaid(run))
    path = critical_path(run)
    principals = principal_names(run)
    steps = "\n".join(f"{i}. `{r.type}` {describe(r, principals).split(' ', 1)[1]}" for i, r in enumerate(path, 1))
    region = stack_region(run)
    checked = checked or review(run, [])
    hazards = "".join(f"- {h.removeprefix('hazard: ')}\n" for h in checked.hazards) or "None.\n"
    return (
        f"# Offline plan: stack `{stack}`\n\n"
        f"{len(run.resources)} resources in `{region or 'no region'}`, rendered under Pulumi mocks (no Azure, no CLI). "
        "IDs and endpoints are placeholders; names and inputs are what `pulumi up` sends.\n\n"
        f"## Diagram\n\n```mermaid\n{diagram}\n```\n\n"
        f"## Hazards\n\nChanges since the previous plan that Azure can't apply in place, or that lose data:\n\n"
        f"{hazards}\n"
        + _baseline_section(checked)
        + policy_section(policies or check_policy_assignments(run))
        + f"## Critical path\n\nThe longest chain of resources a deploy must create one after another "
        f"({len(path)} resources); everything else goes up beside it:\n\n{steps}\n\n"
        f"## Resources\n\n| type | count |\n|---|---|\n{rows}\n\n"
        f"## Tree\n\n```\n{tree}\n```\n\n"
        f"## Stack outputs\n\n| output | value |\n|---|---|\n{outputs}\n"
    )

