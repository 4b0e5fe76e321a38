"""SharedConnection: a named, authenticated workspace connection that hides its credentials.

On a hub it is shared with every project; on a project, with that project's
members. Entra ID (AAD) first; key material only as Pulumi secrets. Shapes
follow Microsoft's templates (azure-quickstart-templates aifoundry-* and the
Foundry connection samples): Azure targets carry `ApiType: Azure` and
`ResourceId` metadata, blob connections `AccountName` and `ContainerName`.
"""

import re
from typing import Any, Collection, Mapping, NotRequired, Optional, Sequence, TypedDict

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from .arm import COGNITIVE_ACCOUNT, STORAGE_ACCOUNT, parse_resource_id
from .checks import shared_connection_problems
from .naming import CONNECTION_NAME_PATTERN
from .validation import check_args

SEARCH_SERVICE = "Microsoft.Search/searchServices"

_Category = ml.ConnectionCategory
_Auth = ml.ConnectionAuthType
_AAD, _API_KEY, _CUSTOM_KEYS, _NONE = (a.value for a in (_Auth.AAD, _Auth.API_KEY, _Auth.CUSTOM_KEYS, _Auth.NONE))

#: Category -> (auth types it takes, ARM type its `resourceId` must have, or None
#: for non-Azure targets). The first auth type is the default. The names are
#: azure-native's enums (ConnectionCategory, ConnectionAuthType), of which these
#: are the ones a hub's connections support here.
CATEGORIES: dict[str, tuple[tuple[str, ...], Optional[str]]] = {
    _Category.AI_SERVICES.value: ((_AAD, _API_KEY), COGNITIVE_ACCOUNT),
    _Category.AZURE_OPEN_AI.value: ((_AAD, _API_KEY), COGNITIVE_ACCOUNT),
    _Category.COGNITIVE_SEARCH.value: ((_AAD, _API_KEY), SEARCH_SERVICE),
    _Category.AZURE_BLOB.value: ((_AAD,), STORAGE_ACCOUNT),
    _Category.API_KEY.value: ((_API_KEY,), None),
    _Category.CUSTOM_KEYS.value: ((_CUSTOM_KEYS,), None),
    _Category.PYTHON_FEED.value: ((_NONE,), None),
    _Category.GIT.value: ((_NONE,), None),
}
AUTH_TYPES = (_AAD, _API_KEY, _CUSTOM_KEYS, _NONE)
KEY_AUTH_TYPES = (_API_KEY, _CUSTOM_KEYS)
#: The arguments that hold key material: sent only as Pulumi secrets, and marked
#: secret in the hosted schema (provider/__main__.py).
SECRET_INPUTS = ("api_key", "custom_keys")
_HTTPS_URL = re.compile(r"^https://[^\s/?#]+(?:[/?#]\S*)?$")
_METADATA_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,127}$")


class ConnectionArgs(TypedDict):
    """One connection: where it points and how it authenticates."""

    name: str
    """Required. Connection name, unique in its workspace: 3-33 letters, digits, '_' or '-'."""
    category: ml.ConnectionCategory
    """Required. AIServices, AzureOpenAI, CognitiveSearch, AzureBlob, ApiKey, CustomKeys, PythonFeed or Git (of
    azure-native's ConnectionCategory; a plain string works too).
    """
    target: pulumi.Input[str]
    """Required. The https endpoint of the target."""
    auth_type: NotRequired[ml.ConnectionAuthType]
    """Optional. AAD (default where the category allows it), ApiKey, CustomKeys or None (of azure-native's
    ConnectionAuthType; a plain string works too).
    """
    resource_id: NotRequired[pulumi.Input[str]]
    """Conditional. Resource ID of the target; required for Azure categories (sent as `ResourceId` metadata)."""
    metadata: NotRequired[dict[str, pulumi.Input[str]]]
    """Optional. Extra metadata; AzureBlob needs `ContainerName`."""
    api_key: NotRequired[pulumi.Input[str]]
    """Conditional. The key of an ApiKey connection. Secret: pass a Pulumi secret; it is sent and stored as one
    either way.
    """
    custom_keys: NotRequired[dict[str, pulumi.Input[str]]]
    """Conditional. The named keys of a CustomKeys connection. Secret: pass Pulumi secrets; they are sent and
    stored as ones either way.
    """


def default_auth_type(category: str) -> str:
    return CATEGORIES[category][0][0] if category in CATEGORIES else "AAD"


def connection_problems(
    name: str,
    category: str,
    target: str,
    auth_type: Optional[str] = None,
    resource_id: Optional[str] = None,
    metadata: Optional[Mapping[str, object]] = None,
    known_later: Collection[str] = (),
) -> list[tuple[str, str]]:
    """Why a connection spec is invalid, as (field, reason) pairs; empty when it is fine.

    `known_later` names fields (`target`, `resourceId`) whose values are Outputs
    of other resources: they count as given, but can't be checked yet.
    """
    problems: list[tuple[str, str]] = []
    if not CONNECTION_NAME_PATTERN.match(name):
        problems.append(("name", "must be 3-33 letters, digits, '_' or '-', starting with a letter or digit"))
    if category not in CATEGORIES:
        problems.append(("category", f"unknown category {category!r} (known: {', '.join(CATEGORIES)})"))
        return problems
    allowed_auth, resource_type = CATEGORIES[category]
    auth = auth_type or allowed_auth[0]
    if auth not in AUTH_TYPES:
        problems.append(("authType", f"unknown auth type {auth!r} (known: {', '.join(AUTH_TYPES)})"))
    elif auth not in allowed_auth:
        problems.append(("authType", f"{category} connections take {' or '.join(allowed_auth)}, not {auth}"))
    if "target" not in known_later and not _HTTPS_URL.match(target):
        problems.append(("target", "must be an https:// URL"))
    if resource_type is None:
        if resource_id is not None or "resourceId" in known_later:
            problems.append(("resourceId", f"{category} connections point outside Azure and take no resourceId"))
    elif resource_id is None and "resourceId" not in known_later:
        problems.append(("resourceId", f"is required for {category} connections ({resource_type} ID)"))
    elif resource_id is not None:
        try:
            parse_resource_id(resource_id, resource_type)
        except ValueError as err:
            problems.append(("resourceId", str(err)))
    for key in metadata or {}:
        if not _METADATA_KEY.match(key):
            problems.append((f"metadata.{key}", "metadata keys are letters, digits, '_', '.' or '-'"))
    if category == "AzureBlob" and not (metadata or {}).get("ContainerName"):
        problems.append(("metadata.ContainerName", "is required for AzureBlob connections"))
    return problems


def connection_metadata(
    category: str, resource_id: Optional[pulumi.Input[str]], extra: Optional[Mapping[str, pulumi.Input[str]]]
) -> dict[str, pulumi.Input[str]]:
    """The metadata Azure and the Foundry portal expect for a category."""
    metadata: dict[str, pulumi.Input[str]] = {}
    if resource_id is not None:
        metadata["ApiType"] = "Azure"
        metadata["ResourceId"] = resource_id
    if category == "AzureBlob" and resource_id is not None:
        metadata["AccountName"] = pulumi.Output.from_input(resource_id).apply(lambda i: i.rsplit("/", 1)[-1])
    metadata.update(extra or {})
    return metadata


class SharedConnectionArgs(TypedDict):
    """A connection on a hub (shared with all its projects) or on one project."""

    # ConnectionArgs' fields, written out again: the schema of a hosted component
    # takes property descriptions from the class's own source, not its bases.
    name: pulumi.Input[str]
    """Required. Connection name, unique in its workspace: 3-33 letters, digits, '_' or '-'."""
    category: ml.ConnectionCategory
    """Required. AIServices, AzureOpenAI, CognitiveSearch, AzureBlob, ApiKey, CustomKeys, PythonFeed or Git (of
    azure-native's ConnectionCategory; a plain string works too).
    """
    target: pulumi.Input[str]
    """Required. The https endpoint of the target."""
    auth_type: NotRequired[ml.ConnectionAuthType]
    """Optional. AAD (default where the category allows it), ApiKey, CustomKeys or None (of azure-native's
    ConnectionAuthType; a plain string works too).
    """
    resource_id: NotRequired[pulumi.Input[str]]
    """Conditional. Resource ID of the target; required for Azure categories (sent as `ResourceId` metadata)."""
    metadata: NotRequired[dict[str, pulumi.Input[str]]]
    """Optional. Extra metadata; AzureBlob needs `ContainerName`."""
    api_key: NotRequired[pulumi.Input[str]]
    """Conditional. The key of an ApiKey connection. Secret: pass a Pulumi secret; it is sent and stored as one
    either way.
    """
    custom_keys: NotRequired[dict[str, pulumi.Input[str]]]
    """Conditional. The named keys of a CustomKeys connection. Secret: pass Pulumi secrets; they are sent and
    stored as ones either way.
    """
    workspace_name: pulumi.Input[str]
    """Required. The hub or project workspace that holds the connection."""
    resource_group_name: pulumi.Input[str]
    """Required. The workspace's resource group."""


class SharedConnection(pulumi.ComponentResource):
    """A workspace connection shared to all (projects of a hub, or members of a project).

    `depends_on` in its options reaches the connection itself: writes to one
    workspace must not run in parallel, so a connection names the one before it.
    """

    connection_id: pulumi.Output[str]
    """Resource ID of the connection."""
    connection_name: pulumi.Output[str]
    """Name of the connection."""

    def __init__(
        self, name: str, args: SharedConnectionArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        args = check_args("SharedConnection", name, args, SharedConnectionArgs, shared_connection_problems)
        super().__init__("aihub:index:SharedConnection", name, None, opts)
        category = args["category"]
        auth = args.get("auth_type") or default_auth_type(category)
        common: dict[str, Any] = {
            "category": category,
            "target": args["target"],
            "is_shared_to_all": True,
            "metadata": connection_metadata(category, args.get("resource_id"), args.get("metadata")),
        }
        properties: Any
        if auth == "AAD":
            properties = ml.AADAuthTypeWorkspaceConnectionPropertiesArgs(auth_type="AAD", **common)
        elif auth == "ApiKey":
            api_key = args.get("api_key")
            if api_key is None:
                raise _missing_key(args)
            properties = ml.ApiKeyAuthWorkspaceConnectionPropertiesArgs(
                auth_type="ApiKey",
                credentials=ml.WorkspaceConnectionApiKeyArgs(key=pulumi.Output.secret(api_key)),
                **common,
            )
        elif auth == "CustomKeys":
            keys = args.get("custom_keys")
            if keys is None:
                raise _missing_key(args)
            properties = ml.CustomKeysWorkspaceConnectionPropertiesArgs(
                auth_type="CustomKeys",
                credentials=ml.CustomKeysArgs(keys={k: pulumi.Output.secret(v) for k, v in keys.items()}),
                **common,
            )
        elif auth == "None":
            properties = ml.NoneAuthTypeWorkspaceConnectionPropertiesArgs(auth_type="None", **common)
        else:
            raise ValueError(f"connection {args['name']}: unknown auth type {auth!r}")

        connection = ml.WorkspaceConnection(
            name,
            connection_name=args["name"],
            workspace_name=args["workspace_name"],
            resource_group_name=args["resource_group_name"],
            properties=properties,
            opts=pulumi.ResourceOptions(
                parent=self,
                # A component's depends_on doesn't hold back its children by itself.
                depends_on=(opts.depends_on if opts else None) or [],
                # Whatever Azure echoes back of the properties stays encrypted in state.
                additional_secret_outputs=["properties"] if auth in KEY_AUTH_TYPES else None,
            ),
        )
        self.connection_id = connection.id
        self.connection_name = connection.name
        self.register_outputs({"connection_id": self.connection_id, "connection_name": self.connection_name})


def _missing_key(args: SharedConnectionArgs) -> ValueError:
    return ValueError(f"connection {args['name']}: auth type {args.get('auth_type')} needs its key "
                      "(api_key for ApiKey, custom_keys for CustomKeys)")


def create_connections(
    specs: Sequence[ConnectionArgs],
    *,
    workspace_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    prefix: str,
    parent: pulumi.Resource,
    after: Optional[pulumi.Resource] = None,
) -> list[SharedConnection]:
    """Connections on one workspace, each waiting for the one before it.

    Parallel connection writes to one workspace fail with conflicts, so the
    chain also waits for `after` (the hub's provider connection, say).
    """
    created: list[SharedConnection] = []
    previous = after
    for spec in specs:
        connection = SharedConnection(
            f"{prefix}-{spec['name']}",
            SharedConnectionArgs(
                **spec,
                workspace_name=workspace_name,
                resource_group_name=resource_group_name,
            ),
            pulumi.ResourceOptions(parent=parent, depends_on=[previous] if previous is not None else []),
        )
        created.append(connection)
        previous = connection
    return created
