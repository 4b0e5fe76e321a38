"""Run a Pulumi program in-process under mocks and record everything it registers.

No Pulumi CLI, no credentials, no network: the program talks to a mock
resource monitor (offline/recorder.py) that answers with plausible Azure state
(offline/azure_state.py: ARM IDs, endpoints, principal IDs) and keeps every
registration request as the engine would see it: type, name, parent, inputs in
wire (camelCase) form with secrets still marked, dependencies and resource options.

Used by the offline plan (`python -m offline.plan`) and by the tests, which import
the run and its parts from here.
"""

import contextlib
import logging
import os
import re
import runpy
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from .azure_state import MOCK_SUBSCRIPTION, PriorState, azure_mocks
from .azure_state import MOCK_TENANT as MOCK_TENANT
from .azure_state import principal_for as principal_for
from .recorder import SECRET_MASK as SECRET_MASK
from .recorder import LogRecorder, Registration, recording_monitor
from .recorder import plain as plain
from .stackfile import StackFileError as StackFileError
from .stackfile import config_from_yaml as config_from_yaml
from .stackfile import load_stack_config as load_stack_config
from .stackfile import offline_secret as offline_secret
from .stackfile import read_stack_config as read_stack_config


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
    prior_state: Optional[PriorState] = None,
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
    mocks_, invokes = azure_mocks(
        config.get("azure-native:location", "westeurope"), previous_outputs,
        config.get("azure-native:subscriptionId", MOCK_SUBSCRIPTION), prior_state,
    )
    monitor, registrations = recording_monitor(mocks_)
    warnings: list[str] = []
    errors: list[str] = []
    logger = logging.getLogger(f"offline.engine.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.addHandler(LogRecorder(warnings, errors))
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


def quiet_grpc() -> None:
    """Silence gRPC's fork and shutdown chatter in a command-line run."""
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
