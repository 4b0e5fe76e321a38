"""What a problem says: the ConfigError, and pydantic's errors and the components' argument paths as config key
paths (`azure-ai-hub:network.outboundRules[2].name`) with a reason.

The models raise their own problems as `@sub.path: reason` lines (config/base.py sub_problems), which
`describe` puts under the model's own path.
"""

import re
from typing import Any

import pulumi
from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from components.managed_network import RULE_CONFIG_KEYS

from .reading import LOCATION_KEY, NAMESPACE


class ConfigError(pulumi.RunError):
    """Bad stack config: every problem, each as (key path, reason)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {path}: {reason}" for path, reason in problems)
        super().__init__(f"invalid stack config ({len(problems)} problem(s)):\n{lines}")

    def report(self, stack: str) -> str:
        """The problems as the offline commands print them for a stack."""
        lines = "".join(f"\n  {path}: {reason}" for path, reason in self.problems)
        return f"Stack {stack}: {len(self.problems)} config problem(s):{lines}"


_ARG_KEYS = {
    "managed_network": "network",
    "public_network_access": "network.publicNetworkAccess",
    "private_endpoints": "network.privateEndpoints",
    "existing_provider_account_id": "provider.existingAccountId",
    "model_deployments": "provider.deployments",
    "storage_account_id": "dependencies.storageAccountId",
    "key_vault_id": "dependencies.keyVaultId",
    "application_insights_id": "dependencies.applicationInsightsId",
    "container_registry_id": "dependencies.containerRegistryId",
    "diagnostics_workspace_id": "diagnostics.logAnalyticsWorkspaceId",
}


def arg_key_path(arg_path: str) -> str:
    """The config key path of an AIHub argument path: managed_network.outbound_rules[2] -> network.outboundRules[2]."""
    root = re.match(r"^[a-z_]+", arg_path)
    head = root.group(0) if root else arg_path
    rule_field = re.match(r"^(managed_network\.outbound_rules\[\d+\])\.([a-z_]+)$", arg_path)
    if rule_field and rule_field.group(2) in RULE_CONFIG_KEYS:
        return f"{arg_key_path(rule_field.group(1))}.{RULE_CONFIG_KEYS[rule_field.group(2)]}"
    rest = re.sub(r"(?<=\.)[a-z_]+", lambda m: to_camel(m.group(0)), arg_path[len(head):])
    return f"{NAMESPACE}:{_ARG_KEYS.get(head, to_camel(head))}{rest}"


#: FoundryResourceArgs' heads, as config key paths (the rest of a path is camelCased).
_FOUNDRY_KEYS = {
    "name": "hub.name",
    "unique_suffix": "hub.uniqueSuffix",
    "name_generation": "hub.generation",
    "existing_account_id": "provider.existingAccountId",
    "model_deployments": "provider.deployments",
    "agent_setup": "agents.setup",
    "agent_stores": "agents",
    "agent_subnet": "network.agentSubnet",
    "public_network_access": "network.publicNetworkAccess",
    "private_endpoints": "network.privateEndpoints",
    "diagnostics": "diagnostics.enabled",
    "diagnostics_workspace_id": "diagnostics.logAnalyticsWorkspaceId",
    "log_retention_days": "diagnostics.retentionDays",
}
#: FoundryProjectArgs' heads, under `projects[i]` unless they are the stack's own keys.
_FOUNDRY_PROJECT_KEYS = {"project_name": "name", "display_name": "friendlyName"}
_FOUNDRY_PROJECT_STACK_KEYS = {"agent_setup": "agents.setup", "agent_stores": "agents"}


def _camel_rest(rest: str) -> str:
    # Keys below `metadata` are the caller's own names (ContainerName), not ours.
    head, sep, tail = rest.partition(".metadata.")
    head = re.sub(r"(?<=\.)[a-z_]+", lambda m: to_camel(m.group(0)), head)
    return head + sep + tail


def foundry_key_path(arg_path: str) -> str:
    """The config key path of a FoundryResource argument path: agent_subnet.prefix -> network.agentSubnet.prefix."""
    root = re.match(r"^[a-z_]+", arg_path)
    head = root.group(0) if root else arg_path
    return f"{NAMESPACE}:{_FOUNDRY_KEYS.get(head, to_camel(head))}{_camel_rest(arg_path[len(head):])}"


def foundry_project_key_path(index: int, arg_path: str) -> str:
    """The config key path of a FoundryProject argument path of the `index`-th project."""
    root = re.match(r"^[a-z_]+", arg_path)
    head = root.group(0) if root else arg_path
    rest = _camel_rest(arg_path[len(head):])
    if head in _FOUNDRY_PROJECT_STACK_KEYS:
        return f"{NAMESPACE}:{_FOUNDRY_PROJECT_STACK_KEYS[head]}{rest}"
    return f"{NAMESPACE}:projects[{index}].{_FOUNDRY_PROJECT_KEYS.get(head, to_camel(head))}{rest}"


def _path(loc: tuple[Any, ...]) -> str:
    if not loc:
        return NAMESPACE
    if loc[0] == "location":
        return LOCATION_KEY
    text = f"{NAMESPACE}:{loc[0]}"
    for part in loc[1:]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def describe(error: Any, root: type[BaseModel]) -> list[tuple[str, str]]:
    """A pydantic error of the `root` model as (key path, reason) problems."""
    kind, loc = error["type"], tuple(error["loc"])
    if kind == "value_error" and str(error["msg"]).removeprefix("Value error, ").startswith("@"):
        # A model's own checks: one line a problem, each naming its sub-path.
        found = []
        for line in str(error["msg"]).removeprefix("Value error, ").splitlines():
            sub, reason = line[1:].split(": ", 1)
            found.append((_path(loc) + "." + sub if loc else f"{NAMESPACE}:{sub}", reason))
        return found
    return [_describe_one(kind, loc, error, root)]


def _describe_one(kind: str, loc: tuple[Any, ...], error: Any, root: type[BaseModel]) -> tuple[str, str]:
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(loc[:-1], root))
        return _path(loc), f"unknown key (allowed here: {allowed})"
    if kind == "missing":
        if loc == ("location",):
            return _path(loc), "is required (pulumi config set azure-native:location <region>)"
        return _path(loc), "is required"
    if kind in ("value_error", "assertion_error"):
        return _path(loc), str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        return _path(loc), f"{str(error['msg']).replace('Input should be', 'must be')} (got {error['input']!r})"
    if kind in _EXPECTED:
        value = error["input"]
        return _path(loc), f"must be {_EXPECTED[kind]}, not {type(value).__name__} {value!r}"
    return _path(loc), str(error["msg"])


_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "an object (a map)",
    "model_type": "an object",
    "model_attributes_type": "an object",
}


def _allowed_keys(loc: tuple[Any, ...], root: type[BaseModel]) -> list[str]:
    """The camelCase keys of the object at `loc` (for 'unknown key' messages)."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return []
        annotation = field.annotation
        for inner in (*getattr(annotation, "__args__", ()), annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                model = inner
                break
            inner_args = getattr(inner, "__args__", ())
            if inner_args and isinstance(inner_args[0], type) and issubclass(inner_args[0], BaseModel):
                model = inner_args[0]
                break
    return [f.alias or n for n, f in model.model_fields.items() if n != "location"]
