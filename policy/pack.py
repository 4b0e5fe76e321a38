"""Build the policy pack's policies: one mandatory ResourceValidationPolicy per baseline rule."""

from pulumi_policy import EnforcementLevel, ResourceValidationPolicy
from validators import RULES, describe, policy_name, violation


def _policy(rule):  # type: ignore[no-untyped-def]
    def validate(args, report_violation):  # type: ignore[no-untyped-def]
        message = violation(rule, args.resource_type, args.props, args.urn, args.name)
        if message is not None:
            report_violation(message)

    return ResourceValidationPolicy(
        name=policy_name(rule),
        description=describe(rule),
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY,
    )


def build_policies() -> list[ResourceValidationPolicy]:
    return [_policy(rule) for rule in RULES]
