"""The stack config as component arguments: AIHubArgs for the hub, AIProjectArgs for each project.

Names, the unique suffix and the outbound rules are the components' to make: this maps shapes, and
passes what the components need to make them.
"""

from typing import TYPE_CHECKING, Optional, cast

import pulumi

from components import AIHub, AIHubArgs, AIProjectArgs, ModelDeploymentArgs
from components.ai_hub import HubUserArgs
from components.deploy_rules import DeployContext, deploy_problems
from components.managed_network import ManagedNetworkArgs
from components.naming import project_workspace_name, stack_resource_group_name

from .messages import arg_key_path

if TYPE_CHECKING:
    from pulumi_azure_native.authorization import PrincipalType

    from .stack import StackConfig


def resource_group_name(config: "StackConfig", stack: str) -> str:
    """The named existing group, or the stack's own dedicated group."""
    return config.resource_group or stack_resource_group_name(config.hub.name, stack)


def hub_args(config: "StackConfig", resource_group_name: pulumi.Input[str], stack: str) -> AIHubArgs:
    args: AIHubArgs = {
        "name": config.hub.name,
        "resource_group_name": resource_group_name,
        "location": config.location,
        "provider_mode": config.provider_mode,
        "model_deployments": [
            ModelDeploymentArgs(
                name=d.name,
                model=d.model,
                version=d.version,
                sku=d.sku,
                capacity=d.capacity,
                format=d.format,
            )
            for d in config.provider.deployments
        ],
        "create_container_registry": config.dependencies.container_registry,
        "container_registry_sku": config.dependencies.container_registry_sku,
        "connections": [c.args(config.connection_keys) for c in config.connections],
        "public_network_access": config.network.public_network_access,
        "storage_sku": config.dependencies.storage_sku,
        "application_insights_entra_only": config.dependencies.application_insights_entra_only,
        "protect": config.protect,
        "retain_on_delete": config.retain_on_delete,
        "locks": config.locks,
        "diagnostics": config.diagnostics.enabled,
        "log_retention_days": config.diagnostics.retention_days,
        "policy_assignments": [a.args() for a in config.policy_assignments],
        "compute_instances": [c.args() for c in config.compute_instances],
        "users": hub_users(config),
    }
    # The hub declares the outbound rules its projects' connections need (their keys stay with the projects).
    project_connections = [c.args({}) for p in config.projects for c in p.connections]
    if project_connections:
        args["project_connections"] = project_connections
    if config.diagnostics.log_analytics_workspace_id:
        args["diagnostics_workspace_id"] = config.diagnostics.log_analytics_workspace_id
    if config.budget is not None:
        args["budget"] = config.budget.args()
    net = config.network
    if net.isolation_mode != "Disabled" or net.outbound_rules or net.firewall_sku or net.provision_now:
        args["managed_network"] = ManagedNetworkArgs(
            isolation_mode=net.isolation_mode, provision_now=net.provision_now,
            outbound_rules=[r.args() for r in net.outbound_rules],
        )
        if net.firewall_sku:
            args["managed_network"]["firewall_sku"] = net.firewall_sku
    if net.private_endpoints is not None:
        args["private_endpoints"] = net.private_endpoints.args()
    if config.encryption is not None:
        args["encryption"] = config.encryption.args()
    # Unpinned, AIHub hashes the subscription it deploys to (known only then) into the suffix.
    if config.hub.generation:
        args["name_generation"] = config.hub.generation
    optional: dict[str, Optional[str]] = {
        "unique_suffix": config.hub.unique_suffix,
        "friendly_name": config.hub.friendly_name,
        "description": config.hub.description,
        "existing_provider_account_id": config.provider.existing_account_id,
        "storage_account_id": config.dependencies.storage_account_id,
        "key_vault_id": config.dependencies.key_vault_id,
        "application_insights_id": config.dependencies.application_insights_id,
        "container_registry_id": config.dependencies.container_registry_id,
    }
    args.update({k: v for k, v in optional.items() if v is not None})  # type: ignore[typeddict-item]
    return args


def hub_users(config: "StackConfig") -> list[HubUserArgs]:
    """Every project membership as a hub user: AIHub grants each person once (components/ai_hub.py _grant_users),
    with storage access if any of their memberships asks for it, and adds compute instances' users itself."""
    return [HubUserArgs(principal_id=m.principal_id.lower(), principal_type=m.principal_type,
                        storage_access=m.storage_access)
            for project in config.projects for m in project.members]


def project_args(
    config: "StackConfig", hub: AIHub, resource_group_name: pulumi.Input[str], stack: str
) -> list[AIProjectArgs]:
    projects: list[AIProjectArgs] = []
    for project in config.projects:
        args = AIProjectArgs(
            workspace_name=project_workspace_name(config.hub.name, project.name),
            hub_id=hub.hub_id,
            resource_group_name=resource_group_name,
            location=config.location,
            friendly_name=project.friendly_name or project.name,
            members=[
                # member_problems checked principal_type against the enum's values; the wire carries the string.
                {"principal_id": m.principal_id, "principal_type": cast("PrincipalType", m.principal_type),
                 "role": m.role}
                for m in project.members
            ],
            connections=[c.args(config.connection_keys) for c in project.connections],
            public_network_access=config.network.public_network_access,
            provider_account_id=hub.provider_account_id,
            provider_role=config.provider_mode.inference_role,
            storage_account_id=hub.storage_account_id,
            storage_private_endpoint_ids=dict(hub.storage_private_endpoint_ids),
            protect=config.protect,
        )
        if config.diagnostics.enabled:
            # With diagnostics on, the hub always has a Log Analytics workspace (AIHub raises otherwise).
            args["diagnostics_workspace_id"] = cast("pulumi.Output[str]", hub.diagnostics_workspace_id)
        if project.description is not None:
            args["description"] = project.description
        projects.append(args)
    return projects


def deploy_rule_problems(config: "StackConfig", context: DeployContext) -> list[tuple[str, str]]:
    """What Azure would refuse of the hub args (components/deploy_rules.py), at the config key paths."""
    return [
        (arg_key_path(path), f"{rule_id}: {reason}")
        for rule_id, path, reason in deploy_problems(hub_args(config, "resource-group", "stack"), context)
    ]
