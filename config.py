"""Stack config: read from Pulumi, validated with pydantic, turned into component args.

The only module that knows the `azure-ai-hub:*` config keys. Components take
typed args and never read `pulumi.Config` themselves, so other programs can
reuse them without our config layer.

Every problem is reported at once, each with its key path and reason, before
any resource is registered, as a `pulumi.RunError` (shown without a traceback).
"""

import json
import re
from typing import Any, Callable, Iterable, Literal, Mapping, Optional

import pulumi
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from baseline.evaluate import Waiver, parse_waivers, waiver_problems
from components import AIHub, AIHubArgs, AIProjectArgs, ConnectionArgs, ModelDeploymentArgs, ProviderMode
from components.ai_hub import HubUserArgs, PrivateEndpointsArgs
from components.ai_project import DEFAULT_MEMBER_ROLE, member_problems
from components.arm import (
    APPLICATION_INSIGHTS,
    COGNITIVE_ACCOUNT,
    CONTAINER_REGISTRY,
    GUID_PATTERN,
    KEY_VAULT,
    LOG_ANALYTICS,
    STORAGE_ACCOUNT,
    parse_resource_id,
)
from components.compute import DEFAULT_IDLE, ComputeInstanceArgs, compute_instance_problems
from components.dependencies import PUBLIC_NETWORK_ACCESS, REGISTRY_SKUS, STORAGE_SKUS
from components.deploy_rules import DeployContext, deploy_problems
from components.encryption import CustomerManagedKeyArgs
from components.governance import (
    ASSIGNMENT_NAME,
    ENFORCEMENT_MODES,
    BudgetArgs,
    PolicyAssignmentArgs,
    budget_problems,
    definition_id_problem,
)
from components.managed_network import (
    FIREWALL_SKUS,
    ISOLATION_MODES,
    RESERVED_RULE_PREFIXES,
    RULE_TYPES,
    ManagedNetworkArgs,
    OutboundRuleArgs,
    approved_outbound_rules,
    needs_private_endpoint_rules,
    outbound_rule_problems,
)
from components.naming import HubNames, base_name_problem, connection_name, unique_suffix
from components.network import network_problem, parse_subnet_id, subnet_problem, zone_id_problem
from components.provider import DeploymentSku
from components.shared_connection import KEY_AUTH_TYPES, connection_problems, default_auth_type

NAMESPACE = "azure-ai-hub"
LOCATION_KEY = "azure-native:location"

DEPLOYMENT_SKUS = tuple(s.value for s in DeploymentSku)
_DEPLOYMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
_RESOURCE_GROUP_NAME = re.compile(r"^[-\w._()]{1,90}$")
_TAG_NAME_FORBIDDEN = re.compile(r"[<>%&\\?/]")
_LOCATION = re.compile(r"^[a-z][a-z0-9]{2,}$")
MAX_TAGS = 50


class ConfigError(pulumi.RunError):
    """Bad stack config: every problem, each as (key path, reason)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {path}: {reason}" for path, reason in problems)
        super().__init__(f"invalid stack config ({len(problems)} problem(s)):\n{lines}")


class _Model(BaseModel):
    # camelCase keys as in the stack file; unknown keys and loose types are errors. A field's docstring is its
    # description, which the generated reference and stack-file schema show (make docs).
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=False, extra="forbid", strict=True, frozen=True,
        use_attribute_docstrings=True,
    )


def _arm_id(expected_type: str) -> Callable[[Optional[str]], Optional[str]]:
    def check(value: Optional[str]) -> Optional[str]:
        if value is not None:
            parse_resource_id(value, expected_type)
        return value

    return check


def _no_problem(find: Callable[[str], Optional[str]]) -> Callable[[str], str]:
    """A field validator from a pure `problem` function (None: fine, else the reason)."""

    def check(value: str) -> str:
        problem = find(value)
        if problem:
            raise ValueError(problem)
        return value

    return check


class Deployment(_Model):
    name: str
    """Deployment name clients call: 2-64 letters, digits, `.`, `_` or `-`, starting with a letter or digit."""
    model: str = Field(min_length=1)
    """Model name, e.g. `gpt-4o`."""
    version: str = Field(min_length=1)
    """Model version, e.g. `"2024-11-20"` (quote it in YAML; a bare integer is taken as its string)."""
    sku: Literal[DEPLOYMENT_SKUS] = "Standard"  # type: ignore[valid-type]
    """Deployment type: where requests are processed and how capacity is billed."""
    capacity: int = Field(default=10, ge=1, le=100_000)
    """Capacity units (thousands of tokens per minute for Standard)."""
    format: str = Field(default="OpenAI", min_length=1)
    """Model publisher format; only `OpenAI` in `openAI` mode."""

    @field_validator("version", mode="before")
    @classmethod
    def _numeric_version(cls, value: Any) -> Any:
        # `version: 2` in YAML is a number; model versions are strings to Azure.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _DEPLOYMENT_NAME.match(value):
            raise ValueError("must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        return value


class Provider(_Model):
    existing_account_id: Optional[str] = None
    """ARM ID of an existing `Microsoft.CognitiveServices/accounts` to reuse instead of creating one (none: the
    stack creates one)."""
    deployments: list[Deployment] = []
    """Model deployments on the provider account; names unique."""

    _check_account = field_validator("existing_account_id")(_arm_id(COGNITIVE_ACCOUNT))

    @field_validator("deployments")
    @classmethod
    def _unique(cls, value: list[Deployment]) -> list[Deployment]:
        seen: set[str] = set()
        for item in value:
            if item.name.lower() in seen:
                raise ValueError(f"deployment name {item.name!r} is used twice")
            seen.add(item.name.lower())
        return value


class Hub(_Model):
    name: str
    """Base of every resource name: 3-40 lowercase letters, digits and single hyphens, starting with a letter."""
    friendly_name: Optional[str] = Field(default=None, min_length=1, max_length=256)
    """Display name in the Foundry portal (none: `hub.name`)."""
    description: Optional[str] = Field(default=None, max_length=1024)
    """Hub description."""

    _name = field_validator("name")(_no_problem(base_name_problem))


class Dependencies(_Model):
    storage_account_id: Optional[str] = None
    """ARM ID of your own `Microsoft.Storage/storageAccounts` (none: the stack creates one)."""
    key_vault_id: Optional[str] = None
    """ARM ID of your own `Microsoft.KeyVault/vaults` (none: the stack creates one)."""
    application_insights_id: Optional[str] = None
    """ARM ID of your own `Microsoft.Insights/components` (none: the stack creates one, with Log Analytics)."""
    container_registry_id: Optional[str] = None
    """ARM ID of your own `Microsoft.ContainerRegistry/registries` (none: no registry, unless
    `containerRegistry`)."""
    container_registry: bool = False
    """Create a container registry (of `containerRegistrySku`) when no `containerRegistryId` is given."""
    # Entra ID-only telemetry ingestion: a documented trade-off (components/dependencies.py create_monitoring).
    application_insights_entra_only: bool = False
    """The created Application Insights takes telemetry authenticated with Entra ID only. Senders then need
    Monitoring Metrics Publisher, and those that send with the instrumentation key alone (older SDKs, the
    JavaScript web SDK, some auto-instrumentation, Profiler) stop."""
    container_registry_sku: Literal[REGISTRY_SKUS] = "Premium"  # type: ignore[valid-type]
    """SKU of the created registry; private endpoints and public access off need Premium."""
    storage_sku: Literal[STORAGE_SKUS] = "Standard_LRS"  # type: ignore[valid-type]
    """SKU of the created storage account (ZRS or GRS passes rule ST-09)."""

    _storage = field_validator("storage_account_id")(_arm_id(STORAGE_ACCOUNT))
    _vault = field_validator("key_vault_id")(_arm_id(KEY_VAULT))
    _insights = field_validator("application_insights_id")(_arm_id(APPLICATION_INSIGHTS))
    _registry = field_validator("container_registry_id")(_arm_id(CONTAINER_REGISTRY))



def _sub_problems(problems: list[tuple[str, str]]) -> None:
    """Raise a model's own problems, each tagged with its sub-path (see _describe)."""
    if problems:
        raise ValueError("\n".join(f"@{path}: {reason}" for path, reason in problems))


def _unique(items: list[Any], key: Callable[[Any], str], what: str) -> list[Any]:
    seen: set[str] = set()
    for item in items:
        k = key(item).lower()
        if k in seen:
            raise ValueError(f"{what} {key(item)!r} is used twice")
        seen.add(k)
    return items


class Connection(_Model):
    name: str
    """3-33 letters, digits, `_` or `-`; unique in its workspace, and a project's must not clash with the hub's."""
    category: str
    """Connection category; the README's connection categories table lists each one's auth types and resource
    type."""
    target: str
    """The endpoint: an https URL."""
    auth_type: Optional[str] = None
    """How it authenticates: `AAD`, `ApiKey`, `CustomKeys` or `None` (none: the category's first). Keys go in
    `connectionKeys`."""
    resource_id: Optional[str] = None
    """ARM ID of the target; required for Azure categories, of the category's resource type."""
    metadata: dict[str, str] = {}
    """Extra metadata (`ApiVersion`, ...); `AzureBlob` needs `ContainerName`."""

    @model_validator(mode="after")
    def _valid(self) -> "Connection":
        _sub_problems(
            connection_problems(self.name, self.category, self.target, self.auth_type, self.resource_id, self.metadata)
        )
        return self

    @property
    def auth(self) -> str:
        return self.auth_type or default_auth_type(self.category)

    def args(self, keys: Mapping[str, Any]) -> ConnectionArgs:
        spec = ConnectionArgs(name=self.name, category=self.category, target=self.target, auth_type=self.auth)
        if self.resource_id is not None:
            spec["resource_id"] = self.resource_id
        if self.metadata:
            spec["metadata"] = dict(self.metadata)
        secret = keys.get(self.name)
        # Key material leaves the config only as a Pulumi secret.
        if self.auth == "ApiKey" and isinstance(secret, SecretStr):
            spec["api_key"] = pulumi.Output.secret(secret.get_secret_value())
        elif self.auth == "CustomKeys" and isinstance(secret, dict):
            spec["custom_keys"] = {k: pulumi.Output.secret(v.get_secret_value()) for k, v in secret.items()}
        return spec


class Member(_Model):
    principal_id: str
    """Entra ID object ID (a GUID) of the person, group or app."""
    principal_type: str = "User"
    """Kind of principal: `User`, `Group` or `ServicePrincipal`."""
    role: str = DEFAULT_MEMBER_ROLE
    """Role on the project: a built-in role name (listed in `components/roles.py`) or a role definition GUID."""
    # Data roles on the hub's storage, which people need with shared keys off (components/ai_hub.py).
    storage_access: bool = True
    """Blob and file data roles on the hub's storage (granted once per person across projects)."""

    @model_validator(mode="after")
    def _valid(self) -> "Member":
        _sub_problems(
            member_problems({"principal_id": self.principal_id, "principal_type": self.principal_type,
                             "role": self.role})
        )
        return self


_PROJECT_NAME = re.compile(r"^[a-z](?:[a-z0-9]|-(?!-)){0,30}[a-z0-9]$")


class Project(_Model):
    name: str
    """2-32 lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or
    digit; unique."""
    friendly_name: Optional[str] = Field(default=None, min_length=1, max_length=256)
    """Display name in the Foundry portal (none: the project's `name`)."""
    description: Optional[str] = Field(default=None, max_length=1024)
    """Project description."""
    members: list[Member] = []
    """People, groups or apps working in the project."""
    connections: list[Connection] = []
    """Connections visible to this project only."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _PROJECT_NAME.match(value):
            raise ValueError(
                "must be 2-32 lowercase letters, digits and single hyphens, "
                "starting with a letter and ending with a letter or digit"
            )
        return value

    @field_validator("members")
    @classmethod
    def _members(cls, value: list[Member]) -> list[Member]:
        return _unique(value, lambda m: f"{m.principal_id} as {m.role}", "member")

    @field_validator("connections")
    @classmethod
    def _connections(cls, value: list[Connection]) -> list[Connection]:
        return _unique(value, lambda c: c.name, "connection name")


_RULE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")


class OutboundRule(_Model):
    name: str
    """1-63 letters, digits, `_` or `-`, starting with a letter or digit; unique. Names starting `provider-` or
    `connection-` are the hub's own."""
    type: Literal[RULE_TYPES]  # type: ignore[valid-type]
    """`FQDN` (`AllowOnlyApprovedOutbound` only), `PrivateEndpoint` or `ServiceTag` (a managed network only)."""
    destination: Any
    """`FQDN`: a host name such as `pypi.org`; `PrivateEndpoint`: `{serviceResourceId, subresourceTarget,
    sparkEnabled?}`; `ServiceTag`: `{serviceTag, protocol, portRanges}`."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _RULE_NAME.match(value):
            raise ValueError("must be 1-63 letters, digits, '_' or '-', starting with a letter or digit")
        if value.startswith(RESERVED_RULE_PREFIXES):
            raise ValueError(f"names starting with {' or '.join(RESERVED_RULE_PREFIXES)} are the hub's own rules")
        return value

    @model_validator(mode="after")
    def _shape(self) -> "OutboundRule":
        problems: list[tuple[str, str]] = []
        dest = self.destination
        if self.type == "FQDN":
            if not isinstance(dest, str) or not re.match(r"^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$", dest):
                problems.append(("destination", "an FQDN rule's destination is a host name such as pypi.org"))
        else:
            allowed = (
                {"serviceResourceId", "subresourceTarget", "sparkEnabled"}
                if self.type == "PrivateEndpoint"
                else {"serviceTag", "protocol", "portRanges"}
            )
            if not isinstance(dest, dict):
                problems.append(("destination", f"a {self.type} rule's destination is an object with "
                                                f"{', '.join(sorted(allowed))}"))
            else:
                problems += [(f"destination.{k}", f"unknown key (allowed here: {', '.join(sorted(allowed))})")
                             for k in dest if k not in allowed]
                target = dest.get("serviceResourceId")
                if self.type == "PrivateEndpoint" and isinstance(target, str) and not re.match(
                    r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/[^/]+/[^/]+/[^/]+$", target, re.I
                ):
                    problems.append(("destination.serviceResourceId", "is not an Azure resource ID"))
        _sub_problems(problems)
        return self

    def args(self) -> OutboundRuleArgs:
        rule = OutboundRuleArgs(name=self.name, type=self.type)
        dest = self.destination
        if self.type == "FQDN":
            rule["fqdn"] = dest
        elif self.type == "PrivateEndpoint":
            rule.update(service_resource_id=dest.get("serviceResourceId"),
                        subresource_target=dest.get("subresourceTarget"),
                        spark_enabled=bool(dest.get("sparkEnabled", False)))
        else:
            rule.update(service_tag=dest.get("serviceTag"), protocol=dest.get("protocol"),
                        port_ranges=str(dest.get("portRanges")) if dest.get("portRanges") is not None else None)
        return {k: v for k, v in rule.items() if v is not None}  # type: ignore[return-value]


class PrivateEndpoints(_Model):
    subnet_id: Optional[str] = None
    """An existing subnet for the endpoints (its VNet gets the zone links)."""
    vnet_address_prefix: Optional[str] = None
    """With `subnetPrefix`, instead of `subnetId`: the CIDR of a VNet the stack creates."""
    subnet_prefix: Optional[str] = None
    """The CIDR of the subnet created in `vnetAddressPrefix` (at least /28, inside the VNet)."""
    private_dns_zone_ids: dict[str, str] = {}
    """Existing private DNS zones by zone name (hub-and-spoke with central DNS): used, not created or linked."""

    @model_validator(mode="after")
    def _valid(self) -> "PrivateEndpoints":
        problems: list[tuple[str, str]] = []
        if self.subnet_id is not None:
            if self.vnet_address_prefix or self.subnet_prefix:
                problems.append(("subnetId", "give either subnetId or vnetAddressPrefix and subnetPrefix, not both"))
            try:
                parse_subnet_id(self.subnet_id)
            except ValueError as err:
                problems.append(("subnetId", str(err)))
        elif not (self.vnet_address_prefix and self.subnet_prefix):
            problems.append(("subnetId", "private endpoints need a subnet: subnetId, or vnetAddressPrefix "
                                         "and subnetPrefix to create one"))
        else:
            vnet_problem = network_problem(self.vnet_address_prefix)
            if vnet_problem:
                problems.append(("vnetAddressPrefix", vnet_problem))
            else:
                problem = subnet_problem(self.vnet_address_prefix, self.subnet_prefix)
                if problem:
                    problems.append(("subnetPrefix", problem))
        for zone, zone_id in self.private_dns_zone_ids.items():
            problem = zone_id_problem(zone, zone_id)
            if problem:
                problems.append((f"privateDnsZoneIds.{zone}", problem))
        _sub_problems(problems)
        return self

    def args(self) -> PrivateEndpointsArgs:
        found = {
            "subnet_id": self.subnet_id,
            "vnet_address_prefix": self.vnet_address_prefix,
            "subnet_prefix": self.subnet_prefix,
            "private_dns_zone_ids": dict(self.private_dns_zone_ids) or None,
        }
        return {k: v for k, v in found.items() if v is not None}  # type: ignore[return-value]


class Network(_Model):
    public_network_access: Literal[PUBLIC_NETWORK_ACCESS] = "Enabled"  # type: ignore[valid-type]
    """`Disabled` turns public access off on the hub and everything it creates."""
    isolation_mode: Literal[ISOLATION_MODES] = "Disabled"  # type: ignore[valid-type]
    """The hub's managed network. **Once on, it can't go back to `Disabled`.**"""
    firewall_sku: Optional[Literal[FIREWALL_SKUS]] = None  # type: ignore[valid-type]
    """Azure Firewall for FQDN rules (a cost); `AllowOnlyApprovedOutbound` only."""
    provision_now: bool = False
    """Build the managed network with the hub, not with the first compute (about 30 minutes later)."""
    outbound_rules: list[OutboundRule] = []
    """Outbound rules of the managed network: `{name, type, destination}`."""
    private_endpoints: Optional[PrivateEndpoints] = None
    """Private endpoints for the hub and what it creates (none: no private endpoints)."""

    @model_validator(mode="after")
    def _valid(self) -> "Network":
        # What Azure accepts in each isolation mode is a deploy rule (components/deploy_rules.py).
        problems: list[tuple[str, str]] = []
        seen: set[str] = set()
        for i, rule in enumerate(self.outbound_rules):
            for field, reason in outbound_rule_problems(rule.args()):
                problems.append((f"outboundRules[{i}].{field}", reason))
            if rule.name.lower() in seen:
                problems.append((f"outboundRules[{i}].name", f"{rule.name!r} is used twice"))
            seen.add(rule.name.lower())
        _sub_problems(problems)
        return self


_KEY_NAME = re.compile(r"^[A-Za-z0-9-]{1,127}$")
_KEY_VERSION = re.compile(r"^[0-9a-fA-F]{32}$")


class Encryption(_Model):
    key_vault_id: Optional[str] = None
    """Vault of your own key, with `keyName`: both or neither (none: the stack creates a key in the hub's
    vault)."""
    key_name: Optional[str] = None
    """Name of your own key in `keyVaultId`: both or neither."""
    key_version: Optional[str] = None
    """Pin a key version: 32 hex characters (none: the key's current version)."""
    service_side: bool = False
    """Service-side encryption: encrypted data stays in Microsoft's subscription instead of resources in yours.
    Not with a vault whose public access is off (DR-05)."""
    cosmos_db_principal_id: Optional[str] = None
    """Classic mode: object ID of the Azure Cosmos DB service principal in your tenant (`az ad sp show --id
    a232010e-820c-4083-83bb-3ace5fc29d0b --query id -o tsv`), for deployers that can't read the directory (none:
    looked up)."""

    _vault = field_validator("key_vault_id")(_arm_id(KEY_VAULT))

    @model_validator(mode="after")
    def _complete(self) -> "Encryption":
        problems: list[tuple[str, str]] = []
        if self.key_name is not None and not _KEY_NAME.match(self.key_name):
            problems.append(("keyName", "must be 1-127 letters, digits or '-'"))
        if self.key_version is not None and not _KEY_VERSION.match(self.key_version):
            problems.append(("keyVersion", "must be a key version: 32 hexadecimal characters"))
        if (self.key_vault_id is None) != (self.key_name is None):
            missing = "keyName" if self.key_name is None else "keyVaultId"
            problems.append((missing, "bring a key with both keyVaultId and keyName, or give neither "
                                      "and the stack creates a key in its own vault"))
        if self.key_version is not None and self.key_name is None:
            problems.append(("keyVersion", "needs keyName"))
        if self.cosmos_db_principal_id is not None:
            if self.service_side:
                problems.append(("cosmosDbPrincipalId", "service-side encryption keeps no Cosmos DB in your "
                                                        "subscription: leave it out"))
            elif not GUID_PATTERN.match(self.cosmos_db_principal_id):
                problems.append(("cosmosDbPrincipalId", "must be the object ID (a GUID) of the Azure Cosmos DB "
                                                        "service principal in your tenant"))
        _sub_problems(problems)
        return self

    def args(self) -> CustomerManagedKeyArgs:
        found = {"key_vault_id": self.key_vault_id, "key_name": self.key_name, "key_version": self.key_version,
                 "service_side": self.service_side or None, "cosmos_db_principal_id": self.cosmos_db_principal_id}
        return {k: v for k, v in found.items() if v is not None}  # type: ignore[return-value]



class Diagnostics(_Model):
    enabled: bool = True
    """Diagnostic settings (all logs and metrics) for the hub, projects, provider, key vault, storage (account,
    blob and file services) and registry."""
    retention_days: int = Field(default=30, ge=30, le=730)
    """Retention in days of the Log Analytics workspace the stack creates."""
    log_analytics_workspace_id: Optional[str] = None
    """ARM ID of the `Microsoft.OperationalInsights/workspaces` diagnostics go to; needed only with a classic
    (non-workspace) Application Insights (none: the stack's own, or the one behind an existing workspace-based
    Application Insights, read from Azure)."""

    _workspace = field_validator("log_analytics_workspace_id")(_arm_id(LOG_ANALYTICS))


class PolicyAssignment(_Model):
    name: str
    """Assignment name: 1-64 characters without `< > * % & : \\ ? . + /` or surrounding spaces; unique."""
    definition_id: str
    """ID of a built-in or custom policy definition or initiative (set definition)."""
    parameters: dict[str, Any] = {}
    """The definition's parameters, by name."""
    enforcement_mode: Literal[ENFORCEMENT_MODES] = "Default"  # type: ignore[valid-type]
    """`Default`, or `DoNotEnforce` to evaluate without denying."""
    managed_identity: bool = False
    """`true` for Modify and DeployIfNotExists policies: the assignment gets an identity."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not ASSIGNMENT_NAME.match(value):
            raise ValueError("must be 1-64 characters without < > * % & : \\ ? . + / or surrounding spaces")
        return value

    _definition = field_validator("definition_id")(_no_problem(definition_id_problem))

    def args(self) -> PolicyAssignmentArgs:
        found = PolicyAssignmentArgs(name=self.name, definition_id=self.definition_id,
                                     enforcement_mode=self.enforcement_mode, managed_identity=self.managed_identity)
        if self.parameters:
            found["parameters"] = dict(self.parameters)
        return found


class Budget(_Model):
    # Checked by budget_problems, so that every problem carries its own path.
    model_config = ConfigDict(alias_generator=to_camel, extra="forbid", strict=False, frozen=True,
                              use_attribute_docstrings=True)
    amount: Any = None
    """Required: the budget amount per time grain, a positive number."""
    thresholds: Any = None
    """Required: a list of alert thresholds in percent of the amount (1-1000, actual cost; at most 5, Azure's limit)."""
    contact_emails: Any = None
    """Required: a list of the email addresses every alert goes to; at least one."""
    time_grain: Any = "Monthly"
    """`Monthly`, `Quarterly` or `Annually`."""
    start_date: Any = None
    """`YYYY-MM-01` (none: the first deployment's month, then kept)."""

    @model_validator(mode="after")
    def _valid(self) -> "Budget":
        _sub_problems(budget_problems(self.model_dump()))
        return self

    def args(self) -> BudgetArgs:
        found = BudgetArgs(amount=float(self.amount), thresholds=[float(t) for t in self.thresholds],
                           contact_emails=list(self.contact_emails), time_grain=self.time_grain)
        if self.start_date:
            found["start_date"] = str(self.start_date)
        return found


class ComputeInstance(_Model):
    name: str
    """3-24 letters, digits and single hyphens, starting with a letter; unique in the region."""
    vm_size: str
    """Azure VM size, e.g. `Standard_DS11_v2`."""
    assigned_user_object_id: str
    """Entra ID object ID (a GUID) of the one user the instance is for."""
    idle_shutdown_minutes: int = DEFAULT_IDLE
    """Idle shutdown, 15 minutes to 3 days (DR-03)."""

    @model_validator(mode="after")
    def _valid(self) -> "ComputeInstance":
        _sub_problems(compute_instance_problems(self.model_dump()))
        return self

    def args(self) -> ComputeInstanceArgs:
        return ComputeInstanceArgs(name=self.name, vm_size=self.vm_size,
                                   assigned_user_object_id=self.assigned_user_object_id.lower(),
                                   idle_shutdown_minutes=self.idle_shutdown_minutes)

class StackConfig(_Model):
    """The whole stack config (namespace `azure-ai-hub`, plus `azure-native:location`)."""

    location: str
    """Azure region of every resource, e.g. `swedencentral`; set as `azure-native:location`."""
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
    """Tags on every taggable resource, applied once by a stack transform (at most 50; names without `<>%&\\?/`;
    values up to 256 characters). Use them for cost: `costCenter`, `environment`, `owner`."""
    # Filled in by parse() from the secret `connectionKeys`; never printed.
    connection_keys: dict[str, Any] = Field(default={}, exclude=True, repr=False)
    """**Secret.** Key material by connection name: a key for `ApiKey`, a map of key names to keys for
    `CustomKeys`. Must be set with `--secret`."""

    @field_validator("projects", "connections", "policy_assignments", "compute_instances")
    @classmethod
    def _unique_names(cls, value: list[Any], info: ValidationInfo) -> list[Any]:
        what = {"projects": "project name", "connections": "connection name",
                "policy_assignments": "policy assignment name", "compute_instances": "compute instance name"}
        return _unique(value, lambda item: item.name, what[str(info.field_name)])

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

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > MAX_TAGS:
            raise ValueError(f"at most {MAX_TAGS} tags are allowed (got {len(value)})")
        for name, tag in value.items():
            if not name or len(name) > 512 or _TAG_NAME_FORBIDDEN.search(name):
                raise ValueError(f"tag name {name!r} must be 1-512 characters without < > % & \\ ? /")
            if len(tag) > 256:
                raise ValueError(f"tag {name!r} has a value longer than 256 characters")
        return value

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
        # Projects see the hub's shared connections, so names must not clash across scopes.
        hub_names = {self.provider_connection_name.lower(): "the hub's provider connection"}
        for i, conn in enumerate(self.connections):
            if conn.name.lower() in hub_names:
                problems.append((f"connections[{i}].name", f"{conn.name!r} is already {hub_names[conn.name.lower()]}"))
            hub_names.setdefault(conn.name.lower(), "a shared hub connection")
        for p, project in enumerate(self.projects):
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
        _sub_problems(problems)
        return self

    @property
    def parsed_waivers(self) -> list[Waiver]:
        return parse_waivers(self.waivers)

    @property
    def provider_connection_name(self) -> str:
        """The name AIHub gives its provider connection."""
        if self.provider.existing_account_id:
            return connection_name(parse_resource_id(self.provider.existing_account_id, COGNITIVE_ACCOUNT).name)
        return connection_name(HubNames(self.hub.name, "").provider_account(self.provider_mode.name_prefix))

    def all_connections(self) -> list[tuple[str, Connection]]:
        """Every connection with its config path."""
        found = [(f"connections[{i}]", c) for i, c in enumerate(self.connections)]
        for p, project in enumerate(self.projects):
            found += [(f"projects[{p}].connections[{i}]", c) for i, c in enumerate(project.connections)]
        return found

    # -- what the program builds from it -------------------------------------------

    def resource_group_name(self, stack: str) -> str:
        """The named existing group, or the stack's own dedicated group."""
        return self.resource_group or HubNames(self.hub.name, "").resource_group(stack)

    def hub_args(self, resource_group_name: pulumi.Input[str], stack: str) -> AIHubArgs:
        args: AIHubArgs = {
            "name": self.hub.name,
            "resource_group_name": resource_group_name,
            "location": self.location,
            "unique_suffix": unique_suffix(self.resource_group_name(stack), self.hub.name),
            "provider_mode": self.provider_mode,
            "model_deployments": [
                ModelDeploymentArgs(
                    name=d.name,
                    model=d.model,
                    version=d.version,
                    sku=d.sku,
                    capacity=d.capacity,
                    format=d.format,
                )
                for d in self.provider.deployments
            ],
            "create_container_registry": self.dependencies.container_registry,
            "container_registry_sku": self.dependencies.container_registry_sku,
            "connections": [c.args(self.connection_keys) for c in self.connections],
            "public_network_access": self.network.public_network_access,
            "storage_sku": self.dependencies.storage_sku,
            "application_insights_entra_only": self.dependencies.application_insights_entra_only,
            "protect": self.protect,
            "retain_on_delete": self.retain_on_delete,
            "locks": self.locks,
            "diagnostics": self.diagnostics.enabled,
            "log_retention_days": self.diagnostics.retention_days,
            "policy_assignments": [a.args() for a in self.policy_assignments],
            "compute_instances": [c.args() for c in self.compute_instances],
            "users": self.users(),
        }
        if self.diagnostics.log_analytics_workspace_id:
            args["diagnostics_workspace_id"] = self.diagnostics.log_analytics_workspace_id
        if self.budget is not None:
            args["budget"] = self.budget.args()
        net = self.network
        if net.isolation_mode != "Disabled" or net.outbound_rules or net.firewall_sku or net.provision_now:
            rules = [r.args() for r in net.outbound_rules]
            if needs_private_endpoint_rules(net.isolation_mode, net.public_network_access == "Enabled"):
                # The hub adds rules for its provider and its own connections; the
                # projects' connections go through the same managed network.
                project_connections = [c.args({}) for p in self.projects for c in p.connections]
                rules += approved_outbound_rules(None, project_connections, rules)
            args["managed_network"] = ManagedNetworkArgs(
                isolation_mode=net.isolation_mode, provision_now=net.provision_now, outbound_rules=rules
            )
            if net.firewall_sku:
                args["managed_network"]["firewall_sku"] = net.firewall_sku
        if net.private_endpoints is not None:
            args["private_endpoints"] = net.private_endpoints.args()
        if self.encryption is not None:
            args["encryption"] = self.encryption.args()
        optional: dict[str, Optional[str]] = {
            "friendly_name": self.hub.friendly_name,
            "description": self.hub.description,
            "existing_provider_account_id": self.provider.existing_account_id,
            "storage_account_id": self.dependencies.storage_account_id,
            "key_vault_id": self.dependencies.key_vault_id,
            "application_insights_id": self.dependencies.application_insights_id,
            "container_registry_id": self.dependencies.container_registry_id,
        }
        args.update({k: v for k, v in optional.items() if v is not None})  # type: ignore[typeddict-item]
        return args

    def users(self) -> list[HubUserArgs]:
        """Every project member once: storage access if any of their memberships asks for it."""
        found: dict[str, HubUserArgs] = {}
        for project in self.projects:
            for m in project.members:
                user = found.setdefault(m.principal_id.lower(), HubUserArgs(
                    principal_id=m.principal_id.lower(), principal_type=m.principal_type, storage_access=False))
                user["storage_access"] = user.get("storage_access", False) or m.storage_access
        return list(found.values())

    def project_args(self, hub: AIHub, resource_group_name: pulumi.Input[str], stack: str) -> list[AIProjectArgs]:
        names = HubNames(self.hub.name, "")
        projects: list[AIProjectArgs] = []
        for project in self.projects:
            args = AIProjectArgs(
                workspace_name=names.project(project.name),
                hub_id=hub.hub_id,
                resource_group_name=resource_group_name,
                location=self.location,
                friendly_name=project.friendly_name or project.name,
                members=[
                    {"principal_id": m.principal_id, "principal_type": m.principal_type, "role": m.role}
                    for m in project.members
                ],
                connections=[c.args(self.connection_keys) for c in project.connections],
                public_network_access=self.network.public_network_access,
                provider_account_id=hub.provider_account_id,
                provider_role=self.provider_mode.inference_role,
                storage_account_id=hub.storage_account_id,
                storage_private_endpoint_ids=dict(hub.storage_private_endpoint_ids),
                protect=self.protect,
            )
            if self.diagnostics.enabled:
                args["diagnostics_workspace_id"] = hub.diagnostics_workspace_id
            if project.description is not None:
                args["description"] = project.description
            projects.append(args)
        return projects


# Keys of the `azure-ai-hub` namespace, and how the engine's string value reads:
# as it is, as JSON (objects and lists), or as a boolean.
KEYS: dict[str, str] = {
    "providerMode": "string",
    "provider": "json",
    "hub": "json",
    "resourceGroup": "string",
    "dependencies": "json",
    "projects": "json",
    "connections": "json",
    "connectionKeys": "json",
    "network": "json",
    "encryption": "json",
    "protect": "bool",
    "retainOnDelete": "bool",
    "locks": "bool",
    "diagnostics": "json",
    "policyAssignments": "json",
    "budget": "json",
    "computeInstances": "json",
    "hazardChecks": "bool",
    "waivers": "json",
    "tags": "json",
}
SECRET_KEY = "connectionKeys"


def parse(
    raw: Mapping[str, str], secret_keys: Iterable[str] = (), context: Optional[DeployContext] = None
) -> StackConfig:
    """Validate raw config (fully qualified keys, string or JSON values) into a StackConfig.

    Then the deploy rules (components/deploy_rules.py) judge what the config
    would send to Azure, with what `context` knows of the deployment.

    `secret_keys` are the keys stored encrypted (`pulumi config set --secret`).
    None of these keys can hold a secret: their values become names, IDs and
    tags that anyone with Reader access sees in Azure, so a secret among them
    is refused rather than silently sent in plaintext.

    Raises ConfigError with every problem found.
    """
    problems: list[tuple[str, str]] = [
        (key, "is stored as a secret, but it becomes plain resource names, IDs or tags visible in Azure; "
              "set it without --secret")
        for key in sorted(set(secret_keys))
        if key.startswith(f"{NAMESPACE}:") and key.split(":", 1)[1] in KEYS and not key.endswith(f":{SECRET_KEY}")
    ]
    keys_key = f"{NAMESPACE}:{SECRET_KEY}"
    if raw.get(keys_key) is not None and keys_key not in set(secret_keys):
        problems.append((keys_key, "holds key material in plaintext: store it with "
                                   f"pulumi config set --secret --path {keys_key}.<connection> <key>"))
    data: dict[str, Any] = {}
    for key in sorted(raw):
        if key.startswith(f"{NAMESPACE}:") and key.split(":", 1)[1] not in KEYS:
            allowed = ", ".join(KEYS)
            problems.append((key, f"unknown key (known keys: {allowed})"))
    for key, kind in KEYS.items():
        value = raw.get(f"{NAMESPACE}:{key}")
        if value is None or key == SECRET_KEY:
            continue
        if kind == "json":
            try:
                data[key] = json.loads(value)
            except (TypeError, ValueError):
                problems.append((f"{NAMESPACE}:{key}", "must be an object or list, not a plain string"))
        elif kind == "bool":
            if str(value).lower() not in ("true", "false"):
                problems.append((f"{NAMESPACE}:{key}", f"must be true or false (got {value!r})"))
            else:
                data[key] = str(value).lower() == "true"
        else:
            data[key] = value
    if raw.get(LOCATION_KEY) is not None:
        data["location"] = raw[LOCATION_KEY]
    keys, key_problems = _connection_keys(raw.get(keys_key))
    problems.extend(key_problems)
    try:
        config = StackConfig.model_validate(data)
    except ValidationError as err:
        for error in err.errors():
            problems.extend(_describe(error))
        raise ConfigError(problems) from None
    problems.extend(_match_keys(config, keys))
    problems.extend(
        (arg_key_path(path), f"{rule_id}: {reason}")
        for rule_id, path, reason in deploy_problems(config.hub_args("resource-group", "stack"),
                                                     context or DeployContext())
    )
    if problems:
        raise ConfigError(problems)
    return config.model_copy(update={"connection_keys": keys})


# Where an AIHub argument comes from in the stack config, when not at its own camelCase name.
_ARG_KEYS = {
    "managed_network": "network",
    "public_network_access": "network.publicNetworkAccess",
    "private_endpoints": "network.privateEndpoints",
    "existing_provider_account_id": "provider.existingAccountId",
    "model_deployments": "provider.deployments",
    "storage_account_id": "dependencies.storageAccountId",
    "key_vault_id": "dependencies.keyVaultId",
    "application_insights_id": "dependencies.applicationInsightsId",
    "container_registry_id": "dependencies.containerRegistryId",
    "diagnostics_workspace_id": "diagnostics.logAnalyticsWorkspaceId",
}


def arg_key_path(arg_path: str) -> str:
    """The config key path of an AIHub argument path: managed_network.outbound_rules[2] -> network.outboundRules[2]."""
    root = re.match(r"^[a-z_]+", arg_path)
    head = root.group(0) if root else arg_path
    rest = re.sub(r"(?<=\.)[a-z_]+", lambda m: to_camel(m.group(0)), arg_path[len(head):])
    return f"{NAMESPACE}:{_ARG_KEYS.get(head, to_camel(head))}{rest}"


def _connection_keys(value: Optional[str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Parse `connectionKeys` without ever echoing a value: {name: SecretStr | {key: SecretStr}}."""
    path = f"{NAMESPACE}:{SECRET_KEY}"
    if value is None:
        return {}, []
    try:
        decoded = json.loads(value)
    except (TypeError, ValueError):
        decoded = None
    if not isinstance(decoded, dict):
        return {}, [(path, "must be an object: connection name -> key, or -> {key name: key}")]
    keys: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, item in decoded.items():
        if isinstance(item, str) and item:
            keys[name] = SecretStr(item)
        elif isinstance(item, dict) and item and all(isinstance(v, str) and v for v in item.values()):
            keys[name] = {k: SecretStr(v) for k, v in item.items()}
        else:
            problems.append((f"{path}.{name}", "must be a non-empty key, or a map of key names to non-empty keys"))
    return keys, problems


def _match_keys(config: StackConfig, keys: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every key-based connection has its secret, of the right shape, and no secret is unused."""
    path = f"{NAMESPACE}:{SECRET_KEY}"
    problems: list[tuple[str, str]] = []
    used: set[str] = set()
    for where, conn in config.all_connections():
        if conn.auth not in KEY_AUTH_TYPES:
            continue
        used.add(conn.name)
        secret = keys.get(conn.name)
        if secret is None:
            problems.append((f"{NAMESPACE}:{where}", f"{conn.auth} connection {conn.name!r} has no key: "
                                                     f"pulumi config set --secret --path {path}.{conn.name} <key>"))
        elif conn.auth == "ApiKey" and not isinstance(secret, SecretStr):
            problems.append((f"{path}.{conn.name}", "an ApiKey connection takes one key, not a map"))
        elif conn.auth == "CustomKeys" and not isinstance(secret, dict):
            problems.append((f"{path}.{conn.name}", "a CustomKeys connection takes a map of key names to keys"))
    for name in sorted(set(keys) - used):
        problems.append((f"{path}.{name}", "no ApiKey or CustomKeys connection has this name"))
    return problems


def _path(loc: tuple[Any, ...]) -> str:
    if not loc:
        return NAMESPACE
    if loc[0] == "location":
        return LOCATION_KEY
    text = f"{NAMESPACE}:{loc[0]}"
    for part in loc[1:]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _describe(error: Any) -> list[tuple[str, str]]:
    kind, loc = error["type"], tuple(error["loc"])
    if kind == "value_error" and str(error["msg"]).removeprefix("Value error, ").startswith("@"):
        # A model's own checks: one line a problem, each naming its sub-path.
        found = []
        for line in str(error["msg"]).removeprefix("Value error, ").splitlines():
            sub, reason = line[1:].split(": ", 1)
            found.append((_path(loc) + "." + sub if loc else f"{NAMESPACE}:{sub}", reason))
        return found
    return [_describe_one(kind, loc, error)]


def _describe_one(kind: str, loc: tuple[Any, ...], error: Any) -> tuple[str, str]:
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(loc[:-1]))
        return _path(loc), f"unknown key (allowed here: {allowed})"
    if kind == "missing":
        if loc == ("location",):
            return _path(loc), "is required (pulumi config set azure-native:location <region>)"
        return _path(loc), "is required"
    if kind in ("value_error", "assertion_error"):
        return _path(loc), str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        return _path(loc), f"{str(error['msg']).replace('Input should be', 'must be')} (got {error['input']!r})"
    if kind in _EXPECTED:
        value = error["input"]
        return _path(loc), f"must be {_EXPECTED[kind]}, not {type(value).__name__} {value!r}"
    return _path(loc), str(error["msg"])


_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "an object (a map)",
    "model_type": "an object",
    "model_attributes_type": "an object",
}


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The camelCase keys of the object at `loc` (for 'unknown key' messages)."""
    model: Any = StackConfig
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return []
        annotation = field.annotation
        for inner in (*getattr(annotation, "__args__", ()), annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                model = inner
                break
            inner_args = getattr(inner, "__args__", ())
            if inner_args and isinstance(inner_args[0], type) and issubclass(inner_args[0], BaseModel):
                model = inner_args[0]
                break
    return [f.alias or n for n, f in model.model_fields.items() if n != "location"]


def raw_config() -> tuple[dict[str, str], set[str]]:
    """Every config value the engine passed to this program (fully qualified), and the secret keys."""
    from pulumi.runtime.config import CONFIG, get_config_env, get_config_secret_keys_env, is_config_secret

    merged: dict[str, str] = {}
    merged.update(get_config_env())
    merged.update(CONFIG.get())
    secret = {k for k in merged if is_config_secret(k)} | set(get_config_secret_keys_env())
    return merged, secret


def deploy_context() -> DeployContext:
    """What the Azure provider knows of the deployment: the subscription it deploys to."""
    from components.subscriptions import deploy_subscription

    return DeployContext(subscription_id=deploy_subscription())


def load() -> StackConfig:
    """The validated config of the running stack; raises ConfigError."""
    values, secret_keys = raw_config()
    return parse(values, secret_keys, deploy_context())
