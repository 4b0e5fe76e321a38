"""The baseline rules as policy-pack validators, without importing pulumi_policy.

Pure functions, tested directly (tests/test_policy.py); `pack.py` wraps each
rule in a `ResourceValidationPolicy`. A stack's waivers come from its stack
file beside Pulumi.yaml (`azure-ai-hub:waivers`), found through the stack name
in the resource's URN, so the pack and the offline plan judge alike.
"""

import sys
from functools import cache
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from baseline.evaluate import Waiver, azure_name, parse_waivers  # noqa: E402
from baseline.rules import RULES, Rule  # noqa: E402

WAIVERS_KEY = "azure-ai-hub:waivers"


def policy_name(rule: Rule) -> str:
    return f"aihub-{rule.id.lower()}"


def stack_of(urn: str) -> str:
    """The stack name in a resource URN (`urn:pulumi:<stack>::<project>::...`)."""
    return urn.split("::", 1)[0].rsplit(":", 1)[-1]


@cache
def waivers_for(stack: str, root: Path = ROOT) -> tuple[Waiver, ...]:
    import yaml

    stack_file = root / f"Pulumi.{stack}.yaml"
    if not stack_file.exists():
        return ()
    config = (yaml.safe_load(stack_file.read_text(encoding="utf-8")) or {}).get("config") or {}
    return tuple(parse_waivers(config.get(WAIVERS_KEY)))


def violation(rule: Rule, resource_type: str, props: dict[str, Any], urn: str, name: str,
              root: Path = ROOT) -> Optional[str]:
    """What `rule` finds wrong with this resource, unless the stack waives it."""
    if resource_type not in rule.types or not rule.applies(props):
        return None
    message = rule.check(props)
    if message is None:
        return None
    names = [n for n in (name, azure_name(props)) if n]
    if any(w.covers(rule.id, names) for w in waivers_for(stack_of(urn), root)):
        return None
    return f"{rule.id} {rule.title}: {message}"


def describe(rule: Rule) -> str:
    return f"{rule.id} {rule.title}. Source: {' '.join(rule.source.split())}"


__all__ = ["RULES", "describe", "policy_name", "stack_of", "violation", "waivers_for"]
