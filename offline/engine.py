"""Run a Pulumi program in-process under mocks and record everything it registers.

No Pulumi CLI, no credentials, no network: the program talks to a mock
resource monitor that answers with plausible Azure state (ARM IDs, endpoints,
principal IDs) and keeps every registration request as the engine would see
it: type, name, parent, inputs in wire (camelCase) form with secrets still
marked, dependencies and resource options.

Used by the offline plan (`python -m offline.plan`) and by the tests.
"""

import contextlib
import inspect
import logging
import os
import re
import runpy
import sys
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

MOCK_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
MOCK_TENANT = "11111111-1111-1111-1111-111111111111"
MOCK_CLIENT_OBJECT_ID = "22222222-2222-2222-2222-222222222222"
SECRET_MASK = "[secret]"
_NS = uuid.UUID("0b1d7a3e-5c55-4d9e-9a0e-6f2f4d1c8b77")

# Pulumi type token -> ARM type path below the resource group, and the input
# that carries each name segment. Unknown types still get a unique ID.
_ARM_TYPES: dict[str, list[tuple[str, str]]] = {
    "azure-native:storage:StorageAccount": [("Microsoft.Storage/storageAccounts", "accountName")],
    "azure-native:storage:BlobServiceProperties": [
        ("Microsoft.Storage/storageAccounts", "accountName"),
        ("blobServices", "blobServicesName"),
    ],
    "azure-native:keyvault:Vault": [("Microsoft.KeyVault/vaults", "vaultName")],
    "azure-native:operationalinsights:Workspace": [("Microsoft.OperationalInsights/workspaces", "workspaceName")],
    "azure-native:applicationinsights:Component": [("Microsoft.Insights/components", "resourceName")],
    "azure-native:containerregistry:Registry": [("Microsoft.ContainerRegistry/registries", "registryName")],
    "azure-native:cognitiveservices:Account": [("Microsoft.CognitiveServices/accounts", "accountName")],
    "azure-native:cognitiveservices:Deployment": [
        ("Microsoft.CognitiveServices/accounts", "accountName"),
        ("deployments", "deploymentName"),
    ],
    "azure-native:machinelearningservices:Workspace": [
        ("Microsoft.MachineLearningServices/workspaces", "workspaceName")
    ],
    "azure-native:machinelearningservices:WorkspaceConnection": [
        ("Microsoft.MachineLearningServices/workspaces", "workspaceName"),
        ("connections", "connectionName"),
    ],
    "azure-native:keyvault:Key": [("Microsoft.KeyVault/vaults", "vaultName"), ("keys", "keyName")],
    "azure-native:machinelearningservices:Compute": [
        ("Microsoft.MachineLearningServices/workspaces", "workspaceName"),
        ("computes", "computeName"),
    ],
    "azure-native:managedidentity:UserAssignedIdentity": [
        ("Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName")
    ],
    "azure-native:monitor:PrivateLinkScope": [("Microsoft.Insights/privateLinkScopes", "scopeName")],
    "azure-native:monitor:PrivateLinkScopedResource": [
        ("Microsoft.Insights/privateLinkScopes", "scopeName"),
        ("scopedResources", "name"),
    ],
    "azure-native:network:VirtualNetwork": [("Microsoft.Network/virtualNetworks", "virtualNetworkName")],
    "azure-native:network:Subnet": [
        ("Microsoft.Network/virtualNetworks", "virtualNetworkName"),
        ("subnets", "subnetName"),
    ],
    "azure-native:network:PrivateEndpoint": [("Microsoft.Network/privateEndpoints", "privateEndpointName")],
    "azure-native:network:PrivateDnsZoneGroup": [
        ("Microsoft.Network/privateEndpoints", "privateEndpointName"),
        ("privateDnsZoneGroups", "privateDnsZoneGroupName"),
    ],
    "azure-native:privatedns:PrivateZone": [("Microsoft.Network/privateDnsZones", "privateZoneName")],
    "azure-native:privatedns:VirtualNetworkLink": [
        ("Microsoft.Network/privateDnsZones", "privateZoneName"),
        ("virtualNetworkLinks", "virtualNetworkLinkName"),
    ],
}


def principal_for(resource_id: str) -> str:
    """The mock principal ID of a resource's system-assigned identity."""
    return str(uuid.uuid5(_NS, resource_id.lower()))


@dataclass
class Registration:
    """One RegisterResource request, as the engine received it."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    inputs: dict[str, Any]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    protect: Optional[bool]
    retain_on_delete: Optional[bool]
    ignore_changes: list[str]
    deleted_with: str
    provider: str
    additional_secret_outputs: list[str] = field(default_factory=list)
    aliases: int = 0
    id: str = ""
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProgramRun:
    """Everything a program run registered and exported."""

    registrations: list[Registration]
    outputs: dict[str, Any]
    secret_outputs: set[str]
    invokes: list[tuple[str, dict[str, Any]]]
    error: Optional[BaseException] = None
    """What the program raised, when run with check=False."""
    warnings: list[str] = field(default_factory=list)
    """What the program logged with pulumi.log.warn (shown by `pulumi up` as warnings)."""
    errors: list[str] = field(default_factory=list)
    """What the program logged with pulumi.log.error: a real `pulumi up` fails with these."""
    stack_transforms: int = 0
    """How many stack transforms the program registered."""

    def by_type(self, type_: str) -> list[Registration]:
        return sorted((r for r in self.registrations if r.type == type_), key=lambda r: r.urn)

    def one(self, type_: str, name: Optional[str] = None, **inputs: Any) -> Registration:
        """The one resource of `type_` (with that logical name, and those input values)."""
        found = [
            r for r in self.by_type(type_)
            if (name is None or r.name == name) and all(r.inputs.get(k) == v for k, v in inputs.items())
        ]
        if len(found) != 1:
            raise AssertionError(f"expected one {type_} {name or ''} {inputs or ''}, found {[r.name for r in found]}")
        return found[0]

    def by_urn(self, urn: str) -> Registration:
        return next(r for r in self.registrations if r.urn == urn)

    @property
    def resources(self) -> list[Registration]:
        """What a deploy would create: no providers, no stack."""
        return [r for r in self.registrations if not r.type.startswith("pulumi:")]


def _name_of(inputs: dict[str, Any], key: str, fallback: str) -> str:
    value = inputs.get(key)
    return value if isinstance(value, str) and value else fallback


def _arm_id(type_: str, name: str, inputs: dict[str, Any]) -> str:
    if type_ == "azure-native:resources:ResourceGroup":
        return f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{_name_of(inputs, 'resourceGroupName', name)}"
    scoped = {
        "azure-native:monitor:DiagnosticSetting": ("resourceUri", "Microsoft.Insights/diagnosticSettings", "name"),
        "azure-native:authorization:PolicyAssignment": ("scope", "Microsoft.Authorization/policyAssignments",
                                                        "policyAssignmentName"),
        "azure-native:consumption:Budget": ("scope", "Microsoft.Consumption/budgets", "budgetName"),
    }
    if type_ in scoped:
        scope_key, kind, name_key = scoped[type_]
        return f"{inputs.get(scope_key)}/providers/{kind}/{inputs.get(name_key, name)}"
    if type_ == "azure-native:authorization:ManagementLockByScope":
        return f"{inputs.get('scope')}/providers/Microsoft.Authorization/locks/{inputs.get('lockName', name)}"
    if type_ == "azure-native:authorization:RoleAssignment":
        assignment = inputs.get("roleAssignmentName", name)
        return f"{inputs.get('scope')}/providers/Microsoft.Authorization/roleAssignments/{assignment}"
    rg = inputs.get("resourceGroupName", "mock-rg")
    path = _ARM_TYPES.get(type_)
    if path is None:
        namespace, kind = type_.split(":")[1:3]
        path = [(f"Mock.{namespace}/{kind}", "")]
    segments = "/".join(
        f"{arm_type}/{_name_of(inputs, key, name) if key else name}" for arm_type, key in path
    )
    # The last segment's own input names it; a missing one means Azure auto-named it.
    return f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{rg}/providers/{segments}"


def _endpoint(kind: Optional[str], subdomain: str) -> str:
    host = "openai.azure.com" if kind == "OpenAI" else "cognitiveservices.azure.com"
    return f"https://{subdomain}.{host}/"


def _plain(value: Any) -> Any:
    """Inputs with secret markers unwrapped (what the provider would see)."""
    from pulumi.runtime import rpc

    value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _new_state(type_: str, name: str, inputs: dict[str, Any], location: str) -> tuple[str, dict[str, Any]]:
    inputs = _plain(inputs)
    resource_id = _arm_id(type_, name, inputs)
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
    if type_ == "azure-native:cognitiveservices:Account":
        props = dict(inputs.get("properties") or {})
        props["endpoint"] = _endpoint(inputs.get("kind"), props.get("customSubDomainName") or state["name"])
        state["properties"] = props
    elif type_ == "azure-native:managedidentity:UserAssignedIdentity":
        state.update(principalId=principal_for(resource_id), clientId=principal_for(resource_id + "/client"),
                     tenantId=MOCK_TENANT)
    elif type_ == "azure-native:keyvault:Key":
        state["keyUri"] = f"https://{inputs.get('vaultName')}.vault.azure.net/keys/{state['name']}"
        state["keyUriWithVersion"] = f"{state['keyUri']}/{uuid.uuid5(_NS, resource_id).hex}"
    elif type_ == "azure-native:keyvault:Vault":
        state["properties"] = {**(inputs.get("properties") or {}), "vaultUri": f"https://{state['name']}.vault.azure.net/"}
    return resource_id, state


class _Recorder:
    """Builds the mock monitor lazily, so importing this module loads no Pulumi runtime."""

    @staticmethod
    def make(
        location: str, previous_outputs: Optional[dict[str, Any]] = None, subscription: str = MOCK_SUBSCRIPTION,
        prior_state: Optional[dict[tuple[str, str], tuple[str, dict[str, Any]]]] = None,
    ) -> tuple[Any, list[Registration], list[tuple[str, dict[str, Any]]]]:
        from pulumi.runtime import mocks, rpc

        registrations: list[Registration] = []
        invokes: list[tuple[str, dict[str, Any]]] = []
        lock = threading.Lock()

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
                return _new_state(args.typ, args.name, args.inputs, location)

            def call(self, args: mocks.MockCallArgs) -> dict[str, Any]:
                with lock:
                    invokes.append((args.token, dict(args.args)))
                if args.token == "azure-native:authorization:getClientConfig":
                    return {
                        "clientId": MOCK_CLIENT_OBJECT_ID,
                        "objectId": MOCK_CLIENT_OBJECT_ID,
                        # The provider's `azure-native:subscriptionId` config, as the real one answers.
                        "subscriptionId": subscription,
                        "tenantId": MOCK_TENANT,
                    }
                if args.token == "azure-native:cognitiveservices:getAccount":
                    name = args.args.get("accountName", "account")
                    rg = args.args.get("resourceGroupName", "rg")
                    return {
                        "id": f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{rg}"
                              f"/providers/Microsoft.CognitiveServices/accounts/{name}",
                        "name": name,
                        "kind": "OpenAI",
                        "location": location,
                        "properties": {"endpoint": _endpoint("OpenAI", name)},
                    }
                if args.token == "azure-native:keyvault:getKey":
                    uri = f"https://{args.args.get('vaultName')}.vault.azure.net/keys/{args.args.get('keyName')}"
                    return {"keyUri": uri, "keyUriWithVersion": f"{uri}/{uuid.uuid5(_NS, uri).hex}"}
                if args.token == "azure-native:applicationinsights:getComponent":
                    # Workspace-based, unless its name says it is a classic component.
                    name, rg = args.args.get("resourceName", "appi"), args.args.get("resourceGroupName", "rg")
                    workspace = None if str(name).startswith("classic") else (
                        f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/{rg}"
                        f"/providers/Microsoft.OperationalInsights/workspaces/{name}-workspace")
                    return {"name": name, "workspaceResourceId": workspace}
                if args.token == "azuread:index/getServicePrincipal:getServicePrincipal":
                    # Object IDs differ per tenant; the mock tenant's is derived from the app ID.
                    client_id = str(args.args.get("clientId", ""))
                    return {"clientId": client_id, "objectId": principal_for(f"sp/{client_id}")}
                if args.token == "azure-native:keyvault:getVault":
                    # A vault whose name says so is private; every vault has purge protection.
                    private = str(args.args.get("vaultName", "")).startswith("private")
                    name = args.args.get("vaultName", "kv")
                    return {"properties": {
                        # What Azure always answers; without it the SDK can't type the result.
                        "hsmPoolResourceId": "", "privateEndpointConnections": [], "provisioningState": "Succeeded",
                        "sku": {"family": "A", "name": "standard"}, "tenantId": MOCK_TENANT,
                        "vaultUri": f"https://{name}.vault.azure.net/",
                        "enablePurgeProtection": True, "enableRbacAuthorization": True,
                        "publicNetworkAccess": "Disabled" if private else "Enabled",
                    }}
                return {}

        class RecordingMonitor(mocks.MockMonitor):
            def _apply_stack_transforms(self, request: Any) -> None:
                # The engine runs stack transforms before it registers a resource;
                # the mock monitor only records them, so run them here.
                from pulumi import ResourceOptions, ResourceTransformArgs
                from pulumi.runtime.sync_await import _sync_await

                props = rpc.deserialize_properties(request.object)
                changed = False
                for transform in self._stack_transforms:
                    result = transform(ResourceTransformArgs(
                        custom=bool(request.custom), type_=request.type, name=request.name, props=props,
                        opts=ResourceOptions(),
                    ))
                    if inspect.isawaitable(result):
                        result = _sync_await(result)
                    if result is not None:
                        props, changed = dict(result.props), True
                if changed:
                    request.object.CopyFrom(_sync_await(rpc.serialize_properties(props, {})))

            def RegisterResource(self, request: Any) -> Any:
                if self._stack_transforms and request.type != "pulumi:pulumi:Stack":
                    self._apply_stack_transforms(request)
                response = super().RegisterResource(request)
                if request.type == "pulumi:pulumi:Stack":
                    registered = {"id": "", "state": {}}
                else:
                    found = self.resources[response.urn]
                    registered = {"id": found.id or "", "state": found.state}
                with lock:
                    registrations.append(
                        Registration(
                            urn=response.urn,
                            type=request.type,
                            name=request.name,
                            custom=bool(request.custom),
                            parent=request.parent,
                            inputs=rpc.deserialize_properties(request.object),
                            dependencies=sorted(request.dependencies),
                            property_dependencies={
                                k: sorted(v.urns) for k, v in request.propertyDependencies.items()
                            },
                            protect=request.protect if request.HasField("protect") else None,
                            retain_on_delete=request.retainOnDelete if request.HasField("retainOnDelete") else None,
                            ignore_changes=list(request.ignoreChanges),
                            deleted_with=request.deletedWith,
                            provider=request.provider,
                            additional_secret_outputs=list(request.additionalSecretOutputs),
                            aliases=len(request.aliases) + len(request.aliasURNs),
                            **registered,
                        )
                    )
                return response

        mocks_ = AzureMocks()
        return (mocks_, RecordingMonitor(mocks_)), registrations, invokes


class _ListHandler(logging.Handler):
    """Warnings into one list, errors (which fail a real `pulumi up`) into another."""

    def __init__(self, warnings: list[str], errors: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.warnings, self.errors = warnings, errors

    def emit(self, record: logging.LogRecord) -> None:
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(record.getMessage())


_VERSION_ALIAS = re.compile(r"^azure-native:[^:/]+/v[0-9a-z]+:")


@contextlib.contextmanager
def _without_version_aliases() -> Iterator[None]:
    """Skip the API-version aliases azure-native adds to every resource.

    Each resource carries 10-40 of them (its type under older API versions);
    the SDK turns each into a URN through Outputs, which is most of the time
    a program spends under mocks. They only matter to a real engine migrating
    state between API versions, never to what a plan shows.
    """
    import pulumi

    merge = pulumi.ResourceOptions.merge

    def merge_without(opts1: Any, opts2: Any) -> Any:
        aliases = getattr(opts2, "aliases", None)
        if aliases:
            kept = [
                a for a in aliases
                if not (isinstance(a, pulumi.Alias) and _VERSION_ALIAS.match(str(a.type_ or "")))
            ]
            if len(kept) != len(aliases):
                opts2 = opts2._copy()
                opts2.aliases = kept or None
        return merge(opts1, opts2)

    pulumi.ResourceOptions.merge = staticmethod(merge_without)  # type: ignore[method-assign]
    try:
        yield
    finally:
        pulumi.ResourceOptions.merge = staticmethod(merge)  # type: ignore[method-assign]


def run(
    program: Callable[[], Any],
    config: Optional[dict[str, str]] = None,
    *,
    project: str = "project",
    stack: str = "stack",
    secret_keys: Optional[list[str]] = None,
    check: bool = True,
    version_aliases: bool = False,
    previous_outputs: Optional[dict[str, Any]] = None,
    prior_state: Optional[dict[tuple[str, str], tuple[str, dict[str, Any]]]] = None,
) -> ProgramRun:
    """Run `program` (a callable that declares resources) for a stack's config under mocks.

    `config` holds fully qualified keys (`ns:key`) with string or JSON values,
    as the engine passes them. An error the program raises propagates, or with
    `check=False` is returned in `ProgramRun.error` beside what was registered.
    `version_aliases=True` keeps azure-native's API-version aliases (slow; see
    `_without_version_aliases`). `previous_outputs` are what a StackReference
    reads: the stack outputs of the last deployment (none by default).
    `prior_state` makes a second run: resources found in it by (type, name) answer
    with that ID and state instead of new ones (see offline/drift.py).
    """
    from pulumi import Output
    from pulumi.runtime import mocks, settings
    from pulumi.runtime import stack as stack_mod
    from pulumi.runtime.config import set_all_config
    from pulumi.runtime.sync_await import _sync_await

    config = dict(config or {})
    (mocks_, monitor), registrations, invokes = _Recorder.make(
        config.get("azure-native:location", "westeurope"), previous_outputs,
        config.get("azure-native:subscriptionId", MOCK_SUBSCRIPTION), prior_state,
    )
    warnings: list[str] = []
    errors: list[str] = []
    logger = logging.getLogger(f"offline.engine.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.addHandler(_ListHandler(warnings, errors))
    # A previous run leaves its root stack and settings behind (context vars).
    settings.reset_options(project=project, stack=stack)
    mocks.set_mocks(mocks_, project=project, stack=stack, preview=False, monitor=monitor, logger=logger)
    set_all_config(config, list(secret_keys or []))

    try:
        with contextlib.nullcontext() if version_aliases else _without_version_aliases():
            _sync_await(stack_mod.run_pulumi_func(program))
    except Exception as err:  # noqa: BLE001 - handed back to the caller either way
        if check:
            raise
        return ProgramRun(registrations, {}, set(), invokes, error=err, warnings=warnings, errors=errors)
    root = settings.get_root_resource()
    outputs: dict[str, Any] = {}
    secret: set[str] = set()
    for key, value in (getattr(root, "outputs", None) or {}).items():
        out = Output.from_input(value)
        outputs[key] = _sync_await(out.future())
        if _sync_await(out.is_secret()):
            secret.add(key)
    return ProgramRun(registrations, outputs, secret, invokes, warnings=warnings, errors=errors,
                      stack_transforms=len(monitor.get_registered_transforms()))


def run_program(main: Path, config: dict[str, str], **kwargs: Any) -> ProgramRun:
    """Run the program file `main` (a Pulumi `__main__.py`) as `pulumi up` would, under mocks."""
    program_dir = str(main.parent.resolve())
    added = program_dir not in sys.path
    if added:
        sys.path.insert(0, program_dir)
    try:
        return run(lambda: runpy.run_path(str(main), run_name="__main__"), config, **kwargs)
    finally:
        if added:
            sys.path.remove(program_dir)


# -- stack files ------------------------------------------------------------------
# Read as the Pulumi CLI reads them: see offline/stackfile.py.

from .stackfile import StackFileError as StackFileError  # noqa: E402 - re-exported
from .stackfile import config_from_yaml as config_from_yaml  # noqa: E402
from .stackfile import offline_secret as offline_secret  # noqa: E402
from .stackfile import read_stack_config  # noqa: E402
from .stackfile import read_yaml as read_yaml  # noqa: E402


def load_stack_config(
    root: Path, stack: str, stack_file: Optional[Path] = None
) -> tuple[str, dict[str, str], list[str]]:
    """(project name, config, secret keys) for `Pulumi.<stack>.yaml` (or `stack_file`) beside `Pulumi.yaml`.

    Raises StackFileError with every problem the stack file has (see read_stack_config).
    """
    found = read_stack_config(root, stack, stack_file)
    if found.problems:
        name = (stack_file or root / f"Pulumi.{stack}.yaml").name
        raise StackFileError(f"{name}: {len(found.problems)} problem(s)", found.problems)
    return found.project, found.config, found.secret_keys


def quiet_grpc() -> None:
    """Silence gRPC's fork and shutdown chatter in a command-line run."""
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
