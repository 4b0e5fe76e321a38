"""Governance at the hub's resource group: Azure Policy assignments and a budget.

The resource group is the hub's scope: a policy assigned there applies to the
hub and every project (they live in the same group), and a budget there covers
the hub's whole cost.
"""

import datetime
import re
from typing import Any, NotRequired, Optional, Sequence, TypedDict

import pulumi
from pulumi_azure_native import authorization, consumption

from .naming import fit

_SCOPE = r"(?:/subscriptions/[0-9a-fA-F-]{36}|/providers/Microsoft\.Management/managementGroups/[-\w.()]{1,90})?"
DEFINITION_ID = re.compile(
    rf"^{_SCOPE}/providers/Microsoft\.Authorization/(?P<kind>policyDefinitions|policySetDefinitions)/[^/\s]{{1,128}}$",
    re.IGNORECASE,
)
ASSIGNMENT_NAME = re.compile(r"^[^<>*%&:\\?.+/\s][^<>*%&:\\?+/]{0,62}[^<>*%&:\\?.+/\s]$|^[^<>*%&:\\?.+/\s]$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The values of azure-native's enums that this component supports (one owner: the
# stack config accepts the same).
TIME_GRAINS = tuple(g.value for g in (consumption.TimeGrainType.MONTHLY, consumption.TimeGrainType.QUARTERLY,
                                      consumption.TimeGrainType.ANNUALLY))
ENFORCEMENT_MODES = (authorization.EnforcementMode.DEFAULT.value, authorization.EnforcementMode.DO_NOT_ENFORCE.value)


class PolicyAssignmentArgs(TypedDict):
    """A built-in or custom policy (or initiative) assigned at the hub's resource group."""

    name: str
    """Required. Assignment name, 1-64 characters without < > * % & : \\ ? . + /."""
    definition_id: pulumi.Input[str]
    """Required. ID of a policy definition or set definition (initiative), built-in or custom; may come from another
    resource.
    """
    parameters: NotRequired[dict[str, Any]]
    """Optional. Parameter values by name, passed through."""
    enforcement_mode: NotRequired[authorization.EnforcementMode]
    """Optional. Default (deny and modify take effect) or DoNotEnforce (audit only)."""
    managed_identity: NotRequired[bool]
    """Optional. Give the assignment a system identity, which Modify and DeployIfNotExists policies need."""


class BudgetArgs(TypedDict):
    """A cost budget on the hub's resource group, with alerts."""

    amount: float
    """Required. The budget per time grain, in the billing currency."""
    thresholds: list[float]
    """Required. Alert at these percentages of the amount (1-1000)."""
    contact_emails: list[str]
    """Required. Who gets the alerts."""
    time_grain: NotRequired[consumption.TimeGrainType]
    """Optional. Monthly (default), Quarterly or Annually."""
    start_date: NotRequired[str]
    """Optional. First day of a month, YYYY-MM-01. Default: the month of the first deployment."""


def definition_id_problem(value: str) -> Optional[str]:
    if not isinstance(value, str) or not DEFINITION_ID.match(value):
        return ("is not a policy definition or set definition ID "
                "(.../providers/Microsoft.Authorization/policyDefinitions/<name> or policySetDefinitions/<name>)")
    return None


def budget_problems(budget: dict[str, Any]) -> list[tuple[str, str]]:
    """Why a budget can't be created, as (field, reason) pairs."""
    problems: list[tuple[str, str]] = []
    amount = budget.get("amount")
    if not isinstance(amount, (int, float)) or isinstance(amount, bool) or amount <= 0:
        problems.append(("amount", "must be a positive number"))
    thresholds = budget.get("thresholds")
    if not isinstance(thresholds, list) or not thresholds:
        problems.append(("thresholds", "at least one alert threshold (percent of the amount) is required"))
    else:
        for i, value in enumerate(thresholds):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 1 <= value <= 1000:
                problems.append((f"thresholds[{i}]", f"must be a percentage from 1 to 1000 (got {value!r})"))
        # Only numbers can repeat meaningfully (a list or map in the list is reported above).
        numbers = [v for v in thresholds if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if len(set(numbers)) != len(numbers):
            problems.append(("thresholds", "a threshold is listed twice"))
    emails = budget.get("contact_emails")
    if not isinstance(emails, list) or not emails:
        problems.append(("contactEmails", "at least one contact is required, or nobody hears the alerts"))
    else:
        problems += [(f"contactEmails[{i}]", f"{e!r} is not an email address") for i, e in enumerate(emails)
                     if not isinstance(e, str) or not EMAIL.match(e)]
    if budget.get("time_grain", "Monthly") not in TIME_GRAINS:
        problems.append(("timeGrain", f"must be one of {', '.join(TIME_GRAINS)}"))
    start = budget.get("start_date")
    if start is not None:
        try:
            parsed = datetime.date.fromisoformat(str(start))
            if parsed.day != 1:
                raise ValueError
        except ValueError:
            problems.append(("startDate", "must be the first day of a month, YYYY-MM-01"))
    return problems


def assign_policies(
    base: str,
    scope: pulumi.Input[str],
    location: pulumi.Input[str],
    assignments: Sequence[PolicyAssignmentArgs],
    parent: pulumi.Resource,
    adopt_from: Optional[pulumi.Input[str]] = None,
) -> list[authorization.PolicyAssignment]:
    """Each assignment at `scope`; `adopt_from`: the URN of their former parent (an AIHub whose assignments a
    Foundry resource takes over in place, with Pulumi aliases)."""
    aliases = [pulumi.Alias(parent=adopt_from)] if adopt_from is not None else None
    created = []
    for item in assignments:
        identity = item.get("managed_identity")
        created.append(authorization.PolicyAssignment(
            f"{base}-policy-{item['name']}",
            policy_assignment_name=item["name"],
            scope=scope,
            policy_definition_id=item["definition_id"],
            display_name=item["name"],
            enforcement_mode=item.get("enforcement_mode", "Default"),
            parameters={k: authorization.ParameterValuesValueArgs(value=v)
                        for k, v in (item.get("parameters") or {}).items()} or None,
            identity=authorization.IdentityArgs(type=authorization.ResourceIdentityType.SYSTEM_ASSIGNED)
            if identity else None,
            location=location if identity else None,
            opts=pulumi.ResourceOptions(parent=parent, aliases=aliases),
        ))
    return created


def create_budget(
    base: str, scope: pulumi.Input[str], budget: BudgetArgs, parent: pulumi.Resource,
    adopt_from: Optional[pulumi.Input[str]] = None,
) -> consumption.Budget:
    start = budget.get("start_date")
    # Azure wants a start in the current month or later; without one, the first
    # deployment's month is used and kept, so later runs don't move it.
    ignore = [] if start else ["timePeriod"]
    start = start or datetime.date.today().replace(day=1).isoformat()
    return consumption.Budget(
        f"{base}-budget",
        budget_name=fit("budget", base, 63),
        scope=scope,
        amount=budget["amount"],
        category=consumption.CategoryType.COST,
        time_grain=budget.get("time_grain", "Monthly"),
        time_period=consumption.BudgetTimePeriodArgs(start_date=f"{start}T00:00:00Z"),
        notifications={
            f"actual-{int(t) if float(t).is_integer() else t}-percent": consumption.NotificationArgs(
                enabled=True,
                operator=consumption.OperatorType.GREATER_THAN_OR_EQUAL_TO,
                threshold=t,
                threshold_type=consumption.ThresholdType.ACTUAL,
                contact_emails=list(budget["contact_emails"]),
            )
            for t in budget["thresholds"]
        },
        opts=pulumi.ResourceOptions(parent=parent, ignore_changes=ignore,
                                    aliases=[pulumi.Alias(parent=adopt_from)] if adopt_from is not None else None),
    )


def lock_against_deletion(
    base: str, scopes: Sequence[tuple[str, pulumi.Input[str]]], parent: pulumi.Resource
) -> list[authorization.ManagementLockByScope]:
    """CanNotDelete locks, never ReadOnly: a read-only lock breaks key listing and deployments."""
    return [
        authorization.ManagementLockByScope(
            f"{base}-lock-{label}",
            scope=scope,
            level=authorization.LockLevel.CAN_NOT_DELETE,
            lock_name="do-not-delete",
            notes="Set by azure-ai-hub: holds the hub's data. Remove the lock before deleting on purpose.",
            opts=pulumi.ResourceOptions(parent=parent),
        )
        for label, scope in scopes
    ]
