"""What each component's Args mean, checked with the stack config's own pure validators.

The validators (`base_name_problem`, `suffix_problem`, `connection_problems`, `member_problems`,
`outbound_rule_problems`, `compute_instance_problems`, `budget_problems`,
`definition_id_problem`, the network and resource-ID checks) report fields
by their config (camelCase) names; here they are mapped to argument paths
(`connections[0].auth_type`, `managed_network.outbound_rules[1].fqdn`), as the
config layer maps the same fields to its key paths. One set of validators, two
mappings: the config and the components can't disagree about what is valid.
Values that are Outputs are skipped: they come from other resources and are
only known later.

These checks live here, not in each component's module, so a constructor needs
one line for them; validators of the components' own modules (members,
connections) are imported where used, since those modules import this one.
"""

import re
from typing import Any, Mapping, Optional, Sequence

from .arm import (
    APPLICATION_INSIGHTS,
    COGNITIVE_ACCOUNT,
    CONTAINER_REGISTRY,
    GUID_PATTERN,
    KEY_VAULT,
    LOG_ANALYTICS,
    STORAGE_ACCOUNT,
    parse_resource_id,
)
from .compute import compute_instance_problems
from .dependencies import REGISTRY_SKUS, STORAGE_SKUS
from .deploy_rules import NO_CONTEXT, DeployContext, deploy_problems
from .governance import ASSIGNMENT_NAME, ENFORCEMENT_MODES, budget_problems, definition_id_problem
from .managed_network import RULE_CONFIG_KEYS, outbound_rule_problems
from .naming import MAX_GENERATION, MIN_GENERATION, WORKSPACE_NAME_PATTERN, base_name_problem, suffix_problem
from .network import GROUP_ZONES, network_problem, parse_subnet_id, subnet_problem, zone_id_problem
from .roles import BUILTIN_ROLES
from .validation import Problem, is_unknown, join

ML_WORKSPACE = "Microsoft.MachineLearningServices/workspaces"
MIN_LOG_RETENTION, MAX_LOG_RETENTION = 30, 730

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
#: An outbound rule's config nests its destination; the Args keep it flat.
_RULE_FIELDS = {config: arg for arg, config in RULE_CONFIG_KEYS.items()}


def arg_path(prefix: str, field: str) -> str:
    """A validator's config field (`authType`, `metadata.ContainerName`, `contactEmails[0]`) as an argument path."""
    field = _RULE_FIELDS.get(field, field)
    parts = field.split(".")
    # Keys below `metadata` are the caller's own names (ContainerName), not ours.
    keep = parts.index("metadata") + 1 if "metadata" in parts else len(parts)
    snake = [_CAMEL.sub(r"_\1", p).lower() if i < keep else p for i, p in enumerate(parts)]
    return join(prefix, ".".join(snake))


def _mapped(prefix: str, problems: Sequence[Problem]) -> list[Problem]:
    return [(arg_path(prefix, field), reason) for field, reason in problems]


def _resource_id(path: str, value: object, expected_type: str) -> list[Problem]:
    if value is None or is_unknown(value):
        return []
    try:
        parse_resource_id(value, expected_type)  # type: ignore[arg-type]
    except ValueError as err:
        return [(path, str(err))]
    return []


def _duplicates(path: str, items: Sequence[Mapping[str, Any]], key: str, what: str) -> list[Problem]:
    seen: set[str] = set()
    found: list[Problem] = []
    for i, item in enumerate(items):
        value = item.get(key)
        if not isinstance(value, str):
            continue
        if value.lower() in seen:
            found.append((join(join(path, i), key), f"{what} {value!r} is used twice"))
        seen.add(value.lower())
    return found


def connection_spec_problems(spec: Mapping[str, Any], path: str = "", scope: str = "workspace") -> list[Problem]:
    """One connection (ConnectionArgs or SharedConnectionArgs) on a workspace, Foundry account or Foundry project."""
    from .shared_connection import connection_problems, default_auth_type

    later = [field for field, key in (("target", "target"), ("resourceId", "resource_id")) if is_unknown(spec.get(key))]
    name = spec["name"]
    problems = connection_problems(
        name if isinstance(name, str) else "", spec["category"], spec["target"], spec.get("auth_type"),
        None if is_unknown(spec.get("resource_id")) else spec.get("resource_id"), spec.get("metadata"), later, scope,
    )
    if not isinstance(name, str):
        problems = [p for p in problems if p[0] != "name"]  # a name from another resource is checked by Azure
    found = _mapped(path, problems)
    auth = spec.get("auth_type") or default_auth_type(spec["category"], scope)
    for key, needs in (("api_key", "ApiKey"), ("custom_keys", "CustomKeys")):
        if auth == needs and spec.get(key) is None:
            found.append((join(path, key), f"is required for auth_type {needs} (pass a Pulumi secret)"))
        elif auth != needs and spec.get(key) is not None:
            found.append((join(path, key), f"is only for auth_type {needs}, not {auth}"))
    return found


def connections_problems(specs: Sequence[Mapping[str, Any]], path: str, scope: str = "workspace") -> list[Problem]:
    found = [p for i, spec in enumerate(specs) for p in connection_spec_problems(spec, join(path, i), scope)]
    return found + _duplicates(path, specs, "name", "connection name")


def member_list_problems(members: Sequence[Mapping[str, Any]], path: str = "members") -> list[Problem]:
    from .ai_project import DEFAULT_MEMBER_ROLE, member_problems

    found: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for i, member in enumerate(members):
        principal = member["principal_id"]
        problems = member_problems({**member, "principal_id": principal if isinstance(principal, str) else ""})  # type: ignore[typeddict-item]
        if not isinstance(principal, str):
            problems = [p for p in problems if p[0] != "principalId"]  # known once the other resource exists
        found += _mapped(join(path, i), problems)
        if isinstance(principal, str):
            key = (principal.lower(), str(member.get("role", DEFAULT_MEMBER_ROLE)).lower())
            if key in seen:
                found.append((join(join(path, i), "principal_id"), f"{principal} already has role {key[1]!r}"))
            seen.add(key)
    return found


def private_endpoints_problems(spec: Mapping[str, Any], path: str = "") -> list[Problem]:
    """Where private endpoints go: an existing subnet, or a VNet and subnet to create."""
    found: list[Problem] = []
    subnet_id, vnet, subnet = spec.get("subnet_id"), spec.get("vnet_address_prefix"), spec.get("subnet_prefix")
    if subnet_id is not None:
        if vnet or subnet:
            found.append((join(path, "subnet_id"), "give either subnet_id or vnet_address_prefix and subnet_prefix, "
                                                  "not both"))
        if not is_unknown(subnet_id):
            try:
                parse_subnet_id(subnet_id)
            except ValueError as err:
                found.append((join(path, "subnet_id"), str(err)))
    elif not (vnet and subnet):
        found.append((join(path, "subnet_id"), "private endpoints need a subnet: subnet_id, or vnet_address_prefix "
                                              "and subnet_prefix to create one"))
    else:
        problem = network_problem(vnet)
        if problem:
            found.append((join(path, "vnet_address_prefix"), problem))
        else:
            problem = subnet_problem(vnet, subnet)
            if problem:
                found.append((join(path, "subnet_prefix"), problem))
    for zone, zone_id in (spec.get("private_dns_zone_ids") or {}).items():
        problem = zone_id_problem(zone, "" if is_unknown(zone_id) else zone_id)
        if problem and not (is_unknown(zone_id) and problem.startswith("is not")):
            found.append((join(join(path, "private_dns_zone_ids"), zone), problem))
    return found


def private_network_problems(args: Mapping[str, Any]) -> list[Problem]:
    found = private_endpoints_problems(args)
    for i, target in enumerate(args["targets"]):
        if target["group_id"] not in GROUP_ZONES:
            found.append((f"targets[{i}].group_id", f"must be one of {', '.join(GROUP_ZONES)}"))
    return found + _duplicates("targets", args["targets"], "name", "target name")


def shared_connection_problems(args: Mapping[str, Any]) -> list[Problem]:
    from .shared_connection import connection_scope

    holders = [key for key in ("workspace_name", "account_name") if args.get(key) is not None]
    if len(holders) != 1:
        return [("workspace_name", "a connection needs one holder: workspace_name (a hub or hub project) or "
                                   "account_name (a Foundry resource; with project_name, one of its projects)")]
    if args.get("project_name") is not None and args.get("account_name") is None:
        return [("project_name", "names a Foundry project: give its account_name too (a hub project's connection "
                                 "takes workspace_name alone)")]
    return connection_spec_problems(args, scope=connection_scope(args))


def project_problems(args: Mapping[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    if not WORKSPACE_NAME_PATTERN.match(args["workspace_name"]):
        found.append(("workspace_name", "must be 3-33 letters, digits, '_' or '-', starting with a letter or digit"))
    found += _resource_id("hub_id", args["hub_id"], ML_WORKSPACE)
    found += _resource_id("provider_account_id", args.get("provider_account_id"), COGNITIVE_ACCOUNT)
    found += _resource_id("storage_account_id", args.get("storage_account_id"), STORAGE_ACCOUNT)
    found += _resource_id("diagnostics_workspace_id", args.get("diagnostics_workspace_id"), LOG_ANALYTICS)
    role = args.get("provider_role")
    if role is not None and role not in BUILTIN_ROLES and not GUID_PATTERN.match(role):
        found.append(("provider_role", f"unknown role {role!r}: use a role definition GUID or a built-in role name"))
    found += member_list_problems(args.get("members") or [])
    return found + connections_problems(args.get("connections") or [], "connections")


def _managed_network_problems(spec: Mapping[str, Any]) -> list[Problem]:
    # What each isolation mode takes (rule types, firewall, provisioning) is a deploy rule (deploy_rules.py).
    found: list[Problem] = []
    rules = spec.get("outbound_rules") or []
    for i, rule in enumerate(rules):
        found += _mapped(f"managed_network.outbound_rules[{i}]", outbound_rule_problems(rule))
    return found + _duplicates("managed_network.outbound_rules", rules, "name", "rule name")


def retention_and_deployment_problems(args: Mapping[str, Any]) -> list[Problem]:
    """Log retention and model deployments, of a hub or a Foundry resource."""
    found: list[Problem] = []
    retention = args.get("log_retention_days")
    if retention is not None and not MIN_LOG_RETENTION <= retention <= MAX_LOG_RETENTION:
        found.append(("log_retention_days", f"must be {MIN_LOG_RETENTION} to {MAX_LOG_RETENTION} days"))
    deployments = args.get("model_deployments") or []
    for i, item in enumerate(deployments):
        capacity = item.get("capacity")
        if capacity is not None and capacity < 1:
            found.append((f"model_deployments[{i}].capacity", "must be at least 1"))
    return found + _duplicates("model_deployments", deployments, "name", "deployment name")


def naming_problems(args: Mapping[str, Any]) -> list[Problem]:
    """The base name and what makes the global names unique, of a hub or a Foundry resource (naming.py)."""
    found: list[Problem] = []
    problem = base_name_problem(args["name"])
    if problem:
        found.append(("name", problem))
    if args.get("unique_suffix") is not None:
        problem = suffix_problem(args["unique_suffix"])
        if problem:
            found.append(("unique_suffix", problem))
    generation = args.get("name_generation")
    if generation is not None and not MIN_GENERATION <= generation <= MAX_GENERATION:
        found.append(("name_generation", f"must be {MIN_GENERATION} to {MAX_GENERATION}"))
    return found


def hub_problems(args: Mapping[str, Any], context: DeployContext = NO_CONTEXT) -> list[Problem]:
    """What is wrong with a hub's args, and what Azure would refuse of them (deploy rules, as `DR-nn: reason`)."""
    found: list[Problem] = [(path, f"{rule}: {reason}") for rule, path, reason in deploy_problems(args, context)]
    found += naming_problems(args)
    for key, kind in (("existing_provider_account_id", COGNITIVE_ACCOUNT), ("storage_account_id", STORAGE_ACCOUNT),
                      ("key_vault_id", KEY_VAULT), ("application_insights_id", APPLICATION_INSIGHTS),
                      ("container_registry_id", CONTAINER_REGISTRY), ("diagnostics_workspace_id", LOG_ANALYTICS)):
        found += _resource_id(key, args.get(key), kind)
    for key, allowed in (("storage_sku", STORAGE_SKUS), ("container_registry_sku", REGISTRY_SKUS)):
        if args.get(key) is not None and args[key] not in allowed:
            found.append((key, f"must be one of {', '.join(allowed)} (got {args[key]!r})"))
    if args.get("allow_project_management"):
        if args.get("existing_provider_account_id") is not None:
            found.append(("allow_project_management", "applies to the account the hub creates; an existing "
                                                      "account's owner turns project management on"))
        elif args.get("provider_mode", "aiServices") != "aiServices":
            found.append(("allow_project_management", "needs provider_mode aiServices: only an AIServices "
                                                      "account manages Foundry projects"))
    found += retention_and_deployment_problems(args)
    if args.get("managed_network") is not None:
        found += _managed_network_problems(args["managed_network"])
    if args.get("private_endpoints") is not None:
        found += private_endpoints_problems(args["private_endpoints"], "private_endpoints")
    found += _encryption_problems(args.get("encryption"))
    found += connections_problems(args.get("connections") or [], "connections")
    found += governance_problems(args)
    computes = args.get("compute_instances") or []
    for i, item in enumerate(computes):
        problems = compute_instance_problems(dict(item))
        if is_unknown(item.get("assigned_user_object_id")):
            problems = [p for p in problems if p[0] != "assignedUserObjectId"]  # known once the other resource exists
        found += _mapped(f"compute_instances[{i}]", problems)
    return found + _duplicates("compute_instances", computes, "name", "compute instance name")


def governance_problems(args: Mapping[str, Any]) -> list[Problem]:
    """Policy assignments and budget at the resource group (a hub's or a Foundry resource's)."""
    found: list[Problem] = []
    assignments = args.get("policy_assignments") or []
    for i, item in enumerate(assignments):
        if not ASSIGNMENT_NAME.match(item["name"]):
            found.append((f"policy_assignments[{i}].name", "must be 1-64 characters without < > * % & : \\ ? . + / "
                                                          "or surrounding spaces"))
        mode = item.get("enforcement_mode")
        if mode is not None and mode not in ENFORCEMENT_MODES:
            found.append((f"policy_assignments[{i}].enforcement_mode",
                          f"must be one of {', '.join(ENFORCEMENT_MODES)}"))
        if not is_unknown(item["definition_id"]):
            problem = definition_id_problem(item["definition_id"])
            if problem:
                found.append((f"policy_assignments[{i}].definition_id", problem))
    found += _duplicates("policy_assignments", assignments, "name", "policy assignment name")
    if args.get("budget") is not None:
        found += _mapped("budget", budget_problems(dict(args["budget"])))
    return found


def _encryption_problems(spec: Optional[Mapping[str, Any]]) -> list[Problem]:
    if spec is None:
        return []
    found = _resource_id("encryption.key_vault_id", spec.get("key_vault_id"), KEY_VAULT)
    if spec.get("key_version") and not spec.get("key_name"):
        found.append(("encryption.key_version", "needs key_name"))
    if spec.get("key_name") and not spec.get("key_vault_id"):
        found.append(("encryption.key_vault_id", "a key named by key_name needs the vault it is in"))
    return found
