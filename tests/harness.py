"""The shared mock harness: run the whole program, or one component, for a config.

Everything is read from what the program registers with the (mock) engine:
types, wire-format (camelCase) inputs, parents, dependencies and options.
"""

import json
from pathlib import Path
from typing import Any, Callable, Optional

# Type tokens of the resources the program registers: the registry's (components/resource_types.py).
from components.resource_types import (  # noqa: F401
    ACCOUNT,
    BLOB_SERVICE,
    BUDGET,
    COMPUTE,
    CONNECTION,
    DEPLOYMENT,
    DIAGNOSTIC_SETTING,
    DNS_ZONE,
    DNS_ZONE_GROUP,
    ENDPOINT,
    IDENTITY,
    INSIGHTS,
    KEY,
    LOCK,
    LOGS,
    POLICY_ASSIGNMENT,
    REGISTRY,
    RESOURCE_GROUP,
    ROLE,
    STORAGE,
    SUBNET,
    VAULT,
    VNET,
    VNET_LINK,
    WORKSPACE,
)
from offline.engine import ProgramRun, Registration, load_stack_config, run, run_program

ROOT = Path(__file__).resolve().parent.parent
NS = "azure-ai-hub"

HUB = "aihub:index:AIHub"
PROJECT = "aihub:index:AIProject"
SHARED = "aihub:index:SharedConnection"

SUB = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/shared-rg/providers"
EXISTING = {
    "storage": f"{SUB}/Microsoft.Storage/storageAccounts/sharedstore",
    "vault": f"{SUB}/Microsoft.KeyVault/vaults/shared-kv",
    "insights": f"{SUB}/Microsoft.Insights/components/shared-appi",
    "registry": f"{SUB}/Microsoft.ContainerRegistry/registries/sharedacr",
    "openai": f"{SUB}/Microsoft.CognitiveServices/accounts/shared-openai",
    "logs": f"{SUB}/Microsoft.OperationalInsights/workspaces/shared-logs",
}


SCENARIOS = ROOT / "tests" / "stacks"


def stack_config(stack: str = "dev", **overrides: Any) -> tuple[str, dict[str, str], list[str]]:
    """A stack's config with some `azure-ai-hub` keys replaced (None removes one).

    `stack` names `Pulumi.<stack>.yaml`, or a scenario in tests/stacks/<stack>.yaml.
    """
    scenario = SCENARIOS / f"{stack}.yaml"
    project, config, secret_keys = load_stack_config(ROOT, stack, scenario if scenario.exists() else None)
    for key, value in overrides.items():
        qualified = key if ":" in key else f"{NS}:{key}"
        if value is None:
            config.pop(qualified, None)
        else:
            config[qualified] = value if isinstance(value, str) else json.dumps(value)
    return project, config, secret_keys


def run_stack(stack: str = "dev", check: bool = True, **overrides: Any) -> ProgramRun:
    """Run `__main__.py` for a stack file's config (with overrides) under mocks."""
    project, config, secret_keys = stack_config(stack, **overrides)
    return run_program(
        ROOT / "__main__.py", config, project=project, stack=stack, secret_keys=secret_keys, check=check
    )


def run_component(build: Callable[[], Any], config: Optional[dict[str, str]] = None) -> ProgramRun:
    """Run a callable that builds components directly, without our stack config."""
    return run(build, config or {"azure-native:location": "westeurope"}, project="test", stack="unit")


def children_of(result: ProgramRun, parent: Registration) -> list[Registration]:
    return [r for r in result.registrations if r.parent == parent.urn]


def waits_for(result: ProgramRun, resource: Registration, other: Registration) -> bool:
    """Whether `resource` is created only after `other`, directly or through what it depends on."""
    seen: set[str] = set()
    todo = list(resource.dependencies)
    while todo:
        urn = todo.pop()
        if urn == other.urn:
            return True
        if urn not in seen:
            seen.add(urn)
            # A resource read, not registered (a StackReference), has nothing to wait for here.
            todo += next((r.dependencies for r in result.registrations if r.urn == urn), [])
    return False


def all_strings(value: Any) -> list[str]:
    """Every string anywhere in a nested value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in all_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in all_strings(v)]
    return []


ZONE_GROUP, DIAGNOSTIC, POLICY = DNS_ZONE_GROUP, DIAGNOSTIC_SETTING, POLICY_ASSIGNMENT
PRIVATE_NETWORK = "aihub:index:PrivateNetwork"
# Resources placed by a scope (a resource or group ID), not a resource group name.
SCOPED = {ROLE, DIAGNOSTIC, POLICY, BUDGET, LOCK}


# Aliases: the URNs a resource was known by, as the engine resolves them


def engine_urns(run):
    """Each registration by the URN the engine gives it: the parent's whole type chain, then its type and name,
    except that the root stack's type is no part of its children's chain (pulumi/pulumi pkg/resource/deploy/
    step_generator.go). Pulumi's mock monitor keeps only the parent's own type, and the stack's."""
    by_urn = {r.urn: r for r in run.registrations}

    def chain(registration):
        parent = by_urn.get(registration.parent)
        if parent is None or parent.type == "pulumi:pulumi:Stack":
            return registration.type
        return f"{chain(parent)}${registration.type}"

    stack = next(r for r in run.registrations if r.type == "pulumi:pulumi:Stack")
    prefix = "::".join(stack.urn.split("::")[:2])
    return {f"{prefix}::{chain(r)}::{r.name}": r for r in run.registrations if r.type != "pulumi:pulumi:Stack"}


def resolved(run, registration):
    """The URNs the engine looks for in the state for a registration's alias specs (a parentUrn one: the parent's
    type chain, then the resource's type and name, each as the spec gives or defaults)."""
    found = []
    for spec in registration.alias_specs:
        if "parentUrn" in spec:
            stack, project, parent_type = spec["parentUrn"].split("::")[0:3]
            found.append(f"{stack}::{project}::{parent_type}${spec.get('type', registration.type)}::"
                         f"{spec.get('name', registration.name)}")
    return found
