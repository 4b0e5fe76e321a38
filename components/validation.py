"""Args checking shared by every component: shapes from the TypedDicts, one error for all problems.

A component calls `check_args` first thing in its constructor, before it
registers itself or any child, so a caller's mistake is one `ArgsError` (a
`pulumi.RunError`: the CLI shows it without a traceback) naming each argument
path, e.g. `connections[0].metadata.ContainerName`, and the reason.

The shape (unknown keys, missing required keys, value types, enum values) is
read from the Args TypedDict itself; what a value means is checked by the same
pure `*_problem(s)` functions the stack config uses (see components/checks.py).
Values that are Outputs are checked once they are known plain values only:
they may come from another resource.
"""

import difflib
import inspect
import types
import typing
from collections.abc import Awaitable, Mapping, Sequence
from enum import Enum
from typing import Any, Callable, Iterable, Optional, TypeVar, Union, get_args, get_origin, get_type_hints

import pulumi

_T = TypeVar("_T")
_A = TypeVar("_A")

Problem = tuple[str, str]
"""(argument path, reason)."""


class ArgsError(pulumi.RunError):
    """A component's Args are invalid: every problem, each as (argument path, reason)."""

    def __init__(self, component: str, name: str, problems: Sequence[Problem]) -> None:
        self.component = component
        self.problems = list(problems)
        lines = "\n".join(f"  {path}: {reason}" for path, reason in self.problems)
        super().__init__(f"invalid args for {component} {name!r} ({len(self.problems)} problem(s)):\n{lines}")


class UnfitResourceError(pulumi.RunError):
    """A brought resource Azure would refuse, found when it is read at deploy time: raised inside the Output the
    resources that need it wait for, so they are never sent (the deployment fails with this message, shown
    without a traceback as every RunError is)."""


def result_field(result: Any, key: str) -> Any:
    """A field of an invoke's result, typed or handed over as a plain mapping (Output.all does that); None when
    absent. An invoke's result is checked, not trusted: a test double may return nothing."""
    if isinstance(result, Mapping):
        return result.get(key)
    return getattr(result, key, None)


def is_unknown(value: object) -> bool:
    """Whether a value is only known later (an Output or another awaitable), so can't be checked now."""
    return isinstance(value, (pulumi.Output, Awaitable))


def later(value: "pulumi.Input[str]") -> "pulumi.Output[str]":
    """A string Input that is not a plain string, as an Output (mypy infers no type for the narrowed union)."""
    return pulumi.Output.from_input(value)


def join(path: str, key: object) -> str:
    """`path` extended by a key (`.key`) or a list index (`[i]`)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _is_typeddict(hint: object) -> bool:
    return isinstance(hint, type) and typing.is_typeddict(hint)


def _type_name(hint: object) -> str:
    if _is_typeddict(hint):
        return "an object"
    if isinstance(hint, type) and issubclass(hint, Enum):
        return "one of " + ", ".join(str(m.value) for m in hint)
    names = {str: "a string", bool: "true or false", int: "an integer", float: "a number"}
    if hint in names:
        return names[hint]
    origin = get_origin(hint)
    if origin in (list, Sequence):
        return "a list"
    if origin in (dict, Mapping):
        return "an object (a map)"
    return getattr(hint, "__name__", str(hint))


def _input_parts(hint: object) -> Optional[list[object]]:
    """The plain alternatives of a Union (pulumi.Input[T] or Optional[T]); None if not a Union."""
    if get_origin(hint) not in (Union, types.UnionType):
        return None
    plain = []
    for arg in get_args(hint):
        if arg is type(None):
            continue
        origin = get_origin(arg) or arg
        if inspect.isclass(origin) and (issubclass(origin, pulumi.Output) or origin is Awaitable):
            continue
        plain.append(arg)
    return plain


def shape_problems(value: object, hint: object, path: str = "") -> list[Problem]:
    """Why `value` doesn't fit the type `hint` (a TypedDict, list, dict, enum, str, ...), by path."""
    if hint is Any:
        return []
    parts = _input_parts(hint)
    if parts is not None:
        if is_unknown(value) or (value is None and type(None) in get_args(hint)):
            return []  # an Input takes an Output; Optional takes None
        found: list[Problem] = []
        for part in parts:
            found = shape_problems(value, part, path)
            if not found:
                return []
        return found
    if is_unknown(value):
        # Only fields declared pulumi.Input[...] take Outputs: a plain field
        # decides names or structure at construction time.
        return [(path, f"must be a plain value known now ({_type_name(hint)}), not an Output")]
    if _is_typeddict(hint):
        return typeddict_problems(value, hint, path)  # type: ignore[arg-type]
    origin = get_origin(hint)
    if origin in (list, Sequence):
        if not isinstance(value, (list, tuple)):
            return [(path, f"must be a list, not {type(value).__name__}")]
        (item,) = get_args(hint) or (Any,)
        return [p for i, v in enumerate(value) for p in shape_problems(v, item, join(path, i))]
    if origin in (dict, Mapping):
        if not isinstance(value, Mapping):
            return [(path, f"must be an object (a map), not {type(value).__name__}")]
        _, item = get_args(hint) or (str, Any)
        found = [(join(path, k), "keys must be strings") for k in value if not isinstance(k, str)]
        return found + [p for k, v in value.items() for p in shape_problems(v, item, join(path, k))]
    if isinstance(hint, type) and issubclass(hint, Enum):
        allowed = [m.value for m in hint]
        # str enums take their plain string values too (what config and other languages send).
        if value in allowed or isinstance(value, hint):
            return []
        return [(path, f"must be one of {', '.join(map(str, allowed))} (got {value!r})")]
    if hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(hint, type):
        ok = isinstance(value, hint)
    else:
        ok = True  # a hint this checker doesn't know: trust the caller
    return [] if ok else [(path, f"must be {_type_name(hint)}, not {type(value).__name__} {value!r}")]


def typeddict_problems(value: object, args_type: type, path: str = "") -> list[Problem]:
    """Unknown keys, missing required keys and ill-typed values of a TypedDict value."""
    if not isinstance(value, Mapping):
        return [(path or "args", f"must be an object ({args_type.__name__}), not {type(value).__name__}")]
    # pulumi.Input[T] holds the forward reference 'Output[T]' (unsubstituted): resolve it
    # as pulumi's own module would; only its origin, Output, matters here.
    hints = get_type_hints(args_type, localns={"Output": pulumi.Output, "T": _T})
    required: frozenset[str] = getattr(args_type, "__required_keys__", frozenset())
    problems: list[Problem] = []
    for key in value:
        if key not in hints:
            close = difflib.get_close_matches(str(key), hints, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append((join(path, key), f"unknown argument ({hint}known: {', '.join(hints)})"))
    for key in hints:
        if key in required and key not in value:
            problems.append((join(path, key), "is required"))
        elif key in value and not (value[key] is None and key not in required):
            problems.extend(shape_problems(value[key], hints[key], join(path, key)))
    return problems


def plain_values(value: Any) -> Any:
    """`value` with every enum member replaced by its value, in copies of its dicts and lists.

    Enum arguments arrive as members from Python callers and from the hosted
    provider (which turns schema enum strings into members), and as plain
    strings from the stack config: the components work on the plain values, so
    a member never ends up formatted into a name or a message as `Enum.MEMBER`.
    An optional key given as None is left out, as if not given (the shape check
    refuses None anywhere else), so `args.get(key, default)` sees the default.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {k: plain_values(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [plain_values(v) for v in value]
    return value


def check_args(
    component: str,
    name: str,
    args: _A,
    args_type: type,
    meaning: Optional[Callable[[Any], Iterable[Problem]]] = None,
) -> _A:
    """The args with plain enum values; raises ArgsError unless they fit `args_type` and `meaning` finds nothing."""
    problems = typeddict_problems(args, args_type)
    checked = plain_values(args)
    if not problems and meaning is not None:
        problems = list(meaning(checked))
    if problems:
        raise ArgsError(component, name, problems)
    return checked  # type: ignore[no-any-return]
