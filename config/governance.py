"""Operating the hub: diagnostics, policy assignments, a budget, compute instances, and tags."""

import re
from typing import Any, Literal, Optional

from pydantic import ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from components.arm import LOG_ANALYTICS
from components.compute import DEFAULT_IDLE, ComputeInstanceArgs, compute_instance_problems
from components.governance import (
    ASSIGNMENT_NAME,
    ENFORCEMENT_MODES,
    BudgetArgs,
    PolicyAssignmentArgs,
    budget_problems,
    definition_id_problem,
)

from .base import Model, arm_id, no_problem, sub_problems


class Diagnostics(Model):
    enabled: bool = True
    """Diagnostic settings (all logs and metrics) for the hub, projects, provider, key vault, storage (account,
    blob and file services) and registry."""
    retention_days: int = Field(default=30, ge=30, le=730)
    """Retention in days of the Log Analytics workspace the stack creates."""
    log_analytics_workspace_id: Optional[str] = None
    """ARM ID of the `Microsoft.OperationalInsights/workspaces` diagnostics go to; needed only with a classic
    (non-workspace) Application Insights (none: the stack's own, or the one behind an existing workspace-based
    Application Insights, read from Azure)."""

    _workspace = field_validator("log_analytics_workspace_id")(arm_id(LOG_ANALYTICS))


class PolicyAssignment(Model):
    name: str
    """Assignment name: 1-64 characters without `< > * % & : \\ ? . + /` or surrounding spaces; unique."""
    definition_id: str
    """ID of a built-in or custom policy definition or initiative (set definition)."""
    parameters: dict[str, Any] = {}
    """The definition's parameters, by name."""
    enforcement_mode: Literal[ENFORCEMENT_MODES] = "Default"  # type: ignore[valid-type]
    """`Default`, or `DoNotEnforce` to evaluate without denying."""
    managed_identity: bool = False
    """`true` for Modify and DeployIfNotExists policies: the assignment gets an identity."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not ASSIGNMENT_NAME.match(value):
            raise ValueError("must be 1-64 characters without < > * % & : \\ ? . + / or surrounding spaces")
        return value

    _definition = field_validator("definition_id")(no_problem(definition_id_problem))

    def args(self) -> PolicyAssignmentArgs:
        found = PolicyAssignmentArgs(name=self.name, definition_id=self.definition_id,
                                     enforcement_mode=self.enforcement_mode, managed_identity=self.managed_identity)
        if self.parameters:
            found["parameters"] = dict(self.parameters)
        return found


class Budget(Model):
    # Checked by budget_problems, so that every problem carries its own path.
    model_config = ConfigDict(alias_generator=to_camel, extra="forbid", strict=False, frozen=True,
                              use_attribute_docstrings=True)
    amount: Any = None
    """Required: the budget amount per time grain, a positive number."""
    thresholds: Any = None
    """Required: a list of alert thresholds in percent of the amount (1-1000, actual cost; at most 5, Azure's
    limit: rule DR-04)."""
    contact_emails: Any = None
    """Required: a list of the email addresses every alert goes to; at least one."""
    time_grain: Any = "Monthly"
    """`Monthly`, `Quarterly` or `Annually`."""
    start_date: Any = None
    """`YYYY-MM-01` (none: the first deployment's month, then kept)."""

    @model_validator(mode="after")
    def _valid(self) -> "Budget":
        sub_problems(budget_problems(self.model_dump()))
        return self

    def args(self) -> BudgetArgs:
        found = BudgetArgs(amount=float(self.amount), thresholds=[float(t) for t in self.thresholds],
                           contact_emails=list(self.contact_emails), time_grain=self.time_grain)
        if self.start_date:
            found["start_date"] = str(self.start_date)
        return found


class ComputeInstance(Model):
    name: str
    """3-24 letters, digits and single hyphens, starting with a letter; unique in the region."""
    vm_size: str
    """Azure VM size, e.g. `Standard_DS11_v2`."""
    assigned_user_object_id: str
    """Entra ID object ID (a GUID) of the one user the instance is for."""
    idle_shutdown_minutes: int = DEFAULT_IDLE
    """Idle shutdown, 15 minutes to 3 days (DR-03)."""

    @model_validator(mode="after")
    def _valid(self) -> "ComputeInstance":
        sub_problems(compute_instance_problems(self.model_dump()))
        return self

    def args(self) -> ComputeInstanceArgs:
        return ComputeInstanceArgs(name=self.name, vm_size=self.vm_size,
                                   assigned_user_object_id=self.assigned_user_object_id.lower(),
                                   idle_shutdown_minutes=self.idle_shutdown_minutes)


_TAG_NAME_FORBIDDEN = re.compile(r"[<>%&\\?/]")
MAX_TAGS = 50


def checked_tags(value: dict[str, str]) -> dict[str, str]:
    """The stack's tags (a field validator): Azure's limits on their number, names and values."""
    if len(value) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags are allowed (got {len(value)})")
    for name, tag in value.items():
        if not name or len(name) > 512 or _TAG_NAME_FORBIDDEN.search(name):
            raise ValueError(f"tag name {name!r} must be 1-512 characters without < > % & \\ ? /")
        if len(tag) > 256:
            raise ValueError(f"tag {name!r} has a value longer than 256 characters")
    return value
