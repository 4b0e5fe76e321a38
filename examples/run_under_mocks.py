"""Run an example program under Pulumi mocks, with only the installed package and the SDKs.

    python examples/run_under_mocks.py examples/hub-with-project

Prints what the program registered and exits non-zero if it registered no hub
or project, so CI can check that a pip-installed package works on its own.
"""

import runpy
import sys
from pathlib import Path

import pulumi
from pulumi.runtime import mocks, settings, stack
from pulumi.runtime.sync_await import _sync_await

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.types: list[str] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):  # type: ignore[no-untyped-def]
        self.types.append(args.typ)
        name = next((v for k, v in args.inputs.items() if k.endswith("Name") and k != "resourceGroupName"
                     and isinstance(v, str)), args.name)
        state = {**args.inputs, "name": name, "identity": {"principalId": f"principal-{name}"},
                 "properties": {**(args.inputs.get("properties") or {}), "endpoint": f"https://{name}.example/"}}
        return f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg/providers/mock/{args.typ}/{name}", state

    def call(self, args: pulumi.runtime.MockCallArgs):  # type: ignore[no-untyped-def]
        return {"tenantId": "tenant", "subscriptionId": SUBSCRIPTION}


def main(folder: str) -> int:
    program = Path(folder).resolve() / "__main__.py"
    recorder = Mocks()
    settings.reset_options(project="example", stack="test")
    mocks.set_mocks(recorder, project="example", stack="test", preview=False)
    _sync_await(stack.run_pulumi_func(lambda: runpy.run_path(str(program), run_name="__main__")))
    kinds = {t: recorder.types.count(t) for t in sorted(set(recorder.types))}
    for kind, count in kinds.items():
        print(f"{count:3} {kind}")
    needed = ("aihub:index:AIHub", "aihub:index:AIProject", "azure-native:machinelearningservices:Workspace")
    missing = [t for t in needed if t not in kinds]
    if missing:
        print(f"missing: {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
