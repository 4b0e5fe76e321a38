"""FoundryProject: a project on a Foundry resource, with its identity, connections, members and agents.

INTERFACE DRAFT (lead, session 10): the Args are the contract; the constructor is being built (helper H2).
"""

from typing import NotRequired, Optional, TypedDict

import pulumi

from .foundry_resource import AgentSetup
from .shared_connection import ConnectionArgs


class FoundryMemberArgs(TypedDict):
    """Someone who works in the project."""

    principal_id: pulumi.Input[str]
    """Required. Object ID (GUID) of the Entra ID user, group or service principal."""
    principal_type: NotRequired[str]
    """Optional. User (default), Group or ServicePrincipal."""
    role: NotRequired[str]
    """Optional. Built-in role on the project, by name (old "Azure AI ..." or new "Foundry ..." names) or GUID.
    Default Foundry User. Not Azure AI Developer nor a Cognitive Services role (Learn, rbac-foundry)."""


class AgentStoreRefsArgs(TypedDict):
    """The standard agent setup's stores, as FoundryResource outputs them."""

    cosmos_db_account_id: pulumi.Input[str]
    """Required. Resource ID of the Cosmos DB for NoSQL account (threads)."""
    cosmos_db_endpoint: pulumi.Input[str]
    """Required. Its document endpoint."""
    search_service_id: pulumi.Input[str]
    """Required. Resource ID of the AI Search service (vector stores)."""
    search_endpoint: pulumi.Input[str]
    """Required. Its endpoint."""
    storage_account_id: pulumi.Input[str]
    """Required. Resource ID of the storage account (files)."""
    storage_blob_endpoint: pulumi.Input[str]
    """Required. Its blob endpoint."""


class FoundryProjectArgs(TypedDict):
    """Arguments of a project on a Foundry resource."""

    project_name: str
    """Required. The project's name on the account (its Azure name)."""
    account_name: pulumi.Input[str]
    """Required. Name of the Foundry resource's account."""
    account_id: pulumi.Input[str]
    """Required. Resource ID of that account (scope of the project identity's Foundry User role)."""
    resource_group_name: pulumi.Input[str]
    """Required. The account's resource group."""
    location: pulumi.Input[str]
    """Required. The account's region."""
    display_name: NotRequired[pulumi.Input[str]]
    """Optional. Display name in the Foundry portal. Default: the project name."""
    description: NotRequired[pulumi.Input[str]]
    """Optional. Description of the project."""
    members: NotRequired[list[FoundryMemberArgs]]
    """Optional. People and their role on the project."""
    connections: NotRequired[list[ConnectionArgs]]
    """Optional. Project connections, one after another; their names must not repeat the account's."""
    agent_setup: NotRequired[AgentSetup]
    """Optional. none, basic (default) or standard (needs `agent_stores`)."""
    agent_stores: NotRequired[AgentStoreRefsArgs]
    """Conditional. The stores of the standard agent setup."""
    capability_host_name: NotRequired[str]
    """Optional. Name of the project's capability host (standard setup): replaced, never updated. Default
    `caphost-<project>`."""
    protect: NotRequired[bool]
    """Optional. Pulumi `protect` on the project. Default false."""
    tags: NotRequired[dict[str, str]]
    """Optional. Tags for every taggable resource."""


class FoundryProject(pulumi.ComponentResource):
    """A Foundry project: its own identity, connections, members and agent capability host."""

    project_id: pulumi.Output[str]
    """Resource ID of the project."""
    project_name: pulumi.Output[str]
    """Name of the project."""
    principal_id: pulumi.Output[str]
    """Principal ID of the project's system-assigned identity."""
    endpoint: pulumi.Output[str]
    """The project's endpoint for the Foundry SDKs and the Agent Service (`AI Foundry API`)."""
    foundry_url: pulumi.Output[str]
    """Link that opens the project in the Foundry portal."""
    portal_url: pulumi.Output[str]
    """Link that opens the project in the Azure portal."""

    def __init__(self, name: str, args: FoundryProjectArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        raise NotImplementedError("FoundryProject is being built")
