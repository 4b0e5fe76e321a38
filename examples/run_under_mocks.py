"""Run an example program under the mocks of Pulumi's unit-testing guide, with only the installed package.

    python examples/run_under_mocks.py examples/hub-with-project [aihub:index:AIProject ...]

The mocks are the guide's, unchanged (pulumi.com/docs/iac/concepts/testing/unit):
`new_resource` returns the name plus `_id` and echoes the inputs, `call` returns
nothing. A consumer's own unit tests use exactly these, so the components must
work with them. Prints what the program registered and exits non-zero if it
registered no hub (or not every type named after the folder), so CI can check that
a pip-installed package works on its own.
"""

import runpy
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pulumi
from pulumi.runtime import mocks, rpc, settings, stack
from pulumi.runtime.sync_await import _sync_await


class CanonicalMocks(pulumi.runtime.Mocks):
    """The mocks of Pulumi's unit-testing guide, as written there."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):  # type: ignore[no-untyped-def]
        return [args.name + '_id', args.inputs]

    def call(self, args: pulumi.runtime.MockCallArgs):  # type: ignore[no-untyped-def]
        return {}


@dataclass
class Registered:
    type: str
    name: str
    urn: str
    parent: str
    inputs: dict[str, Any]


@dataclass
class Run:
    registered: list[Registered] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.registered if r.type == type_]


class _RecordingMonitor(mocks.MockMonitor):
    """Pulumi's own mock monitor; it only notes what the program sent (the mocks' answers are untouched)."""

    def __init__(self, mocks_: pulumi.runtime.Mocks, into: Run) -> None:
        super().__init__(mocks_)
        self.into = into

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method's name
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.into.registered.append(Registered(request.type, request.name, response.urn, request.parent,
                                                   rpc.deserialize_properties(request.object)))
        return response

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 - a StackReference or a `get` reads, not registers
        response = super().ReadResource(request)
        self.into.registered.append(Registered(request.type, request.name, response.urn, request.parent,
                                               rpc.deserialize_properties(request.properties)))
        return response


def run(program: Callable[[], Any], project: str = "example", stack_name: str = "test") -> Run:
    """Run `program` under the canonical mocks; an error it raises propagates."""
    found = Run()
    canonical = CanonicalMocks()
    # A previous run leaves its root stack behind (a context variable).
    settings.reset_options(project=project, stack=stack_name)
    mocks.set_mocks(canonical, project=project, stack=stack_name, preview=False,
                    monitor=_RecordingMonitor(canonical, found))
    _sync_await(stack.run_pulumi_func(program))
    root = settings.get_root_resource()
    for key, value in (getattr(root, "outputs", None) or {}).items():
        found.outputs[key] = _sync_await(pulumi.Output.from_input(value).future())
    return found


def main(folder: str, *expected: str) -> int:
    program = Path(folder).resolve() / "__main__.py"
    found = run(lambda: runpy.run_path(str(program), run_name="__main__"))
    types = [r.type for r in found.registered]
    kinds = {t: types.count(t) for t in sorted(set(types))}
    for kind, count in kinds.items():
        print(f"{count:3} {kind}")
    needed = ("aihub:index:AIHub", "azure-native:machinelearningservices:Workspace", *expected)
    missing = [t for t in needed if t not in kinds]
    if missing:
        print(f"missing: {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
