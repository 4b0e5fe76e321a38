"""The plan's critical path: the longest chain of resources a deploy must create one after another."""

from typing import Optional

from .describe import describe
from .engine import ProgramRun
from .recorder import Registration
from .tree import TREE_WIDTH, children_of, elide


def critical_path(run: ProgramRun) -> list[Registration]:
    """The longest chain of resources that must be created one after another.

    Edges are the engine's dependencies (explicit and from Output inputs); a
    dependency on a component stands for all the resources inside it.
    """
    custom = {r.urn: r for r in run.resources if r.custom}
    children = children_of(run)

    def expand(urn: str) -> set[str]:
        if urn in custom:
            return {urn}
        found: set[str] = set()
        for kid in children.get(urn, []):
            found |= expand(kid.urn)
        return found

    requires = {urn: {d for dep in r.dependencies for d in expand(dep)} - {urn} for urn, r in custom.items()}
    longest: dict[str, list[str]] = {}

    def chain(urn: str) -> list[str]:
        if urn not in longest:
            # Sorted: of equally long chains, the same one on every run (set order varies).
            best = max((chain(d) for d in sorted(requires[urn])), key=len, default=[])
            longest[urn] = best + [urn]
        return longest[urn]

    best = max((chain(urn) for urn in sorted(custom)), key=len, default=[])
    return [custom[urn] for urn in best]


def describe_path(path: list[Registration], principals: Optional[dict[str, str]] = None) -> list[str]:
    """The critical path, one step a line, each at most TREE_WIDTH columns."""
    return [elide(f"  {i}. {describe(r, principals or {})}", TREE_WIDTH) for i, r in enumerate(path, 1)]

