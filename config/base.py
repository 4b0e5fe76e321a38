"""What every section of the stack config shares: the model base and validator factories."""

from typing import Any, Callable, Optional

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from components.arm import parse_resource_id


class Model(BaseModel):
    # camelCase keys as in the stack file; unknown keys and loose types are errors. A field's docstring is its
    # description, which the generated reference and stack-file schema show (make docs).
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=False, extra="forbid", strict=True, frozen=True,
        use_attribute_docstrings=True,
    )


def arm_id(expected_type: str) -> Callable[[Optional[str]], Optional[str]]:
    """A field validator: an Azure resource ID of `expected_type`, or nothing."""

    def check(value: Optional[str]) -> Optional[str]:
        if value is not None:
            parse_resource_id(value, expected_type)
        return value

    return check


def no_problem(find: Callable[[str], Optional[str]]) -> Callable[[str], str]:
    """A field validator from a pure `problem` function (None: fine, else the reason)."""

    def check(value: str) -> str:
        problem = find(value)
        if problem:
            raise ValueError(problem)
        return value

    return check


def sub_problems(problems: list[tuple[str, str]]) -> None:
    """Raise a model's own problems, each tagged with its sub-path (see messages.describe)."""
    if problems:
        raise ValueError("\n".join(f"@{path}: {reason}" for path, reason in problems))


def unique_names(items: list[Any], key: Callable[[Any], str], what: str) -> list[Any]:
    """`items` as they are, unless two share a key (case-insensitively, as Azure compares names)."""
    seen: set[str] = set()
    for item in items:
        k = key(item).lower()
        if k in seen:
            raise ValueError(f"{what} {key(item)!r} is used twice")
        seen.add(k)
    return items
