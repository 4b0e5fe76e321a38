"""Judge resources against the baseline, honouring waivers.

A waiver is an accepted deviation with a reason, for the whole stack or for
named resources. The offline plan takes a stack's waivers from its stack file
(`azure-ai-hub:waivers`) and reports a waived finding as waived; the policy
pack takes them from its own configuration (see pack_config.py).

Inputs and waiver entries are read as any `Mapping` and `Sequence`, so a
policy's read-only property proxies read like plain dicts and lists.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from .rules import RULE_IDS, Props, Rule, rules_for

MIN_REASON = 10

# Inputs that name a resource in Azure: a child's own name first (a deployment
# before its account), then a top-level resource's.
NAME_KEYS = (
    "deploymentName", "connectionName", "capabilityHostName", "roleAssignmentName", "roleAssignmentId",
    "blobServicesName", "keyName", "subnetName", "privateDnsZoneGroupName", "virtualNetworkLinkName", "lockName",
    "computeName", "policyAssignmentName", "budgetName", "scopeName",
    # A Foundry project is a child of its account, and the parent of its connections and capability host.
    "projectName",
    "accountName", "vaultName", "workspaceName", "registryName", "resourceName", "privateEndpointName",
    "virtualNetworkName", "privateZoneName", "searchServiceName", "name", "resourceGroupName",
)


def azure_name(props: Props) -> Optional[str]:
    """The name a resource gets in Azure, from its inputs."""
    for key in NAME_KEYS:
        value = props.get(key)
        if isinstance(value, str):
            return value
    return None


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    resources: tuple[str, ...] = ()
    """Pulumi or Azure names of the resources it covers; empty: every resource."""

    def covers(self, rule_id: str, names: Iterable[str]) -> bool:
        return self.rule == rule_id and (not self.resources or any(n in self.resources for n in names))


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    resource: str
    type: str
    message: str
    waived: Optional[str] = None
    """The waiver's reason, when one covers it."""


def waiver_problems(entry: Any) -> list[tuple[str, str]]:
    """Why a waiver entry (as written in the stack file) is invalid, as (field, reason) pairs."""
    if not isinstance(entry, Mapping):
        return [("", "a waiver is an object: {rule, reason, resources?}")]
    problems = [(k, "unknown key (allowed here: rule, reason, resources)") for k in entry
                if k not in ("rule", "reason", "resources")]
    if not isinstance(entry.get("rule"), str) or entry["rule"] not in RULE_IDS:
        problems.append(("rule", f"unknown rule {entry.get('rule')!r} (see policy/aihub_baseline/rules.py)"))
    reason = entry.get("reason")
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
        problems.append(("reason", f"say why the deviation is accepted (at least {MIN_REASON} characters)"))
    resources = entry.get("resources", [])
    if (not isinstance(resources, Sequence) or isinstance(resources, str)
            or not all(isinstance(r, str) and r for r in resources)):
        problems.append(("resources", "must be a list of resource names"))
    return problems


def parse_waivers(entries: Optional[Iterable[Any]]) -> list[Waiver]:
    """Waivers from the stack file's list; entries with problems are left out (config reports them)."""
    return [
        Waiver(e["rule"], e["reason"].strip(), tuple(e.get("resources") or ()))
        for e in entries or []
        if not waiver_problems(e)
    ]


def judge(
    rule: Rule, resource_type: str, name: str, azure_name: Optional[str], props: Props, waivers: Iterable[Waiver] = ()
) -> Optional[Finding]:
    """What `rule` finds wrong with one resource (waived or not), or None when it passes or doesn't apply."""
    if resource_type not in rule.types or not rule.applies(props):
        return None
    message = rule.check(props)
    if message is None:
        return None
    names = [n for n in (name, azure_name) if n]
    waiver = next((w for w in waivers if w.covers(rule.id, names)), None)
    return Finding(rule.id, rule.title, name, resource_type, message, waiver.reason if waiver else None)


def evaluate(
    resources: Iterable[tuple[str, str, Optional[str], Props]], waivers: Iterable[Waiver] = ()
) -> list[Finding]:
    """Findings for (type, Pulumi name, Azure name, inputs) of each resource, waived or not."""
    waivers = list(waivers)
    return [
        finding
        for resource_type, name, azure_name, props in resources
        for rule in rules_for(resource_type, props)
        if (finding := judge(rule, resource_type, name, azure_name, props, waivers))
    ]


def unused(waivers: Iterable[Waiver], findings: Iterable[Finding]) -> list[Waiver]:
    """Waivers that waived nothing: stale, or with a misspelt resource name."""
    used = {(f.rule, f.waived) for f in findings if f.waived}
    return [w for w in waivers if (w.rule, w.reason) not in used]


__all__ = ["MIN_REASON", "NAME_KEYS", "Finding", "Waiver", "azure_name", "evaluate", "judge", "parse_waivers", "unused",
           "waiver_problems"]
