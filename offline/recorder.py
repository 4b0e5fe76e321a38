"""The recording monitor: every RegisterResource request kept as the engine received it.

Type, name, parent, inputs in wire (camelCase) form with secrets still marked,
dependencies and resource options; stack transforms run first, as the engine runs
them. The monitor is built lazily, so importing this module loads no Pulumi runtime.
"""

import inspect
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Optional

SECRET_MASK = "[secret]"


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
    replace_on_changes: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    aliases: int = 0
    alias_specs: list[dict[str, Any]] = field(default_factory=list)
    """The aliases as the engine receives them: each a URN (`{"urn": ...}`) or a spec with the fields of the
    RegisterResource request's Alias.Spec (name, type, stack, project, parentUrn or noParent), empty ones left
    out, so a test can resolve them to the URNs the engine would look for in state."""
    id: str = ""
    state: dict[str, Any] = field(default_factory=dict)


def _alias_spec(alias: Any) -> dict[str, Any]:
    """One Alias of a RegisterResource request as a dict (see Registration.alias_specs)."""
    if alias.HasField("urn"):
        return {"urn": alias.urn}
    spec = alias.spec
    found: dict[str, Any] = {key: getattr(spec, key) for key in ("name", "type", "stack", "project")
                             if getattr(spec, key)}
    # An empty parentUrn means "the resource's current parent", as the engine reads it.
    if spec.WhichOneof("parent") == "parentUrn" and spec.parentUrn:
        found["parentUrn"] = spec.parentUrn
    elif spec.WhichOneof("parent") == "noParent" and spec.noParent:
        found["noParent"] = True
    return found


def plain(value: Any) -> Any:
    """Inputs with secret markers unwrapped (what the provider would see)."""
    from pulumi.runtime import rpc

    value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def mask_secrets(value: Any) -> Any:
    """Inputs as they may be shown: every secret replaced by a mask."""
    from pulumi.runtime import rpc

    if rpc.is_rpc_secret(value):
        return SECRET_MASK
    if isinstance(value, dict):
        return {k: mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


def recording_monitor(mocks_: Any) -> tuple[Any, list[Registration]]:
    """A mock monitor answering from `mocks_`, and the list it records every registration into."""
    from pulumi.runtime import mocks, rpc

    registrations: list[Registration] = []
    lock = threading.Lock()

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
            # MockMonitor is unannotated (pulumi/runtime/mocks.py); the response is a RegisterResourceResponse.
            response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
            state: dict[str, Any]
            if request.type == "pulumi:pulumi:Stack":
                resource_id, state = "", {}
            else:
                found = self.resources[response.urn]
                resource_id, state = found.id or "", found.state
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
                        replace_on_changes=list(request.replaceOnChanges),
                        delete_before_replace=bool(request.deleteBeforeReplace),
                        aliases=len(request.aliases) + len(request.aliasURNs),
                        alias_specs=[_alias_spec(a) for a in request.aliases]
                        + [{"urn": urn} for urn in request.aliasURNs],
                        id=resource_id,
                        state=state,
                    )
                )
            return response

    return RecordingMonitor(mocks_), registrations


class LogRecorder(logging.Handler):
    """Warnings into one list, errors (which fail a real `pulumi up`) into another."""

    def __init__(self, warnings: list[str], errors: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.warnings, self.errors = warnings, errors

    def emit(self, record: logging.LogRecord) -> None:
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(record.getMessage())
