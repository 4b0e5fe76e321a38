"""FoundryResource: a Microsoft Foundry resource (an AIServices account that manages projects) with what it hosts.

INTERFACE DRAFT (lead, session 10): the Args and outputs are the contract the config layer, FoundryProject and the
plan build on. The constructor is being built (helper H1); until then it raises.
"""

from enum import Enum
from typing import NotRequired, Optional, TypedDict

import pulumi

from .encryption import CustomerManagedKeyArgs
from .governance import BudgetArgs, PolicyAssignmentArgs
from .private_network import PrivateEndpointsArgs
from .provider import ModelDeploymentArgs
from .shared_connection import ConnectionArgs


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
    """Optional. Account connections, shared with every project, one after another."""
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
    """Optional. Log Analytics workspace for diagnostics. Default: one the component creates."""
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

    def __init__(self, name: str, args: FoundryResourceArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        raise NotImplementedError("FoundryResource is being built")
