"""The dev and prod stacks register exactly what they did: URNs and wire inputs, against a golden file.

Refactors (issue 14) must not move a resource (a URN change is a delete and a create) or change what it sends.
A change that means to do either regenerates the files on purpose:

    venv/bin/python tests/stack/test_golden.py   # rewrites tests/stack/golden/*.json
"""

import json
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def snapshot(stack: str) -> dict:
    from harness import run_stack

    from offline.plan import mask_secrets

    run = run_stack(stack)
    return {r.urn: {"inputs": mask_secrets(r.inputs), "parent": r.parent, "protect": bool(r.protect),
                    "retainOnDelete": bool(r.retain_on_delete), "ignoreChanges": sorted(r.ignore_changes)}
            for r in sorted(run.registrations, key=lambda r: r.urn)}


def render(stack: str) -> str:
    return json.dumps(snapshot(stack), indent=1, sort_keys=True, default=str) + "\n"


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stack_matches_its_golden_file(stack):
    expected = json.loads((GOLDEN / f"{stack}.json").read_text())
    found = json.loads(render(stack))
    assert sorted(found) == sorted(expected), "URNs changed"
    for urn in expected:
        assert found[urn] == expected[urn], urn


if __name__ == "__main__":
    here = Path(__file__).resolve()
    sys.path[:0] = [str(here.parents[1]), str(here.parents[2])]  # tests/ (the harness) and the repository
    for name in ("dev", "prod"):
        (GOLDEN / f"{name}.json").write_text(render(name))
