"""The pack's policies: one ResourceValidationPolicy per baseline rule, configurable with waivers.

Each policy carries its rule's enforcement level, severity and remediation
steps, and takes waivers from its own config (`args.get_config()`, schema in
aihub_baseline/pack_config.py): the pack reads nothing outside this folder,
which is all `pulumi policy publish` uploads.
"""

from aihub_baseline.pack_config import CONFIG_SCHEMA, describe, policy_name, violation
from aihub_baseline.rules import RULES, Rule
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

NAME = "azure-ai-hub-baseline"
DESCRIPTION = "azure-ai-hub security baseline: hubs, projects and their dependencies, with waivers as config"
WAIVER_STEPS = (" To accept the deviation instead, add a waiver with its reason to this policy's config "
                "(`waivers`; from a stack file: `make policy-config STACK=<stack>`).")


def _policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        message = violation(rule, args.resource_type, args.props, args.name, args.get_config())
        if message is not None:
            report_violation(message, None)

    return ResourceValidationPolicy(
        name=policy_name(rule.id),
        description=describe(rule),
        display_name=f"{rule.id} {rule.title}",
        validate=validate,
        enforcement_level=EnforcementLevel(rule.enforcement),
        severity=Severity(rule.severity),
        remediation_steps=rule.remediation + WAIVER_STEPS,
        config_schema=PolicyConfigSchema(properties=CONFIG_SCHEMA),
        tags=["azure", "security"],
    )


def build_policies() -> list[ResourceValidationPolicy]:
    return [_policy(rule) for rule in RULES]
