"""The mock Azure: plausible state for each resource a program creates, and answers to its invokes.

Resource IDs are built from the resource type registry (components/resource_types.py),
with the names the program sends; endpoints, principal IDs and key URIs follow Azure's
shapes. The `Mocks` class is built lazily, so importing this module loads no Pulumi runtime.
"""

import threading
import uuid
from typing import Any, Mapping, Optional

from components.resource_types import (
    ACCOUNT,
    COSMOS,
    IDENTITY,
    KEY,
    LOGS,
    PROJECT_ACCOUNT,
    RESOURCE_GROUP,
    RESOURCE_GROUP_SCOPE,
    SEARCH,
    STORAGE,
    SUBSCRIPTION_SCOPE,
    TYPES,
    VAULT,
)

from .recorder import plain

MOCK_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
MOCK_TENANT = "11111111-1111-1111-1111-111111111111"
MOCK_CLIENT_OBJECT_ID = "22222222-2222-2222-2222-222222222222"
_NS = uuid.UUID("0b1d7a3e-5c55-4d9e-9a0e-6f2f4d1c8b77")

#: azure-native's generic resource (any ARM type by namespace, parent path and type, at an API version of the
#: program's choosing): the escape hatch for properties the typed SDK lacks (see components/foundry_project.py).
GENERIC_RESOURCE = "azure-native:resources:Resource"

PriorState = dict[tuple[str, str], tuple[str, dict[str, Any]]]
"""(type, name) -> (ID, state) of resources that already exist (see offline/drift.py)."""


def principal_for(resource_id: str) -> str:
    """The mock principal ID of a resource's system-assigned identity."""
    return str(uuid.uuid5(_NS, resource_id.lower()))


def workspace_id_for(resource_id: str) -> str:
    """The mock workspace ID (`internalId`) of a Foundry project: 32 hex digits, derived from its resource ID."""
    return uuid.uuid5(_NS, "workspace:" + resource_id.lower()).hex


def _name_of(inputs: dict[str, Any], key: str, fallback: str) -> str:
    value = inputs.get(key)
    return value if isinstance(value, str) and value else fallback


def arm_id(type_: str, name: str, inputs: dict[str, Any]) -> str:
    """The resource ID Azure would give a resource of `type_` created with these (plain) inputs."""
    if type_ == RESOURCE_GROUP:
        return f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{_name_of(inputs, 'resourceGroupName', name)}"
    if type_ == GENERIC_RESOURCE:
        generic = "/".join(str(p) for p in (inputs.get("resourceProviderNamespace"), inputs.get("parentResourcePath"),
                                             inputs.get("resourceType"), _name_of(inputs, "resourceName", name)) if p)
        return f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{inputs.get('resourceGroupName', 'mock-rg')}" \
               f"/providers/{generic}"
    known = TYPES.get(type_)
    if known is not None and known.scope not in (RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE):
        # An extension resource, under the resource its scope input names.
        return f"{inputs.get(known.scope)}/providers/{known.arm_type}/{inputs.get(known.name_input, name)}"
    rg = inputs.get("resourceGroupName", "mock-rg")
    if known is None:
        # Unknown types still get a unique ID.
        namespace, kind = type_.split(":")[1:3]
        path = [(f"Mock.{namespace}/{kind}", "")]
    else:
        path = list(known.segments)
    segments = "/".join(
        f"{arm_type}/{_name_of(inputs, key, name) if key else name}" for arm_type, key in path
    )
    # The last segment's own input names it; a missing one means Azure auto-named it.
    return f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{rg}/providers/{segments}"


def endpoint(kind: Optional[str], subdomain: str) -> str:
    """A Cognitive Services account's endpoint (an OpenAI account's has its own host)."""
    host = "openai.azure.com" if kind == "OpenAI" else "cognitiveservices.azure.com"
    return f"https://{subdomain}.{host}/"


def cosmos_endpoint(name: str) -> str:
    """A Cosmos DB account's document endpoint."""
    return f"https://{name}.documents.azure.com:443/"


def storage_endpoints(name: str) -> dict[str, str]:
    """A storage account's primary endpoints (every one the SDK's EndpointsResponse requires)."""
    return {service: f"https://{name}.{service}.core.windows.net/"
            for service in ("blob", "dfs", "file", "queue", "table", "web")}


def account_endpoints(subdomain: str) -> dict[str, str]:
    """The endpoints an AIServices account answers with (`properties.endpoints`), by the names Azure gives them.

    The REST spec's AccountProperties.endpoints (read-only map), with the keys `az cognitiveservices account show`
    returns and public templates read: "AI Foundry API" on services.ai.azure.com and "OpenAI Language Model
    Instance API" on openai.azure.com.
    """
    return {"AI Foundry API": f"https://{subdomain}.services.ai.azure.com/",
            "OpenAI Language Model Instance API": f"https://{subdomain}.openai.azure.com/"}


def project_endpoint(subdomain: str, project: str) -> str:
    """A Foundry project's endpoint for the SDKs and the Agent Service (`properties.endpoints["AI Foundry API"]`).

    Learn, foundry/quickstarts/get-started-code ("Your project endpoint: https://<resource>.services.ai.azure.com/
    api/projects/<project>").
    """
    return f"https://{subdomain}.services.ai.azure.com/api/projects/{project}"


def new_state(
    type_: str, name: str, inputs: dict[str, Any], location: str, subdomains: Optional[Mapping[str, str]] = None
) -> tuple[str, dict[str, Any]]:
    """(ID, state) of a resource just created: its inputs, and the outputs Azure adds.

    `subdomains`: account name -> custom subdomain of the accounts created so far, for their projects' endpoints
    (an account not among them answers on its own name).
    """
    inputs = plain(inputs)
    resource_id = arm_id(type_, name, inputs)
    state = dict(inputs)
    state.setdefault("name", resource_id.rsplit("/", 1)[-1])
    state.setdefault("location", location)
    identity = inputs.get("identity")
    if isinstance(identity, dict):
        identity = dict(identity)
        if isinstance(identity.get("userAssignedIdentities"), list):
            # Sent as a list of IDs; Azure answers with a map keyed by ID.
            identity["userAssignedIdentities"] = {
                uai: {"principalId": principal_for(uai), "clientId": principal_for(uai + "/client")}
                for uai in identity["userAssignedIdentities"]
            }
        if "SystemAssigned" in str(identity.get("type", "")):
            identity.update(principalId=principal_for(resource_id), tenantId=MOCK_TENANT)
        state["identity"] = identity
    if type_ == ACCOUNT:
        props = dict(inputs.get("properties") or {})
        subdomain = props.get("customSubDomainName") or state["name"]
        props["endpoint"] = endpoint(inputs.get("kind"), subdomain)
        if inputs.get("kind") == "AIServices":
            props["endpoints"] = account_endpoints(subdomain)
        state["properties"] = props
    elif type_ == PROJECT_ACCOUNT:
        account = str(inputs.get("accountName"))
        state["properties"] = {
            **(inputs.get("properties") or {}),
            # What Azure always answers (ProjectProperties: endpoints, isDefault, provisioningState are required
            # in the response); without them the SDK can't type the result.
            "endpoints": {"AI Foundry API": project_endpoint((subdomains or {}).get(account, account), state["name"])},
            "isDefault": False,
            "provisioningState": "Succeeded",
        }
    elif type_ == COSMOS:
        # DatabaseAccountGetResults.properties.documentEndpoint (azure-native flattens it to `documentEndpoint`).
        state["documentEndpoint"] = cosmos_endpoint(state["name"])
    elif type_ == SEARCH:
        # SearchServiceProperties.endpoint (search 2025-05-01): the service's own host on search.windows.net.
        state["endpoint"] = f"https://{state['name']}.search.windows.net"
    elif type_ == IDENTITY:
        state.update(principalId=principal_for(resource_id), clientId=principal_for(resource_id + "/client"),
                     tenantId=MOCK_TENANT)
    elif type_ == KEY:
        state["keyUri"] = f"https://{inputs.get('vaultName')}.vault.azure.net/keys/{state['name']}"
        state["keyUriWithVersion"] = f"{state['keyUri']}/{uuid.uuid5(_NS, resource_id).hex}"
    elif type_ == STORAGE:
        state["primaryEndpoints"] = storage_endpoints(state["name"])
    elif type_ == VAULT:
        state["properties"] = {**(inputs.get("properties") or {}), "vaultUri": f"https://{state['name']}.vault.azure.net/"}
    return resource_id, state


def invoke_result(token: str, args: dict[str, Any], location: str, subscription: str) -> dict[str, Any]:
    """What Azure (or Entra ID) answers to an invoke the program makes; {} for one it doesn't know."""
    if token == "azure-native:authorization:getClientConfig":
        return {
            "clientId": MOCK_CLIENT_OBJECT_ID,
            "objectId": MOCK_CLIENT_OBJECT_ID,
            # The provider's `azure-native:subscriptionId` config, as the real one answers.
            "subscriptionId": subscription,
            "tenantId": MOCK_TENANT,
        }
    if token == "azure-native:cognitiveservices:getAccount":
        name = args.get("accountName", "account")
        kind = "AIServices" if str(name).startswith("ais") else "OpenAI"
        # An `ais-` account has project management on, unless its name says it hasn't yet.
        managed = "nopm" not in str(name)
        rg = args.get("resourceGroupName", "rg")
        return {
            "id": f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{rg}"
                  f"/providers/{TYPES[ACCOUNT].arm_type}/{name}",
            "name": name,
            # What its name says: an `ais-` account is an AIServices one with project management (a hub's, or a
            # Foundry resource's), any other an Azure OpenAI one.
            "kind": kind,
            "location": location,
            "properties": {"endpoint": endpoint(kind, name),
                           **({"allowProjectManagement": managed} if kind == "AIServices" else {})},
        }
    if token == "azure-native:resources:getResource":
        # A generic GET: the resource's ID and name, and for a Foundry project the `internalId` (its workspace ID,
        # 32 hex digits without dashes, as foundry-samples' format-project-workspace-id.bicep takes it), which the
        # typed SDK doesn't return. Derived from the ID, so every run answers the same.
        path = "/".join(str(p) for p in (args.get("resourceProviderNamespace"), args.get("parentResourcePath"),
                                          args.get("resourceType"), args.get("resourceName")) if p)
        resource_id = (f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{args.get('resourceGroupName', 'rg')}"
                       f"/providers/{path}")
        properties: dict[str, Any] = {}
        if str(args.get("resourceType", "")).lower() == "projects":
            properties["internalId"] = workspace_id_for(resource_id)
        return {"id": resource_id, "name": args.get("resourceName"), "location": location, "properties": properties}
    if token == "azure-native:keyvault:getKey":
        uri = f"https://{args.get('vaultName')}.vault.azure.net/keys/{args.get('keyName')}"
        # RSA 2048, unless its name says it is an elliptic-curve key or another size.
        name = str(args.get("keyName", ""))
        key_type: dict[str, Any] = {"kty": "EC", "curveName": "P-256"} if "ec" in name.split("-") else {
            "kty": "RSA", "keySize": 3072 if "3072" in name else 2048}
        return {"keyUri": uri, "keyUriWithVersion": f"{uri}/{uuid.uuid5(_NS, uri).hex}", **key_type}
    if token == "azure-native:applicationinsights:getComponent":
        # Workspace-based, unless its name says it is a classic component.
        name, rg = args.get("resourceName", "appi"), args.get("resourceGroupName", "rg")
        workspace = None if str(name).startswith("classic") else (
            f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{rg}"
            f"/providers/{TYPES[LOGS].arm_type}/{name}-workspace")
        return {"name": name, "workspaceResourceId": workspace}
    if token == "azuread:index/getServicePrincipal:getServicePrincipal":
        # Object IDs differ per tenant; the mock tenant's is derived from the app ID.
        client_id = str(args.get("clientId", ""))
        return {"clientId": client_id, "objectId": principal_for(f"sp/{client_id}")}
    if token == "azure-native:keyvault:getVault":
        # A vault whose name says so is private; every vault has purge protection.
        private = str(args.get("vaultName", "")).startswith("private")
        name = args.get("vaultName", "kv")
        return {"properties": {
            # What Azure always answers; without it the SDK can't type the result.
            "hsmPoolResourceId": "", "privateEndpointConnections": [], "provisioningState": "Succeeded",
            "sku": {"family": "A", "name": "standard"}, "tenantId": MOCK_TENANT,
            "vaultUri": f"https://{name}.vault.azure.net/",
            "enablePurgeProtection": True, "enableRbacAuthorization": True,
            "publicNetworkAccess": "Disabled" if private else "Enabled",
        }}
    if token == "azure-native:network:getSubnet":
        # Delegated to the Agent Service, unless its name says it isn't; a /24, unless its name says it's small.
        name = str(args.get("subnetName", "snet"))
        delegations = [] if name.startswith("undelegated") else [{
            "name": "Microsoft.App/environments", "serviceName": "Microsoft.App/environments",
            "actions": ["Microsoft.Network/virtualNetworks/subnets/join/action"], "etag": "mock",
            "provisioningState": "Succeeded",
        }]
        return {"name": name, "delegations": delegations,
                "addressPrefix": "10.30.0.0/28" if "small" in name else "10.30.0.0/24"}
    if token == "azure-native:cosmosdb:getDatabaseAccount":
        return {"name": args.get("accountName"), "documentEndpoint": cosmos_endpoint(str(args.get("accountName")))}
    if token == "azure-native:storage:getStorageAccount":
        return {"name": args.get("accountName"), "primaryEndpoints": storage_endpoints(str(args.get("accountName")))}
    return {}


def azure_mocks(
    location: str, previous_outputs: Optional[dict[str, Any]] = None, subscription: str = MOCK_SUBSCRIPTION,
    prior_state: Optional[PriorState] = None,
) -> tuple[Any, list[tuple[str, dict[str, Any]]]]:
    """Pulumi `Mocks` answering as Azure would, and the list every invoke it answers is recorded into."""
    from pulumi.runtime import mocks

    invokes: list[tuple[str, dict[str, Any]]] = []
    lock = threading.Lock()
    subdomains: dict[str, str] = {}

    class AzureMocks(mocks.Mocks):
        def new_resource(self, args: mocks.MockResourceArgs) -> tuple[Optional[str], dict[str, Any]]:
            if args.typ == "pulumi:pulumi:StackReference":
                # What the stack exported when it was last deployed, if the caller knows.
                return args.name, {"name": args.name, "outputs": dict(previous_outputs or {}),
                                   "secretOutputNames": []}
            if not args.custom:
                return None, {}
            if args.typ.startswith("pulumi:providers:"):
                return f"{args.name}-provider-id", dict(args.inputs)
            if prior_state and (args.typ, args.name) in prior_state:
                # A second run: the resource exists, with the state the last run (and Azure) left.
                return prior_state[(args.typ, args.name)]
            if args.typ == ACCOUNT:
                found = plain(args.inputs)
                account = found.get("accountName")
                subdomain = (found.get("properties") or {}).get("customSubDomainName")
                if isinstance(account, str) and isinstance(subdomain, str):
                    with lock:
                        subdomains[account] = subdomain
            return new_state(args.typ, args.name, args.inputs, location, subdomains)

        def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], Optional[list[tuple[str, str]]]]:
            with lock:
                invokes.append((args.token, dict(args.args)))
            # No check failures: an empty list, not None, because MockMonitor.Invoke iterates the second item of a
            # tuple (pulumi/runtime/mocks.py) although Mocks.call's annotation allows None.
            return invoke_result(args.token, args.args, location, subscription), []

    return AzureMocks(), invokes
