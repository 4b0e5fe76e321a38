"""The whole stack config: every section, and what only the whole stack can know."""

import re
from typing import Any, Literal, Optional

import pulumi
from pydantic import Field, ValidationInfo, field_validator, model_validator

from baseline.evaluate import Waiver, parse_waivers, waiver_problems
from components import AIHub, AIHubArgs, AIProjectArgs, ProviderMode
from components.foundry_project import FoundryProjectArgs
from components.foundry_resource import FoundryResource, FoundryResourceArgs
from components.provider import provider_connection_name

from . import args as to_args
from .base import Model, sub_problems, unique_names
from .foundry import FOUNDRY, HUB, PLATFORMS, Agents, platform_problems, project_platform
from .governance import Budget, ComputeInstance, Diagnostics, PolicyAssignment, checked_tags
from .hub import Dependencies, Encryption, Hub, Provider
from .network import Network
from .projects import Connection, Project

_RESOURCE_GROUP_NAME = re.compile(r"^[-\w._()]{1,90}$")
_LOCATION = re.compile(r"^[a-z][a-z0-9]{2,}$")


class StackConfig(Model):
    """The whole stack config (namespace `azure-ai-hub`, plus `azure-native:location`)."""

    location: str
    """Azure region of every resource, e.g. `swedencentral`; set as `azure-native:location`."""
    platform: Literal[PLATFORMS] = HUB  # type: ignore[valid-type]
    """What the stack builds: `hub` (an AI hub and its projects), `foundry` (a Foundry resource and its projects)
    or `hub+foundry` (both on the hub's account, while migrating) (README: Platforms and the migration from a
    hub)."""
    provider_mode: ProviderMode = ProviderMode.AI_SERVICES
    """Which AI provider the hub gets (README: Provider modes)."""
    provider: Provider = Provider()
    """The hub's AI provider account and its model deployments."""
    hub: Hub
    """The hub itself."""
    resource_group: Optional[str] = None
    """Name of an existing resource group to deploy into (none: the stack creates `rg-<hub.name>-<stack>`)."""
    dependencies: Dependencies = Dependencies()
    """The hub's storage, key vault, Application Insights and container registry: created, or your own."""
    projects: list[Project] = []
    """Projects on the hub; names unique."""
    connections: list[Connection] = []
    """Connections on the hub, shared with every project."""
    network: Network = Network()
    """Public access, the hub's managed network and private endpoints."""
    encryption: Optional[Encryption] = None
    """Customer-managed key encryption of the hub, chosen at creation only (none: Microsoft-managed keys)."""
    diagnostics: Diagnostics = Diagnostics()
    """Diagnostic settings and the Log Analytics workspace."""
    policy_assignments: list[PolicyAssignment] = []
    """Policy definitions or initiatives assigned at the hub's resource group, so they apply to the hub and all
    projects."""
    budget: Optional[Budget] = None
    """A cost budget on the hub's resource group; alerts at each threshold to every contact (none: no budget)."""
    agents: Optional[Agents] = None
    """The Agent Service of the Foundry projects (platforms foundry and hub+foundry; none: the basic setup)."""
    compute_instances: list[ComputeInstance] = []
    """A personal compute instance on the hub per user: local auth off, apps personal, no SSH, no public IP when
    the hub is isolated and has a private endpoint (Azure needs both)."""
    protect: bool = False
    """Pulumi `protect` on the hub, projects, provider account, storage, key vault, CMK key and Log Analytics:
    `pulumi destroy` and replacements stop at them."""
    retain_on_delete: bool = False
    """Storage, key vault, CMK key and Log Analytics stay in Azure when removed from the stack."""
    locks: bool = False
    """`CanNotDelete` locks on the hub, its storage and key vault (never `ReadOnly`: it breaks key listing and
    deployments). A lock on the hub also stops Pulumi removing a hub connection until lifted."""
    hazard_checks: bool = True
    """Read the stack's last deployed outputs (a StackReference to itself) and warn about hazardous changes."""
    waivers: list[Any] = []
    """Accepted deviations from the security baseline: `{rule, reason, resources?}`; `rule` is a rule ID,
    `reason` at least 10 characters, `resources` Pulumi or Azure names (default: all)."""
    tags: dict[str, str] = {}
    """Tags on every taggable resource, applied once by a stack transform; the hub takes them only when it is
    created, as Azure adds tags of its own (README: Governance, cost and operations, Drift) (at most 50; names
    without `<>%&\\?/`; values up to 256 characters). Use them for cost: `costCenter`, `environment`, `owner`."""
    # Filled in by parse() from the secret `connectionKeys`; never printed.
    connection_keys: dict[str, Any] = Field(default={}, exclude=True, repr=False)
    """**Secret.** Key material by connection name: a key for `ApiKey`, a map of key names to keys for
    `CustomKeys`. Must be set with `--secret`."""

    @field_validator("projects")
    @classmethod
    def _one_platform_each(cls, value: list[Project], info: ValidationInfo) -> list[Project]:
        stack = info.data.get("platform", HUB)
        on: dict[str, str] = {}
        for project in value:
            platform = project.platform or (FOUNDRY if stack == FOUNDRY else HUB)
            other = on.setdefault(project.name.lower(), platform)
            if other != platform:
                raise ValueError(f"project {project.name!r} is both a hub project and a Foundry project: a Foundry "
                                 "project is a new project (agents, threads and files don't move over from a hub "
                                 "project), so give it a name of its own")
        return value

    @field_validator("projects", "connections", "policy_assignments", "compute_instances")
    @classmethod
    def _unique_names(cls, value: list[Any], info: ValidationInfo) -> list[Any]:
        what = {"projects": "project name", "connections": "connection name",
                "policy_assignments": "policy assignment name", "compute_instances": "compute instance name"}
        return unique_names(value, lambda item: item.name, what[str(info.field_name)])

    @field_validator("provider_mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        # Strict mode takes enums only as instances; the stack file has strings.
        if isinstance(value, str):
            try:
                return ProviderMode(value)
            except ValueError:
                allowed = ", ".join(m.value for m in ProviderMode)
                raise ValueError(f"must be one of {allowed} (got {value!r})") from None
        return value

    @field_validator("location")
    @classmethod
    def _location(cls, value: str) -> str:
        if not _LOCATION.match(value):
            raise ValueError("must be an Azure region name such as 'swedencentral' (lowercase, no spaces)")
        return value

    @field_validator("resource_group")
    @classmethod
    def _resource_group(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and (not _RESOURCE_GROUP_NAME.match(value) or value.endswith(".")):
            raise ValueError(
                "must be 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'"
            )
        return value

    _tags = field_validator("tags")(checked_tags)

    @model_validator(mode="after")
    def _cross_checks(self) -> "StackConfig":
        problems: list[tuple[str, str]] = [
            (f"waivers[{i}]" + (f".{field}" if field else ""), reason)
            for i, entry in enumerate(self.waivers)
            for field, reason in waiver_problems(entry)
        ]
        if self.provider_mode is ProviderMode.OPEN_AI:
            for i, item in enumerate(self.provider.deployments):
                if item.format != "OpenAI":
                    problems.append((f"provider.deployments[{i}].format",
                                     f"an openAI-mode account serves only OpenAI models (got {item.format!r})"))
        # Projects see the hub's (or the Foundry resource's) shared connections, so names must not clash across
        # scopes. A Foundry resource is its own provider: it has no provider connection.
        hub_names = {} if self.platform == FOUNDRY else {
            self.provider_connection_name.lower(): "the hub's provider connection"}
        shared = ("a shared connection of the Foundry resource" if self.platform == FOUNDRY
                  else "a shared hub connection")
        for i, conn in enumerate(self.connections):
            if conn.name.lower() in hub_names:
                problems.append((f"connections[{i}].name", f"{conn.name!r} is already {hub_names[conn.name.lower()]}"))
            hub_names.setdefault(conn.name.lower(), shared)
        for p, project in enumerate(self.projects):
            if self.platform != FOUNDRY and project_platform(self, p) == FOUNDRY:
                continue  # a Foundry project in hub+foundry sees none of the hub's connections
            for c, conn in enumerate(project.connections):
                if conn.name.lower() in hub_names:
                    problems.append((f"projects[{p}].connections[{c}].name",
                                     f"{conn.name!r} is already {hub_names[conn.name.lower()]}, "
                                     "which the project sees"))
        endpoints = self.network.private_endpoints
        registry_created = self.dependencies.container_registry and not self.dependencies.container_registry_id
        if registry_created and self.dependencies.container_registry_sku != "Premium":
            if endpoints is not None:
                problems.append(("dependencies.containerRegistrySku",
                                 "a registry takes a private endpoint only on Premium"))
            if self.network.public_network_access == "Disabled":
                problems.append(("dependencies.containerRegistrySku",
                                 "only a Premium registry can turn public network access off"))
        if self.dependencies.application_insights_id and self.dependencies.application_insights_entra_only:
            problems.append(("dependencies.applicationInsightsEntraOnly",
                             "applies to the Application Insights the stack creates, not an existing one"))
        problems.extend(platform_problems(self))
        sub_problems(problems)
        return self

    @property
    def parsed_waivers(self) -> list[Waiver]:
        return parse_waivers(self.waivers)

    @property
    def provider_connection_name(self) -> str:
        """The name AIHub gives its provider connection."""
        return provider_connection_name(self.hub.name, self.provider_mode, self.provider.existing_account_id)

    def all_connections(self) -> list[tuple[str, Connection]]:
        """Every connection with its config path."""
        found = [(f"connections[{i}]", c) for i, c in enumerate(self.connections)]
        for p, project in enumerate(self.projects):
            found += [(f"projects[{p}].connections[{i}]", c) for i, c in enumerate(project.connections)]
        return found

    # -- what the program builds from it (config/args.py) ------------------------------

    def resource_group_name(self, stack: str) -> str:
        """The named existing group, or the stack's own dedicated group."""
        return to_args.resource_group_name(self, stack)

    def hub_args(self, resource_group_name: pulumi.Input[str]) -> AIHubArgs:
        return to_args.hub_args(self, resource_group_name)

    def project_args(self, hub: AIHub, resource_group_name: pulumi.Input[str]) -> list[AIProjectArgs]:
        return to_args.project_args(self, hub, resource_group_name)

    def foundry_args(self, resource_group_name: pulumi.Input[str], hub: Optional[AIHub] = None) -> FoundryResourceArgs:
        return to_args.foundry_args(self, resource_group_name, hub)

    def foundry_project_args(
        self, foundry: FoundryResource, resource_group_name: pulumi.Input[str],
    ) -> list[tuple[str, FoundryProjectArgs]]:
        return to_args.foundry_project_args(self, foundry, resource_group_name)

    def projects_on(self, platform: str) -> list[Project]:
        """The projects on one platform, in stack file order."""
        return [p for i, p in enumerate(self.projects) if project_platform(self, i) == platform]
