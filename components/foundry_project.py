"""FoundryProject: a project on a Foundry resource, with its identity, connections, members and agents.

What it creates, in order (foundry-samples infrastructure-setup-bicep/15-private-network-standard-agent-setup
main.bicep; Learn, foundry/agents/concepts/standard-agent-setup; the Terraform AVM ai-foundry pattern):

1. The project (`accounts/projects`, SystemAssigned identity) and Foundry User for its identity on the account
   ("Assign the Azure AI User role on your Foundry resource to your project's managed identity", Learn,
   foundry/includes/concepts-rbac-foundry-1.md, "Minimum role assignments"); members' roles on the project.
2. Its connections, one after another ("Single thread these connections, else conflict errors tend to happen",
   Azure-Samples/microsoft-foundry-baseline; AVM avm/ptn/ai-ml/ai-foundry chains them with dependsOn).
3. Standard agent setup only: connections to the three stores; the project identity's roles on them (Cosmos DB
   Operator, Storage Blob Data Contributor, Search Index Data Contributor, Search Service Contributor); a wait for
   the roles to propagate; the project capability host; then the data roles on what the capability host makes:
   Cosmos DB Built-in Data Contributor on the `enterprise_memory` database and Storage Blob Data Owner on the
   project's containers (an ABAC condition on its workspace ID).
"""

import hashlib
import re
from typing import Any, Mapping, NotRequired, Optional, Sequence, TypedDict
from urllib.parse import quote

import pulumi
from pulumi_azure_native import authorization, cosmosdb, resources
from pulumi_azure_native import cognitiveservices as cs
from pulumi_azure_native import machinelearningservices as ml

from .arm import STORAGE_ACCOUNT, azure_portal_url, name_and_group
from .foundry_checks import foundry_project_problems
from .foundry_resource import AgentSetup
from .hazards import capability_host_text, foundry_projects_fingerprint
from .rbac import assign_role, principal_of, wait_for_propagation
from .roles import current_role_name, role_assignment_name, role_slug
from .shared_connection import COSMOS_DB_ACCOUNT, SEARCH_SERVICE, ConnectionArgs, create_connections
from .validation import check_args, later

#: The role a member gets on the project unless one is named: "Assign ... Azure AI User role on the project scope"
#: (Learn, foundry/agents/concepts/standard-agent-setup; Azure AI User is Foundry User since the 2026 rename).
DEFAULT_MEMBER_ROLE = "Foundry User"
#: The project identity's role on the account (Learn, foundry/includes/concepts-rbac-foundry-1.md).
IDENTITY_ACCOUNT_ROLE = "Foundry User"
#: ARM type of each agent store's ID, by its AgentStoreRefsArgs field.
AGENT_STORE_TYPES = {
    "cosmos_db_account_id": COSMOS_DB_ACCOUNT,
    "search_service_id": SEARCH_SERVICE,
    "storage_account_id": STORAGE_ACCOUNT,
}
#: The project identity's roles on the stores, granted BEFORE the capability host (foundry-samples 15 modules
#: cosmosdb-account-role-assignment, azure-storage-account-role-assignment, ai-search-role-assignments; the same four
#: in the Terraform AVM modules/ai-foundry-project/dependent-resource-rbac.tf): store field -> roles.
STORE_ROLES = {
    "cosmos_db_account_id": ("Cosmos DB Operator",),
    "storage_account_id": ("Storage Blob Data Contributor",),
    "search_service_id": ("Search Index Data Contributor", "Search Service Contributor"),
}
#: Cosmos DB Built-in Data Contributor, a Cosmos SQL role definition (not an Azure RBAC role): "00000000-0000-0000-
#: 0000-000000000002" under the account's sqlRoleDefinitions (foundry-samples 15 cosmos-container-role-assignments).
COSMOS_DATA_CONTRIBUTOR = "00000000-0000-0000-0000-000000000002"
#: The database the Agent Service creates in the Cosmos DB account. The data role is scoped to the database, not to
#: containers: the agent runtime creates containers lazily (`agent-definitions-v1`, `run-state-v1`, ...), which
#: container-scoped assignments miss (foundry-samples 15 cosmos-container-role-assignments `accountScope`;
#: Azure/terraform-azurerm-avm-ptn-aiml-ai-foundry#72; Azure/bicep-ptn-aiml-landing-zone#94).
AGENT_DATABASE = "enterprise_memory"
#: API version of the capability host's PUT: the one Learn's request shows (foundry/agents/concepts/capability-hosts).
CAPABILITY_HOST_API_VERSION = "2025-06-01"
#: API version of the project GET that reads its internalId (the project's own API version in azure-native 3.29).
PROJECT_API_VERSION = "2025-06-01"
_STORE_CONNECTION_SUFFIX = {"cosmos_db_account_id": "cosmos", "storage_account_id": "storage",
                            "search_service_id": "search"}
_CONNECTION_NAME_MAX = 33


def agent_store_connection_names(project_name: str) -> dict[str, str]:
    """The names of a project's connections to its agent stores, by store field: `<project>-cosmos` and so on.

    Unique per project, not per store: connections named after the store collide when two projects share one set
    of stores (microsoft-foundry/foundry-samples#263; the Terraform AVM names them per project too). Connection
    names are 3-33 letters, digits, '_' or '-': a project name's dots become '-', and a long name is cut and
    given a hash of the whole, so two long names never meet.
    """
    base = project_name.replace(".", "-")
    names = {}
    for field, suffix in _STORE_CONNECTION_SUFFIX.items():
        name = f"{base}-{suffix}"
        if len(name) > _CONNECTION_NAME_MAX:
            digest = hashlib.sha256(project_name.encode()).hexdigest()[:6]
            name = f"{base[:_CONNECTION_NAME_MAX - len(suffix) - 8]}-{digest}-{suffix}"
        names[field] = name
    return names


def workspace_guid(internal_id: str) -> str:
    """A project's `internalId` (its workspace ID, 32 hex digits) as a GUID, 8-4-4-4-12.

    The Agent Service names the project's containers after it in this form (foundry-samples 15
    format-project-workspace-id.bicep). An ID that already has its dashes is returned in lower case.
    """
    digits = internal_id.replace("-", "").lower()
    if len(digits) != 32 or any(c not in "0123456789abcdef" for c in digits):
        raise ValueError(f"a project's internalId is 32 hex digits, not {internal_id!r}")
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def agent_blob_condition(workspace_id: str) -> str:
    """The ABAC condition of the project identity's Storage Blob Data Owner (condition version 2.0).

    Verbatim from foundry-samples 15 blob-storage-container-role-assignments.bicep, whitespace aside (the Terraform
    AVM dependent-resource-rbac.tf sends the same). As written, it limits three actions of the role, blob tag
    reads, tag writes and tag filters, to containers whose name starts with the project's workspace GUID and ends
    in `-azureml-agent` (the containers the capability host creates for the project); the role's other actions
    pass the first clause. Kept as Microsoft ships it, not narrowed: the Agent Service is tested with this text.
    """
    container = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
    actions = " AND ".join(
        f"!(ActionMatches{{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/{action}'}})"
        for action in ("tags/read", "filter/action", "tags/write")
    )
    return (f"(({actions}) OR ({container} StringStartsWithIgnoreCase '{workspace_id}' AND {container} "
            "StringLikeIgnoreCase '*-azureml-agent'))")


def foundry_project_url(project_id: str, tenant_id: Optional[str]) -> str:
    """A Foundry project's overview in the Foundry portal (ai.azure.com/foundryProject/overview?wsid=...)."""
    tenant = f"&tid={tenant_id}" if tenant_id else ""
    return f"https://ai.azure.com/foundryProject/overview?wsid={quote(project_id, safe='/')}{tenant}"


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
    location: NotRequired[pulumi.Input[str]]
    """Optional. Region of the stores, sent as the connections' `location` metadata as Microsoft's templates do.
    Default: the project's location."""


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
    agent_stores: NotRequired[Optional[AgentStoreRefsArgs]]
    """Conditional. The stores of the standard agent setup (a FoundryResource's `agent_stores`; None, as that is
    for another setup, counts as not given)."""
    capability_host_name: NotRequired[str]
    """Optional. Name of the project's capability host (standard setup): replaced, never updated. Default
    `caphost-<project>`."""
    protect: NotRequired[bool]
    """Optional. Pulumi `protect` on the project. Default false."""
    tags: NotRequired[dict[str, str]]
    """Optional. Tags for every taggable resource."""


class FoundryProject(pulumi.ComponentResource):
    """A Foundry project: its own identity, connections, members and agent capability host.

    `depends_on` in its options reaches the project and so everything in it: give the FoundryResource (its account
    capability host and deployments must exist before a project capability host; "Foundry Account capabilityHost
    Not Found", Azure/terraform-azurerm-avm-ptn-aiml-ai-foundry#112), and the project before this one when
    several share an account and its stores (their connections and capability hosts are reported to conflict,
    microsoft-foundry/foundry-samples#263).
    """

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
        args = check_args("FoundryProject", name, args, FoundryProjectArgs, foundry_project_problems)
        super().__init__("aihub:index:FoundryProject", name, None, opts)
        project_name = args["project_name"]
        account_name = args["account_name"]
        rg = args["resource_group_name"]

        project = cs.Project(
            name,
            project_name=project_name,
            account_name=account_name,
            resource_group_name=rg,
            location=args["location"],
            identity=cs.IdentityArgs(type=cs.ResourceIdentityType.SYSTEM_ASSIGNED),
            properties=cs.ProjectPropertiesArgs(
                display_name=args.get("display_name") or project_name,
                description=args.get("description"),
            ),
            tags=dict(args.get("tags") or {}),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=bool(args.get("protect")),
                # The component's depends_on (the account's capability host, its deployments) reaches the project,
                # and through it everything else here.
                depends_on=(opts.depends_on if opts else None) or [],
            ),
        )
        # The project's name as its children take it: the name given, once the project exists (its `name` output
        # is Azure's echo of the same, which test doubles such as Pulumi's canonical mocks don't give back).
        project_ref = project.id.apply(lambda _: project_name)
        principal = principal_of(project.identity)
        assign_role(f"{name}-identity-{role_slug(IDENTITY_ACCOUNT_ROLE)}", scope=args["account_id"],
                    principal_id=principal, role=IDENTITY_ACCOUNT_ROLE, parent=self)
        for i, member in enumerate(args.get("members") or []):
            member_id, principal_id = _member_key(member["principal_id"], i)
            role = member.get("role", DEFAULT_MEMBER_ROLE)
            # Named by the role's current name: renaming "Azure AI User" to "Foundry User" in config is no change.
            assign_role(
                f"{name}-member-{member_id}-{role_slug(current_role_name(role))}",
                scope=project.id,
                principal_id=principal_id,
                principal_type=member.get("principal_type", "User"),
                role=role,
                parent=self,
            )

        connections = create_connections(
            args.get("connections") or [],
            account_name=account_name,
            project_name=project_ref,
            resource_group_name=rg,
            prefix=name,
            parent=self,
        )

        self.capability_host: Optional[resources.Resource] = None
        self.azure_name: str = args["project_name"]
        """The project's Azure name (for the Foundry hazards: a rename is a new project)."""
        self.capability_host_text: Optional[str] = None
        """Its capability host as the Foundry hazards read it (hazards.py capability_host_text), if it has one."""
        if args.get("agent_setup", AgentSetup.BASIC.value) == AgentSetup.STANDARD.value:
            stores = agent_store_connection_names(args["project_name"])
            self.capability_host_text = capability_host_text(
                args.get("capability_host_name") or f"caphost-{args['project_name']}",
                [stores["cosmos_db_account_id"], stores["search_service_id"], stores["storage_account_id"]])
            self.capability_host = self._standard_agent_setup(
                name, args, project, principal, connections[-1] if connections else None)

        tenant_id = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).tenant_id
        self.project_id = project.id
        self.project_name = project_ref
        self.principal_id = principal
        self.endpoint = project.properties.apply(
            lambda p: (getattr(p, "endpoints", None) or {}).get("AI Foundry API", "") if p is not None else "")
        self.foundry_url = pulumi.Output.all(project.id, tenant_id).apply(lambda a: foundry_project_url(a[0], a[1]))
        self.portal_url = pulumi.Output.all(project.id, tenant_id).apply(lambda a: azure_portal_url(a[0], a[1]))
        self.register_outputs(
            {
                "project_id": self.project_id,
                "project_name": self.project_name,
                "principal_id": self.principal_id,
                "endpoint": self.endpoint,
                "foundry_url": self.foundry_url,
                "portal_url": self.portal_url,
            }
        )

    def _standard_agent_setup(
        self,
        name: str,
        args: FoundryProjectArgs,
        project: cs.Project,
        principal: pulumi.Output[str],
        after: Optional[pulumi.Resource],
    ) -> resources.Resource:
        """The stores' connections, the roles before, the capability host, the roles after it."""
        stores = args.get("agent_stores")
        if stores is None:  # refused by foundry_project_problems before anything is registered
            raise ValueError("the standard agent setup needs agent_stores")
        account_name = args["account_name"]
        rg = args["resource_group_name"]
        names = agent_store_connection_names(args["project_name"])
        project_ref = project.id.apply(lambda _: args["project_name"])  # as in __init__
        location = stores.get("location") or args["location"]
        # Connections to the stores, as foundry-samples 15 ai-project-identity.bicep sends them (AAD, `ApiType`,
        # `ResourceId`, `location`); categories per shared_connection.FOUNDRY_CATEGORIES. After the project's own
        # connections, one chain.
        store_specs: list[ConnectionArgs] = [
            {"name": names["cosmos_db_account_id"], "category": ml.ConnectionCategory.COSMOS_DB,
             "target": stores["cosmos_db_endpoint"],
             "resource_id": stores["cosmos_db_account_id"], "metadata": {"location": location}},
            {"name": names["storage_account_id"], "category": ml.ConnectionCategory.AZURE_STORAGE_ACCOUNT,
             "target": stores["storage_blob_endpoint"], "resource_id": stores["storage_account_id"],
             "metadata": {"location": location}},
            {"name": names["search_service_id"], "category": ml.ConnectionCategory.COGNITIVE_SEARCH,
             "target": stores["search_endpoint"],
             "resource_id": stores["search_service_id"], "metadata": {"location": location}},
        ]
        store_connections = create_connections(
            store_specs, account_name=account_name, project_name=project_ref, resource_group_name=rg,
            prefix=name, parent=self, after=after,
        )
        store_ids = {"cosmos_db_account_id": stores["cosmos_db_account_id"],
                     "search_service_id": stores["search_service_id"],
                     "storage_account_id": stores["storage_account_id"]}
        grants: list[pulumi.Resource] = [
            assign_role(f"{name}-identity-{role_slug(role)}", scope=store_ids[field], principal_id=principal,
                        role=role, parent=self)
            for field, roles in STORE_ROLES.items() for role in roles
        ]
        # The capability host checks the identity's access when it is created: wait until Azure applies the grants
        # (the Terraform AVM waits 60 s before its capability host).
        propagated = wait_for_propagation(name, grants, self)

        # Sent through the generic resource, not azure-native's ProjectCapabilityHost: Learn's request body for this
        # API version has `"capabilityHostKind": "Agents"` (foundry/agents/concepts/capability-hosts, "Project
        # capability host"), as every Microsoft template does (foundry-samples 15 add-project-capability-host.bicep,
        # AVM Bicep, the Terraform AVM, microsoft-foundry-baseline ai-foundry-project-caphost.bicep), but the
        # 2025-06-01 REST spec's ProjectCapabilityHostProperties (and so azure-native 3.29's
        # ProjectCapabilityHostArgs) lacks it, so the typed class can't send it (nor would a newer one: the 2026-09-01
        # spec still lacks it, Azure/bicep-types-az generated/cognitiveservices). A capability host can't be updated
        # ("Updating capability hosts is not supported ... delete the existing one and recreate it"; same name with
        # another configuration is a 400, another name a 409 as there is one per project): any change replaces it,
        # the old one deleted first.
        caphost_name = args.get("capability_host_name") or f"caphost-{args['project_name']}"
        capability_host = resources.Resource(
            f"{name}-capability-host",
            resource_provider_namespace="Microsoft.CognitiveServices",
            parent_resource_path=pulumi.Output.concat("accounts/", account_name, "/projects/", project_ref),
            resource_type="capabilityHosts",
            resource_name_=caphost_name,
            resource_group_name=rg,
            api_version=CAPABILITY_HOST_API_VERSION,
            properties={
                "capabilityHostKind": "Agents",
                "threadStorageConnections": [store_connections[0].connection_name],
                "storageConnections": [store_connections[1].connection_name],
                "vectorStoreConnections": [store_connections[2].connection_name],
            },
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[propagated, *store_connections],
                # Its body (and the API version it is written with) is what can't change; `tags` aren't part of it.
                replace_on_changes=["properties", "apiVersion"],
                delete_before_replace=True,
            ),
        )

        # After the capability host, which creates the database and the containers these roles are about.
        cosmos_id = stores["cosmos_db_account_id"]
        cosmos_name, cosmos_rg = name_and_group(cosmos_id, COSMOS_DB_ACCOUNT)
        cosmos_out = later(cosmos_id)
        database_scope = cosmos_out.apply(lambda c: f"{c}/dbs/{AGENT_DATABASE}")
        cosmosdb.SqlResourceSqlRoleAssignment(
            f"{name}-identity-cosmos-data-contributor",
            account_name=cosmos_name,
            resource_group_name=cosmos_rg,
            role_assignment_id=pulumi.Output.all(database_scope, principal).apply(
                lambda parts: role_assignment_name(parts[0], parts[1] or "", COSMOS_DATA_CONTRIBUTOR)),
            role_definition_id=cosmos_out.apply(lambda c: f"{c}/sqlRoleDefinitions/{COSMOS_DATA_CONTRIBUTOR}"),
            principal_id=principal,
            scope=database_scope,
            # Its name is fixed by scope, principal and role, as the RBAC assignments' are.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[capability_host], delete_before_replace=True),
        )
        # The workspace ID isn't in azure-native's Project outputs (the 2025-06-01 spec lacks `internalId`; every
        # template reads it with a schema warning suppressed): a generic GET of the project returns it. It needs
        # the project's ID, so it runs once the project exists (in a preview of a new project it is unknown).
        internal_id = project.id.apply(lambda project_id: self._read_project(project_id)).apply(_internal_id)
        assign_role(
            f"{name}-identity-storage-blob-data-owner",
            scope=stores["storage_account_id"],
            principal_id=principal,
            role="Storage Blob Data Owner",
            condition=internal_id.apply(lambda i: agent_blob_condition(workspace_guid(i))),
            parent=self,
            depends_on=[capability_host],
        )
        return capability_host


    def _read_project(self, project_id: str) -> pulumi.Output[Any]:
        """The properties of a generic GET of the project (its `internalId` among them)."""
        match = _PROJECT_ID.match(project_id)
        if not match:
            raise ValueError(f"not a Foundry project's resource ID: {project_id!r}")
        return resources.get_resource_output(
            resource_provider_namespace="Microsoft.CognitiveServices",
            parent_resource_path=f"accounts/{match['account']}",
            resource_type="projects",
            resource_name=match["project"],
            resource_group_name=match["group"],
            api_version=PROJECT_API_VERSION,
            opts=pulumi.InvokeOutputOptions(parent=self),
        ).properties


#: A project's resource ID (ARM compares the segments' names case-insensitively).
_PROJECT_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/(?P<group>[^/]+)/providers/"
                         r"Microsoft\.CognitiveServices/accounts/(?P<account>[^/]+)/projects/(?P<project>[^/]+)$",
                         re.IGNORECASE)


def _internal_id(properties: Any) -> str:
    found = (properties or {}).get("internalId") if isinstance(properties, dict) else None
    if not isinstance(found, str):
        raise ValueError("the project's GET returned no properties.internalId (its workspace ID); test mocks must "
                         "answer azure-native:resources:getResource with {'properties': {'internalId': <32 hex>}}")
    return found


def _member_key(principal_id: pulumi.Input[str], index: int) -> tuple[str, pulumi.Input[str]]:
    from .ai_project import member_key

    return member_key(principal_id, index)


def foundry_hazard_fingerprint(
    resource_fingerprint: Mapping[str, pulumi.Input[str]], projects: Sequence["FoundryProject"],
) -> pulumi.Output[dict[str, str]]:
    """The Foundry resource's hazard fingerprint with its projects' part (hazards.py): what the stack exports and
    watches."""
    hosts = {p.azure_name: p.capability_host_text for p in projects if p.capability_host_text is not None}
    return pulumi.Output.all(**{**resource_fingerprint,
                                **foundry_projects_fingerprint(hosts, [p.azure_name for p in projects])})
