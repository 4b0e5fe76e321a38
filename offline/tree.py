"""The plan's resource tree: parent to child, one resource a line, as `pulumi preview` prints it."""

from .describe import key_properties, principal_names, stack_region
from .engine import ProgramRun
from .recorder import Registration


def children_of(run: ProgramRun) -> dict[str, list[Registration]]:
    """Parent URN -> its children, ordered by type and name."""
    children: dict[str, list[Registration]] = {}
    for reg in run.registrations:
        children.setdefault(reg.parent, []).append(reg)
    for regs in children.values():
        regs.sort(key=lambda r: (r.type, r.name))
    return children


TREE_WIDTH = 120
"""Columns a tree line may take: a terminal's width, like `pulumi preview`'s."""


def elide(text: str, width: int) -> str:
    """`text` cut to `width` characters with an ellipsis in the middle, so both ends stay readable."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]


def _wrap(items: list[str], indent: str, width: int) -> list[str]:
    """Items joined by ", " on lines of at most `width` columns, each starting with `indent`."""
    lines: list[str] = []
    current = ""
    room = max(width - len(indent), 8)
    for item in items:
        item = elide(item, room)
        candidate = f"{current}, {item}" if current else item
        if current and len(candidate) + 1 > room:
            lines.append(indent + current + ",")
            current = item
        else:
            current = candidate
    if current:
        lines.append(indent + current)
    return lines


def render_tree(run: ProgramRun, width: int = TREE_WIDTH) -> list[str]:
    """The parent-to-child tree, one resource a line, no line wider than `width`.

    Key properties follow the name when they fit; otherwise they go on the lines below it, under
    the resource. Long names and values are elided in the middle.
    """
    children = children_of(run)
    roots = children.get("", [])
    principals = principal_names(run)
    region = stack_region(run)
    lines: list[str] = []

    def walk(reg: Registration, prefix: str, last: bool, top: bool) -> None:
        props = [f"{k}={elide(str(v), 48)}" for k, v in key_properties(reg, principals, region).items()]
        branch = "" if top else ("└─ " if last else "├─ ")
        kids = children.get(reg.urn, [])
        inner = prefix if top else prefix + ("   " if last else "│  ")
        head = f"{prefix}{branch}{reg.type}  "
        name = elide(reg.name, max(width - len(head), 8))
        line = head + name
        one_line = f"{line}  ({', '.join(props)})" if props else line
        if len(one_line) <= width:
            lines.append(one_line)
        else:
            lines.append(elide(line, width))
            # Under the resource: the child rail continues if it has children.
            below = inner + ("│  " if kids else "   ") + "  "
            lines.extend(_wrap(props, below, width))
        for i, kid in enumerate(kids):
            walk(kid, inner, i == len(kids) - 1, False)

    for root in roots:
        walk(root, "", True, True)
    return lines

