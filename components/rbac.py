"""Role assignments with deterministic, collision-free names."""

from typing import Optional, Sequence

import pulumi
from pulumi_azure_native import authorization

from .roles import BUILTIN_ROLES, role_assignment_name, role_definition_id


def assign_role(
    resource_name: str,
    *,
    scope: pulumi.Input[str],
    principal_id: pulumi.Input[str],
    role: str,
    parent: pulumi.Resource,
    principal_type: str = "ServicePrincipal",
    condition: Optional[pulumi.Input[str]] = None,
    depends_on: Optional[Sequence[pulumi.Resource]] = None,
) -> authorization.RoleAssignment:
    """Grant `role` (a built-in role name or a role definition GUID) on `scope`.

    The Azure name is derived from scope, principal and role, so re-running the
    program never creates a duplicate and two hubs never collide. A
    `principal_type` is always sent: without it Azure may reject an assignment
    for a managed identity created moments earlier (replication delay).
    A `condition` (Azure ABAC) is sent with `conditionVersion` 2.0, "currently
    the only accepted value" (REST spec, RoleAssignmentProperties). `depends_on`
    holds the grant back until other resources exist.
    """
    role_guid = BUILTIN_ROLES.get(role, role)
    scope_out = pulumi.Output.from_input(scope)
    conditional = {} if condition is None else {"condition": condition, "condition_version": "2.0"}
    return authorization.RoleAssignment(
        resource_name,
        scope=scope_out,
        principal_id=principal_id,
        principal_type=principal_type,
        role_definition_id=scope_out.apply(lambda s: role_definition_id(s, role_guid)),
        role_assignment_name=pulumi.Output.all(scope_out, principal_id).apply(
            # A principal a test double leaves out is None; a real one is always a GUID.
            lambda parts: role_assignment_name(parts[0], parts[1] or "", role_guid)
        ),
        # The Azure name is fixed by scope, principal and role, so a replacement (a new principal type) must
        # delete the old assignment first: creating one by the same name fails ("already existing resource").
        opts=pulumi.ResourceOptions(parent=parent, delete_before_replace=True, depends_on=list(depends_on or [])
                                    or None),
        **conditional,
    )


def principal_of(identity: pulumi.Output[Optional[object]]) -> pulumi.Output[str]:
    """The principal ID of a resource's system-assigned identity output."""
    return identity.apply(lambda i: getattr(i, "principal_id", None) or "")


#: How long new role assignments get to propagate before Azure checks them. Azure RBAC changes can take
#: minutes to apply (Learn, role-based-access-control/troubleshooting, "Role assignment changes are not being
#: detected"); the Terraform AVM workspace module's CMK example waits 70 s before the key is used.
ROLE_PROPAGATION = "60s"


def wait_for_propagation(
    base: str, grants: list[pulumi.Resource], parent: pulumi.Resource
) -> pulumi.Resource:
    """A pause after the grants the hub's creation depends on (the CMK key, network approvals).

    Without it the first `pulumi up` can fail on a role assignment that exists but is not yet in effect. The wait
    runs again only when the set of grants changes.
    """
    import pulumiverse_time

    ids = pulumi.Output.all(*[g.id for g in grants if isinstance(g, pulumi.CustomResource)])
    return pulumiverse_time.Sleep(
        f"{base}-role-propagation",
        create_duration=ROLE_PROPAGATION,
        triggers={"grants": ids.apply(lambda found: ",".join(sorted(str(i) for i in found)))},
        opts=pulumi.ResourceOptions(parent=parent, depends_on=grants),
    )
