"""The hub's identity: system-assigned, or a user-assigned primary one granted before the hub exists.

Since 30 April 2025 Azure no longer lets a hub approve the private endpoints of
its managed network by itself: "Assign the Azure AI Enterprise Network
Connection Approver role ... on the target resource ... to the Foundry hub's
managed identity" (Learn, ai-foundry/how-to/configure-managed-network,
"Approval of private endpoints"). The hub's default resources (storage, key
vault, registry) are granted by Azure; every other private-endpoint target (the
AI provider, connection targets, user rules) is ours to grant.

A system identity exists only once the hub does, while Azure asks for the
approval as soon as a private-endpoint rule exists on a provisioned network:
when the hub is created with `provisionNetworkNow`, and on any later update that
adds a rule. So, as Azure Verified Modules' `ai-platform/baseline` pattern and
workspace `encr` test do, an isolated hub gets a user-assigned identity as its
primary identity, granted before the hub (and before each update, which depends
on the grants). The choice hangs on isolation alone, so the identity does not
flip when a rule or connection is added: Learn allows a workspace's identity to
go from system-assigned to system+user-assigned but "not back"
(machine-learning/how-to-identity-based-service-authentication).

Azure assigns nothing to a user-assigned identity, so it gets here what Azure
gives a hub's system identity: Azure AI Administrator on the hub's resource
group ("Automatically assigned to the hub's system-assigned managed identity",
Learn, ai-foundry/concepts/hub-rbac-foundry; the AVM baseline also grants the
identity Reader there before the hub), and on each dependency brought from
elsewhere; Storage Blob Data Contributor on the storage (Learn,
disable-local-auth) with the file data role identity-based datastores use;
Key Vault Administrator on an RBAC vault and AcrPull on the registry (Learn's
and AVM's lists for a user-assigned workspace identity). Learn asks for
Contributor where this grants Azure AI Administrator, which covers the same
control plane of storage, key vault, registry, Application Insights and
workspaces, and which the baseline's least-privilege rule (RA-02) allows.
"""

from dataclasses import dataclass, field
from typing import Optional, Sequence

import pulumi
from pulumi_azure_native import authorization, managedidentity
from pulumi_azure_native import machinelearningservices as ml

from .dependencies import Placement, create_identity
from .managed_network import OutboundRuleArgs
from .naming import HubNames
from .rbac import assign_role
from .roles import STORAGE_DATA_ROLES, role_slug

APPROVER_ROLE = "Azure AI Enterprise Network Connection Approver"
CONTROL_ROLE = "Azure AI Administrator"
#: Data-plane roles a user-assigned hub identity needs on each dependency, by dependency.
DATA_ROLES: dict[str, tuple[str, ...]] = {
    "storage": STORAGE_DATA_ROLES,
    "keyvault": ("Key Vault Administrator",),
    "registry": ("AcrPull",),
    "insights": (),
}


def approval_targets(
    rules: Sequence[OutboundRuleArgs], defaults: Sequence[Optional[pulumi.Input[str]]] = ()
) -> list[tuple[str, pulumi.Input[str]]]:
    """The private-endpoint targets of the managed network the hub must be allowed to approve, by rule name.

    Not the hub's default resources (`defaults`: its storage, key vault, registry): "workspace creation grants the
    required permissions through role assignments" for those (Learn, configure-managed-network).
    """
    def is_default(target: pulumi.Input[str]) -> bool:
        return any(target is d or (isinstance(target, str) and isinstance(d, str) and target.lower() == d.lower())
                   for d in defaults if d is not None)

    return [(r["name"], r["service_resource_id"]) for r in rules
            if r.get("type") == "PrivateEndpoint" and r.get("service_resource_id") is not None
            and not is_default(r["service_resource_id"])]


@dataclass
class PrimaryIdentity:
    """A user-assigned identity the hub uses as its own."""

    identity: managedidentity.UserAssignedIdentity
    grants: list[authorization.RoleAssignment] = field(default_factory=list)
    """What must exist before the hub: it approves its endpoints and reaches its dependencies as soon as it exists."""

    @property
    def id(self) -> pulumi.Output[str]:
        return self.identity.id

    @property
    def principal_id(self) -> pulumi.Output[str]:
        return self.identity.principal_id


def create_primary_identity(
    names: HubNames,
    at: Placement,
    resource_group_scope: pulumi.Input[str],
    targets: Sequence[tuple[str, pulumi.Input[str]]],
    dependencies: Sequence[tuple[str, Optional[pulumi.Input[str]], bool]],
) -> PrimaryIdentity:
    """The identity, its approver role on each target, and its roles on the hub's group and dependencies.

    `dependencies` are (label, resource ID, brought from elsewhere); a brought one may be outside the hub's
    group, so it gets the control role of its own.
    """
    base = names.base
    identity = create_identity(names, at, "hub", at.stateful())
    primary = PrimaryIdentity(identity)

    def grant(label: str, scope: pulumi.Input[str], role: str) -> None:
        primary.grants.append(assign_role(f"{base}-hub-identity-{label}-{role_slug(role)}", scope=scope,
                                          principal_id=identity.principal_id, role=role, parent=at.parent))

    grant("group", resource_group_scope, CONTROL_ROLE)
    for rule_name, scope in targets:
        grant(f"approver-{rule_name}", scope, APPROVER_ROLE)
    for label, dependency, brought in dependencies:
        if dependency is None:
            continue
        for role in ((CONTROL_ROLE,) if brought else ()) + DATA_ROLES[label]:
            grant(label, dependency, role)
    return primary


def workspace_identity(
    user_assigned_primary: bool, user_identities: list[pulumi.Input[str]]
) -> ml.ManagedServiceIdentityArgs:
    """A user-assigned primary identity replaces the system one: "systemAssigned must be false if
    primaryUserAssignedIdentity is provided" (AVM machine-learning-services/workspace, tests/e2e/encr)."""
    if user_assigned_primary:
        return ml.ManagedServiceIdentityArgs(type=ml.ManagedServiceIdentityType.USER_ASSIGNED,
                                             user_assigned_identities=user_identities)
    if user_identities:
        return ml.ManagedServiceIdentityArgs(type=ml.ManagedServiceIdentityType.SYSTEM_ASSIGNED_USER_ASSIGNED,
                                             user_assigned_identities=user_identities)
    return ml.ManagedServiceIdentityArgs(type=ml.ManagedServiceIdentityType.SYSTEM_ASSIGNED)
