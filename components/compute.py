"""Compute instances on the hub: one user's managed workstation, usable across projects."""

import re
from typing import Any, NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from .arm import GUID_PATTERN
from .deploy_rules import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES

NAME = re.compile(r"^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){1,22}[a-zA-Z0-9]$")
DEFAULT_IDLE = 60


class ComputeInstanceArgs(TypedDict):
    """A personal compute instance."""

    name: str
    """Required. 3-24 letters, digits and hyphens, starting with a letter; unique in the Azure region."""
    vm_size: str
    """Required. The VM size, e.g. Standard_DS11_v2."""
    assigned_user_object_id: pulumi.Input[str]
    """Required. Entra ID object ID of the one user who may use it; may come from another resource."""
    idle_shutdown_minutes: NotRequired[int]
    """Optional. Shut down after this many idle minutes (15 to 4320, three days). Default 60."""


def compute_instance_problems(item: dict[str, Any]) -> list[tuple[str, str]]:
    """Why a compute instance can't be created, as (field, reason) pairs."""
    problems: list[tuple[str, str]] = []
    if not isinstance(item.get("name"), str) or not NAME.match(item["name"]):
        problems.append(("name", "must be 3-24 letters, digits and single hyphens, starting with a letter "
                                 "and ending with a letter or digit"))
    if not isinstance(item.get("vm_size"), str) or not re.match(r"^Standard_[A-Za-z0-9_]+$", item["vm_size"]):
        problems.append(("vmSize", "must be an Azure VM size such as Standard_DS11_v2"))
    user = item.get("assigned_user_object_id")
    if not isinstance(user, str) or not GUID_PATTERN.match(user):
        problems.append(("assignedUserObjectId", "must be an Entra ID object ID (a GUID)"))
    idle = item.get("idle_shutdown_minutes", DEFAULT_IDLE)
    # The range Azure takes is deploy rule DR-03.
    if not isinstance(idle, int) or isinstance(idle, bool):
        problems.append(("idleShutdownMinutes", f"must be a whole number of minutes, {MIN_IDLE_MINUTES} to "
                                                f"{MAX_IDLE_MINUTES}"))
    return problems


def create_compute_instance(
    base: str,
    item: ComputeInstanceArgs,
    *,
    workspace_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str],
    tenant_id: pulumi.Input[str],
    no_public_ip: bool,
    parent: pulumi.Resource,
    depends_on: Optional[list[pulumi.Resource]] = None,
) -> ml.Compute:
    """A compute instance with keys off, no SSH, and no public IP when the hub allows it.

    An instance without a public IP needs the hub's managed network and its
    private endpoint (Learn, ai-foundry/how-to/configure-managed-network,
    limitations); elsewhere the IP is left to Azure's default.
    """
    return ml.Compute(
        f"{base}-compute-{item['name']}",
        compute_name=item["name"],
        workspace_name=workspace_name,
        resource_group_name=resource_group_name,
        location=location,
        properties=ml.ComputeInstanceArgs(
            compute_type="ComputeInstance",
            disable_local_auth=True,
            properties=ml.ComputeInstancePropertiesArgs(
                vm_size=item["vm_size"],
                compute_instance_authorization_type=ml.ComputeInstanceAuthorizationType.PERSONAL,
                # Only the assigned user reaches its Jupyter and VS Code (the SDK's default is Shared).
                application_sharing_policy=ml.ApplicationSharingPolicy.PERSONAL,
                personal_compute_instance_settings=ml.PersonalComputeInstanceSettingsArgs(
                    assigned_user=ml.AssignedUserArgs(object_id=item["assigned_user_object_id"], tenant_id=tenant_id)
                ),
                idle_time_before_shutdown=f"PT{item.get('idle_shutdown_minutes', DEFAULT_IDLE)}M",
                ssh_settings=ml.ComputeInstanceSshSettingsArgs(ssh_public_access=ml.SshPublicAccess.DISABLED),
                enable_node_public_ip=False if no_public_ip else None,
            ),
        ),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=depends_on or []),
    )
