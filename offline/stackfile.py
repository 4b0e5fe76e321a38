"""Stack files read the way the Pulumi CLI reads them.

The CLI reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` with Go's gopkg.in/yaml.v3, a
YAML 1.2 parser; PyYAML alone reads YAML 1.1. Where the two disagree the offline
plan would render a stack the CLI never deploys, so this module resolves scalars
with YAML 1.2's core schema (yaml.org/spec/1.2.2, 10.3.2 "Tag Resolution"):

- `true`/`false` (and `True`, `TRUE`, ...) are booleans; `on`, `off`, `yes`, `no`,
  `y`, `n` are strings (yaml.v3 README: 1.1 booleans are decoded as booleans only into
  a typed bool, otherwise they behave as strings; go-yaml/yaml#214);
- `010` is ten, not eight; `0o10` is eight; dates stay strings (as `version: 2024-11-20`
  must);
- a key given twice is an error (yaml.v3: "mapping key ... already defined");
- `null` or an empty value at the top of `config` is refused: the CLI passes it to the
  program as an empty string (pulumi/pulumi#19483, "Warn about empty config values"),
  which is never what the author meant;
- `.nan` and `.inf` are refused: config objects reach the program as JSON, which has no
  such numbers.

Every problem is collected with its key path, so a user sees them all at once, and the
reader is bounded: a file larger than MAX_BYTES, or one whose aliases expand to more
than MAX_VALUES values (a "billion laughs" alias bomb), is refused before it is built.
"""

import math
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

# PyYAML ships no annotations, and its stubs (types-PyYAML) would have to live in the program's venv, which mypy
# reads through --python-executable.
import yaml  # type: ignore[import-untyped]

MAX_BYTES = 1_000_000
MAX_VALUES = 100_000
MAX_DEPTH = 100
_NS = uuid.UUID("0b1d7a3e-5c55-4d9e-9a0e-6f2f4d1c8b77")

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"

Problem = tuple[str, str]


class StackFileError(ValueError):
    """A project or stack file that can't be read, or config in it the CLI would read otherwise."""

    def __init__(self, message: str, problems: Optional[list[Problem]] = None) -> None:
        self.problems = list(problems or [])
        lines = "".join(f"\n  {path}: {reason}" for path, reason in self.problems)
        super().__init__(message + lines)


class Yaml12Loader(yaml.SafeLoader):  # type: ignore[misc]  # SafeLoader is Any without PyYAML's stubs
    """PyYAML's safe loader with YAML 1.2 core-schema scalars (see the module docstring)."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (_FLOAT, r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
             r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    # yaml.v3 merges `<<` keys as YAML 1.1 did.
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
]:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)  # no YAML 1.1 octal: 010 is ten


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int)


def _scalar_text(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else f"<{node.id}>"


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


class _Walk:
    """Checks a composed YAML node graph, counting every value as the built document would repeat it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values = 0
        self.problems: list[Problem] = []

    def visit(self, node: yaml.Node, path: str, depth: int = 0) -> None:
        self.values += 1
        if self.values > MAX_VALUES:
            raise StackFileError(f"{self.name} expands to more than {MAX_VALUES} values (aliases repeating "
                                 "aliases?); the offline plan refuses it")
        if depth > MAX_DEPTH:
            raise StackFileError(f"{self.name} nests deeper than {MAX_DEPTH} levels; the offline plan refuses it")
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _FLOAT and not math.isfinite(float(node.value.replace("_", "").lower()
                                                              .replace(".inf", "inf").replace(".nan", "nan"))):
                self.problems.append((path, f"{node.value} is not a finite number; config reaches the program "
                                            "as JSON, which has no NaN or infinity"))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.visit(item, _join(path, i), depth + 1)
        elif isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if key.tag == "tag:yaml.org,2002:merge":
                    self.visit(value, path, depth + 1)
                    continue
                text = _scalar_text(key)
                where = _join(path, text)
                if key.tag != _STR:
                    self.problems.append((where, "a key must be a string; quote it"))
                if text in seen:
                    self.problems.append((where, f"is given twice (lines {seen[text]} and "
                                                 f"{key.start_mark.line + 1}); the Pulumi CLI refuses "
                                                 "duplicate keys"))
                seen.setdefault(text, key.start_mark.line + 1)
                self.visit(value, where, depth + 1)


def read_document(path: Path) -> tuple[Any, list[Problem], Optional[yaml.Node]]:
    """A YAML file as the CLI reads it: (value, problems with key paths, the composed root node).

    Raises StackFileError for a file that can't be read at all.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # bounded: a device or a huge file is refused, not read
    except OSError as err:
        raise StackFileError(f"can't read {path}: {err.strerror or err}") from None
    if len(raw) > MAX_BYTES:
        raise StackFileError(f"{path.name} is larger than {MAX_BYTES} bytes; the offline plan refuses it")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise StackFileError(f"{path.name} is not UTF-8 text (byte {err.start}); save it as UTF-8") from None
    loader = Yaml12Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [], None
        walk = _Walk(path.name)
        walk.visit(node, "")
        # Built even with problems (a duplicate's last value wins), so later checks still see it all.
        return loader.construct_document(node), walk.problems, node
    except yaml.YAMLError as err:
        raise StackFileError(f"{path.name} is not valid YAML: {err}") from None
    except RecursionError:
        raise StackFileError(f"{path.name} nests deeper than {MAX_DEPTH} levels; the offline plan "
                             "refuses it") from None
    finally:
        loader.dispose()


def read_yaml(path: Path) -> Any:
    """A YAML file's value; any problem raises StackFileError."""
    value, problems, _ = read_document(path)
    if problems:
        raise StackFileError(f"{path.name}: {len(problems)} problem(s)", problems)
    return value


def offline_secret(key: str) -> str:
    """The stand-in for a `secure:` value that only the real CLI can decrypt."""
    return f"offline-secret-{uuid.uuid5(_NS, key).hex[:12]}"


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


#: What the CLI's secrets providers write: `v1:<nonce>:<ciphertext>` (passphrase), or base64 (Pulumi
#: Cloud and the cloud KMS providers). Anything else can't be decrypted, and is likely the secret itself.
_CIPHERTEXT = re.compile(r"^(?:v1:)?[A-Za-z0-9+/]+={0,2}(?::[A-Za-z0-9+/]+={0,2})?$")


def _strip_secure(value: Any, key: str, found: list[tuple[str, Any]]) -> Any:
    if _is_secure(value):
        found.append((key, value["secure"]))
        return offline_secret(key)
    if isinstance(value, dict):
        return {k: _strip_secure(v, f"{key}.{k}", found) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_secure(v, f"{key}[{i}]", found) for i, v in enumerate(value)]
    return value


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if _is_secure(value) or not isinstance(value, (dict, list)):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{path}.{k}")
    else:
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]")


#: Config keys whose every leaf must be a `secure:` value. The CLI marks a whole key secret
#: when any leaf is (`pulumi config set --secret --path` encrypts one leaf), so a running
#: program can't tell a plaintext sibling from an encrypted one: only the stack file can.
ALL_SECRET_KEYS = ("connectionKeys",)


@dataclass
class StackFileConfig:
    """A stack's config as the engine would pass it, with what reading it found."""

    project: str
    config: dict[str, str]
    secret_keys: list[str]
    problems: list[Problem] = field(default_factory=list)
    """Config the CLI would read otherwise, or that must not be deployed, each with its key path."""
    notes: list[str] = field(default_factory=list)
    """What the offline reading did that a real deploy won't (stand-ins for secrets)."""


def config_from_yaml(values: dict[str, Any], project: str) -> tuple[dict[str, str], list[str]]:
    """Stack-file config as the engine passes it: qualified keys, strings or JSON, secret keys."""
    found = _config(values, project)
    return found.config, found.secret_keys


def _config(values: dict[str, Any], project: str) -> StackFileConfig:
    result = StackFileConfig(project, {}, [])
    for key, value in (values or {}).items():
        if not isinstance(key, str):
            continue  # reported by the reader: a key must be a string
        qualified = key if ":" in key else f"{project}:{key}"
        if value is None:
            result.problems.append((qualified, "has no value (null or empty): the Pulumi CLI would pass an empty "
                                               "string; give a value or remove the key"))
            continue
        if key.split(":", 1)[-1] in ALL_SECRET_KEYS and qualified.startswith(f"{project}:"):
            plain = [p for p, leaf in _leaves(value, qualified) if not _is_secure(leaf)]
            if any(_is_secure(leaf) for _, leaf in _leaves(value, qualified)):
                result.problems += [(p, "is plaintext beside secure values: the CLI would mark the whole key "
                                        f"secret, but this value sits in the stack file in clear; set it with "
                                        f"pulumi config set --secret --path '{p}' <key>") for p in plain]
        stand_ins: list[tuple[str, Any]] = []
        value = _strip_secure(value, qualified, stand_ins)
        if stand_ins:
            result.secret_keys.append(qualified)
            result.notes += [f"{p} is a `secure:` value the offline plan can't decrypt: a stand-in is used"
                             for p, _ in stand_ins]
            result.problems += [(p, "is not Pulumi ciphertext, so the CLI can't decrypt it; if it is the secret "
                                    "itself, it sits in the stack file in clear: rotate it and set it with "
                                    f"pulumi config set --secret --path '{p}' <value>")
                                for p, text in stand_ins if not (isinstance(text, str) and _CIPHERTEXT.match(text))]
        try:
            result.config[qualified] = value if isinstance(value, str) else _json(value)
        except ValueError:
            result.problems.append((qualified, "holds a number that is not finite (.nan or .inf)"))
    return result


def _json(value: Any) -> str:
    import json

    # The CLI sends booleans and numbers at the top as their YAML text; JSON for objects and lists.
    return json.dumps(value, allow_nan=False)


def read_stack_config(root: Path, stack: str, stack_file: Optional[Path] = None) -> StackFileConfig:
    """(project, config, secret keys, problems, notes) for `Pulumi.<stack>.yaml` (or `stack_file`).

    Raises StackFileError when a file can't be read at all, or FileNotFoundError when the
    stack file is missing; every other problem is returned with its key path.
    """
    project_file = read_yaml(root / "Pulumi.yaml")
    if not isinstance(project_file, dict) or not isinstance(project_file.get("name"), str):
        raise StackFileError("Pulumi.yaml: `name` (the project name) is missing")
    project = project_file["name"]
    stack_file = stack_file or root / f"Pulumi.{stack}.yaml"
    if not stack_file.exists():
        raise FileNotFoundError(f"no stack file {stack_file.name} in {stack_file.parent}")
    content, problems, _ = read_document(stack_file)
    content = content or {}
    stack_values = content.get("config") if isinstance(content, dict) else None
    if not isinstance(content, dict) or not isinstance(stack_values or {}, dict):
        raise StackFileError(f"{stack_file.name}: `config` must be a map of keys to values")
    defaults = {
        key: spec["default"]
        for key, spec in (project_file.get("config") or {}).items()
        if isinstance(spec, dict) and "default" in spec
    }
    found = _config({**defaults, **(stack_values or {})}, project)
    file_problems = []
    for path, reason in problems:
        path = path.removeprefix("config.")
        head = path.split(".", 1)[0]
        file_problems.append((path if ":" in head else f"{project}:{path}", reason))
    # A value the file layer already refused is not refused again under its parent key.
    found.problems = file_problems + [
        p for p in found.problems
        if not any(q == p[0] or q.startswith((p[0] + ".", p[0] + "[")) for q, _ in file_problems)
    ]
    return found


def load_stack_config(
    root: Path, stack: str, stack_file: Optional[Path] = None
) -> tuple[str, dict[str, str], list[str]]:
    """(project name, config, secret keys) for `Pulumi.<stack>.yaml` (or `stack_file`) beside `Pulumi.yaml`.

    Raises StackFileError with every problem the stack file has (see read_stack_config).
    """
    found = read_stack_config(root, stack, stack_file)
    if found.problems:
        name = (stack_file or root / f"Pulumi.{stack}.yaml").name
        raise StackFileError(f"{name}: {len(found.problems)} problem(s)", found.problems)
    return found.project, found.config, found.secret_keys
