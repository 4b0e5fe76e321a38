"""SharedConnection: a named, authenticated connection that hides its credentials.

On a hub it is shared with every project; on a project, with that project's
members; on a Foundry resource's account, with every project of the account.
Entra ID (AAD) first; key material only as Pulumi secrets. Shapes follow
Microsoft's templates (azure-quickstart-templates aifoundry-* and the Foundry
connection samples, foundry-samples infrastructure-setup-bicep/01-connections):
Azure targets carry `ApiType: Azure` and `ResourceId` metadata, blob
connections `AccountName` and `ContainerName`.

Three scopes, one property schema: a hub or hub project (a
MachineLearningServices workspace connection), a Foundry account
(`accounts/connections`) and a Foundry project (`accounts/projects/connections`).
The REST specs give all three the same connection property union
(`ConnectionPropertiesV2` in machinelearningservices and in cognitiveservices
2025-06-01), which azure-native mirrors as `ml.*WorkspaceConnectionProperties`
and `cognitiveservices.*ConnectionProperties` classes.
"""

import re
from typing import Any, Collection, Mapping, NotRequired, Optional, Sequence, TypedDict

import pulumi
from pulumi_azure_native import cognitiveservices as cs
from pulumi_azure_native import machinelearningservices as ml

from .arm import APPLICATION_INSIGHTS, COGNITIVE_ACCOUNT, STORAGE_ACCOUNT, parse_resource_id
from .checks import shared_connection_problems
from .naming import CONNECTION_NAME_PATTERN
from .validation import check_args

SEARCH_SERVICE = "Microsoft.Search/searchServices"
COSMOS_DB_ACCOUNT = "Microsoft.DocumentDB/databaseAccounts"

#: Where a connection lives: a hub or hub project workspace, a Foundry account, or a Foundry project.
WORKSPACE_SCOPE, ACCOUNT_SCOPE, PROJECT_SCOPE = "workspace", "account", "project"
SCOPES = (WORKSPACE_SCOPE, ACCOUNT_SCOPE, PROJECT_SCOPE)
FOUNDRY_SCOPES = (ACCOUNT_SCOPE, PROJECT_SCOPE)

_Category = ml.ConnectionCategory
_FoundryCategory = cs.ConnectionCategory
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
#: The same for a Foundry account or project: the hub's Azure and key categories, plus what the standard agent setup
#: and tracing connect to: `CosmosDb` (thread storage; cognitiveservices ConnectionCategory.COSMOS_DB, spelled so in
#: foundry-samples 01-connections/connection-cosmos-db.bicep, AAD only with local auth off), `AzureStorageAccount`
#: (agent files: "'AzureStorageAccount' works with the capability host but 'AzureBlob' does not seem to be
#: supported", AVM avm/ptn/ai-ml/ai-foundry modules/project/main.bicep) and `AppInsights` (tracing: an ApiKey
#: connection whose key is the connection string and whose target is the component's resource ID, foundry-samples
#: 01-connections/connection-application-insights.bicep). The 2025-06-01 cognitiveservices enum lacks the last two;
#: the category is an open string in the spec ("x-ms-enum modelAsString"), and machinelearningservices' enum has
#: them (ConnectionCategory.AZURE_STORAGE_ACCOUNT, APP_INSIGHTS), which are the values used here.
FOUNDRY_CATEGORIES: dict[str, tuple[tuple[str, ...], Optional[str]]] = {
    _FoundryCategory.AI_SERVICES.value: ((_AAD, _API_KEY), COGNITIVE_ACCOUNT),
    _FoundryCategory.AZURE_OPEN_AI.value: ((_AAD, _API_KEY), COGNITIVE_ACCOUNT),
    _FoundryCategory.COGNITIVE_SEARCH.value: ((_AAD, _API_KEY), SEARCH_SERVICE),
    _FoundryCategory.AZURE_BLOB.value: ((_AAD,), STORAGE_ACCOUNT),
    _Category.AZURE_STORAGE_ACCOUNT.value: ((_AAD,), STORAGE_ACCOUNT),
    _FoundryCategory.COSMOS_DB.value: ((_AAD,), COSMOS_DB_ACCOUNT),
    _Category.APP_INSIGHTS.value: ((_API_KEY,), APPLICATION_INSIGHTS),
    _FoundryCategory.API_KEY.value: ((_API_KEY,), None),
    _FoundryCategory.CUSTOM_KEYS.value: ((_CUSTOM_KEYS,), None),
}
#: Hub categories a Foundry scope refuses, and why: both serve a hub's compute (prompt flow, compute instances,
#: notebooks), which a Foundry resource doesn't have ("Prompt flow: Hub-based only", Learn, foundry-classic
#: what-is-foundry, "Which type of project do I need?").
HUB_ONLY_CATEGORIES = {
    _Category.PYTHON_FEED.value: "package feeds serve a hub's prompt flow and compute instances",
    _Category.GIT.value: "Git connections serve a hub's notebooks and compute instances",
}
#: Categories whose target is the resource's ID, not an https endpoint.
RESOURCE_ID_TARGETS = (_Category.APP_INSIGHTS.value,)
AUTH_TYPES = (_AAD, _API_KEY, _CUSTOM_KEYS, _NONE)
KEY_AUTH_TYPES = (_API_KEY, _CUSTOM_KEYS)
#: The arguments that hold key material: sent only as Pulumi secrets, and marked
#: secret in the hosted schema (provider/__main__.py).
SECRET_INPUTS = ("api_key", "custom_keys")
_HTTPS_URL = re.compile(r"^https://[^\s/?#]+(?:[/?#]\S*)?$")
_METADATA_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,127}$")


def categories(scope: str = WORKSPACE_SCOPE) -> dict[str, tuple[tuple[str, ...], Optional[str]]]:
    """The category table of a scope."""
    return FOUNDRY_CATEGORIES if scope in FOUNDRY_SCOPES else CATEGORIES


class ConnectionArgs(TypedDict):
    """One connection: where it points and how it authenticates."""

    name: str
    """Required. Connection name, unique in its workspace: 3-33 letters, digits, '_' or '-'."""
    category: ml.ConnectionCategory
    """Required. AIServices, AzureOpenAI, CognitiveSearch, AzureBlob, ApiKey, CustomKeys, PythonFeed or Git (of
    azure-native's ConnectionCategory; a plain string works too). On a Foundry resource or project also
    AzureStorageAccount, CosmosDb and AppInsights, and not PythonFeed or Git.
    """
    target: pulumi.Input[str]
    """Required. The https endpoint of the target (AppInsights: the component's resource ID)."""
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


def default_auth_type(category: str, scope: str = WORKSPACE_SCOPE) -> str:
    table = categories(scope)
    return table[category][0][0] if category in table else "AAD"


def connection_problems(
    name: str,
    category: str,
    target: str,
    auth_type: Optional[str] = None,
    resource_id: Optional[str] = None,
    metadata: Optional[Mapping[str, object]] = None,
    known_later: Collection[str] = (),
    scope: str = WORKSPACE_SCOPE,
) -> list[tuple[str, str]]:
    """Why a connection spec is invalid, as (field, reason) pairs; empty when it is fine.

    `known_later` names fields (`target`, `resourceId`) whose values are Outputs
    of other resources: they count as given, but can't be checked yet. `scope`
    (workspace, account or project) picks the category table.
    """
    problems: list[tuple[str, str]] = []
    if not CONNECTION_NAME_PATTERN.match(name):
        problems.append(("name", "must be 3-33 letters, digits, '_' or '-', starting with a letter or digit"))
    table = categories(scope)
    if scope in FOUNDRY_SCOPES and category in HUB_ONLY_CATEGORIES:
        problems.append(("category", f"{category} is for hubs only: {HUB_ONLY_CATEGORIES[category]}, which a "
                                     "Foundry resource doesn't have"))
        return problems
    if category not in table:
        problems.append(("category", f"unknown category {category!r} (known: {', '.join(table)})"))
        return problems
    allowed_auth, resource_type = table[category]
    auth = auth_type or allowed_auth[0]
    if auth not in AUTH_TYPES:
        problems.append(("authType", f"unknown auth type {auth!r} (known: {', '.join(AUTH_TYPES)})"))
    elif auth not in allowed_auth:
        problems.append(("authType", f"{category} connections take {' or '.join(allowed_auth)}, not {auth}"))
    if "target" in known_later:
        pass
    elif category in RESOURCE_ID_TARGETS and resource_type is not None:
        try:
            parse_resource_id(target, resource_type)
        except ValueError as err:
            problems.append(("target", f"{category} connections target the resource itself: {err}"))
    elif not _HTTPS_URL.match(target):
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
    """A connection on a hub (shared with all its projects), on one of its projects, on a Foundry resource (shared
    with all its projects) or on one Foundry project."""

    # ConnectionArgs' fields, written out again: the schema of a hosted component
    # takes property descriptions from the class's own source, not its bases.
    name: pulumi.Input[str]
    """Required. Connection name, unique in its workspace: 3-33 letters, digits, '_' or '-'."""
    category: ml.ConnectionCategory
    """Required. AIServices, AzureOpenAI, CognitiveSearch, AzureBlob, ApiKey, CustomKeys, PythonFeed or Git (of
    azure-native's ConnectionCategory; a plain string works too). On a Foundry resource or project also
    AzureStorageAccount, CosmosDb and AppInsights, and not PythonFeed or Git.
    """
    target: pulumi.Input[str]
    """Required. The https endpoint of the target (AppInsights: the component's resource ID)."""
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
    workspace_name: NotRequired[pulumi.Input[str]]
    """Conditional. The hub or hub project workspace that holds the connection. Either this or `account_name`."""
    account_name: NotRequired[pulumi.Input[str]]
    """Conditional. The Foundry resource's account that holds the connection (shared with all its projects), or,
    with `project_name`, whose project holds it. Either this or `workspace_name`."""
    project_name: NotRequired[pulumi.Input[str]]
    """Optional. With `account_name`: the Foundry project that holds the connection."""
    resource_group_name: pulumi.Input[str]
    """Required. The resource group of the workspace or account."""


def connection_scope(args: Mapping[str, Any]) -> str:
    """The scope the holder arguments name: workspace_name, account_name, or account_name and project_name."""
    if args.get("account_name") is not None:
        return PROJECT_SCOPE if args.get("project_name") is not None else ACCOUNT_SCOPE
    return WORKSPACE_SCOPE


#: Per auth type, the property classes of a workspace connection (machinelearningservices) and of a Foundry
#: connection (cognitiveservices): the same REST schema, two azure-native modules.
_PROPERTY_CLASSES: dict[str, tuple[Any, Any]] = {
    _AAD: (ml.AADAuthTypeWorkspaceConnectionPropertiesArgs, cs.AADAuthTypeConnectionPropertiesArgs),
    _API_KEY: (ml.ApiKeyAuthWorkspaceConnectionPropertiesArgs, cs.ApiKeyAuthConnectionPropertiesArgs),
    _CUSTOM_KEYS: (ml.CustomKeysWorkspaceConnectionPropertiesArgs, cs.CustomKeysConnectionPropertiesArgs),
    _NONE: (ml.NoneAuthTypeWorkspaceConnectionPropertiesArgs, cs.NoneAuthTypeConnectionPropertiesArgs),
}


class SharedConnection(pulumi.ComponentResource):
    """A connection shared to all (projects of a hub or of a Foundry resource, or members of a project).

    `depends_on` in its options reaches the connection itself: writes to one
    workspace, account or project must not run in parallel ("Single thread these
    connections, else conflict errors tend to happen", Azure-Samples/microsoft-
    foundry-baseline), so a connection names the one before it.
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
        scope = connection_scope(args)
        foundry = scope in FOUNDRY_SCOPES
        category = args["category"]
        auth = args.get("auth_type") or default_auth_type(category, scope)
        common: dict[str, Any] = {
            "category": category,
            "target": args["target"],
            "is_shared_to_all": True,
            "metadata": connection_metadata(category, args.get("resource_id"), args.get("metadata")),
        }
        if auth not in _PROPERTY_CLASSES:
            raise ValueError(f"connection {args['name']}: unknown auth type {auth!r}")
        properties_class = _PROPERTY_CLASSES[auth][1 if foundry else 0]
        if auth == _API_KEY:
            api_key = args.get("api_key")
            if api_key is None:
                raise _missing_key(args)
            key = pulumi.Output.secret(api_key)
            common["credentials"] = cs.ConnectionApiKeyArgs(key=key) if foundry else ml.WorkspaceConnectionApiKeyArgs(
                key=key)
        elif auth == _CUSTOM_KEYS:
            keys = args.get("custom_keys")
            if keys is None:
                raise _missing_key(args)
            secret_keys = {k: pulumi.Output.secret(v) for k, v in keys.items()}
            common["credentials"] = cs.CustomKeysArgs(keys=secret_keys) if foundry else ml.CustomKeysArgs(
                keys=secret_keys)
        properties = properties_class(auth_type=auth, **common)

        options = pulumi.ResourceOptions(
            parent=self,
            # A component's depends_on doesn't hold back its children by itself.
            depends_on=(opts.depends_on if opts else None) or [],
            # Whatever Azure echoes back of the properties stays encrypted in state.
            additional_secret_outputs=["properties"] if auth in KEY_AUTH_TYPES else None,
        )
        connection: Any
        if scope == PROJECT_SCOPE:
            connection = cs.ProjectConnection(
                name,
                connection_name=args["name"],
                account_name=args["account_name"],
                project_name=args["project_name"],
                resource_group_name=args["resource_group_name"],
                properties=properties,
                opts=options,
            )
        elif scope == ACCOUNT_SCOPE:
            connection = cs.AccountConnection(
                name,
                connection_name=args["name"],
                account_name=args["account_name"],
                resource_group_name=args["resource_group_name"],
                properties=properties,
                opts=options,
            )
        else:
            connection = ml.WorkspaceConnection(
                name,
                connection_name=args["name"],
                workspace_name=args["workspace_name"],
                resource_group_name=args["resource_group_name"],
                properties=properties,
                opts=options,
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
    workspace_name: Optional[pulumi.Input[str]] = None,
    account_name: Optional[pulumi.Input[str]] = None,
    project_name: Optional[pulumi.Input[str]] = None,
    resource_group_name: pulumi.Input[str],
    prefix: str,
    parent: pulumi.Resource,
    after: Optional[pulumi.Resource | Sequence[pulumi.Resource]] = None,
) -> list[SharedConnection]:
    """Connections on one workspace, Foundry account or Foundry project, each waiting for the one before it.

    The holder is `workspace_name` (a hub or hub project), `account_name` (a
    Foundry resource) or `account_name` with `project_name` (a Foundry project).
    Parallel connection writes to one holder fail with conflicts, so the chain
    also waits for `after` (the hub's provider connection, say).
    """
    holder: dict[str, pulumi.Input[str]] = {}
    for key, value in (("workspace_name", workspace_name), ("account_name", account_name),
                       ("project_name", project_name)):
        if value is not None:
            holder[key] = value
    created: list[SharedConnection] = []
    previous: list[pulumi.Resource] = (list(after) if isinstance(after, Sequence) else
                                       [after] if after is not None else [])
    for spec in specs:
        connection = SharedConnection(
            f"{prefix}-{spec['name']}",
            SharedConnectionArgs(**spec, **holder, resource_group_name=resource_group_name),  # type: ignore[typeddict-item]
            pulumi.ResourceOptions(parent=parent, depends_on=previous),
        )
        created.append(connection)
        previous = [connection]
    return created
