"""The offline plan's own command-line inputs, checked before anything runs."""

import json
from pathlib import Path
from typing import Any, Optional


class PlanInputError(ValueError):
    """A command-line argument that points at the wrong thing."""


def read_previous(path: Path, stack: str) -> dict[str, Any]:
    """The outputs recorded in a previous plan of the same stack (for `--previous`).

    A plan of another stack would compare two different stacks and call out hazards
    that are only their differences, so it is refused.
    """
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise PlanInputError(f"--previous {path}: can't read it ({err.strerror or err})") from None
    except (UnicodeDecodeError, ValueError):
        raise PlanInputError(f"--previous {path}: not a plan JSON (write one with --out)") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("outputs"), dict) or not isinstance(
        plan.get("stack"), str
    ):
        raise PlanInputError(f"--previous {path}: not a plan JSON (no `stack` and `outputs`)")
    if plan["stack"] != stack:
        raise PlanInputError(
            f"--previous {path} is a plan of stack {plan['stack']!r}, not {stack!r}: "
            f"compare with out/plan-{stack}.json"
        )
    outputs: dict[str, Any] = plan["outputs"]
    return outputs


def output_folder_problem(path: Path) -> Optional[str]:
    """Why `path` can't hold the plan files, or None."""
    for folder in (path, *path.parents):
        if folder.exists():
            if not folder.is_dir():
                return f"{folder} is a file, not a folder"
            return None
    return None
