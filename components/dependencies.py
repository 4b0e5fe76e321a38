"""The hub's dependent resources, each secure by default.

Plain functions, not components: they register resources under the AIHub that
calls them. Settings follow Microsoft's secure hub templates
(azure-quickstart-templates aifoundry-network-restricted, aifoundry-entraid-passthrough)
and the security baseline in Azure Policy and PSRule for Azure.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence

import pulumi
from pulumi_azure_native import (
    applicationinsights,
    authorization,
    containerregistry,
    keyvault,
    managedidentity,
    monitor,
    operationalinsights,
    storage,
)
from pulumi_azure_native import machinelearningservices as ml

from .arm import APPLICATION_INSIGHTS, KEY_VAULT, name_and_group, parse_resource_id, resource_group_scope
from .naming import HubNames, fit, unique_suffix

if TYPE_CHECKING:
    # The components import this module before private_network (its Args checks import it): names only.
    from .private_network import PrivateEndpointTargetArgs

#: Origins of the Foundry portal and ML studio, which read and write the hub's
#: storage from the browser (as the azd and AVM hub samples allow).
PORTAL_CORS_ORIGINS = [
    "https://mlworkspace.azure.ai",
    "https://ml.azure.com",
    "https://*.ml.azure.com",
    "https://ai.azure.com",
    "https://*.ai.azure.com",
]
PORTAL_CORS_METHODS = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH"]

#: Of azure-native's PublicNetworkAccessType: public access on the hub and what it creates.
PUBLIC_NETWORK_ACCESS = tuple(v.value for v in ml.PublicNetworkAccessType)

#: Days deleted blobs, containers and Key Vault objects can be recovered.
SOFT_DELETE_DAYS = 7
KEY_VAULT_RETENTION_DAYS = 90


@dataclass(frozen=True)
class Placement:
    """Where and with which tags the hub's resources go, and whether they are public."""

    resource_group_name: pulumi.Input[str]
    location: pulumi.Input[str]
    tags: Mapping[str, str]
    parent: pulumi.Resource
    public: bool = True
    """False: public network access off, network rules deny all but trusted Azure services."""
    protect: bool = False
    """Protect stateful resources from deletion by Pulumi (`pulumi destroy` and replacements stop)."""
    retain_on_delete: bool = False
    """Keep data stores in Azure when Pulumi deletes them from the stack."""

    @property
    def public_network_access(self) -> str:
        return "Enabled" if self.public else "Disabled"

    def opts(self, **kwargs: object) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self.parent, **kwargs)  # type: ignore[arg-type]

    def stateful(self) -> pulumi.ResourceOptions:
        """For a resource whose loss loses work: protected when the stack asks."""
        return self.opts(protect=self.protect)

    def data_store(self) -> pulumi.ResourceOptions:
        """For a store of data users expect to outlive the stack: protected and retained when asked."""
        return self.opts(protect=self.protect, retain_on_delete=self.retain_on_delete)


@dataclass(frozen=True)
class Setting:
    """What a hub or a Foundry resource knows before its first resource: the deployment's client, the names of
    everything it creates, where they go, and the resource group's scope (AIHub and FoundryResource alike)."""

    client: pulumi.Output[authorization.GetClientConfigResult]
    names: HubNames
    at: Placement
    rg_scope: pulumi.Output[str]


def setting(parent: pulumi.Resource, args: Mapping[str, Any]) -> Setting:
    """The setting of a component from its Args (`name`, `resource_group_name`, `location`, `unique_suffix`,
    `name_generation`, `tags`, `public_network_access`, `protect`, `retain_on_delete`): the same names for the same
    Args whichever component, so a Foundry resource takes over a hub's account under its very name."""
    base, rg = args["name"], args["resource_group_name"]
    client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=parent))
    suffix: pulumi.Input[str] = args.get("unique_suffix") or pulumi.Output.all(client.subscription_id, rg).apply(
        lambda known: unique_suffix(str(known[0]), str(known[1]), base, args.get("name_generation", 0)))
    at = Placement(
        rg, args["location"], dict(args.get("tags") or {}), parent,
        public=args.get("public_network_access", "Enabled") == "Enabled",
        protect=bool(args.get("protect")), retain_on_delete=bool(args.get("retain_on_delete")),
    )
    rg_scope = pulumi.Output.all(client.subscription_id, rg).apply(lambda a: resource_group_scope(a[0], a[1]))
    return Setting(client, HubNames(base, suffix), at, rg_scope)


DEFAULT_STORAGE_SKU = storage.SkuName.STANDARD_LRS.value
#: The storage SKUs a hub's default storage may have: StorageV2 Standard tiers
#: (Premium accounts are BlockBlob/FileStorage kinds, not StorageV2), of azure-native's SkuName.
STORAGE_SKUS = tuple(s.value for s in (
    storage.SkuName.STANDARD_LRS, storage.SkuName.STANDARD_ZRS, storage.SkuName.STANDARD_GRS,
    storage.SkuName.STANDARD_GZRS, storage.SkuName.STANDARD_RAGRS, storage.SkuName.STANDARD_RAGZRS,
))


def secure_storage_account(
    resource_name: str, account_name: pulumi.Input[str], at: Placement, sku: str, services: Sequence[str],
) -> storage.StorageAccount:
    """StorageV2 reached with Entra ID only, for a hub's system datastores or a Foundry resource's agent files: no
    shared keys, no public blobs, TLS 1.2, double encryption at rest of `services` (chosen only when the account is
    created: Learn, storage/common/infrastructure-encryption-enable; baseline ST-08), public access as the stack's."""
    return storage.StorageAccount(
        resource_name,
        account_name=account_name,
        resource_group_name=at.resource_group_name,
        location=at.location,
        kind=storage.Kind.STORAGE_V2,
        sku=storage.SkuArgs(name=sku),
        access_tier=storage.AccessTier.HOT,
        minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
        enable_https_traffic_only=True,
        allow_blob_public_access=False,
        allow_cross_tenant_replication=False,
        allow_shared_key_access=False,
        default_to_o_auth_authentication=True,
        encryption=storage.EncryptionArgs(
            key_source=storage.KeySource.MICROSOFT_STORAGE,
            require_infrastructure_encryption=True,
            services=storage.EncryptionServicesArgs(**{
                service: storage.EncryptionServiceArgs(enabled=True, key_type=storage.KeyType.ACCOUNT)
                for service in services
            }),
        ),
        public_network_access=at.public_network_access,
        network_rule_set=storage.NetworkRuleSetArgs(
            default_action=storage.DefaultAction.ALLOW if at.public else storage.DefaultAction.DENY,
            bypass=storage.Bypass.AZURE_SERVICES,
        ),
        tags=dict(at.tags),
        opts=at.data_store(),
    )


def create_storage(names: HubNames, at: Placement, sku: str = DEFAULT_STORAGE_SKU) -> storage.StorageAccount:
    """StorageV2 for the hub's system datastores, reached with Entra ID only: the hub reaches them with its
    identity (systemDatastoresAuthMode=Identity), so shared keys can be off."""
    account = secure_storage_account(f"{names.base}-storage", names.storage_account, at, sku, ("blob", "file"))
    storage.BlobServiceProperties(
        f"{names.base}-storage-blob",
        account_name=account.name,
        resource_group_name=at.resource_group_name,
        blob_services_name="default",
        cors=storage.CorsRulesArgs(
            cors_rules=[
                storage.CorsRuleArgs(
                    allowed_origins=PORTAL_CORS_ORIGINS,
                    allowed_methods=PORTAL_CORS_METHODS,
                    allowed_headers=["*"],
                    exposed_headers=["*"],
                    max_age_in_seconds=1800,
                )
            ]
        ),
        delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=SOFT_DELETE_DAYS),
        container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(
            enabled=True, days=SOFT_DELETE_DAYS
        ),
        opts=at.opts(),
    )
    return account


def create_key_vault(names: HubNames, at: Placement, tenant_id: pulumi.Input[str]) -> keyvault.Vault:
    """Key Vault with the RBAC permission model; purge protection can never be undone."""
    return keyvault.Vault(
        f"{names.base}-keyvault",
        vault_name=names.key_vault,
        resource_group_name=at.resource_group_name,
        location=at.location,
        properties=keyvault.VaultPropertiesArgs(
            tenant_id=tenant_id,
            sku=keyvault.SkuArgs(family=keyvault.SkuFamily.A, name=keyvault.SkuName.STANDARD),
            enable_rbac_authorization=True,
            enable_soft_delete=True,
            soft_delete_retention_in_days=KEY_VAULT_RETENTION_DAYS,
            enable_purge_protection=True,
            enabled_for_deployment=False,
            enabled_for_disk_encryption=False,
            enabled_for_template_deployment=False,
            public_network_access=at.public_network_access,
            network_acls=keyvault.NetworkRuleSetArgs(
                default_action=keyvault.NetworkRuleAction.ALLOW if at.public else keyvault.NetworkRuleAction.DENY,
                bypass=keyvault.NetworkRuleBypassOptions.AZURE_SERVICES,
            ),
        ),
        tags=dict(at.tags),
        opts=at.data_store(),
    )


DEFAULT_LOG_RETENTION_DAYS = 30


def create_identity(
    names: HubNames, at: Placement, purpose: str, opts: pulumi.ResourceOptions
) -> managedidentity.UserAssignedIdentity:
    """A user-assigned identity of the hub's, `id-<hub>-<purpose>` (the hub's own, or the one reading its key)."""
    return managedidentity.UserAssignedIdentity(
        f"{names.base}-{purpose}-identity",
        resource_name_=fit("id", f"{names.base}-{purpose}", 128),
        resource_group_name=at.resource_group_name,
        location=at.location,
        tags=dict(at.tags),
        opts=opts,
    )


def create_log_analytics(
    names: HubNames, at: Placement, retention_days: int = DEFAULT_LOG_RETENTION_DAYS, private: bool = False,
    opts: Optional[pulumi.ResourceOptions] = None,
) -> operationalinsights.Workspace:
    """The Log Analytics workspace `{base}-logs`, a hub's (under its Application Insights) or a Foundry
    resource's; `opts` are merged over the data store's (a Foundry resource's aliases when it takes a hub's over)."""
    workspace = operationalinsights.Workspace(
        f"{names.base}-logs",
        workspace_name=names.log_analytics,
        resource_group_name=at.resource_group_name,
        location=at.location,
        sku=operationalinsights.WorkspaceSkuArgs(
            name=operationalinsights.WorkspaceSkuNameEnum.PER_GB2018
        ),
        retention_in_days=retention_days,
        # Agents must use Entra ID to send data; no workspace keys.
        features=operationalinsights.WorkspaceFeaturesArgs(disable_local_auth=True),
        public_network_access_for_ingestion="Disabled" if private else None,
        public_network_access_for_query="Disabled" if private else None,
        tags=dict(at.tags),
        opts=pulumi.ResourceOptions.merge(at.data_store(), opts),
    )
    return workspace


def create_monitoring(
    names: HubNames, at: Placement, retention_days: int = DEFAULT_LOG_RETENTION_DAYS, entra_only: bool = False,
    private: bool = False,
) -> tuple[operationalinsights.Workspace, applicationinsights.Component]:
    """Log Analytics and a workspace-based Application Insights on top of it.

    `private`: public ingestion and query off on both, as the stack's stance is; they are then reached
    through an Azure Monitor private link scope (see monitor_private_link_scope), without which nothing
    could send or read telemetry.

    Entra-only ingestion (`entra_only`) is a choice, not the default: senders need Monitoring Metrics
    Publisher, and those that can only send with the instrumentation key stop (Learn,
    azure-monitor/app/azure-ad-authentication: the JavaScript web SDK, Java 2.x, some auto-instrumentation,
    Profiler).
    """
    workspace = create_log_analytics(names, at, retention_days, private)
    insights = applicationinsights.Component(
        f"{names.base}-insights",
        resource_name_=names.application_insights,
        resource_group_name=at.resource_group_name,
        location=at.location,
        kind="web",
        application_type=applicationinsights.ApplicationType.WEB,
        workspace_resource_id=workspace.id,
        ingestion_mode=applicationinsights.IngestionMode.LOG_ANALYTICS,
        disable_local_auth=True if entra_only else None,
        public_network_access_for_ingestion="Disabled" if private else None,
        public_network_access_for_query="Disabled" if private else None,
        tags=dict(at.tags),
        opts=at.opts(),
    )
    return workspace, insights


#: Only Premium registries take private endpoints and network rules.
DEFAULT_REGISTRY_SKU = containerregistry.SkuName.PREMIUM.value
#: Registry SKUs that can be created today (Classic is retired), of azure-native's SkuName.
REGISTRY_SKUS = tuple(s.value for s in (
    containerregistry.SkuName.BASIC, containerregistry.SkuName.STANDARD, containerregistry.SkuName.PREMIUM,
))


def create_container_registry(
    names: HubNames, at: Placement, sku: str = DEFAULT_REGISTRY_SKU
) -> containerregistry.Registry:
    """A registry for environment images, admin user off."""
    private: dict[str, Any] = {} if at.public else {
        "network_rule_set": containerregistry.NetworkRuleSetArgs(
            default_action=containerregistry.DefaultAction.DENY
        ),
        # Azure allows turning exports off only once public access is off.
        "policies": containerregistry.PoliciesArgs(
            export_policy=containerregistry.ExportPolicyArgs(status="disabled")
        ),
    }
    return containerregistry.Registry(
        f"{names.base}-registry",
        registry_name=names.container_registry,
        resource_group_name=at.resource_group_name,
        location=at.location,
        sku=containerregistry.SkuArgs(name=sku),
        admin_user_enabled=False,
        anonymous_pull_enabled=False,
        public_network_access=at.public_network_access,
        network_rule_bypass_options=containerregistry.NetworkRuleBypassOptions.AZURE_SERVICES,
        **private,
        tags=dict(at.tags),
        opts=at.opts(),
    )


def monitor_private_link_scope(
    names: HubNames, at: Placement, scoped: list[tuple[str, pulumi.Input[str]]],
    opts: Optional[pulumi.ResourceOptions] = None,
) -> monitor.PrivateLinkScope:
    """An Azure Monitor private link scope over the hub's Application Insights and Log Analytics.

    Private endpoints reach Azure Monitor through a scope, not through each resource (Learn,
    azure-monitor/logs/private-link-security). Access modes stay Open, so clients in the network still
    reach Azure Monitor resources outside the scope; the scoped ones have public access off themselves.
    `opts` are merged over each resource's (a Foundry resource's aliases when it takes a hub's over).
    """
    scope = monitor.PrivateLinkScope(
        f"{names.base}-monitor-scope",
        scope_name=fit("ampls", names.base, 64),
        resource_group_name=at.resource_group_name,
        location="global",
        access_mode_settings=monitor.AccessModeSettingsArgs(
            ingestion_access_mode=monitor.AccessMode.OPEN, query_access_mode=monitor.AccessMode.OPEN
        ),
        tags=dict(at.tags),
        opts=pulumi.ResourceOptions.merge(at.opts(), opts),
    )
    for label, resource_id in scoped:
        monitor.PrivateLinkScopedResource(
            f"{names.base}-monitor-scope-{label}",
            name=label,
            scope_name=scope.name,
            resource_group_name=at.resource_group_name,
            linked_resource_id=resource_id,
            opts=pulumi.ResourceOptions.merge(at.opts(), opts),
        )
    return scope


@dataclass
class HubDependencies:
    """The dependent resources of a hub, created or brought."""

    storage_id: pulumi.Input[str]
    key_vault_id: pulumi.Input[str]
    vault_name: pulumi.Input[str]
    vault_rg: pulumi.Input[str]
    workspace_id: Optional[pulumi.Output[str]]
    insights_id: pulumi.Input[str]
    registry_id: Optional[pulumi.Input[str]]
    targets: "list[PrivateEndpointTargetArgs]"
    """What the hub creates, as private-endpoint targets and diagnostics sources."""
    locked: list[tuple[str, pulumi.Input[str]]]
    """Data stores the hub creates, for the opt-in delete locks."""
    monitor_scope_id: Optional[pulumi.Output[str]] = None
    """The Azure Monitor private link scope of private monitoring, if any."""


def create_dependencies(
    names: HubNames, at: Placement, args: Mapping[str, Any], tenant_id: pulumi.Input[str]
) -> HubDependencies:
    """Storage, key vault, monitoring and registry: those not brought are created."""
    rg = args["resource_group_name"]
    targets: list[PrivateEndpointTargetArgs] = []
    # Data stores the hub creates, for the opt-in delete locks.
    locked: list[tuple[str, pulumi.Input[str]]] = []
    storage_id = args.get("storage_account_id")
    if not storage_id:
        storage_sku = args.get("storage_sku", DEFAULT_STORAGE_SKU)
        storage_id = create_storage(names, at, storage_sku).id
        locked.append(("storage", storage_id))
        targets += [{"name": "storage-blob", "resource_id": storage_id, "group_id": "blob"},
                    {"name": "storage-file", "resource_id": storage_id, "group_id": "file"}]
    key_vault_id = args.get("key_vault_id")
    vault_name: pulumi.Input[str]
    vault_rg: pulumi.Input[str]
    if key_vault_id:
        vault_name, vault_rg = name_and_group(key_vault_id, KEY_VAULT)
    else:
        key_vault_id = create_key_vault(names, at, tenant_id).id
        vault_name, vault_rg = names.key_vault, rg
        locked.append(("keyvault", key_vault_id))
        targets.append({"name": "keyvault", "resource_id": key_vault_id, "group_id": "vault"})
    workspace_id: Optional[pulumi.Output[str]] = None
    monitor_scope_id: Optional[pulumi.Output[str]] = None
    insights_id = args.get("application_insights_id")
    if not insights_id:
        # A private stack's monitoring is private too, reached through a private link scope with an endpoint in
        # the network the stack creates. Not in a network or DNS brought from elsewhere: "A virtual network can
        # connect to only one AMPLS object", and a second scope's zones override the first's for everything on
        # that DNS (Learn, azure-monitor/logs/private-link-design); there it stays public rather than unreachable.
        endpoints = args.get("private_endpoints") or {}
        private_monitoring = (not at.public and bool(endpoints.get("vnet_address_prefix"))
                              and not endpoints.get("private_dns_zone_ids"))
        workspace, insights = create_monitoring(
            names, at, args.get("log_retention_days", DEFAULT_LOG_RETENTION_DAYS),
            entra_only=bool(args.get("application_insights_entra_only")), private=private_monitoring,
        )
        workspace_id, insights_id = workspace.id, insights.id
        if private_monitoring:
            scope = monitor_private_link_scope(names, at, [("insights", insights.id),
                                                                        ("logs", workspace.id)])
            targets.append({"name": "monitor", "resource_id": scope.id, "group_id": "azuremonitor"})
            monitor_scope_id = scope.id
    registry_id = args.get("container_registry_id")
    if not registry_id and args.get("create_container_registry"):
        registry_sku = args.get("container_registry_sku", DEFAULT_REGISTRY_SKU)
        registry_id = create_container_registry(names, at, registry_sku).id
        if registry_sku == "Premium":
            targets.append({"name": "registry", "resource_id": registry_id, "group_id": "registry"})

    return HubDependencies(storage_id, key_vault_id, vault_name, vault_rg, workspace_id, insights_id, registry_id,
                         targets, locked, monitor_scope_id)


def existing_insights_workspace(
    insights_id: str, arm_provider: Optional[pulumi.ProviderResource], parent: pulumi.Resource
) -> pulumi.Output[str]:
    """The Log Analytics workspace behind an existing workspace-based Application Insights.

    `WorkspaceResourceId` ("Applications from older versions will not have this property": the
    Microsoft.Insights components 2020-02-02 REST spec) is missing on a classic component, which is
    an error: name a workspace with diagnostics_workspace_id.
    """
    ref = parse_resource_id(insights_id, APPLICATION_INSIGHTS)
    found = applicationinsights.get_component_output(
        resource_group_name=ref.resource_group, resource_name=ref.name,
        opts=pulumi.InvokeOutputOptions(parent=parent, provider=arm_provider),
    )

    def check(workspace: Optional[str]) -> str:
        if not workspace:
            pulumi.log.error(
                f"dependencies.applicationInsightsId: {ref.name} is a classic Application Insights with no Log "
                "Analytics workspace behind it: name one for diagnostics (diagnostics.logAnalyticsWorkspaceId)",
                resource=parent,
            )
        return workspace or ""

    return found.workspace_resource_id.apply(check)
