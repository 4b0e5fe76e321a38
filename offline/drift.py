"""Refresh, then `up`: would the engine update anything?

After `pulumi refresh`, azure-native writes what Azure reports back into each
resource's inputs (pulumi/pulumi-azure-native#280, "Make Refresh update resource
inputs"), and the next `pulumi up` diffs the program's inputs against those: any
field Azure sets on its own, and that the program does not leave to Azure with
`ignore_changes`, shows up as an update on every run (and the update fights Azure).

This module replays that offline: the state of a first run, with the changes Azure
is known to make after creation (AZURE_CHANGES), becomes the prior state of a second
run, whose inputs are compared with it path by path, as the engine's diff would,
except under each resource's `ignore_changes`.
"""

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from components.resource_types import WORKSPACE

from .engine import ProgramRun
from .recorder import Registration, plain

Key = tuple[str, str]


def _hub_tags(inputs: dict[str, Any]) -> dict[str, Any]:
    # "When the service connections for CognitiveServices are created, tags are added to this resource"
    # (Azure/terraform-azurerm-avm-res-machinelearningservices-workspace, main.tf: the hub ignores `tags`).
    # Which tags is Azure's business; a stand-in stands for them.
    if inputs.get("kind") != "Hub":
        return inputs
    return {**inputs, "tags": {**(inputs.get("tags") or {}), "azure-added-by-connections": "stand-in"}}


#: What Azure changes on a resource after creation, by type: inputs -> inputs as a refresh reads them back.
AZURE_CHANGES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    WORKSPACE: _hub_tags,
}


@dataclass(frozen=True)
class Refreshed:
    """One resource after `pulumi refresh`."""

    id: str
    outputs: dict[str, Any]
    """What the provider reports (the second run's resources answer with it)."""
    inputs: dict[str, Any]
    """The inputs azure-native read back from Azure (what the next diff compares with)."""


def _unchanged(values: dict[str, Any]) -> dict[str, Any]:
    return values


def refreshed(run: ProgramRun, changes: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = AZURE_CHANGES,
              ) -> dict[Key, Refreshed]:
    """The state `pulumi refresh` would leave after `run` was deployed, by (type, name)."""
    state: dict[Key, Refreshed] = {}
    for reg in run.resources:
        if not reg.custom:
            continue
        change = changes.get(reg.type, _unchanged)
        state[(reg.type, reg.name)] = Refreshed(reg.id, change(dict(reg.state)), change(plain(reg.inputs)))
    return state


def prior_state(refresh: dict[Key, Refreshed]) -> dict[Key, tuple[str, dict[str, Any]]]:
    """The refreshed state as a second run's resources answer (see engine.run's `prior_state`)."""
    return {key: (found.id, found.outputs) for key, found in refresh.items()}


def _differences(new: Any, old: Any, path: str) -> Iterator[str]:
    if isinstance(new, dict) and isinstance(old, dict):
        for key in sorted(set(new) | set(old)):
            yield from _differences(new.get(key), old.get(key), f"{path}.{key}" if path else key)
    elif isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            yield from _differences(a, b, f"{path}[{i}]")
    elif new != old:
        yield path


def _ignored(path: str, ignore_changes: list[str]) -> bool:
    return any(path == p or path.startswith((p + ".", p + "[")) for p in ignore_changes)


def updates(second: ProgramRun, prior: dict[Key, Refreshed]) -> list[tuple[str, str, str]]:
    """(type, name, property path) of every input the engine would update in `second` against `prior`.

    Only the inputs the program sends are compared (a provider diffs what the program
    asks for); paths under the resource's `ignore_changes` are left out.
    """
    found: list[tuple[str, str, str]] = []
    for reg in second.resources:
        key = (reg.type, reg.name)
        if not reg.custom or key not in prior:
            continue
        found += [(reg.type, reg.name, path) for path in _input_differences(reg, prior[key].inputs)]
    return found


def _input_differences(reg: Registration, old_inputs: dict[str, Any]) -> Iterator[str]:
    for name, value in sorted(plain(reg.inputs).items()):
        for path in _differences(value, old_inputs.get(name), name):
            if not _ignored(path, reg.ignore_changes):
                yield path
