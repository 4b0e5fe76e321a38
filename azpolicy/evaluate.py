"""A pure evaluator of Azure Policy rules against a resource's create request.

Semantics follow Learn, "Azure Policy definition structure policy rule"
(https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-policy-rule):

- logical operators `allOf`, `anyOf`, `not`; conditions on a `field` or a `value`;
- a `field` is `type`, `name`, `kind`, `location`, `id`, `identity.type`, `tags`, a tag (`tags['x']`, `tags[x]`,
  `tags.x`) or an alias, which names a path in the request (alias -> path in `aliases.py`);
- "match and notMatch are case-sensitive, all other conditions that evaluate a stringValue are
  case-insensitive"; `like` takes one `*` wildcard;
- a property the request leaves out does not exist: `exists: false` holds, `equals` does not, `notEquals`/`notIn`/
  `notLike`/`notContains` do. On a create, the request is what the policy sees: a default the resource provider
  fills in later is not in it (Learn, "Azure Policy definitions deny effect": deny is evaluated on the request).
- a `[*]` alias: "each element in the array is evaluated individually with logical and between elements"
  (same page; the table in Learn, "Author policies for array properties", "Evaluating the [*] alias").

What this module can't judge it says so (`Outcome.applies is None` with the reason): an alias not in the table, a
template function other than `parameters`, `concat`, `field`, `empty`, `toLower`, `toUpper`, `requestContext()`,
a `count` condition, a `[*]` alias over an empty or absent array, an ordering comparison with a missing value,
`requestContext().apiVersion` when the request's API version is unknown, a resource-provider mode. An allOf with
one condition that is definitely false is false however many others can't be judged (and anyOf the other way
round), so a definition for storage accounts is never "not evaluable" for a workspace.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from .aliases import ALIASES, OWNERS

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
_BUILTIN_ID = re.compile(r"^/providers/Microsoft\.Authorization/policyDefinitions/(?P<name>[0-9a-f-]{36})$", re.I)

# Modes that evaluate ARM requests (Learn, "Azure Policy definition structure basics": mode). Resource provider
# modes (Microsoft.KeyVault.Data, Microsoft.Kubernetes.Data, ...) judge data-plane requests this module never sees.
ARM_MODES = ("all", "indexed")
OPERATORS = (
    "equals", "notEquals", "like", "notLike", "match", "matchInsensitively", "notMatch", "notMatchInsensitively",
    "contains", "notContains", "in", "notIn", "containsKey", "notContainsKey", "less", "lessOrEquals", "greater",
    "greaterOrEquals", "exists",
)


class NotEvaluable(Exception):
    """A rule uses something this evaluator does not model; the message says what."""


class AssignmentError(ValueError):
    """Parameters Azure would refuse when the assignment is created (the message says which and why)."""


@dataclass(frozen=True)
class Request:
    """A resource as Azure Policy sees its create (PUT) request."""

    type: str
    """ARM resource type, e.g. Microsoft.MachineLearningServices/workspaces."""
    name: str
    id: str
    body: Mapping[str, Any]
    """The request body: location, tags, kind, sku, identity, properties, ... (ARM names)."""
    api_version: Optional[str] = None
    """The API version the request is sent with, for requestContext().apiVersion; None when unknown."""
    indexed: bool = True
    """Whether the type supports tags and location (only those are judged by definitions in mode Indexed)."""


@dataclass(frozen=True)
class Definition:
    """A policy definition as shipped in definitions/<guid>.json."""

    id: str
    name: str
    display_name: str
    mode: str
    parameters: Mapping[str, Mapping[str, Any]]
    rule: Mapping[str, Any]
    source: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Definition":
        source = data.get("source") or {}
        return cls(
            id=data["id"], name=data["name"], display_name=data["displayName"], mode=data["mode"],
            parameters=data.get("parameters") or {}, rule=data["policyRule"],
            source=f"{source.get('repository', '')}:{source.get('path', '')}@{str(source.get('commit', ''))[:12]}",
        )


@cache
def shipped() -> dict[str, Definition]:
    """The built-in definitions this repository ships, by lower-case GUID name."""
    found = {}
    for path in sorted(DEFINITIONS_DIR.glob("*.json")):
        definition = Definition.from_json(json.loads(path.read_text(encoding="utf-8")))
        found[definition.name.lower()] = definition
    return found


def known(definition_id: str) -> Optional[Definition]:
    """The shipped built-in definition a policyDefinitionId names, or None (custom, initiative, unknown built-in)."""
    matched = _BUILTIN_ID.match(definition_id or "")
    return shipped().get(matched["name"].lower()) if matched else None


def effective_parameters(definition: Definition, assigned: Mapping[str, Any]) -> dict[str, Any]:
    """Parameter values as the assignment would run: the assigned value, else the definition's default.

    Raises AssignmentError for what Azure refuses when creating the assignment: a parameter the definition does
    not declare, a required one without a value, a value outside allowedValues (Learn, "Azure Policy definition
    structure parameters": allowedValues; compared ignoring case, as built-ins list e.g. Audit and audit).
    """
    problems = [f"parameter {name!r} is not defined by the definition" for name in assigned
                if name not in definition.parameters]
    values: dict[str, Any] = {}
    for name, spec in definition.parameters.items():
        if name in assigned:
            value = assigned[name]
        elif "defaultValue" in spec:
            value = spec["defaultValue"]
        else:
            problems.append(f"parameter {name!r} has no default and the assignment gives no value")
            continue
        allowed = spec.get("allowedValues")
        # For an array parameter, allowedValues lists the members it may hold (Learn, "Author policies for
        # array properties": parameter arrays).
        members = value if isinstance(value, list) and str(spec.get("type", "")).lower() == "array" else [value]
        if allowed is not None and not all(any(_same(m, a) for a in allowed) for m in members):
            problems.append(f"parameter {name!r} is {value!r}; allowed: {', '.join(map(str, allowed))}")
        values[name] = value
    if problems:
        raise AssignmentError("; ".join(problems))
    return values


def effect(definition: Definition, parameters: Mapping[str, Any]) -> str:
    """The definition's effect under these parameter values, capitalised as Learn names it (Deny, Audit, ...)."""
    raw = (definition.rule.get("then") or {}).get("effect")
    value = _expression(raw, _Context(None, parameters)) if isinstance(raw, str) else raw
    if not isinstance(value, str):
        raise NotEvaluable(f"the effect {raw!r} is not a string")
    names = {e.lower(): e for e in ("Deny", "Audit", "Append", "Modify", "AuditIfNotExists", "DeployIfNotExists",
                                    "DenyAction", "Manual", "Disabled")}
    return names.get(value.lower(), value)


@dataclass(frozen=True)
class Outcome:
    """Whether a definition's `if` holds for a request."""

    applies: Optional[bool]
    """True: the condition holds and the effect applies; False: it does not; None: it can't be judged here."""
    why: tuple[str, ...] = ()
    """True: the conditions that made it hold; None: what could not be judged."""


def judge(definition: Definition, request: Request, parameters: Mapping[str, Any]) -> Outcome:
    """Whether `definition`'s `if` holds for `request` with these (effective) parameter values."""
    mode = definition.mode.lower()
    if mode not in ARM_MODES:
        return Outcome(None, (f"mode {definition.mode} judges data-plane requests, not the ARM request",))
    if mode == "indexed" and not request.indexed:
        # Learn, definition structure basics: mode indexed "only evaluates resource types that support tags
        # and location".
        return Outcome(False)
    condition = definition.rule.get("if")
    if not isinstance(condition, Mapping):
        return Outcome(None, ("the rule has no `if` condition",))
    value, why = _condition(condition, _Context(request, parameters))
    return Outcome(value, why)


# -- conditions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    request: Optional[Request]
    parameters: Mapping[str, Any]


_Tri = tuple[Optional[bool], tuple[str, ...]]
_MISSING = object()


@dataclass(frozen=True)
class _Members:
    """The values a `[*]` alias selects."""

    values: list[Any] = field(default_factory=list)


def _condition(node: Mapping[str, Any], ctx: _Context) -> _Tri:
    if "allOf" in node or "anyOf" in node:
        is_all = "allOf" in node
        parts = [_condition(child, ctx) for child in node["allOf" if is_all else "anyOf"]]
        decisive = [p for p in parts if p[0] is (not is_all)]
        unknown = [p for p in parts if p[0] is None]
        if decisive:
            # anyOf: the first condition that holds says why; allOf: one false condition settles it.
            return (not is_all, decisive[0][1] if not is_all else ())
        if unknown:
            return None, tuple(reason for p in unknown for reason in p[1])
        return is_all, tuple(reason for p in parts for reason in p[1]) if is_all else ()
    if "not" in node:
        value, why = _condition(node["not"], ctx)
        if value is None:
            return None, why
        inner = node["not"]
        return (not value, (_describe(inner, ctx, negated=True),) if not value and _is_leaf(inner) else ())
    try:
        return _leaf(node, ctx)
    except NotEvaluable as err:
        return None, (str(err),)


def _is_leaf(node: Mapping[str, Any]) -> bool:
    return "field" in node or "value" in node


def _operator(node: Mapping[str, Any]) -> tuple[str, Any]:
    if "count" in node:
        raise NotEvaluable("a `count` condition is not supported")
    found = [op for op in OPERATORS if op in node]
    if len(found) != 1:
        raise NotEvaluable(f"condition {json.dumps(node)} has no single known operator")
    return found[0], node[found[0]]


def _leaf(node: Mapping[str, Any], ctx: _Context) -> _Tri:
    op, expected = _operator(node)
    expected = _resolve(expected, ctx)
    if "field" in node:
        name = _expression(node["field"], ctx)
        if not isinstance(name, str):
            raise NotEvaluable(f"field {node['field']!r} is not a string")
        actual = _field(name, ctx)
    elif "value" in node:
        actual = _resolve(node["value"], ctx)
        actual = _MISSING if actual is None and op == "exists" else actual
    else:
        raise NotEvaluable(f"condition {json.dumps(node)} has neither field nor value")
    if isinstance(actual, _Members):
        if not actual.values:
            raise NotEvaluable(f"{node.get('field')} selects no array members; empty-array semantics not modelled")
        results = [_compare(op, v, expected) for v in actual.values]
        holds = all(results)
    else:
        holds = _compare(op, actual, expected)
    return holds, ((_describe(node, ctx),) if holds and _explains(node) else ())


def _explains(node: Mapping[str, Any]) -> bool:
    """A condition worth naming in a reason: not the `type` guard every definition starts with."""
    return not (isinstance(node.get("field"), str) and node["field"].lower() == "type")


def _describe(node: Mapping[str, Any], ctx: _Context, negated: bool = False) -> str:
    try:
        op, expected = _operator(node)
        expected = _resolve(expected, ctx)
        if "field" in node:
            name = str(_expression(node["field"], ctx))
            actual = _field(name, ctx)
            label = _path_label(name)
        else:
            label, actual = str(node["value"]), _resolve(node["value"], ctx)
    except NotEvaluable as err:
        return str(err)
    if actual is _MISSING:
        state = "is not set"
    elif isinstance(actual, _Members):
        state = f"is {actual.values!r}"
    else:
        state = f"is {json.dumps(actual)}"
    return f"{label} {state} (condition: {'not ' if negated else ''}{op} {json.dumps(expected)})"


def _path_label(name: str) -> str:
    path = ALIASES.get(name.lower())
    return path if path else name


def _resolve(value: Any, ctx: _Context) -> Any:
    if isinstance(value, str):
        return _expression(value, ctx)
    if isinstance(value, list):
        return [_resolve(v, ctx) for v in value]
    return value


# -- fields -------------------------------------------------------------------------------------

_TAG = re.compile(r"^tags(?:\['(?P<q>[^']*)'\]|\[(?P<b>[^\]]*)\]|\.(?P<d>.+))$", re.I)


def _field(name: str, ctx: _Context) -> Any:
    request = ctx.request
    if request is None:
        raise NotEvaluable(f"field {name!r} outside a resource")
    lowered = name.lower()
    if lowered == "type":
        return request.type
    if lowered == "name":
        return request.name
    if lowered == "id":
        return request.id
    if lowered in ("kind", "location", "tags", "identity.type"):
        return _lookup(request.body, lowered)
    tag = _TAG.match(name)
    if tag:
        key = tag["q"] if tag["q"] is not None else tag["b"] if tag["b"] is not None else tag["d"]
        tags = _lookup(request.body, "tags")
        if not isinstance(tags, Mapping):
            return _MISSING
        return next((v for k, v in tags.items() if k.lower() == key.lower()), _MISSING)
    path = ALIASES.get(lowered)
    if path is None:
        raise NotEvaluable(f"alias {name} is not in the evaluator's alias table")
    if OWNERS[lowered] != request.type.lower():
        raise NotEvaluable(f"alias {name} belongs to {OWNERS[lowered]}, not to {request.type}")
    return _lookup(request.body, path)


def _lookup(body: Any, path: str) -> Any:
    """The value at a dotted ARM path (`properties.a.b`, `x[*].y`), keys compared ignoring case."""
    parts = path.split(".")
    return _walk(body, parts)


def _walk(node: Any, parts: list[str]) -> Any:
    if not parts:
        return node
    part, rest = parts[0], parts[1:]
    spread = part.endswith("[*]")
    key = part[:-3] if spread else part
    if not isinstance(node, Mapping):
        return _MISSING
    found = next((v for k, v in node.items() if str(k).lower() == key.lower()), _MISSING)
    if found is _MISSING or found is None:
        return _Members() if spread else _MISSING
    if not spread:
        return _walk(found, rest)
    if not isinstance(found, list):
        return _MISSING
    values: list[Any] = []
    for member in found:
        value = _walk(member, rest)
        if isinstance(value, _Members):
            values.extend(value.values)
        else:
            values.append(value)
    return _Members(values)


# -- operators ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True).lower()
    return str(value).lower()


def _same(a: Any, b: Any) -> bool:
    """Equality as Azure Policy compares: ignoring case, a boolean equal to its string ("true")."""
    if a is _MISSING or b is _MISSING:
        return False
    return _text(a) == _text(b)


def _like(value: Any, pattern: Any) -> bool:
    if value is _MISSING:
        return False
    # Azure's like has one wildcard, *; ? and [] are themselves.
    regex = ".*".join(re.escape(part) for part in str(pattern).lower().split("*"))
    return re.fullmatch(regex, _text(value), re.S) is not None


def _match(value: Any, pattern: Any, insensitive: bool) -> bool:
    """`match`: # a digit, ? a letter, . any character, anything else itself (Learn, policy rule: conditions)."""
    if value is _MISSING or not isinstance(value, str):
        return False
    regex = "".join("[0-9]" if c == "#" else "[A-Za-z]" if c == "?" else "." if c == "." else re.escape(c)
                    for c in str(pattern))
    return re.fullmatch(regex, value, re.I if insensitive else 0) is not None


def _order(value: Any, expected: Any) -> int:
    if value is _MISSING or value is None:
        raise NotEvaluable("an ordering comparison with a value the request does not set")
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (value, expected))
    if numbers:
        return int(value > expected) - int(value < expected)
    if isinstance(value, str) and isinstance(expected, str):
        # ISO dates and API versions (yyyy-mm-dd[-preview]) order as text.
        a, b = value.lower(), expected.lower()
        return (a > b) - (a < b)
    raise NotEvaluable(f"cannot order {value!r} against {expected!r}")


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise NotEvaluable(f"exists takes true or false, not {value!r}")


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "exists":
        return (actual is not _MISSING and actual is not None) == _truth(expected)
    if op == "equals":
        return _same(actual, expected)
    if op == "notEquals":
        return not _same(actual, expected)
    if op in ("in", "notIn"):
        if not isinstance(expected, list):
            raise NotEvaluable(f"{op} takes a list, not {expected!r}")
        inside = any(_same(actual, e) for e in expected)
        return inside if op == "in" else not inside
    if op == "like":
        return _like(actual, expected)
    if op == "notLike":
        return not _like(actual, expected)
    if op in ("match", "matchInsensitively"):
        return _match(actual, expected, op == "matchInsensitively")
    if op in ("notMatch", "notMatchInsensitively"):
        return not _match(actual, expected, op == "notMatchInsensitively")
    if op in ("contains", "notContains"):
        inside = actual is not _MISSING and _contains(actual, expected)
        return inside if op == "contains" else not inside
    if op in ("containsKey", "notContainsKey"):
        has = isinstance(actual, Mapping) and any(str(k).lower() == str(expected).lower() for k in actual)
        return has if op == "containsKey" else not has
    order = _order(actual, expected)
    return {"less": order < 0, "lessOrEquals": order <= 0, "greater": order > 0, "greaterOrEquals": order >= 0}[op]


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str):
        return _text(expected) in actual.lower()
    if isinstance(actual, list):
        return any(_same(a, expected) for a in actual)
    raise NotEvaluable(f"contains over {actual!r}")


# -- template expressions -----------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<name>[A-Za-z_][\w]*)|(?P<punct>[(),.\[\]]))")


def _expression(text: str, ctx: _Context) -> Any:
    """A string's value: itself, or the value of a `[...]` template expression (`[[` escapes a literal `[`)."""
    if not (text.startswith("[") and text.endswith("]")) or text.startswith("[["):
        return text[1:] if text.startswith("[[") else text
    tokens = _tokens(text[1:-1])
    value, rest = _parse(tokens, ctx)
    if rest:
        raise NotEvaluable(f"cannot read expression {text}")
    return value


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise NotEvaluable(f"cannot read expression [{text}]")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def _parse(tokens: list[tuple[str, str]], ctx: _Context) -> tuple[Any, list[tuple[str, str]]]:
    if not tokens:
        raise NotEvaluable("an expression ends early")
    (kind, text), rest = tokens[0], tokens[1:]
    if kind == "str":
        value: Any = text[1:-1].replace("''", "'")
    elif kind == "num":
        value = int(text)
    elif kind == "name" and rest[:1] == [("punct", "(")]:
        args: list[Any] = []
        rest = rest[1:]
        while rest[:1] != [("punct", ")")]:
            arg, rest = _parse(rest, ctx)
            args.append(arg)
            if rest[:1] == [("punct", ",")]:
                rest = rest[1:]
            elif rest[:1] != [("punct", ")")]:
                raise NotEvaluable(f"cannot read the arguments of {text}()")
        rest = rest[1:]
        value = _call(text, args, ctx)
    elif kind == "name" and text.lower() in ("true", "false"):
        value = text.lower() == "true"
    else:
        raise NotEvaluable(f"unexpected {text!r} in an expression")
    while rest[:1] == [("punct", ".")] and len(rest) > 1 and rest[1][0] == "name":
        member = rest[1][1]
        if not isinstance(value, Mapping):
            raise NotEvaluable(f".{member} of a value that is not an object")
        value = next((v for k, v in value.items() if k.lower() == member.lower()), None)
        if value is None:
            raise NotEvaluable(f"the expression needs .{member}, which is not known offline")
        rest = rest[2:]
    return value, rest


def _call(name: str, args: list[Any], ctx: _Context) -> Any:
    lowered = name.lower()
    if lowered == "parameters" and len(args) == 1:
        if args[0] not in ctx.parameters:
            raise NotEvaluable(f"parameter {args[0]!r} has no value")
        return ctx.parameters[args[0]]
    if lowered == "concat":
        if all(isinstance(a, list) for a in args):
            return [x for a in args for x in a]
        return "".join(_text(a) if isinstance(a, bool) else str(a) for a in args)
    if lowered == "field" and len(args) == 1:
        value = _field(str(args[0]), ctx)
        if isinstance(value, _Members):
            return value.values
        return None if value is _MISSING else value
    if lowered == "empty" and len(args) == 1:
        return args[0] is None or (isinstance(args[0], (str, list, dict)) and len(args[0]) == 0)
    if lowered in ("tolower", "toupper") and len(args) == 1 and isinstance(args[0], str):
        return args[0].lower() if lowered == "tolower" else args[0].upper()
    if lowered == "requestcontext" and not args:
        api = ctx.request.api_version if ctx.request else None
        return {"apiVersion": api} if api else {}
    raise NotEvaluable(f"template function {name}() is not supported")


def aliases_used(node: Any) -> Iterable[str]:
    """Every alias a rule names, in `field` conditions and in field() calls."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "field" and isinstance(value, str) and "/" in value and not value.startswith("["):
                yield value
            elif isinstance(value, str):
                yield from re.findall(r"field\('([^']+)'\)", value)
            else:
                yield from aliases_used(value)
    elif isinstance(node, list):
        for item in node:
            yield from aliases_used(item)


__all__ = [
    "AssignmentError", "Definition", "NotEvaluable", "Outcome", "Request", "aliases_used", "effect",
    "effective_parameters", "judge", "known", "shipped",
]
