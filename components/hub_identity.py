"""The hub's identity: system-assigned, or a user-assigned primary one granted before the hub exists.

Since 30 April 2025 Azure no longer lets a hub approve the private endpoints of
its managed network by itself: "Assign the Azure AI Enterprise Network
Connection Approver role ... on the target resource ... to the Foundry hub's
managed identity" (Learn, ai-foundry/how-to/configure-managed-network,
"Approval of private endpoints"). The hub's default resources (storage, key
vault, registry) are granted by Azure; every other private-endpoint target (the
AI provider, connection targets, user rules) is ours to grant.

A system identity exists only once the hub does. That is early enough when the
network is provisioned later, by the first compute (which then waits for the
grants), but a network provisioned with the hub (`provisionNetworkNow`) asks
for approval at once, so the grant would come too late. There, as Azure
Verified Modules' workspace `encr` test and the
`ai-platform/baseline` pattern do, such a hub gets a user-assigned identity as
its primary identity, granted before the hub is created. Azure assigns nothing
to a user-assigned identity, so it gets here what Azure gives a hub's system
identity: Azure AI Administrator ("Automatically assigned to the hub's
system-assigned managed identity", Learn, ai-foundry/concepts/hub-rbac-foundry;
control plane of storage, key vault, registry, Application Insights and the
workspace), scoped to each dependency rather than the whole resource group, and
Storage Blob Data Contributor on the storage (Learn, disable-local-auth). For a
user-assigned identity Learn adds the file data role for identity-based
datastores and Key Vault Administrator on an RBAC vault
(machine-learning/how-to-identity-based-service-authentication, "Workspace
user-assigned managed identity"); it asks for Contributor where this grants
Azure AI Administrator, which the baseline's least-privilege rule (RA-02) allows.
"""

from dataclasses import dataclass, field
from typing import Optional, Sequence

import pulumi
from pulumi_azure_native import authorization, managedidentity

from .dependencies import Placement
from .managed_network import OutboundRuleArgs
from .naming import HubNames, fit
from .rbac import assign_role
from .roles import role_slug

APPROVER_ROLE = "Azure AI Enterprise Network Connection Approver"
CONTROL_ROLE = "Azure AI Administrator"
#: Roles a user-assigned hub identity needs on each dependency (and on the workspace itself), by dependency.
DEPENDENCY_ROLES: dict[str, tuple[str, ...]] = {
    "storage": (CONTROL_ROLE, "Storage Blob Data Contributor", "Storage File Data Privileged Contributor"),
    "keyvault": (CONTROL_ROLE, "Key Vault Administrator"),
    "registry": (CONTROL_ROLE,),
    "insights": (CONTROL_ROLE,),
}


def approval_targets(rules: Sequence[OutboundRuleArgs]) -> list[tuple[str, pulumi.Input[str]]]:
    """The private-endpoint targets of the managed network that the hub must be allowed to approve, by rule name."""
    return [(r["name"], r["service_resource_id"]) for r in rules
            if r.get("type") == "PrivateEndpoint" and r.get("service_resource_id") is not None]


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
    targets: Sequence[tuple[str, pulumi.Input[str]]],
    dependencies: Sequence[tuple[str, Optional[pulumi.Input[str]]]],
) -> PrimaryIdentity:
    """The identity, its approver role on each target, and its roles on the hub's dependencies."""
    base = names.base
    identity = managedidentity.UserAssignedIdentity(
        f"{base}-hub-identity",
        resource_name_=fit("id", f"{base}-hub", 128),
        resource_group_name=at.resource_group_name,
        location=at.location,
        tags=dict(at.tags),
        opts=at.stateful(),
    )
    primary = PrimaryIdentity(identity)
    for rule_name, scope in targets:
        primary.grants.append(assign_role(f"{base}-hub-identity-approver-{rule_name}", scope=scope,
                                          principal_id=identity.principal_id, role=APPROVER_ROLE, parent=at.parent))
    for label, dependency in dependencies:
        if dependency is None:
            continue
        for role in DEPENDENCY_ROLES[label]:
            primary.grants.append(assign_role(f"{base}-hub-identity-{label}-{role_slug(role)}", scope=dependency,
                                              principal_id=identity.principal_id, role=role, parent=at.parent))
    return primary
