"""AIHub: an Azure AI hub with its dependent resources, AI provider and provider connection."""

from functools import partial
from typing import NotRequired, Optional, TypedDict, cast

import pulumi
from pulumi_azure_native import authorization, containerregistry, storage
from pulumi_azure_native import machinelearningservices as ml

from . import dependencies
from .arm import (
    ai_foundry_hub_url,
    azure_portal_url,
)
from .checks import hub_problems
from .compute import ComputeInstanceArgs, create_compute_instance
from .deploy_rules import DeployContext
from .diagnostics import send_diagnostics
from .encryption import CustomerManagedKeyArgs, encryption_property, setup_customer_managed_key
from .governance import BudgetArgs, PolicyAssignmentArgs, assign_policies, create_budget, lock_against_deletion
from .hazards import hub_fingerprint
from .hub_identity import PrimaryIdentity, approval_targets, create_primary_identity, workspace_identity
from .managed_network import ManagedNetworkArgs, OutboundRuleArgs, hub_outbound_rules
from .naming import HubNames
from .private_network import PrivateEndpointsArgs, PrivateEndpointTargetArgs, PrivateNetwork, PrivateNetworkArgs
from .provider import (
    FoundryAccount,
    ModelDeploymentArgs,
    Provider,
    ProviderMode,
    create_account,
    deploy_models,
    existing_account,
    provider_connection_name,
)
from .rbac import assign_role, principal_of, wait_for_propagation
from .roles import STORAGE_DATA_ROLES, role_slug
from .shared_connection import ConnectionArgs, SharedConnection, SharedConnectionArgs, create_connections
from .subscriptions import Subscriptions, deploy_subscription
from .validation import check_args

# The hub's own identity gets no storage roles from us: with identity-based
# system datastores Azure assigns them when it creates the hub ("As the hub is
# created, the managed identity is automatically assigned the permissions it
# needs... Don't manually change this role assignment", Learn,
# ai-foundry/how-to/disable-local-auth), and a second assignment of the same
# principal, role and scope under another name fails with RoleAssignmentExists.

#: What people need on the hub's storage when shared keys are off (roles.py).
USER_STORAGE_ROLES = STORAGE_DATA_ROLES


class HubUserArgs(TypedDict):
    """Someone who works in the hub's projects: what they need outside any one project, granted once per person."""

    principal_id: pulumi.Input[str]
    """Required. Object ID (GUID) of the Entra ID user, group or service principal."""
    principal_type: NotRequired[str]
    """Optional. User (default), Group or ServicePrincipal."""
    storage_access: NotRequired[bool]
    """Optional. Storage Blob Data Contributor and Storage File Data Privileged Contributor on the hub's storage, which
    uploads, prompt flow, notebooks and compute instances need with shared keys off. Default true.
    """


class AIHubArgs(TypedDict):
    """Arguments of an Azure AI hub."""

    name: str
    """Required. Base name from which every resource name derives: 3-40 lowercase letters, digits and single hyphens."""
    resource_group_name: pulumi.Input[str]
    """Required. The resource group that holds the hub and everything it creates."""
    location: pulumi.Input[str]
    """Required. Azure region of the hub and its resources."""
    unique_suffix: NotRequired[str]
    """Optional. Suffix that makes globally unique names (storage, key vault, registry, subdomain) unique: 4-12
    lowercase letters and digits, to pin names. Default: a hash of the subscription deployed to (read at deploy time),
    the resource group (an Output is resolved first), the base name and `name_generation`.
    """
    name_generation: NotRequired[int]
    """Optional. Bump (0 by default) to give the globally unique names new values, e.g. to stand the hub up again
    right after a destroy, while the old key vault name stays soft-deleted and the old subdomain reserved. Ignored
    with `unique_suffix`.
    """
    friendly_name: NotRequired[pulumi.Input[str]]
    """Optional. Display name of the hub in the Foundry portal. Default: the base name."""
    description: NotRequired[pulumi.Input[str]]
    """Optional. Description of the hub."""
    provider_mode: NotRequired[ProviderMode]
    """Optional. `aiServices` (default) creates an AIServices account; `openAI` an Azure OpenAI account. An OpenAI-only
    hub can't later gain Speech or Vision.
    """
    existing_provider_account_id: NotRequired[pulumi.Input[str]]
    """Optional. Resource ID of an existing account to reuse (its quota and deployments) instead of creating one."""
    allow_project_management: NotRequired[bool]
    """Optional. Turn on project management on the AIServices account the hub creates (`allowProjectManagement`),
    so Foundry projects can live on it beside the hub's (the `hub+foundry` migration step). Only with a created
    account of provider mode aiServices. Azure takes false -> true in place, never back. Default false (not sent).
    """
    model_deployments: NotRequired[list[ModelDeploymentArgs]]
    """Optional. Model deployments to create on the provider account, one after another."""
    storage_account_id: NotRequired[pulumi.Input[str]]
    """Optional. Resource ID of an existing storage account. Default: create one."""
    key_vault_id: NotRequired[pulumi.Input[str]]
    """Optional. Resource ID of an existing key vault. Default: create one."""
    application_insights_id: NotRequired[pulumi.Input[str]]
    """Optional. Resource ID of an existing Application Insights. Default: create one with a Log Analytics workspace."""
    container_registry_id: NotRequired[pulumi.Input[str]]
    """Optional. Resource ID of an existing container registry."""
    create_container_registry: NotRequired[bool]
    """Optional. Create a container registry when no existing one is given. Default false."""
    container_registry_sku: NotRequired[containerregistry.SkuName]
    """Optional. SKU of the registry the hub creates: Basic, Standard or Premium (default; needed for private
    endpoints).
    """
    public_network_access: NotRequired[ml.PublicNetworkAccessType]
    """Optional. Enabled (default) or Disabled: off on the hub, provider, storage, key vault and registry, whose
    network rules then deny all but trusted Azure services.
    """
    managed_network: NotRequired[ManagedNetworkArgs]
    """Optional. The hub's managed network (isolation mode, outbound rules). Default: none (isolation Disabled)."""
    private_endpoints: NotRequired[PrivateEndpointsArgs]
    """Optional. Private endpoints with private DNS for the hub and the dependencies it creates."""
    encryption: NotRequired[CustomerManagedKeyArgs]
    """Optional. Encrypt the hub's data with a customer-managed key."""
    connections: NotRequired[list[ConnectionArgs]]
    """Optional. Connections shared with every project of the hub, created after the provider connection."""
    project_connections: NotRequired[list[ConnectionArgs]]
    """Optional. The connections the hub's projects create (each AIProject's `connections`; their keys are not needed
    here). The projects share the hub's managed network, so the hub declares the private-endpoint outbound rules to
    their Azure targets, as it does for its own connections.
    """
    diagnostics: NotRequired[bool]
    """Optional. Send all logs and metrics of the hub and what it creates to Log Analytics. Default true."""
    diagnostics_workspace_id: NotRequired[pulumi.Input[str]]
    """Optional. Log Analytics workspace for diagnostics. Default: the one the hub creates or, with an existing
    workspace-based Application Insights, the one behind it (read from Azure); a classic component has none, so it
    needs this.
    """
    application_insights_entra_only: NotRequired[bool]
    """Optional. Application Insights the hub creates takes telemetry authenticated with Entra ID only
    (`DisableLocalAuth`). Senders then need Monitoring Metrics Publisher, and those that send with the instrumentation
    key alone (older SDKs, some auto-instrumentation) stop. Default false.
    """
    log_retention_days: NotRequired[int]
    """Optional. Retention of the Log Analytics workspace the hub creates (30-730 days). Default 30."""
    policy_assignments: NotRequired[list[PolicyAssignmentArgs]]
    """Optional. Azure Policy assignments at the hub's resource group: they apply to the hub and all its projects."""
    budget: NotRequired[BudgetArgs]
    """Optional. A cost budget with alerts on the hub's resource group."""
    compute_instances: NotRequired[list[ComputeInstanceArgs]]
    """Optional. Personal compute instances on the hub, usable from every project. They get no public IP only when
    the hub is isolated and has a private endpoint, which Azure requires for that.
    """
    users: NotRequired[list[HubUserArgs]]
    """Optional. The people of every project: inference on the provider and, unless opted out, data access to the
    hub's storage. One entry per person (a principal listed twice is granted once).
    """
    storage_sku: NotRequired[storage.SkuName]
    """Optional. SKU of the storage account the hub creates. Default Standard_LRS; ZRS or GRS for production."""
    protect: NotRequired[bool]
    """Optional. Pulumi `protect` on the hub, provider, storage, key vault, key and Log Analytics. Default false."""
    retain_on_delete: NotRequired[bool]
    """Optional. Keep storage, key vault, key and Log Analytics in Azure when the stack deletes them. Default false."""
    locks: NotRequired[bool]
    """Optional. CanNotDelete locks on the hub, its storage and key vault (never ReadOnly: it breaks key listing and
    deployments). Default false.
    """
    tags: NotRequired[dict[str, str]]
    """Optional. Tags for every taggable resource."""


class AIHub(pulumi.ComponentResource):
    """An Azure AI hub (workspace of kind Hub) with its dependencies, provider and connection."""

    hub_id: pulumi.Output[str]
    """Resource ID of the hub."""
    hub_name: pulumi.Output[str]
    """Name of the hub workspace."""
    hub_principal_id: pulumi.Output[str]
    """Principal ID of the hub's identity: its system-assigned one, or its primary user-assigned one when isolated."""
    provider_account_id: pulumi.Output[str]
    """Resource ID of the AI provider account, created or reused."""
    provider_endpoint: pulumi.Output[str]
    """Endpoint of the AI provider account."""
    provider_connection_name: pulumi.Output[str]
    """Name of the hub's connection to its provider, shared with every project."""
    provider_inference_role: pulumi.Output[str]
    """The role that lets an identity call the provider's models (for project members)."""
    storage_account_id: pulumi.Output[str]
    """Resource ID of the hub's storage account."""
    key_vault_id: pulumi.Output[str]
    """Resource ID of the hub's key vault."""
    application_insights_id: pulumi.Output[str]
    """Resource ID of the hub's Application Insights."""
    log_analytics_workspace_id: pulumi.Output[Optional[str]]
    """Resource ID of the Log Analytics workspace the stack created, if any."""
    container_registry_id: pulumi.Output[Optional[str]]
    """Resource ID of the hub's container registry, if any."""
    foundry_url: pulumi.Output[str]
    """Link that opens the hub in the Foundry portal (ai.azure.com)."""
    portal_url: pulumi.Output[str]
    """Link that opens the hub in the Azure portal."""
    diagnostics_workspace_id: pulumi.Output[Optional[str]]
    """The Log Analytics workspace that receives diagnostics, if diagnostics are on (for projects)."""
    hazard_fingerprint: pulumi.Output[dict[str, str]]
    """The settings whose change Azure can't apply in place or that loses data (see components/hazards.py)."""

    def __init__(self, name: str, args: AIHubArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        # What Azure would refuse at deploy time is refused here, before anything is registered.
        subscription = deploy_subscription()
        args = check_args("AIHub", name, args, AIHubArgs,
                          partial(hub_problems, context=DeployContext(subscription_id=subscription)))
        super().__init__("aihub:index:AIHub", name, None, opts)
        base = args["name"]
        mode = ProviderMode(args.get("provider_mode", ProviderMode.AI_SERVICES))
        place = dependencies.setting(self, args)
        client, names, at, rg_scope = place.client, place.names, place.at, place.rg_scope
        subscriptions = Subscriptions(base, subscription, self)

        # The steps, in the order Azure needs them; each lives in the module of its concern.
        deps = dependencies.create_dependencies(names, at, args, client.tenant_id)
        provider = self._ai_provider(names, mode, at, args, subscriptions, deps)
        network, rules = self._managed_network(at, args, provider, deps)
        primary, identity, encryption, waits_for = self._identity_and_key(names, at, rg_scope, args, deps, rules)
        hub = self._workspace(names, at, args, deps, identity, network, primary, encryption, waits_for)
        if args.get("locks"):
            lock_against_deletion(base, [("hub", hub.id), *deps.locked], self)
        self._private_endpoints(at, args, deps, hub)
        hub_principal = primary.principal_id if primary else principal_of(hub.identity)
        diagnostics_id = self._operate(base, args, hub, deps.targets, self._diagnostics_workspace(args, deps,
                                                                                                  subscriptions),
                                       rg_scope, client)
        connection = self._connect(base, mode, args, provider, hub)
        self._grant_keyless_access(base, hub_principal, deps.storage_id, mode, provider)
        self._grant_users(base, [*(args.get("users") or []), *compute_users(args.get("compute_instances") or [])],
                          deps.storage_id, mode, provider)

        self.fingerprint = hub_fingerprint(names, mode, args, primary is not None)
        self.hazard_fingerprint = pulumi.Output.all(**self.fingerprint)
        self.diagnostics_workspace_id = pulumi.Output.from_input(diagnostics_id)
        self.hub_id = hub.id
        self.hub_name = hub.name
        self.hub_principal_id = hub_principal
        self.provider_account_id = provider.account_id
        self.provider_endpoint = provider.endpoint
        self.provider_connection_name = connection.connection_name
        self.provider_inference_role = pulumi.Output.from_input(mode.inference_role)
        self.storage_account_id = pulumi.Output.from_input(deps.storage_id)
        self.key_vault_id = pulumi.Output.from_input(deps.key_vault_id)
        self.application_insights_id = pulumi.Output.from_input(deps.insights_id)
        self.log_analytics_workspace_id = pulumi.Output.from_input(deps.workspace_id)
        self.container_registry_id = pulumi.Output.from_input(deps.registry_id)
        self.foundry_url = pulumi.Output.all(hub.id, client.tenant_id).apply(
            lambda a: ai_foundry_hub_url(a[0], a[1]))
        self.portal_url = pulumi.Output.all(hub.id, client.tenant_id).apply(lambda a: azure_portal_url(a[0], a[1]))
        self.register_outputs(
            {
                "hub_id": self.hub_id,
                "hub_name": self.hub_name,
                "hub_principal_id": self.hub_principal_id,
                "provider_account_id": self.provider_account_id,
                "provider_endpoint": self.provider_endpoint,
                "provider_connection_name": self.provider_connection_name,
                "provider_inference_role": self.provider_inference_role,
                "storage_account_id": self.storage_account_id,
                "key_vault_id": self.key_vault_id,
                "application_insights_id": self.application_insights_id,
                "log_analytics_workspace_id": self.log_analytics_workspace_id,
                "container_registry_id": self.container_registry_id,
                "foundry_url": self.foundry_url,
                "portal_url": self.portal_url,
                "hazard_fingerprint": self.hazard_fingerprint,
                "diagnostics_workspace_id": self.diagnostics_workspace_id,
            }
        )

    def _ai_provider(
        self, names: HubNames, mode: ProviderMode, at: dependencies.Placement, args: AIHubArgs,
        subscriptions: Subscriptions, deps: dependencies.HubDependencies,
    ) -> Provider:
        """The AI provider account, created or reused (through its subscription's provider), and its models."""
        existing_id = args.get("existing_provider_account_id")
        provider = (
            existing_account(existing_id, mode, self, subscriptions.provider_for(existing_id)) if existing_id
            else create_account(names, mode, at, FoundryAccount() if args.get("allow_project_management") else None)
        )
        if provider.account is not None:
            deps.targets.append({"name": "provider", "resource_id": provider.account_id, "group_id": "account"})
        deploy_models(provider, args.get("model_deployments") or [], names.base, dict(at.tags), self)
        return provider

    def _managed_network(
        self, at: dependencies.Placement, args: AIHubArgs, provider: Provider, deps: dependencies.HubDependencies,
    ) -> tuple[Optional[ml.ManagedNetworkSettingsArgs], list[OutboundRuleArgs]]:
        """The hub's managed network and all its outbound rules (managed_network.py)."""
        settings = args.get("managed_network")
        if settings is None:
            return None, []
        return hub_outbound_rules(settings, at.public, provider.account_id, args.get("connections") or [],
                                  args.get("project_connections") or [], deps.monitor_scope_id)

    def _identity_and_key(
        self, names: HubNames, at: dependencies.Placement, rg_scope: pulumi.Output[str], args: AIHubArgs,
        deps: dependencies.HubDependencies, rules: list[OutboundRuleArgs],
    ) -> tuple[Optional[PrimaryIdentity], ml.ManagedServiceIdentityArgs, Optional[ml.EncryptionPropertyArgs],
               list[pulumi.Resource]]:
        """The hub's identity (hub_identity.py) and customer-managed key (encryption.py), and the grants the hub
        must wait for (with time to propagate)."""
        waits_for: list[pulumi.Resource] = []
        user_identities: list[pulumi.Input[str]] = []
        primary: Optional[PrimaryIdentity] = None
        network = args.get("managed_network")
        if network is not None and network["isolation_mode"] != "Disabled":
            # An isolated hub approves its private endpoints with an identity granted before it.
            primary = create_primary_identity(
                names, at, rg_scope,
                approval_targets(rules, [deps.storage_id, deps.key_vault_id, deps.registry_id]),
                [("storage", deps.storage_id, bool(args.get("storage_account_id"))),
                 ("keyvault", deps.key_vault_id, bool(args.get("key_vault_id"))),
                 ("registry", deps.registry_id, bool(args.get("container_registry_id"))),
                 ("insights", deps.insights_id, bool(args.get("application_insights_id")))],
            )
            user_identities.append(primary.id)
            waits_for.extend(primary.grants)
        encryption: Optional[ml.EncryptionPropertyArgs] = None
        cmk_args = args.get("encryption")
        if cmk_args is not None:
            cmk = setup_customer_managed_key(names, at, cmk_args, deps.key_vault_id, deps.vault_name, deps.vault_rg,
                                             hub_vault_brought=bool(args.get("key_vault_id")))
            # The user-assigned CMK identity only reads the key; the hub's own identity stays its own.
            user_identities.append(cmk.identity_id)
            encryption = encryption_property(cmk)
            # Azure checks the identity's access to the key when it creates the hub.
            waits_for.extend(cmk.grants)
        if waits_for:
            waits_for = [wait_for_propagation(names.base, waits_for, self)]
        return primary, workspace_identity(primary is not None, user_identities), encryption, waits_for

    def _workspace(
        self, names: HubNames, at: dependencies.Placement, args: AIHubArgs, deps: dependencies.HubDependencies,
        identity: ml.ManagedServiceIdentityArgs, network: Optional[ml.ManagedNetworkSettingsArgs],
        primary: Optional[PrimaryIdentity], encryption: Optional[ml.EncryptionPropertyArgs],
        waits_for: list[pulumi.Resource],
    ) -> ml.Workspace:
        """The hub itself: kind Hub, identity-based datastores."""
        settings = args.get("managed_network")
        cmk_args = args.get("encryption")
        return ml.Workspace(
            f"{names.base}-hub",
            workspace_name=names.hub,
            resource_group_name=at.resource_group_name,
            location=args["location"],
            kind="Hub",
            sku=ml.SkuArgs(name="Basic", tier=ml.SkuTier.BASIC),
            identity=identity,
            friendly_name=args.get("friendly_name") or names.base,
            description=args.get("description"),
            storage_account=deps.storage_id,
            key_vault=deps.key_vault_id,
            application_insights=deps.insights_id,
            container_registry=deps.registry_id,
            system_datastores_auth_mode=ml.SystemDatastoresAuthMode.IDENTITY,
            public_network_access=at.public_network_access,
            managed_network=network,
            primary_user_assigned_identity=primary.id if primary else None,
            provision_network_now=settings.get("provision_now") if settings else None,
            encryption=encryption,
            enable_service_side_cmk_encryption=cmk_args.get("service_side") if cmk_args else None,
            tags=dict(at.tags),
            # Azure adds tags of its own to a hub once connections to AI services are made ("When the
            # service connections for CognitiveServices are created, tags are added to this resource":
            # Azure/terraform-azurerm-avm-res-machinelearningservices-workspace, main.tf, which ignores
            # `tags` the same way). Without this, refresh then `up` would strip them on every run; the
            # price is that tag changes reach the hub only when it is created (offline/drift.py).
            opts=pulumi.ResourceOptions(parent=self, depends_on=waits_for, protect=at.protect, ignore_changes=["tags"]),
        )

    def _private_endpoints(
        self, at: dependencies.Placement, args: AIHubArgs, deps: dependencies.HubDependencies, hub: ml.Workspace,
    ) -> None:
        """Private endpoints with private DNS for the hub and what it created (private_network.py)."""
        targets = deps.targets
        targets.insert(0, {"name": "hub", "resource_id": hub.id, "group_id": "amlworkspace"})
        endpoints = args.get("private_endpoints")
        self.private_network: Optional[PrivateNetwork] = None
        self.storage_private_endpoint_ids: dict[str, pulumi.Output[str]] = {}
        """The private endpoints of the storage the hub created, by name (for the projects' Reader role)."""
        if endpoints is not None:
            # PrivateEndpointsArgs is a part of PrivateNetworkArgs (which adds what a hub never sets).
            network_args = cast(PrivateNetworkArgs, {
                "name": args["name"], "resource_group_name": at.resource_group_name, "location": args["location"],
                "targets": targets, "tags": dict(at.tags), **endpoints})
            self.private_network = PrivateNetwork(f"{args['name']}-network", network_args,
                                                  pulumi.ResourceOptions(parent=self))
            endpoint_ids = self.private_network.private_endpoint_ids
            self.storage_private_endpoint_ids = {
                t["name"]: endpoint_ids.apply(partial(_item, key=t["name"]))
                for t in targets if t["group_id"] in ("blob", "file")
            }
        elif not at.public:
            pulumi.log.warn(
                "public network access is off but no private endpoints are configured: "
                "the hub is reachable only through endpoints made elsewhere",
                resource=self,
            )

    def _diagnostics_workspace(
        self, args: AIHubArgs, deps: dependencies.HubDependencies, subscriptions: Subscriptions,
    ) -> Optional[pulumi.Output[str]]:
        """The Log Analytics workspace the hub created, or the one behind a brought Application Insights."""
        insights_id = args.get("application_insights_id")
        if deps.workspace_id is None and isinstance(insights_id, str) and not args.get("diagnostics_workspace_id"):
            return dependencies.existing_insights_workspace(insights_id, subscriptions.provider_for(insights_id),
                                                            self)
        return deps.workspace_id

    def _connect(
        self, base: str, mode: ProviderMode, args: AIHubArgs, provider: Provider, hub: ml.Workspace,
    ) -> SharedConnection:
        """The connection to the provider, then the hub's shared connections, one after another."""
        existing_id = args.get("existing_provider_account_id")
        connection = SharedConnection(
            f"{base}-connection-{mode.name_prefix}",
            SharedConnectionArgs(
                name=(provider_connection_name(base, mode, existing_id) if isinstance(existing_id, str)
                      else provider.connection_name),
                category=mode.connection_category,
                target=provider.endpoint,
                auth_type=ml.ConnectionAuthType.AAD,
                resource_id=provider.account_id,
                metadata={"Location": provider.location},
                workspace_name=hub.name,
                resource_group_name=args["resource_group_name"],
            ),
            pulumi.ResourceOptions(parent=self),
        )
        create_connections(
            args.get("connections") or [],
            workspace_name=hub.name,
            resource_group_name=args["resource_group_name"],
            prefix=f"{base}-connection",
            parent=self,
            after=connection,
        )
        return connection

    def _operate(
        self,
        base: str,
        args: AIHubArgs,
        hub: ml.Workspace,
        targets: list[PrivateEndpointTargetArgs],
        workspace_id: Optional[pulumi.Output[str]],
        rg_scope: pulumi.Output[str],
        client: pulumi.Output[authorization.GetClientConfigResult],
    ) -> Optional[pulumi.Input[str]]:
        """Diagnostics, policy, budget and compute instances; returns the diagnostics workspace."""
        rg = args["resource_group_name"]
        tenant_id = client.tenant_id
        network_args = args.get("managed_network")
        diagnostics_id: Optional[pulumi.Input[str]] = args.get("diagnostics_workspace_id") or workspace_id
        if args.get("diagnostics", True):
            if diagnostics_id is None:
                raise ValueError("diagnostics need a Log Analytics workspace: give diagnostics_workspace_id")
            # Each private-endpoint target the hub created is also a diagnostics source.
            for target in targets:
                if target["group_id"] in ("file", "azuremonitor"):
                    # The storage account is covered once, below, with its services; a private link scope has no
                    # diagnostic settings of its own.
                    continue
                if target["group_id"] == "blob":
                    self._storage_diagnostics(base, target["resource_id"], diagnostics_id)
                else:
                    send_diagnostics(
                        f"{base}-diagnostics-{target['name']}", target["resource_id"], diagnostics_id, self
                    )

        assign_policies(base, rg_scope, args["location"], args.get("policy_assignments") or [], self)
        if args.get("budget"):
            create_budget(base, rg_scope, args["budget"], self)
        # No public IP needs a managed network and the hub's private endpoint (Learn,
        # ai-foundry/how-to/configure-managed-network, limitations).
        isolated = network_args is not None and network_args["isolation_mode"] != "Disabled"
        no_public_ip = isolated and args.get("private_endpoints") is not None
        if isolated and not no_public_ip and args.get("compute_instances"):
            pulumi.log.warn("compute instances keep a public IP: Azure needs the hub's private endpoint for none "
                            "(network.privateEndpoints)", resource=self)
        for item in args.get("compute_instances") or []:
            create_compute_instance(base, item, workspace_name=hub.name, resource_group_name=rg,
                                    location=args["location"], tenant_id=tenant_id, no_public_ip=no_public_ip,
                                    parent=self)
        return diagnostics_id if args.get("diagnostics", True) else None

    def _storage_diagnostics(self, base: str, storage_id: pulumi.Input[str], workspace_id: pulumi.Input[str]) -> None:
        """The account has metrics only; its blob and file services have the logs."""
        account = pulumi.Output.from_input(storage_id)
        send_diagnostics(f"{base}-diagnostics-storage", account, workspace_id, self, logs=False, metrics="Transaction")
        for service in ("blob", "file"):
            service_id = account.apply(partial(_service_id, service=service))
            send_diagnostics(f"{base}-diagnostics-storage-{service}", service_id, workspace_id, self,
                             metrics="Transaction")

    def _grant_keyless_access(
        self,
        base: str,
        hub_principal: pulumi.Output[str],
        storage_id: pulumi.Input[str],
        mode: ProviderMode,
        provider: Provider,
    ) -> None:
        """Roles that let the hub and its provider work with Entra ID instead of keys (storage roles: see top)."""
        assign_role(
            f"{base}-hub-{role_slug(mode.inference_role)}",
            scope=provider.account_id,
            principal_id=hub_principal,
            role=mode.inference_role,
            parent=self,
        )
        if provider.principal_id is not None:
            # "Add your data" and evaluations have the provider read and write
            # the hub's blobs with its own identity.
            assign_role(
                f"{base}-{mode.name_prefix}-storage-blob-data-contributor",
                scope=storage_id,
                principal_id=provider.principal_id,
                role="Storage Blob Data Contributor",
                parent=self,
            )

    def _grant_users(
        self,
        base: str,
        users: list[HubUserArgs],
        storage_id: pulumi.Input[str],
        mode: ProviderMode,
        provider: Provider,
    ) -> None:
        """Once per person, whatever number of projects they are in: Azure names an assignment by scope, principal
        and role, so a second one for the same person would collide."""
        # One entry per person: storage access if any of their entries asks for it (as the stack config does).
        merged: dict[str, HubUserArgs] = {}
        for i, user in enumerate(users):
            principal = user["principal_id"]
            key = principal.lower() if isinstance(principal, str) else f"user{i}"
            if key in merged:
                merged[key] = {**merged[key], "storage_access": merged[key].get("storage_access", True)
                               or user.get("storage_access", True)}
            else:
                merged[key] = user
        for label, user in merged.items():
            principal = user["principal_id"]
            kind = user.get("principal_type", "User")
            roles: list[tuple[pulumi.Input[str], str]] = [(provider.account_id, mode.inference_role)]
            if user.get("storage_access", True):
                roles += [(storage_id, role) for role in USER_STORAGE_ROLES]
            for scope, role in roles:
                assign_role(f"{base}-user-{label}-{role_slug(role)}", scope=scope, principal_id=principal,
                            principal_type=kind, role=role, parent=self)


def compute_users(instances: list[ComputeInstanceArgs]) -> list[HubUserArgs]:
    """A compute instance's user works on the hub's file share from its notebooks: with shared keys off that
    needs the storage data roles (Learn, hub disable-local-auth: compute instance -> the user), member or not."""
    return [HubUserArgs(principal_id=item["assigned_user_object_id"], principal_type="User", storage_access=True)
            for item in instances]


def _item(values: dict[str, str], key: str) -> str:
    return values[key]


def _service_id(account_id: str, service: str) -> str:
    return f"{account_id}/{service}Services/default"
