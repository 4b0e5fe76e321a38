"""AIProject: a team's project on an AI hub, with its members and its own connections."""

from typing import NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import authorization
from pulumi_azure_native import machinelearningservices as ml

from .arm import GUID_PATTERN, ai_foundry_project_url, azure_portal_url
from .checks import project_problems
from .diagnostics import send_diagnostics
from .rbac import assign_role, principal_of
from .roles import BUILTIN_ROLES, role_slug
from .shared_connection import ConnectionArgs, create_connections
from .validation import check_args, later

DEFAULT_MEMBER_ROLE = "Azure AI Developer"
#: Of azure-native's PrincipalType: who can be a member (devices and foreign groups can't).
PRINCIPAL_TYPES = tuple(t.value for t in (authorization.PrincipalType.USER, authorization.PrincipalType.GROUP,
                                          authorization.PrincipalType.SERVICE_PRINCIPAL))
# The project's identity reads and writes prompt flow files in the hub's storage (Learn,
# ai-foundry/how-to/hub-configure-private-link, "Private storage configuration": Storage File Data
# Privileged Contributor for the project). Not Storage Blob Data Contributor: with data isolation, on by
# default for hubs, "the workspace managed identity receives a data plane role assignment with an ABAC
# condition" to its own containers (Learn, machine-learning/how-to-identity-based-service-authentication,
# "Data isolation"); an unconditioned one would collide with it or open every project's containers.
PROJECT_STORAGE_ROLES = ("Storage File Data Privileged Contributor",)
#: With private storage, the project's identity reads the storage account's
#: private endpoints (Learn, ai-foundry/how-to/hub-configure-private-link,
#: "Private storage configuration": the project's managed identity needs the
#: Reader role on the storage account's private endpoints).
PRIVATE_ENDPOINT_ROLE = "Reader"


class ProjectMemberArgs(TypedDict):
    """Someone who works in the project."""

    principal_id: pulumi.Input[str]
    """Required. Object ID (GUID) of the Entra ID user, group or service principal; may come from another resource."""
    principal_type: NotRequired[authorization.PrincipalType]
    """Optional. User (default), Group or ServicePrincipal."""
    role: NotRequired[str]
    """Optional. A built-in role name or a role definition GUID. Default: Azure AI Developer."""


class AIProjectArgs(TypedDict):
    """Arguments of a project on an AI hub."""

    workspace_name: str
    """Required. Azure name of the project workspace: 3-33 letters, digits, '_' or '-'."""
    hub_id: pulumi.Input[str]
    """Required. Resource ID of the hub the project belongs to."""
    resource_group_name: pulumi.Input[str]
    """Required. Resource group of the project (the hub's)."""
    location: pulumi.Input[str]
    """Required. Azure region: the hub's."""
    friendly_name: NotRequired[pulumi.Input[str]]
    """Optional. Display name in the Foundry portal. Default: the workspace name."""
    description: NotRequired[pulumi.Input[str]]
    """Optional. Description of the project."""
    members: NotRequired[list[ProjectMemberArgs]]
    """Optional. Members and their role on the project. What they need beyond it (the provider's models, the hub's
    storage) is granted once per person by the hub (`AIHubArgs.users`): a person in two projects would otherwise get
    the same assignment twice.
    """
    connections: NotRequired[list[ConnectionArgs]]
    """Optional. Connections visible to this project only."""
    public_network_access: NotRequired[str]
    """Optional. Enabled or Disabled: the hub's. A project inherits the hub's network, but Azure Policy judges the
    project's own request, so a policy that denies public workspaces rejects a project sent without it.
    """
    provider_account_id: NotRequired[pulumi.Input[str]]
    """Optional. The hub's AI provider account: the project identity gets `provider_role` on it."""
    provider_role: NotRequired[str]
    """Optional. Role on the provider that lets identities call its models. Default: Cognitive Services User."""
    storage_account_id: NotRequired[pulumi.Input[str]]
    """Optional. The hub's storage account: the project identity gets data access to it."""
    storage_private_endpoint_ids: NotRequired[dict[str, pulumi.Input[str]]]
    """Optional. The private endpoints of the hub's storage by name (e.g. `storage-blob`): with private storage the
    project identity needs Reader on them.
    """
    protect: NotRequired[bool]
    """Optional. Pulumi `protect` on the project workspace. Default false."""
    diagnostics_workspace_id: NotRequired[pulumi.Input[str]]
    """Optional. Send the project's logs and metrics to this Log Analytics workspace."""
    tags: NotRequired[dict[str, str]]
    """Optional. Tags on the project workspace."""


def member_key(principal_id: pulumi.Input[str], index: int) -> tuple[str, pulumi.Input[str]]:
    """The name fragment of a member's role assignments, and the principal ID to send.

    A plain ID names them; an ID from another resource isn't known yet, so the
    member's position does (reordering such members re-creates their assignments).
    """
    if isinstance(principal_id, str):
        return principal_id.lower(), principal_id.lower()
    return f"input-{index}", later(principal_id).apply(str.lower)


def member_problems(member: ProjectMemberArgs) -> list[tuple[str, str]]:
    """Why a member entry is invalid, as (field, reason) pairs."""
    problems: list[tuple[str, str]] = []
    if not GUID_PATTERN.match(str(member.get("principal_id", ""))):
        problems.append(("principalId", "must be an Entra ID object ID (a GUID)"))
    if member.get("principal_type", "User") not in PRINCIPAL_TYPES:
        problems.append(("principalType", f"must be one of {', '.join(PRINCIPAL_TYPES)}"))
    role = member.get("role", DEFAULT_MEMBER_ROLE)
    if role not in BUILTIN_ROLES and not GUID_PATTERN.match(role):
        known = ", ".join(sorted(BUILTIN_ROLES))
        problems.append(("role", f"unknown role {role!r}: use a role definition GUID or one of {known}"))
    return problems


class AIProject(pulumi.ComponentResource):
    """A project workspace (kind Project) tied to a hub, with members and project connections."""

    project_id: pulumi.Output[str]
    """Resource ID of the project."""
    project_name: pulumi.Output[str]
    """Name of the project workspace."""
    principal_id: pulumi.Output[str]
    """Principal ID of the project's system-assigned identity."""
    foundry_url: pulumi.Output[str]
    """Link that opens the project in the Foundry portal (ai.azure.com)."""
    portal_url: pulumi.Output[str]
    """Link that opens the project in the Azure portal."""

    def __init__(self, name: str, args: AIProjectArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        args = check_args("AIProject", name, args, AIProjectArgs, project_problems)
        super().__init__("aihub:index:AIProject", name, None, opts)
        ws_name = args["workspace_name"]
        rg = args["resource_group_name"]

        # Networking, storage, key vault and encryption come from the hub: Azure
        # rejects them on a project.
        project = ml.Workspace(
            name,
            workspace_name=ws_name,
            resource_group_name=rg,
            location=args["location"],
            kind="Project",
            hub_resource_id=args["hub_id"],
            sku=ml.SkuArgs(name="Basic", tier=ml.SkuTier.BASIC),
            identity=ml.ManagedServiceIdentityArgs(type=ml.ManagedServiceIdentityType.SYSTEM_ASSIGNED),
            friendly_name=args.get("friendly_name") or ws_name,
            description=args.get("description"),
            public_network_access=args.get("public_network_access"),
            tags=dict(args.get("tags") or {}),
            opts=pulumi.ResourceOptions(parent=self, protect=bool(args.get("protect"))),
        )
        principal = principal_of(project.identity)
        provider_id = args.get("provider_account_id")
        provider_role = args.get("provider_role") or "Cognitive Services User"

        for i, member in enumerate(args.get("members") or []):
            member_id, principal_id = member_key(member["principal_id"], i)
            member_type = member.get("principal_type", "User")
            role = member.get("role", DEFAULT_MEMBER_ROLE)
            assign_role(
                f"{name}-member-{member_id}-{role_slug(role)}",
                scope=project.id,
                principal_id=principal_id,
                principal_type=member_type,
                role=role,
                parent=self,
            )
        if provider_id is not None:
            assign_role(f"{name}-identity-provider", scope=provider_id, principal_id=principal,
                        role=provider_role, parent=self)
        storage_id = args.get("storage_account_id")
        if storage_id is not None:
            for role in PROJECT_STORAGE_ROLES:
                assign_role(f"{name}-identity-{role_slug(role)}", scope=storage_id,
                            principal_id=principal, role=role, parent=self)
        for endpoint, endpoint_id in sorted((args.get("storage_private_endpoint_ids") or {}).items()):
            assign_role(f"{name}-identity-pe-{endpoint}-reader", scope=endpoint_id,
                        principal_id=principal, role=PRIVATE_ENDPOINT_ROLE, parent=self)

        if args.get("diagnostics_workspace_id") is not None:
            send_diagnostics(f"{name}-diagnostics", project.id, args["diagnostics_workspace_id"], self)

        create_connections(
            args.get("connections") or [],
            workspace_name=project.name,
            resource_group_name=rg,
            prefix=name,
            parent=self,
        )

        tenant_id = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).tenant_id
        self.project_id = project.id
        self.project_name = project.name
        self.principal_id = principal
        self.foundry_url = pulumi.Output.all(project.id, tenant_id).apply(lambda a: ai_foundry_project_url(a[0], a[1]))
        self.portal_url = pulumi.Output.all(project.id, tenant_id).apply(lambda a: azure_portal_url(a[0], a[1]))
        self.register_outputs(
            {
                "project_id": self.project_id,
                "project_name": self.project_name,
                "principal_id": self.principal_id,
                "foundry_url": self.foundry_url,
                "portal_url": self.portal_url,
            }
        )
