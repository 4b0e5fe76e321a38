"""The stack config as component arguments: AIHubArgs for the hub, AIProjectArgs for each hub project,
FoundryResourceArgs for the Foundry resource and FoundryProjectArgs for each Foundry project.

Names, the unique suffix and the outbound rules are the components' to make: this maps shapes, and
passes what the components need to make them.
"""

from typing import TYPE_CHECKING, Optional, cast

import pulumi

from components import AIHub, AIHubArgs, AIProjectArgs, ModelDeploymentArgs
from components.ai_hub import HubUserArgs
from components.arm import COGNITIVE_ACCOUNT, parse_resource_id
from components.deploy_rules import DeployContext, deploy_problems
from components.foundry_checks import foundry_project_problems, foundry_resource_problems
from components.foundry_project import AgentStoreRefsArgs, FoundryMemberArgs, FoundryProjectArgs
from components.foundry_resource import AgentSetup, AgentStoresArgs, FoundryResource, FoundryResourceArgs
from components.managed_network import ManagedNetworkArgs
from components.naming import project_workspace_name, stack_resource_group_name
from components.network import zones_for
from components.shared_connection import ACCOUNT_SCOPE, categories
from components.validation import plain_values

from .foundry import FOUNDRY, HUB, HUB_AND_FOUNDRY
from .messages import arg_key_path, foundry_key_path, foundry_project_key_path

if TYPE_CHECKING:
    from pulumi_azure_native.authorization import PrincipalType

    from .stack import StackConfig


def resource_group_name(config: "StackConfig", stack: str) -> str:
    """The named existing group, or the stack's own dedicated group."""
    return config.resource_group or stack_resource_group_name(config.hub.name, stack)


def model_deployments(config: "StackConfig") -> list[ModelDeploymentArgs]:
    return [
        ModelDeploymentArgs(
            name=d.name,
            model=d.model,
            version=d.version,
            sku=d.sku,
            capacity=d.capacity,
            format=d.format,
        )
        for d in config.provider.deployments
    ]


def hub_args(config: "StackConfig", resource_group_name: pulumi.Input[str]) -> AIHubArgs:
    args: AIHubArgs = {
        "name": config.hub.name,
        "resource_group_name": resource_group_name,
        "location": config.location,
        "provider_mode": config.provider_mode,
        "model_deployments": model_deployments(config),
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
    project_connections = [c.args({}) for p in config.projects_on(HUB) for c in p.connections]
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
    if config.platform == HUB_AND_FOUNDRY and not config.provider.existing_account_id:
        # The migration step: Foundry projects go on the account the hub created (components/ai_hub.py); a brought
        # account's owner turns project management on (FoundryResource checks it when it reads the account).
        args["allow_project_management"] = True
    return args


def hub_users(config: "StackConfig") -> list[HubUserArgs]:
    """Every project membership as a hub user: AIHub grants each person once (components/ai_hub.py _grant_users),
    with storage access if any of their memberships asks for it, and adds compute instances' users itself."""
    return [HubUserArgs(principal_id=m.principal_id.lower(), principal_type=m.principal_type,
                        storage_access=m.storage_access)
            for project in config.projects_on(HUB) for m in project.members]


def project_args(config: "StackConfig", hub: AIHub, resource_group_name: pulumi.Input[str]) -> list[AIProjectArgs]:
    projects: list[AIProjectArgs] = []
    for project in config.projects_on(HUB):
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
    """What Azure would refuse of the hub's or the Foundry resource's args (components/deploy_rules.py), at the
    config key paths. In hub+foundry the Foundry resource takes the hub's account and the hub keeps the governance,
    so the hub's args are the ones judged."""
    if config.platform == FOUNDRY:
        return []  # foundry_problems: the Foundry resource's own check runs its deploy rules
    return [
        (arg_key_path(path), f"{rule_id}: {reason}")
        for rule_id, path, reason in deploy_problems(hub_args(config, "resource-group"), context)
    ]


# -- the Foundry platform ------------------------------------------------------------------


def hub_zones(config: "StackConfig") -> list[str]:
    """The private DNS zones of the hub's private network: those of what AIHub makes private endpoints for
    (components/ai_hub.py _private_endpoints, components/dependencies.py create_dependencies: the hub; the account
    it creates; the storage, vault, private monitoring and Premium registry it creates)."""
    deps, endpoints = config.dependencies, config.network.private_endpoints
    if endpoints is None:
        return []
    groups = ["amlworkspace"]
    if not config.provider.existing_account_id:
        groups.append("account")
    if not deps.storage_account_id:
        groups += ["blob", "file"]
    if not deps.key_vault_id:
        groups.append("vault")
    if (not deps.application_insights_id and config.network.public_network_access == "Disabled"
            and endpoints.vnet_address_prefix and not endpoints.private_dns_zone_ids):
        groups.append("azuremonitor")
    if deps.container_registry and not deps.container_registry_id and deps.container_registry_sku == "Premium":
        groups.append("registry")
    return zones_for(groups)


def _zone_of(zones: pulumi.Output[dict[str, str]], zone: str) -> pulumi.Output[str]:
    return zones.apply(lambda found: found[zone])


def foundry_args(
    config: "StackConfig", resource_group_name: pulumi.Input[str], hub: Optional[AIHub] = None,
) -> FoundryResourceArgs:
    """The Foundry resource: its own account on platform foundry; in hub+foundry the hub's account (`hub`), with
    its agent stores' private endpoints in the hub's subnet and DNS zones, and the hub keeping the governance."""
    args: FoundryResourceArgs = {
        "name": config.hub.name,
        "resource_group_name": resource_group_name,
        "location": config.location,
        "public_network_access": config.network.public_network_access,
        "agent_setup": AgentSetup(config.agents.chosen_setup if config.agents else "basic"),
        "protect": config.protect,
        "retain_on_delete": config.retain_on_delete,
        "locks": config.locks,
        "diagnostics": config.diagnostics.enabled,
    }
    if config.hub.unique_suffix is not None:
        args["unique_suffix"] = config.hub.unique_suffix
    if config.hub.generation:
        args["name_generation"] = config.hub.generation
    agents = config.agents
    if agents is not None:
        stores = {"cosmos_db_account_id": agents.cosmos_db_account_id, "search_service_id": agents.search_service_id,
                  "storage_account_id": agents.storage_account_id}
        if any(v is not None for v in stores.values()):
            args["agent_stores"] = cast(AgentStoresArgs, {k: v for k, v in stores.items() if v is not None})
    endpoints = config.network.private_endpoints
    if config.platform != HUB_AND_FOUNDRY:
        # The Foundry resource's own account: created (with `adopt_hub`, taking over what an AIHub of the same name
        # made, in place) or brought.
        args["adopt_hub"] = True
        if config.provider.existing_account_id:
            args["existing_account_id"] = config.provider.existing_account_id
        if config.provider.deployments:
            args["model_deployments"] = model_deployments(config)
        args["connections"] = [c.args(config.connection_keys) for c in config.connections]
        if config.network.agent_subnet is not None:
            args["agent_subnet"] = config.network.agent_subnet.args()
        if endpoints is not None:
            args["private_endpoints"] = endpoints.args()
        if config.encryption is not None:
            args["encryption"] = config.encryption.args()
        if config.diagnostics.log_analytics_workspace_id:
            args["diagnostics_workspace_id"] = config.diagnostics.log_analytics_workspace_id
        args["log_retention_days"] = config.diagnostics.retention_days
        if config.policy_assignments:
            args["policy_assignments"] = [a.args() for a in config.policy_assignments]
        if config.budget is not None:
            args["budget"] = config.budget.args()
        return args
    # hub+foundry: the account, its deployments and endpoint, Log Analytics, policy and budget are the hub's.
    args["existing_account_id"] = hub.provider_account_id if hub is not None else _placeholder_account(config)
    # The shared connections serve the Foundry projects too: on the account as well as on the hub (a category the
    # account doesn't take stays on the hub alone), in place before the hub goes: at `foundry` they stay as they are.
    on_account = categories(ACCOUNT_SCOPE)
    shared = [c.args(config.connection_keys) for c in config.connections if c.category in on_account]
    if shared:
        args["connections"] = shared
    if hub is not None and config.diagnostics.enabled:
        args["diagnostics_workspace_id"] = cast("pulumi.Output[str]", hub.diagnostics_workspace_id)
    if endpoints is not None:
        zone_ids: dict[str, pulumi.Input[str]] = dict(endpoints.private_dns_zone_ids)
        if hub is not None and hub.private_network is not None:
            # The hub's zones (blob among them) are reused, never made twice: two Pulumi resources of one Azure
            # zone would delete it for both when one goes.
            for zone in hub_zones(config):
                zone_ids.setdefault(zone, _zone_of(hub.private_network.private_dns_zone_ids, zone))
            args["private_endpoints"] = {"subnet_id": hub.private_network.subnet_id}
        else:
            args["private_endpoints"] = {"subnet_id": endpoints.subnet_id or _placeholder_subnet()}
        if zone_ids:
            args["private_endpoints"]["private_dns_zone_ids"] = zone_ids
    return args


_PLACEHOLDER_SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resource-group/providers"


def _placeholder_account(config: "StackConfig") -> str:
    """An account ID where the real one is an Output, for checking the args the config maps before any run."""
    return config.provider.existing_account_id or f"{_PLACEHOLDER_SUB}/{COGNITIVE_ACCOUNT}/{config.hub.name}"


def _placeholder_subnet() -> str:
    return f"{_PLACEHOLDER_SUB}/Microsoft.Network/virtualNetworks/vnet/subnets/snet"


def _foundry_project_args(
    config: "StackConfig", index: int, account_name: pulumi.Input[str], account_id: pulumi.Input[str],
    resource_group_name: pulumi.Input[str], stores: Optional[AgentStoreRefsArgs],
) -> FoundryProjectArgs:
    project = config.projects[index]
    members: list[FoundryMemberArgs] = []
    for m in project.members:
        member = FoundryMemberArgs(principal_id=m.principal_id, principal_type=m.principal_type)
        if "role" in m.model_fields_set:  # else the component's default, Foundry User
            member["role"] = m.role
        members.append(member)
    setup = config.agents.chosen_setup if config.agents else "basic"
    args = FoundryProjectArgs(
        project_name=project.name,
        account_name=account_name,
        account_id=account_id,
        resource_group_name=resource_group_name,
        location=config.location,
        display_name=project.friendly_name or project.name,
        members=members,
        connections=[c.args(config.connection_keys) for c in project.connections],
        agent_setup=AgentSetup(setup),
        protect=config.protect,
    )
    if project.description is not None:
        args["description"] = project.description
    if setup == "standard" and stores is not None:
        args["agent_stores"] = stores
    return args


def _project_indexes(config: "StackConfig") -> list[int]:
    from .foundry import project_platform

    return [i for i in range(len(config.projects)) if project_platform(config, i) == FOUNDRY]


def _account_group(config: "StackConfig", resource_group_name: pulumi.Input[str]) -> pulumi.Input[str]:
    """Projects live in their account's group: an existing account's, else the stack's."""
    if config.provider.existing_account_id:
        return parse_resource_id(config.provider.existing_account_id, COGNITIVE_ACCOUNT).resource_group
    return resource_group_name


def foundry_project_args(
    config: "StackConfig", foundry: FoundryResource, resource_group_name: pulumi.Input[str],
) -> list[tuple[str, FoundryProjectArgs]]:
    """Each Foundry project, by its name, on `foundry`'s account and, in the standard setup, its agent stores."""
    stores = foundry.agent_stores
    group = _account_group(config, resource_group_name)
    return [(config.projects[i].name, _foundry_project_args(config, i, foundry.account_name, foundry.account_id,
                                                            group, stores))
            for i in _project_indexes(config)]


def foundry_problems(config: "StackConfig", context: DeployContext) -> list[tuple[str, str]]:
    """What the Foundry components would refuse of the args the config maps (components/foundry_checks.py, the
    Foundry deploy rules among them), at the config key paths."""
    if config.platform == HUB:
        return []
    # Plain values, as the components' check_args hands them to the same checks.
    found = [(foundry_key_path(path), reason) for path, reason in foundry_resource_problems(
        plain_values(foundry_args(config, "resource-group")), context)]
    account = _placeholder_account(config)
    placeholder = "https://placeholder.example.com"
    stores = AgentStoreRefsArgs(
        cosmos_db_account_id=f"{_PLACEHOLDER_SUB}/Microsoft.DocumentDB/databaseAccounts/cosmos",
        cosmos_db_endpoint=placeholder,
        search_service_id=f"{_PLACEHOLDER_SUB}/Microsoft.Search/searchServices/search",
        search_endpoint=placeholder,
        storage_account_id=f"{_PLACEHOLDER_SUB}/Microsoft.Storage/storageAccounts/storage",
        storage_blob_endpoint=placeholder,
    )
    seen = set(found)
    for i in _project_indexes(config):
        args = _foundry_project_args(config, i, "account", account, "resource-group", stores)
        for path, reason in foundry_project_problems(plain_values(args)):
            problem = (foundry_project_key_path(i, path), reason)
            if problem not in seen:  # the stack's agent keys, once for all projects
                seen.add(problem)
                found.append(problem)
    return found
