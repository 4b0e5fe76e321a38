"""FoundryResource: a Microsoft Foundry resource (an AIServices account that manages projects) with what it hosts.

In the order Azure needs them: the VNet and the Agent Service's delegated subnet (the account is injected into it
when it is created), the customer-managed key's identity and grant (checked when the account is created), the
account (or an existing one), its model deployments, the standard agent setup's stores, private endpoints to the
account and the stores, diagnostics, policy, budget and locks. Sources: microsoft-foundry/foundry-samples
infrastructure-setup-bicep 15 (private, standard, injected: its main.bicep's order), 41 (standard, public) and 32
(CMK with a user-assigned identity), Azure Verified Modules avm/ptn/ai-ml/ai-foundry, and the modules each step
calls, which cite their own.
"""

from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, Any, Mapping, NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import cognitiveservices, network

from . import dependencies
from .agent_stores import STORAGE_TARGET, AgentStores, create_agent_stores
from .arm import azure_portal_url
from .deploy_rules import MAX_AGENT_PREFIX, DeployContext
from .diagnostics import send_diagnostics
from .encryption import CustomerManagedKeyArgs, setup_account_key
from .foundry_checks import foundry_resource_problems
from .governance import BudgetArgs, PolicyAssignmentArgs, assign_policies, create_budget, lock_against_deletion
from .hazards import foundry_fingerprint
from .naming import HubNames
from .network import parse_subnet_id
from .private_network import (
    AGENT_SUBNET_DELEGATION,
    PrivateEndpointsArgs,
    PrivateEndpointTargetArgs,
    PrivateNetwork,
    PrivateNetworkArgs,
    create_virtual_network,
)
from .provider import (
    FoundryAccount,
    ModelDeploymentArgs,
    Provider,
    ProviderMode,
    create_account,
    deploy_models,
    existing_account,
)
from .rbac import wait_for_propagation
from .shared_connection import ConnectionArgs, create_connections
from .subscriptions import Subscriptions, deploy_subscription
from .validation import UnfitResourceError, check_args, later, result_field

#: The type tokens of the components whose children a Foundry resource takes over (adopt_hub).
HUB_TYPE = "aihub:index:AIHub"
PRIVATE_NETWORK_TYPE = "aihub:index:PrivateNetwork"
#: Name of the account capability host a standard setup without network injection creates (the default of
#: foundry-samples 41-standard-agent-setup main.bicep, `accountCapHost`).
ACCOUNT_CAPABILITY_HOST = "caphostacc"
#: The account's private-endpoint target name, as AIHub names its provider's (so a network taken over keeps it).
ACCOUNT_TARGET = "provider"


if TYPE_CHECKING:
    from .foundry_project import AgentStoreRefsArgs

class AgentSetup(str, Enum):
    """Where the Agent Service keeps a project's threads, files and vectors."""

    NONE = "none"
    """No agents: no capability host."""
    BASIC = "basic"
    """Microsoft-managed storage; nothing to create."""
    STANDARD = "standard"
    """Your own Cosmos DB (threads), AI Search (vectors) and Storage (files), through a capability host per project."""


class AgentStoresArgs(TypedDict):
    """Existing stores for the standard agent setup; each one not given is created."""

    cosmos_db_account_id: NotRequired[pulumi.Input[str]]
    """Optional. Resource ID of an existing Cosmos DB for NoSQL account (threads). Default: create one."""
    search_service_id: NotRequired[pulumi.Input[str]]
    """Optional. Resource ID of an existing Azure AI Search service (vector stores). Default: create one."""
    storage_account_id: NotRequired[pulumi.Input[str]]
    """Optional. Resource ID of an existing storage account (agent files). Default: create one."""


class AgentSubnetArgs(TypedDict):
    """The subnet the Agent Service is injected into (network injection), set when the account is created."""

    subnet_id: NotRequired[pulumi.Input[str]]
    """Conditional. An existing subnet delegated to Microsoft.App/environments, /27 or larger, used by no other
    account. Either this or `prefix`."""
    prefix: NotRequired[str]
    """Conditional. CIDR of a subnet to create, delegated, in the VNet of the private endpoints."""


class FoundryResourceArgs(TypedDict):
    """Arguments of a Foundry resource."""

    name: str
    """Required. Base name from which every resource name derives (the same rules and names as AIHub's)."""
    resource_group_name: pulumi.Input[str]
    """Required. The resource group of the account and everything the component creates."""
    location: pulumi.Input[str]
    """Required. Azure region of the account and its resources."""
    unique_suffix: NotRequired[str]
    """Optional. Pins the suffix of the globally unique names (as AIHub's `unique_suffix`)."""
    name_generation: NotRequired[int]
    """Optional. Bump to give the globally unique names new values (as AIHub's `name_generation`)."""
    existing_account_id: NotRequired[pulumi.Input[str]]
    """Optional. An AIServices account with project management on, created elsewhere (an AIHub's provider account in
    `hub+foundry`, or another team's): projects, connections and agent stores are added to it; the account, its
    deployments and its private endpoint stay with their owner. Default: create the account."""
    model_deployments: NotRequired[list[ModelDeploymentArgs]]
    """Optional. Model deployments on the account the component creates, one after another; shared by every
    project."""
    connections: NotRequired[list[ConnectionArgs]]
    """Optional. Account connections, shared with every project, one after another (after the deployments)."""
    agent_setup: NotRequired[AgentSetup]
    """Optional. none, basic (default) or standard (creates or brings the three agent stores)."""
    agent_stores: NotRequired[AgentStoresArgs]
    """Optional. Existing agent stores for the standard setup."""
    agent_subnet: NotRequired[AgentSubnetArgs]
    """Optional. Network injection of the Agent Service into a delegated subnet (creation time only)."""
    public_network_access: NotRequired[str]
    """Optional. Enabled (default) or Disabled, on the account and every store the component creates."""
    private_endpoints: NotRequired[PrivateEndpointsArgs]
    """Optional. Private endpoints with private DNS for the account (and the agent stores it creates)."""
    encryption: NotRequired[CustomerManagedKeyArgs]
    """Optional. Customer-managed key of the account, read through a user-assigned identity; `key_vault_id` is
    required (the Foundry resource has no vault of its own); `service_side` doesn't apply."""
    storage_sku: NotRequired[str]
    """Optional. SKU of the agent storage account the component creates. Default Standard_ZRS."""
    diagnostics: NotRequired[bool]
    """Optional. Logs and metrics of the account and what the component creates to Log Analytics. Default true."""
    diagnostics_workspace_id: NotRequired[pulumi.Input[str]]
    """Optional. Log Analytics workspace for diagnostics. Default: one the component creates, `log-<name>`: the
    Azure name an AIHub of the same name gives its own, so beside such a hub (`hub+foundry`) give the hub's
    workspace here; `adopt_hub` takes it over once the hub is gone."""
    log_retention_days: NotRequired[int]
    """Optional. Retention of the Log Analytics workspace the component creates (30-730 days). Default 30."""
    policy_assignments: NotRequired[list[PolicyAssignmentArgs]]
    """Optional. Azure Policy assignments at the resource group."""
    budget: NotRequired[BudgetArgs]
    """Optional. A cost budget on the resource group."""
    adopt_hub: NotRequired[bool]
    """Optional. This stack ran an AIHub of the same `name` before: take over its provider account, deployments,
    private network, Log Analytics, policy assignments and budget in place (Pulumi aliases), instead of deleting
    and recreating them. Harmless when there was none. Default false."""
    protect: NotRequired[bool]
    """Optional. Pulumi `protect` on the account and the stores. Default false."""
    retain_on_delete: NotRequired[bool]
    """Optional. Keep the agent stores, key and Log Analytics in Azure when the stack deletes them. Default false."""
    locks: NotRequired[bool]
    """Optional. CanNotDelete locks on the account and the stores it creates. Default false."""
    tags: NotRequired[dict[str, str]]
    """Optional. Tags for every taggable resource."""


class FoundryResource(pulumi.ComponentResource):
    """A Foundry resource: an AIServices account with project management, and what its projects share."""

    account_id: pulumi.Output[str]
    """Resource ID of the account."""
    account_name: pulumi.Output[str]
    """Name of the account (the parent of its projects)."""
    endpoint: pulumi.Output[str]
    """The account's endpoint."""
    principal_id: pulumi.Output[Optional[str]]
    """Principal ID of the account's system-assigned identity (None for an existing account)."""
    agent_setup: str
    """The agent setup its projects get."""
    cosmos_db_account_id: pulumi.Output[Optional[str]]
    """Resource ID of the agent Cosmos DB account (standard setup)."""
    cosmos_db_endpoint: pulumi.Output[Optional[str]]
    """Document endpoint of the agent Cosmos DB account (standard setup)."""
    search_service_id: pulumi.Output[Optional[str]]
    """Resource ID of the agent AI Search service (standard setup)."""
    search_endpoint: pulumi.Output[Optional[str]]
    """Endpoint of the agent AI Search service (standard setup)."""
    storage_account_id: pulumi.Output[Optional[str]]
    """Resource ID of the agent storage account (standard setup)."""
    storage_blob_endpoint: pulumi.Output[Optional[str]]
    """Blob endpoint of the agent storage account (standard setup)."""
    diagnostics_workspace_id: pulumi.Output[Optional[str]]
    """The Log Analytics workspace receiving diagnostics, if on."""
    foundry_url: pulumi.Output[str]
    """Link that opens the resource in the Foundry portal."""
    portal_url: pulumi.Output[str]
    """Link that opens the account in the Azure portal."""
    hazard_fingerprint: pulumi.Output[dict[str, str]]
    """The settings Azure sets at creation only (see components/hazards.py)."""

    account_capability_host_name: pulumi.Output[Optional[str]]
    """The account capability host this component created (standard setup without network injection), which each
    project's capability host waits for; None when there is none of ours (basic setup, or network injection, where
    the service makes one itself)."""
    agent_subnet_id: pulumi.Output[Optional[str]]
    """The subnet the Agent Service is injected into, if any."""

    def __init__(self, name: str, args: FoundryResourceArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        # What Azure would refuse is refused here, before anything is registered.
        subscription = deploy_subscription()
        args = check_args("FoundryResource", name, args, FoundryResourceArgs,
                          partial(foundry_resource_problems, context=DeployContext(subscription_id=subscription)))
        super().__init__("aihub:index:FoundryResource", name, None, opts)
        base = args["name"]
        place = dependencies.setting(self, args)
        client, names, at, rg_scope = place.client, place.names, place.at, place.rg_scope
        subscriptions = Subscriptions(base, subscription, self)
        self.agent_setup = str(args.get("agent_setup", AgentSetup.BASIC.value))
        # Where the hub's resources were: AIHub `{base}` at the stack root, its network `{base}-network` under it.
        hub_urn = pulumi.resource.create_urn(base, HUB_TYPE) if args.get("adopt_hub") else None
        hub_network_urn = (pulumi.resource.create_urn(f"{base}-network", PRIVATE_NETWORK_TYPE, parent=hub_urn)
                           if hub_urn is not None else None)

        endpoints_subnet_id, agent_subnet_id = self._network(base, at, args, hub_network_urn, subscriptions)
        provider = self._account(names, at, args, agent_subnet_id, subscriptions, hub_urn)
        models = deploy_models(provider, args.get("model_deployments") or [], base, dict(at.tags), self,
                               adopt_from=hub_urn)
        # Account connections, one after another and after the deployments: parallel writes to one account
        # conflict ("Single thread these connections, else conflict errors tend to happen", microsoft-foundry-
        # baseline ai-foundry-project.bicep; AVM's dependsOn chains). A hub's connections of the same names are
        # workspace connections, another resource type: they go with the hub and are never aliased to these.
        # On an account made elsewhere, after what the component waits for (`depends_on`: in hub+foundry the hub,
        # whose deployments write to the same account).
        first: list[pulumi.Resource] = ([models[-1]] if models else [provider.account] if provider.account else
                                        _resources((opts.depends_on if opts else None) or []))
        create_connections(args.get("connections") or [], account_name=provider.account_name,
                           resource_group_name=provider.resource_group_name, prefix=f"{base}-connection",
                           parent=self, after=first)
        stores = self._agent_stores(names, at, args, subscriptions)
        self.agent_stores: Optional[AgentStoreRefsArgs] = None
        """The standard setup's stores as each FoundryProject takes them (`agent_stores`); None otherwise."""
        if stores is not None:
            self.agent_stores = {
                "cosmos_db_account_id": stores.cosmos_db_account_id, "cosmos_db_endpoint": stores.cosmos_db_endpoint,
                "search_service_id": stores.search_service_id, "search_endpoint": stores.search_endpoint,
                "storage_account_id": stores.storage_account_id,
                "storage_blob_endpoint": stores.storage_blob_endpoint,
            }
        caphost = self._account_capability_host(base, args, provider)
        diagnostics_id, monitor_target = self._diagnostics(names, at, args, provider, stores, hub_urn)
        self._private_endpoints(base, at, args, provider, stores, endpoints_subnet_id, hub_network_urn,
                                monitor_target)
        assign_policies(base, rg_scope, args["location"], args.get("policy_assignments") or [], self,
                        adopt_from=hub_urn)
        if args.get("budget"):
            create_budget(base, rg_scope, args["budget"], self, adopt_from=hub_urn)
        if args.get("locks"):
            locked = [("account", provider.account_id)] if provider.account is not None else []
            lock_against_deletion(base, locked + [(label, rid) for label, rid in (stores.created if stores else [])],
                                  self)

        self.fingerprint = resource_fingerprint(names, args)
        self.hazard_fingerprint = pulumi.Output.all(**self.fingerprint)
        self.account_id = provider.account_id
        # The name given, once the account exists (its `name` output is Azure's echo of the same, which test doubles
        # such as Pulumi's canonical mocks don't give back); a brought one's once it is read and found fit.
        self.account_name = pulumi.Output.all(provider.account_id, provider.account_name, provider.name).apply(
            lambda known: str(known[1] or known[2]))
        self.endpoint = provider.endpoint
        self.principal_id = (provider.principal_id if provider.principal_id is not None
                             else pulumi.Output.from_input(None))
        none: pulumi.Output[Optional[str]] = pulumi.Output.from_input(None)
        self.cosmos_db_account_id = stores.cosmos_db_account_id if stores else none
        self.cosmos_db_endpoint = stores.cosmos_db_endpoint if stores else none
        self.search_service_id = stores.search_service_id if stores else none
        self.search_endpoint = stores.search_endpoint if stores else none
        self.storage_account_id = stores.storage_account_id if stores else none
        self.storage_blob_endpoint = stores.storage_blob_endpoint if stores else none
        self.diagnostics_workspace_id = pulumi.Output.from_input(diagnostics_id)
        self.account_capability_host_name = caphost.name if caphost is not None else none
        self.agent_subnet_id = pulumi.Output.from_input(agent_subnet_id)
        self.account_capability_host = caphost
        """The account capability host resource, for a project's capability host to depend on (None: see the
        output)."""
        self.ready_for_projects: list[pulumi.Resource] = [
            r for r in (caphost, models[-1] if models else None, self.private_network) if r is not None]
        """What a FoundryProject waits for (`depends_on`): the account capability host (a project's needs it:
        foundry-samples 41 add-project-capability-host.bicep dependsOn accountCapabilityHost), the last model
        deployment (writes to one account conflict), and the private endpoints and DNS of the stores (15 main.bicep:
        the project waits for privateEndpointAndDNS). Chain the projects too, each after the one before it."""
        self.foundry_url = client.tenant_id.apply(foundry_portal_url)
        self.portal_url = pulumi.Output.all(provider.account_id, client.tenant_id).apply(
            lambda a: azure_portal_url(a[0], a[1]))
        self.register_outputs({
            "account_id": self.account_id,
            "account_name": self.account_name,
            "endpoint": self.endpoint,
            "principal_id": self.principal_id,
            "agent_setup": self.agent_setup,
            "cosmos_db_account_id": self.cosmos_db_account_id,
            "cosmos_db_endpoint": self.cosmos_db_endpoint,
            "search_service_id": self.search_service_id,
            "search_endpoint": self.search_endpoint,
            "storage_account_id": self.storage_account_id,
            "storage_blob_endpoint": self.storage_blob_endpoint,
            "diagnostics_workspace_id": self.diagnostics_workspace_id,
            "account_capability_host_name": self.account_capability_host_name,
            "agent_subnet_id": self.agent_subnet_id,
            "foundry_url": self.foundry_url,
            "portal_url": self.portal_url,
            "hazard_fingerprint": self.hazard_fingerprint,
        })

    def _network(
        self, base: str, at: dependencies.Placement, args: FoundryResourceArgs,
        adopt_from: Optional[pulumi.Input[str]], subscriptions: Subscriptions,
    ) -> tuple[Optional[pulumi.Input[str]], Optional[pulumi.Input[str]]]:
        """The endpoints' subnet and the agent subnet, before the account (which is injected into the latter).

        A VNet to create is created here, with the helper PrivateNetwork uses, under the same names as a hub's
        (taken over from the hub's network with `adopt_from`); the PrivateNetwork made after the account then
        gets its subnet.
        """
        endpoints = args.get("private_endpoints") or {}
        agent = args.get("agent_subnet") or {}
        endpoints_subnet_id: Optional[pulumi.Input[str]] = endpoints.get("subnet_id")
        agent_subnet_id: Optional[pulumi.Input[str]] = agent.get("subnet_id")
        if endpoints.get("vnet_address_prefix") and endpoints.get("subnet_prefix"):
            created = create_virtual_network(
                base, at.resource_group_name, at.location, endpoints["vnet_address_prefix"],
                endpoints["subnet_prefix"], self, dict(at.tags), agent_subnet_prefix=agent.get("prefix"),
                adopt_from=adopt_from,
            )
            endpoints_subnet_id = created.endpoints_subnet.id
            if created.agent_subnet is not None:
                agent_subnet_id = created.agent_subnet.id
        elif agent.get("prefix"):
            # In the VNet of the brought endpoints' subnet (a plain ID: checked by foundry_resource_problems).
            ref = parse_subnet_id(str(endpoints_subnet_id))
            agent_subnet_id = network.Subnet(
                f"{base}-agent-subnet",
                subnet_name="snet-agent",
                virtual_network_name=ref.vnet,
                resource_group_name=ref.resource_group,
                address_prefix=agent["prefix"],
                delegations=[network.DelegationArgs(name=AGENT_SUBNET_DELEGATION,
                                                    service_name=AGENT_SUBNET_DELEGATION)],
                opts=pulumi.ResourceOptions(parent=self),
            ).id
        elif agent.get("subnet_id"):
            # The account is injected into the subnet only once it has been read and found fit.
            agent_subnet_id = _checked_agent_subnet(agent["subnet_id"], self,
                                                    subscriptions.provider_for(agent["subnet_id"]))
        return endpoints_subnet_id, agent_subnet_id

    def _account(
        self, names: HubNames, at: dependencies.Placement, args: FoundryResourceArgs,
        agent_subnet_id: Optional[pulumi.Input[str]], subscriptions: Subscriptions,
        hub_urn: Optional[pulumi.Output[str]],
    ) -> Provider:
        """The account: an existing one (looked up, not managed), or one created by the hub's builder."""
        existing_id = args.get("existing_account_id")
        if existing_id:
            # Its projects and connections wait until it is read and found an account that can hold them.
            return existing_account(existing_id, None, self, subscriptions.provider_for(existing_id),
                                    gate=_check_kind)
        key = None
        waits_for: list[pulumi.Resource] = []
        cmk = args.get("encryption")
        if cmk is not None:
            key, grants = setup_account_key(names, at, cmk)
            # Azure reads the key with the identity when it creates the account.
            waits_for = [wait_for_propagation(names.base, grants, self)]
        return create_account(names, ProviderMode.AI_SERVICES, at, FoundryAccount(
            allow_project_management=True, agent_subnet_id=agent_subnet_id, key=key, depends_on=waits_for,
            aliases=[pulumi.Alias(parent=hub_urn)] if hub_urn is not None else (),
        ))

    def _agent_stores(
        self, names: HubNames, at: dependencies.Placement, args: FoundryResourceArgs, subscriptions: Subscriptions,
    ) -> Optional[AgentStores]:
        if self.agent_setup != AgentSetup.STANDARD.value:
            return None
        return create_agent_stores(names, at, args.get("agent_stores") or {},
                                   args.get("storage_sku", "Standard_ZRS"), subscriptions.provider_for)

    def _account_capability_host(
        self, base: str, args: FoundryResourceArgs, provider: Provider,
    ) -> Optional[cognitiveservices.AccountCapabilityHost]:
        """The account's capability host, which the standard setup's project capability hosts need.

        With network injection the service creates it (`<account>@aml_aiagentservice`), and a second one is refused
        with 409 (Learn, foundry agents/concepts/capability-hosts: one per scope): AVM's Foundry pattern creates
        it "only when there is no agent subnet" (modules/project/main.bicep), as the Terraform AVM module does. Without
        injection, foundry-samples 41-standard-agent-setup creates it with `capabilityHostKind: Agents` only. Capability
        hosts can't be updated ("Updating capability hosts is not supported", Learn capability-hosts): a change
        replaces it, deleting first, since there is one per account.
        """
        if self.agent_setup != AgentSetup.STANDARD.value or args.get("agent_subnet"):
            return None
        return cognitiveservices.AccountCapabilityHost(
            f"{base}-account-caphost",
            account_name=provider.account_name,
            resource_group_name=provider.resource_group_name,
            capability_host_name=ACCOUNT_CAPABILITY_HOST,
            capability_host_properties=cognitiveservices.CapabilityHostArgs(capability_host_kind="Agents"),
            opts=pulumi.ResourceOptions(parent=self, provider=provider.arm_provider, replace_on_changes=["*"],
                                        delete_before_replace=True),
        )

    def _private_endpoints(
        self, base: str, at: dependencies.Placement, args: FoundryResourceArgs, provider: Provider,
        stores: Optional[AgentStores], subnet_id: Optional[pulumi.Input[str]],
        adopt_from: Optional[pulumi.Input[str]], monitor_target: Optional[PrivateEndpointTargetArgs],
    ) -> None:
        """Endpoints to the account (one, group `account`, for all its projects), the stores created here and the
        private monitoring's link scope."""
        endpoints = args.get("private_endpoints")
        self.private_network: Optional[PrivateNetwork] = None
        targets: list[PrivateEndpointTargetArgs] = []
        if provider.account is not None:
            targets.append({"name": ACCOUNT_TARGET, "resource_id": provider.account_id, "group_id": "account"})
        targets += stores.targets if stores else []
        targets += [monitor_target] if monitor_target is not None else []
        if endpoints is None or subnet_id is None:
            if not at.public and targets:
                pulumi.log.warn("public network access is off but no private endpoints are configured: the account "
                                "and the stores are reachable only through endpoints made elsewhere", resource=self)
            return
        if not targets:
            return
        network_args = PrivateNetworkArgs(name=base, resource_group_name=at.resource_group_name,
                                          location=args["location"], targets=targets, subnet_id=subnet_id,
                                          tags=dict(at.tags))
        if endpoints.get("private_dns_zone_ids"):
            network_args["private_dns_zone_ids"] = endpoints["private_dns_zone_ids"]
        if adopt_from is not None:
            network_args["adopt_from"] = adopt_from
        self.private_network = PrivateNetwork(f"{base}-network", network_args, pulumi.ResourceOptions(parent=self))

    def _diagnostics(
        self, names: HubNames, at: dependencies.Placement, args: FoundryResourceArgs, provider: Provider,
        stores: Optional[AgentStores], hub_urn: Optional[pulumi.Output[str]],
    ) -> tuple[Optional[pulumi.Input[str]], Optional[PrivateEndpointTargetArgs]]:
        """Logs and metrics of what this component creates (an existing account's are its owner's); the Log
        Analytics workspace it creates, private behind an Azure Monitor private link scope in a private stack's own
        network, as a hub's is (dependencies.create_dependencies: the same rule, names and reasons), so a hub's
        taken over stays as it was. Returns the workspace and the scope's private-endpoint target, if any."""
        if not args.get("diagnostics", True):
            return None, None
        aliases = pulumi.ResourceOptions(aliases=[pulumi.Alias(parent=hub_urn)]) if hub_urn is not None else None
        workspace_id: pulumi.Input[str]
        monitor_target: Optional[PrivateEndpointTargetArgs] = None
        if args.get("diagnostics_workspace_id"):
            workspace_id = args["diagnostics_workspace_id"]
        else:
            endpoints = args.get("private_endpoints") or {}
            private = (not at.public and bool(endpoints.get("vnet_address_prefix"))
                       and not endpoints.get("private_dns_zone_ids"))
            workspace = dependencies.create_log_analytics(
                names, at, args.get("log_retention_days", dependencies.DEFAULT_LOG_RETENTION_DAYS), private=private,
                opts=aliases,
            )
            workspace_id = workspace.id
            if private:
                scope = dependencies.monitor_private_link_scope(names, at, [("logs", workspace.id)], opts=aliases)
                monitor_target = {"name": "monitor", "resource_id": scope.id, "group_id": "azuremonitor"}
        base = names.base
        if provider.account is not None:
            send_diagnostics(f"{base}-diagnostics-{ACCOUNT_TARGET}", provider.account_id, workspace_id, self,
                             opts=aliases)
        for label, resource_id in (stores.created if stores else []):
            if label == STORAGE_TARGET:
                # The account has metrics only; its blob service has the logs (as AIHub's storage).
                send_diagnostics(f"{base}-diagnostics-{label}", resource_id, workspace_id, self, logs=False,
                                 metrics="Transaction")
                send_diagnostics(f"{base}-diagnostics-{label}-service", resource_id.apply(_blob_service_id),
                                 workspace_id, self, metrics="Transaction")
            else:
                send_diagnostics(f"{base}-diagnostics-{label}", resource_id, workspace_id, self)
        return workspace_id, monitor_target


def _blob_service_id(account_id: str) -> str:
    return f"{account_id}/blobServices/default"


def _checked_agent_subnet(
    subnet_id: pulumi.Input[str], parent: pulumi.Resource, arm_provider: Optional[pulumi.ProviderResource] = None,
) -> pulumi.Output[str]:
    """A brought agent subnet, once read and found delegated to Microsoft.App/environments and /27 or larger.

    Only Azure knows either. Otherwise Azure fails the injection only after it accepted the account, which then
    has to be purged to free the subnet (foundry-samples#853, foundry-samples 15 README; Learn, foundry
    agents/how-to/virtual-networks,
    prerequisites: a subnet delegated to Microsoft.App/environments, "the minimized size of your subnet should be
    /27"). The account takes the returned ID, so it is never sent for an unfit subnet.
    """
    parts = pulumi.Output.from_input(subnet_id).apply(parse_subnet_id)
    found = network.get_subnet_output(
        resource_group_name=parts.apply(lambda p: p.resource_group),
        virtual_network_name=parts.apply(lambda p: p.vnet),
        subnet_name=parts.apply(lambda p: p.subnet),
        # Read in the subnet's own subscription (a hub-and-spoke VNet often lives in another: foundry-samples 15
        # main.bicep's vnetSubscriptionId).
        opts=pulumi.InvokeOutputOptions(parent=parent, provider=arm_provider),
    )

    def check(both: list[Any]) -> str:
        result, wanted = both
        name = result_field(result, "name") or wanted
        delegations = result_field(result, "delegations") or []
        services = [result_field(d, "service_name") for d in delegations]
        problems = []
        if AGENT_SUBNET_DELEGATION.lower() not in [str(s).lower() for s in services if s]:
            problems.append(f"it is not delegated to {AGENT_SUBNET_DELEGATION} (delegations: "
                            f"{', '.join(map(str, services)) or 'none'})")
        prefixes = [p for p in [result_field(result, "address_prefix"),
                                *(result_field(result, "address_prefixes") or [])] if p]
        small = [p for p in prefixes if int(str(p).rsplit("/", 1)[-1]) > MAX_AGENT_PREFIX]
        if small:
            problems.append(f"{', '.join(small)} is smaller than /{MAX_AGENT_PREFIX}")
        if problems:
            raise UnfitResourceError(f"agent_subnet.subnet_id: subnet {name}: {'; '.join(problems)}; the Agent Service "
                                     "is injected only into a subnet delegated to it, /27 or larger (Learn, "
                                     "foundry agents/how-to/virtual-networks)")
        return str(wanted)

    return pulumi.Output.all(found, subnet_id).apply(check)


def _check_kind(account: pulumi.Output[Any], account_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """An existing account's ID, once read and found an AIServices account with project management on: only
    such an account holds Foundry projects (REST spec accounts/projects; Learn, foundry/how-to/upgrade-azure-openai:
    an Azure OpenAI account is upgraded to AIServices first). Its projects take the returned ID, so none is sent to
    an account that can't hold them."""

    def check(both: list[Any]) -> str:
        found, wanted = both
        kind = result_field(found, "kind")
        properties = result_field(found, "properties")
        managed = result_field(properties, "allow_project_management") if properties is not None else None
        if kind and kind != "AIServices":
            raise UnfitResourceError(f"existing_account_id: {wanted} is an account of kind {kind}; Foundry projects "
                                     "need an AIServices account (upgrade an Azure OpenAI account first: Learn, "
                                     "foundry/how-to/upgrade-azure-openai)")
        # Not in a preview: in hub+foundry the account is the hub's, which turns project management on in the very
        # update this previews (the read still shows it off); `up` reads it only once that update is done.
        if managed is False and not pulumi.runtime.is_dry_run():
            raise UnfitResourceError(f"existing_account_id: {wanted} has project management off; its owner turns "
                                     "allowProjectManagement on (an in-place update) before projects can be added")
        return str(wanted)

    return pulumi.Output.all(account, account_id).apply(check)


def _resources(depends_on: Any) -> list[pulumi.Resource]:
    """The resources among a `depends_on` (a list of them, as this program passes it)."""
    return [r for r in depends_on if isinstance(r, pulumi.Resource)] if isinstance(depends_on, list) else []


def foundry_portal_url(tenant_id: Optional[str]) -> str:
    """The Foundry portal in the resource's tenant (or the signed-in one). Learn documents no deep link to a Foundry
    resource: it is reached in the portal from Operate > Admin (MicrosoftDocs/azure-ai-docs
    articles/ai-foundry/includes/find-region.md, the `foundry` moniker)."""
    return f"https://ai.azure.com/?tid={tenant_id}" if tenant_id else "https://ai.azure.com/"


def resource_fingerprint(names: HubNames, args: Mapping[str, Any]) -> dict[str, pulumi.Input[str]]:
    """The account's part of the Foundry hazards (hazards.py foundry_fingerprint): what Azure sets at creation only
    or one way, for an account this component creates; a brought account's settings are its owner's."""
    existing_id = args.get("existing_account_id")
    if existing_id is not None:
        name = (existing_id.rstrip("/").rsplit("/", 1)[-1] if isinstance(existing_id, str)
                else later(existing_id).apply(lambda i: i.rstrip("/").rsplit("/", 1)[-1]))
        return foundry_fingerprint(name, None, None, None, None)
    account = names.provider_account(ProviderMode.AI_SERVICES.name_prefix)
    agent = args.get("agent_subnet") or {}
    subnet: Optional[pulumi.Input[str]] = (f"created {agent['prefix']}" if agent.get("prefix")
                                           else agent.get("subnet_id"))
    cmk = args.get("encryption")
    return foundry_fingerprint(account, names.custom_subdomain(account), subnet, True,
                               cmk.get("key_vault_id") if cmk is not None else None)
