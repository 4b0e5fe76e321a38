"""What a Foundry resource's and a Foundry project's Args mean, checked by pure functions.

`foundry_resource_problems` and `foundry_project_problems` answer with `(argument path, reason)` pairs, like
components/checks.py does for the hub: the components call them from `check_args`, and the stack config runs
them over the Args it maps (config/args.py) and reports the problems at its own key paths. Values that are
Outputs come from other resources and are checked only by Azure.
"""

import re
from typing import Any, Mapping, Optional, Sequence

from .arm import COGNITIVE_ACCOUNT, GUID_PATTERN, KEY_VAULT, LOG_ANALYTICS, STORAGE_ACCOUNT, subscription_of
from .checks import (
    _resource_id,
    connections_problems,
    governance_problems,
    naming_problems,
    private_endpoints_problems,
    retention_and_deployment_problems,
)
from .dependencies import PUBLIC_NETWORK_ACCESS, STORAGE_SKUS
from .deploy_rules import NO_CONTEXT, DeployContext, foundry_deploy_problems
from .network import network_problem, parse_subnet_id
from .roles import current_role_name, foundry_role_problem
from .validation import Problem, is_unknown, join

COSMOS_DB_ACCOUNT = "Microsoft.DocumentDB/databaseAccounts"
SEARCH_SERVICE = "Microsoft.Search/searchServices"
AGENT_SETUPS = ("none", "basic", "standard")

#: Foundry project names: "minLength: 2, maxLength: 64, pattern: ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$" (REST spec
#: Microsoft.CognitiveServices 2025-06-01, accounts/projects; Azure/bicep-types-az
#: generated/cognitiveservices/microsoft.cognitiveservices/2025-06-01/types.md). AVM's 2-64 is the same limit.
PROJECT_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}$")
#: Capability host names: "^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$" (the same spec, accounts/projects/capabilityHosts).
CAPABILITY_HOST_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$")

def agent_subnet_problems(
    spec: Mapping[str, Any], endpoints: Optional[Mapping[str, Any]], path: str = "agent_subnet",
) -> list[Problem]:
    """Where the Agent Service is injected: exactly one of an existing subnet or a prefix in the VNet created for
    the private endpoints, apart from the endpoints' own subnet (the agent subnet is delegated to
    Microsoft.App/environments and the Agent Service's alone; foundry-samples template 15 keeps the two apart)."""
    found: list[Problem] = []
    subnet_id, prefix = spec.get("subnet_id"), spec.get("prefix")
    if (subnet_id is None) == (prefix is None):
        return [(path, "give exactly one of subnet_id (an existing delegated subnet) or prefix (a subnet to create)")]
    endpoints = endpoints or {}
    if subnet_id is not None:
        if is_unknown(subnet_id):
            return []
        try:
            parse_subnet_id(subnet_id)
        except ValueError as err:
            return [(join(path, "subnet_id"), str(err))]
        pe_subnet = endpoints.get("subnet_id")
        if isinstance(pe_subnet, str) and pe_subnet.lower() == subnet_id.lower():
            found.append((join(path, "subnet_id"), "is the private endpoints' subnet: the agent subnet is delegated "
                                                   "to Microsoft.App/environments and used by the Agent Service "
                                                   "alone"))
        return found
    prefix = str(prefix)
    problem = network_problem(prefix)
    if problem:
        return [(join(path, "prefix"), problem)]
    vnet = endpoints.get("vnet_address_prefix")
    if endpoints.get("subnet_id") is not None:
        # Created in the VNet of the brought endpoints' subnet (FoundryResource._network): whether the prefix fits
        # that VNet's address space is Azure's to say.
        return found
    if not vnet or network_problem(vnet):
        return [(join(path, "prefix"), "creates the subnet in the VNet of the private endpoints (created with "
                                        "private_endpoints.vnet_address_prefix, or the VNet of "
                                        "private_endpoints.subnet_id), and there is none: bring a delegated subnet "
                                        "with subnet_id")]
    # Its place in the VNet (inside it, apart from the endpoints' subnet) is deploy rule DR-11's to judge.
    return found


def _encryption_problems(spec: Optional[Mapping[str, Any]]) -> list[Problem]:
    """The account's customer-managed key: read through a user-assigned identity from a vault of your own."""
    if spec is None:
        return []
    found = _resource_id("encryption.key_vault_id", spec.get("key_vault_id"), KEY_VAULT)
    if not spec.get("key_vault_id"):
        found.append(("encryption.key_vault_id", "is required: a Foundry resource has no key vault of its own, so "
                                                 "its key is in one you bring (the key is created there unless "
                                                 "key_name names one)"))
    if spec.get("key_version") and not spec.get("key_name"):
        found.append(("encryption.key_version", "needs key_name"))
    if spec.get("service_side"):
        found.append(("encryption.service_side", "is a hub's option; a Foundry resource's key encrypts the "
                                                 "account itself"))
    if spec.get("cosmos_db_principal_id") is not None:
        found.append(("encryption.cosmos_db_principal_id", "is a hub's option (its classic-mode Cosmos DB); a Foundry "
                                                           "resource has none"))
    return found


#: Why private agent stores need network injection: the Agent Service reaches a project's stores from the compute
#: it runs on, which is Microsoft's own network unless it is injected into yours ("outbound private network
#: isolation for agents requires Standard Setup with private networking", i.e. BYO VNet injection: Learn, training
#: module intro-ai-agent-service-security-controls, "Agent Service and network access"; foundry-samples 41, the
#: standard setup without injection, keeps its stores public; 15, the private one, injects).
UNREACHABLE_STORES = ("the standard setup's stores are private (public_network_access Disabled) and the Agent "
                      "Service isn't injected into your network (agent_subnet), so it can't reach them: inject it, "
                      "or use the basic setup")


def _unreachable_stores(args: Mapping[str, Any]) -> list[Problem]:
    """Private stores the component creates, for an account it creates without network injection."""
    stores = args.get("agent_stores") or {}
    creates_a_store = len([k for k in ("cosmos_db_account_id", "search_service_id", "storage_account_id")
                           if stores.get(k) is not None]) < 3
    if (args.get("agent_setup") == "standard" and args.get("public_network_access") == "Disabled"
            and creates_a_store and args.get("agent_subnet") is None and args.get("existing_account_id") is None):
        return [("agent_setup", UNREACHABLE_STORES)]
    return []


def _other_subscription(args: Mapping[str, Any], context: DeployContext) -> list[Problem]:
    """What must be in the subscription the stack deploys to, when that is known: the projects, their connections
    and capability hosts are children of the account, and a Cosmos DB role assignment is a child of the Cosmos DB
    account, so each is written through that account's subscription, which FoundryProject doesn't take a provider
    for (role assignments, extension resources named by their full scope, reach any subscription)."""
    here = context.subscription_id
    if not here:
        return []
    found: list[Problem] = []
    stores = args.get("agent_stores") or {}
    for path, value in (("existing_account_id", args.get("existing_account_id")),
                        ("agent_stores.cosmos_db_account_id", stores.get("cosmos_db_account_id"))):
        if isinstance(value, str) and not is_unknown(value):
            try:
                theirs = subscription_of(value)
            except ValueError:
                continue  # its shape is _resource_id's to judge
            if theirs.lower() != here.lower():
                found.append((path, f"is in subscription {theirs}, and the stack deploys to {here}: Foundry projects "
                                    "and their agent data roles are written there, which the components can't yet "
                                    "do in another subscription"))
    return found


def _agent_store_problems(args: Mapping[str, Any]) -> list[Problem]:
    setup = args.get("agent_setup", "basic")
    stores = args.get("agent_stores") or {}
    if setup not in AGENT_SETUPS:
        return [("agent_setup", f"must be one of {', '.join(AGENT_SETUPS)} (got {setup!r})")]
    found: list[Problem] = []
    if setup != "standard":
        found += [(f"agent_stores.{key}", f"only the standard agent setup keeps agent data in stores of your own "
                                          f"(the setup here is {setup!r})")
                  for key in ("cosmos_db_account_id", "search_service_id", "storage_account_id") if key in stores]
    else:
        for key, kind in (("cosmos_db_account_id", COSMOS_DB_ACCOUNT), ("search_service_id", SEARCH_SERVICE),
                          ("storage_account_id", STORAGE_ACCOUNT)):
            found += _resource_id(f"agent_stores.{key}", stores.get(key), kind)
    sku = args.get("storage_sku")
    if sku is not None:
        if sku not in STORAGE_SKUS:
            found.append(("storage_sku", f"must be one of {', '.join(STORAGE_SKUS)} (got {sku!r})"))
        elif setup != "standard" or "storage_account_id" in stores:
            found.append(("storage_sku", "is the SKU of the agent storage account the component creates, and it "
                                         "creates none (standard setup without storage_account_id only)"))
    return found


def _connections(specs: list[Mapping[str, Any]], path: str, scope: str) -> list[Problem]:
    # The scope's category table (components/shared_connection.py: "account" or "project") refuses what is a hub's.
    return connections_problems(specs, path, scope=scope)


def foundry_resource_problems(args: Mapping[str, Any], context: DeployContext = NO_CONTEXT) -> list[Problem]:
    """What is wrong with a FoundryResource's args (a plain mapping), the Foundry deploy rules included."""
    found: list[Problem] = [(path, f"{rule}: {reason}")
                            for rule, path, reason in foundry_deploy_problems(args, context)]
    found += naming_problems(args)
    existing = args.get("existing_account_id")
    found += _resource_id("existing_account_id", existing, COGNITIVE_ACCOUNT)
    found += _resource_id("diagnostics_workspace_id", args.get("diagnostics_workspace_id"), LOG_ANALYTICS)
    access = args.get("public_network_access")
    if access is not None and access not in PUBLIC_NETWORK_ACCESS:
        found.append(("public_network_access", f"must be one of {', '.join(PUBLIC_NETWORK_ACCESS)} (got {access!r})"))
    found += retention_and_deployment_problems(args)
    if existing is not None:
        # The owner of an existing account decides what it is: only projects, connections and stores are added.
        owned = (("model_deployments", "its owner deploys its models", bool(args.get("model_deployments"))),
                 ("encryption", "its owner sets its key", args.get("encryption") is not None),
                 ("agent_subnet", "network injection is set when an account is created", "agent_subnet" in args))
        found += [(key, f"applies to the account the component creates, not an existing one: {why}")
                  for key, why, given in owned if given]
    endpoints = args.get("private_endpoints")
    if endpoints is not None:
        found += private_endpoints_problems(endpoints, "private_endpoints")
    if args.get("agent_subnet") is not None and existing is None:
        found += agent_subnet_problems(args["agent_subnet"], endpoints)
    found += _agent_store_problems(args)
    found += _unreachable_stores(args)
    found += _other_subscription(args, context)
    if existing is None:
        found += _encryption_problems(args.get("encryption"))
    found += _connections(args.get("connections") or [], "connections", "account")
    return found + governance_problems(args)


_HTTPS = re.compile(r"^https://[^\s/?#]+(?:[/?#]\S*)?$")


def foundry_member_list_problems(members: Sequence[Mapping[str, Any]], path: str = "members") -> list[Problem]:
    """A Foundry project's members: who, of which kind, and a role Learn allows on Foundry (roles.py)."""
    from .ai_project import PRINCIPAL_TYPES
    from .foundry_project import DEFAULT_MEMBER_ROLE

    found: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for i, member in enumerate(members):
        at = join(path, i)
        principal = member["principal_id"]
        if isinstance(principal, str) and not GUID_PATTERN.match(principal):
            found.append((join(at, "principal_id"), "must be an Entra ID object ID (a GUID)"))
        if member.get("principal_type", "User") not in PRINCIPAL_TYPES:
            found.append((join(at, "principal_type"), f"must be one of {', '.join(PRINCIPAL_TYPES)}"))
        role = member.get("role", DEFAULT_MEMBER_ROLE)
        problem = foundry_role_problem(role)
        if problem:
            found.append((join(at, "role"), problem))
        if isinstance(principal, str):
            key = (principal.lower(), current_role_name(role).lower())
            if key in seen:
                found.append((join(at, "principal_id"), f"{principal} already has role {current_role_name(role)!r}"))
            seen.add(key)
    return found


def foundry_project_problems(args: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with a FoundryProject's args (a plain mapping)."""
    from .foundry_project import agent_store_connection_names

    found: list[Problem] = []
    name = args["project_name"]
    if not PROJECT_NAME_PATTERN.match(name):
        found.append(("project_name", "must be 2-64 letters, digits, '_', '.' or '-', starting with a letter or "
                                      "digit"))
    found += _resource_id("account_id", args["account_id"], COGNITIVE_ACCOUNT)
    found += foundry_member_list_problems(args.get("members") or [])
    connections = args.get("connections") or []
    found += _connections(connections, "connections", "project")
    setup = args.get("agent_setup", "basic")
    stores = args.get("agent_stores")
    if setup not in AGENT_SETUPS:
        found.append(("agent_setup", f"must be one of {', '.join(AGENT_SETUPS)} (got {setup!r})"))
    elif setup == "standard":
        if stores is None:
            found.append(("agent_stores", "is required for the standard agent setup: the Cosmos DB, AI Search and "
                                          "storage account (with their endpoints) its capability host keeps "
                                          "threads, vectors and files in"))
        else:
            for key, kind in (("cosmos_db_account_id", COSMOS_DB_ACCOUNT), ("search_service_id", SEARCH_SERVICE),
                              ("storage_account_id", STORAGE_ACCOUNT)):
                found += _resource_id(f"agent_stores.{key}", stores.get(key), kind)
            for key in ("cosmos_db_endpoint", "search_endpoint", "storage_blob_endpoint"):
                value = stores.get(key)
                if isinstance(value, str) and not is_unknown(value) and not _HTTPS.match(value):
                    found.append((f"agent_stores.{key}", "must be an https:// URL"))
        taken = {n.lower() for n in agent_store_connection_names(name).values()}
        for i, spec in enumerate(connections):
            if isinstance(spec.get("name"), str) and spec["name"].lower() in taken:
                found.append((f"connections[{i}].name", f"{spec['name']!r} is the name of an agent store's "
                                                        "connection of this project"))
    else:
        found += [(key, f"belongs to the standard agent setup (the setup here is {setup!r})")
                  for key in ("agent_stores", "capability_host_name") if args.get(key) is not None]
    host = args.get("capability_host_name")
    if host is not None and setup == "standard" and not CAPABILITY_HOST_NAME_PATTERN.match(host):
        found.append(("capability_host_name", "must be 1-255 letters, digits, '_' or '-', starting with a letter or "
                                              "digit"))
    return found


__all__ = [
    "AGENT_SETUPS", "CAPABILITY_HOST_NAME_PATTERN", "COSMOS_DB_ACCOUNT", "PROJECT_NAME_PATTERN", "SEARCH_SERVICE",
    "UNREACHABLE_STORES",
    "agent_subnet_problems", "foundry_member_list_problems", "foundry_project_problems", "foundry_resource_problems",
]
