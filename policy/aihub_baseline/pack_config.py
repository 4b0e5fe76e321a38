"""The policy pack's configuration: each policy's `waivers`, its JSON Schema, and how waivers become it.

pulumi-policy configures a pack per policy name: a `--policy-pack-config`
file, a policy group's config in Pulumi Cloud or an ESC environment's
`policyConfig` holds `{"<policy name>": {"waivers": [...]}}`. The engine fills
in each property's `default`, checks every policy's config against its schema
before the pack runs (pulumi/pulumi, ReconcilePolicyPackConfig and
ValidatePolicyPackConfig; the schema is the policy's `properties` under
`"type": "object"`), and a policy reads its own part with `args.get_config()`
(pulumi_policy/policy.py, `_PolicyAnalyzerServicer.Configure`).

A waiver here has no `rule`: the policy it sits under names the rule.
"""

from collections.abc import Mapping
from typing import Any, Iterable, Optional

from .evaluate import MIN_REASON, Finding, Waiver, azure_name, judge, parse_waivers
from .rules import Props, Rule, items

WAIVERS_KEY = "waivers"

#: The `properties` of every policy's config schema (`PolicyConfigSchema(properties=...)`).
CONFIG_SCHEMA: dict[str, dict[str, Any]] = {
    WAIVERS_KEY: {
        "type": "array",
        "description": "Accepted deviations from this rule, each with its reason; a waiver without `resources` "
                       "covers every resource.",
        "default": [],
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["reason"],
            "properties": {
                "reason": {
                    "type": "string",
                    "description": f"Why the deviation is accepted (at least {MIN_REASON} characters).",
                    # At least MIN_REASON characters once surrounding blanks are stripped, as the stack file's
                    # waivers must have (evaluate.waiver_problems).
                    "pattern": rf"^\s*\S[\s\S]{{{MIN_REASON - 2},}}\S\s*$",
                },
                "resources": {
                    "type": "array",
                    "description": "Pulumi or Azure names of the resources it covers (default: every resource).",
                    "items": {"type": "string", "minLength": 1},
                },
            },
        },
    },
}


def policy_name(rule_id: str) -> str:
    """The pack's policy for a rule: `ML-01` -> `aihub-ml-01`."""
    return f"aihub-{rule_id.lower()}"


def describe(rule: Rule) -> str:
    return f"{rule.id} {rule.title}. Source: {' '.join(rule.source.split())}"


def waivers_from_config(rule_id: str, config: Mapping[str, Any]) -> list[Waiver]:
    """The waivers in one policy's config; an entry that isn't a valid waiver waives nothing."""
    return parse_waivers({**entry, "rule": rule_id} for entry in items(config.get(WAIVERS_KEY))
                         if isinstance(entry, Mapping))


def violation(rule: Rule, resource_type: str, props: Props, name: str, config: Mapping[str, Any]) -> Optional[str]:
    """What `rule` finds wrong with this resource, unless its policy's config waives it."""
    finding: Optional[Finding] = judge(rule, resource_type, name, azure_name(props), props,
                                       waivers_from_config(rule.id, config))
    return finding.message if finding and finding.waived is None else None


def pack_config(waivers: Iterable[Waiver]) -> dict[str, Any]:
    """The pack's config (`--policy-pack-config` JSON) for these waivers: each under its rule's policy."""
    config: dict[str, Any] = {}
    for waiver in waivers:
        entry: dict[str, Any] = {"reason": waiver.reason}
        if waiver.resources:
            entry["resources"] = list(waiver.resources)
        config.setdefault(policy_name(waiver.rule), {WAIVERS_KEY: []})[WAIVERS_KEY].append(entry)
    return dict(sorted(config.items()))


__all__ = ["CONFIG_SCHEMA", "WAIVERS_KEY", "describe", "pack_config", "policy_name", "violation",
           "waivers_from_config"]
