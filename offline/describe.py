"""How a person reads a resource of a plan: its Azure name, its key properties, who a principal is.

Shared by the plan's tree, critical path, diagram and report.
"""

from typing import Any, Optional

from baseline.evaluate import azure_name as props_azure_name
from baseline.rules import get
from components.resource_types import (
    ACCOUNT,
    ACCOUNT_CAPABILITY_HOST,
    BUDGET,
    COMPUTE,
    COSMOS,
    COSMOS_ROLE,
    ENDPOINT,
    IDENTITY,
    POLICY_ASSIGNMENT,
    PROJECT_ACCOUNT,
    PROJECT_CAPABILITY_HOST,
    RESOURCE_GROUP,
    ROLE,
    SEARCH,
    WORKSPACE,
)

from .engine import ProgramRun
from .recorder import SECRET_MASK, Registration, mask_secrets


def azure_name(reg: Registration) -> Optional[str]:
    """The name the resource gets in Azure."""
    return props_azure_name(reg.inputs)


def role_name(role_definition_id: str) -> str:
    from components.roles import BUILTIN_ROLES

    guid = role_definition_id.rsplit("/", 1)[-1]
    return next((name for name, g in BUILTIN_ROLES.items() if g == guid), guid)


# Cosmos DB's built-in data roles (Learn, cosmos-db/nosql/security/how-to-grant-data-plane-role-based-access:
# Cosmos DB Built-in Data Reader 00000000-0000-0000-0000-000000000001, Data Contributor ...0002).
COSMOS_ROLES = {"00000000-0000-0000-0000-000000000001": "Cosmos DB Built-in Data Reader",
                 "00000000-0000-0000-0000-000000000002": "Cosmos DB Built-in Data Contributor"}


def cosmos_role_name(role_definition_id: str) -> str:
    """A Cosmos DB SQL role definition's name, as a person reads it."""
    guid = role_definition_id.rstrip("/").rsplit("/", 1)[-1]
    return COSMOS_ROLES.get(guid.lower(), f"Cosmos DB role {guid}")


def principal_names(run: ProgramRun) -> dict[str, str]:
    """Principal ID -> who it is: the Azure name of the resource whose managed identity it is.

    A system-assigned identity's principal ID is the `identity.principalId` output of its resource;
    a user-assigned identity's is the identity resource's own `principalId` output
    (Microsoft.ManagedIdentity/userAssignedIdentities REST reference).
    """
    found: dict[str, str] = {}
    for r in run.resources:
        identity = r.state.get("identity")
        pid = identity.get("principalId") if isinstance(identity, dict) else None
        if r.type == IDENTITY:
            pid = r.state.get("principalId")
        if isinstance(pid, str) and pid:
            found[pid] = azure_name(r) or r.name
    for r in run.by_type("azure-native:authorization:RoleAssignment"):
        # Microsoft's own Cosmos DB app, which classic customer-managed keys need on the vault (encryption.py).
        if "-cmk-cosmos-db-" in r.name:
            found.setdefault(str(r.inputs.get("principalId")), "Azure Cosmos DB")
    return found


def last_segment(arm_id: Any) -> str:
    """The last segment of an ARM ID: the resource's name."""
    return str(arm_id or "").rstrip("/").rsplit("/", 1)[-1]


def role_assignment_parts(reg: Registration, principals: dict[str, str]) -> tuple[str, str, str]:
    """(role name, principal, scope name) of a role assignment (Azure RBAC, or Cosmos DB's data plane), as a person
    reads them."""
    if reg.type == COSMOS_ROLE:
        role = cosmos_role_name(str(reg.inputs.get("roleDefinitionId", "")))
    else:
        role = role_name(str(reg.inputs.get("roleDefinitionId", "")))
    pid = str(reg.inputs.get("principalId", ""))
    principal = principals.get(pid) or f"{reg.inputs.get('principalType') or 'principal'} {pid}"
    return role, principal, last_segment(reg.inputs.get("scope"))


def key_properties(reg: Registration, principals: Optional[dict[str, str]] = None,
                   region: Optional[str] = None) -> dict[str, Any]:
    """The few inputs a reviewer looks at first, per resource, most telling first.

    A role assignment's name is a GUID that tells nothing: it is shown by role, principal and
    scope instead. `location` is shown where it differs from the stack's region.
    """
    inputs = mask_secrets(reg.inputs)
    found: dict[str, Any] = {}
    if reg.type in (ROLE, COSMOS_ROLE):
        found["role"], found["principal"], found["scope"] = role_assignment_parts(reg, principals or {})
        return found
    name = azure_name(reg)
    if name:
        found["name"] = name
    if isinstance(inputs.get("kind"), str):
        found["kind"] = inputs["kind"]
    location = inputs.get("location")
    if isinstance(location, str) and (region is None or location != region
                                      or reg.type == RESOURCE_GROUP):
        found["location"] = location
    sku = inputs.get("sku")
    if isinstance(sku, dict) and "name" in sku:
        found["sku"] = sku["name"] + (f"/{int(sku['capacity'])}" if "capacity" in sku else "")
    props = inputs.get("properties")
    if props == SECRET_MASK:
        # A connection with key material: the engine keeps all its properties
        # secret, but which kind of connection it is tells nothing.
        from pulumi.runtime import rpc

        hidden = rpc.unwrap_rpc_secret(reg.inputs.get("properties"))
        props = {k: hidden[k] for k in ("category", "authType") if isinstance(hidden, dict) and k in hidden}
        props["credentials"] = SECRET_MASK
    if isinstance(props, dict):
        if isinstance(props.get("model"), dict):
            model = props["model"]
            found["model"] = f"{model.get('name')}@{model.get('version')}"
        for key in ("category", "authType", "isSharedToAll", "credentials"):
            if key in props:
                found[key] = props[key]
    if reg.type == WORKSPACE:
        for key in ("systemDatastoresAuthMode", "publicNetworkAccess"):
            if key in inputs:
                found[key] = inputs[key]
        if isinstance(inputs.get("managedNetwork"), dict):
            found["isolationMode"] = inputs["managedNetwork"].get("isolationMode")
            found["outboundRules"] = len(inputs["managedNetwork"].get("outboundRules") or {})
        if isinstance(inputs.get("encryption"), dict):
            found["encryption"] = "customer-managed key"
    if reg.type == ACCOUNT and isinstance(props, dict):
        # Set on a Foundry resource only, so a hub's provider account reads as before.
        if props.get("allowProjectManagement") is not None:
            found["projectManagement"] = props["allowProjectManagement"]
        injections = props.get("networkInjections")
        if isinstance(injections, list) and injections and isinstance(injections[0], dict):
            found["agentSubnet"] = last_segment(injections[0].get("subnetArmId")) or "managed"
    if reg.type == PROJECT_ACCOUNT:
        found["account"] = inputs.get("accountName")
    if reg.type in (ACCOUNT_CAPABILITY_HOST, PROJECT_CAPABILITY_HOST):
        host = next((v for k, v in inputs.items() if k.endswith("roperties") and isinstance(v, dict)), {})
        if host.get("capabilityHostKind"):
            found["capabilityHostKind"] = host["capabilityHostKind"]
        # What the Agent Service keeps where (Learn, agents/concepts/capability-hosts): threads, vector stores, files.
        for key, shown in (("threadStorageConnections", "threads"), ("vectorStoreConnections", "vectors"),
                           ("storageConnections", "files")):
            if host.get(key):
                found[shown] = ",".join(map(str, host[key]))
    if reg.type in (COSMOS, SEARCH):
        for key in ("publicNetworkAccess", "disableLocalAuth"):
            if key in inputs:
                found[key] = inputs[key]
    if reg.type == POLICY_ASSIGNMENT:
        found["definition"] = str(inputs.get("policyDefinitionId", "")).rsplit("/", 1)[-1]
        found["enforcementMode"] = inputs.get("enforcementMode")
    if reg.type == BUDGET:
        found["amount"] = inputs.get("amount")
        thresholds = sorted(n["threshold"] for n in (inputs.get("notifications") or {}).values())
        found["alerts"] = ",".join(f"{int(t)}%" for t in thresholds)
    if reg.type == COMPUTE:
        found["vmSize"] = get(inputs, "properties.properties.vmSize")
    if reg.type == ENDPOINT:
        links = inputs.get("privateLinkServiceConnections") or [{}]
        found["groupIds"] = ",".join(links[0].get("groupIds") or [])
    return found


def stack_region(run: ProgramRun) -> Optional[str]:
    """The region most resources are sent to (`azure-native:location`), or None."""
    counts: dict[str, int] = {}
    for r in run.resources:
        location = r.inputs.get("location")
        if isinstance(location, str) and location != "global":
            counts[location] = counts.get(location, 0) + 1
    return max(sorted(counts), key=lambda k: counts[k], default=None)



def describe(reg: Registration, principals: dict[str, str]) -> str:
    """One resource as a person names it; a role assignment by its role, principal and scope."""
    kind = reg.type.rsplit(":", 1)[-1]
    if reg.type in (ROLE, COSMOS_ROLE):
        role, principal, scope = role_assignment_parts(reg, principals)
        return f"{kind} {role} for {principal} on {scope}"
    return f"{kind} {azure_name(reg) or reg.name}"

