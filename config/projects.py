"""Projects, their members and connections (the hub's shared connections too), and the connections' keys."""

import json
import re
from typing import TYPE_CHECKING, Any, Literal, Mapping, Optional, cast

import pulumi
from pydantic import Field, SecretStr, field_validator, model_validator

from components import ConnectionArgs
from components.ai_project import DEFAULT_MEMBER_ROLE, member_problems
from components.shared_connection import KEY_AUTH_TYPES, connection_problems, default_auth_type

from .base import Model, sub_problems, unique_names
from .foundry import PROJECT_PLATFORMS
from .reading import NAMESPACE, SECRET_KEY

if TYPE_CHECKING:
    from pulumi_azure_native.authorization import PrincipalType
    from pulumi_azure_native.machinelearningservices import ConnectionAuthType, ConnectionCategory


class Connection(Model):
    name: str
    """3-33 letters, digits, `_` or `-`; unique in its workspace, and a project's must not clash with the hub's."""
    category: str
    """Connection category; the README's connection categories table lists each one's auth types and resource
    type."""
    target: str
    """The endpoint: an https URL."""
    auth_type: Optional[str] = None
    """How it authenticates: `AAD`, `ApiKey`, `CustomKeys` or `None` (none: the category's first). Keys go in
    `connectionKeys`."""
    resource_id: Optional[str] = None
    """ARM ID of the target; required for Azure categories, of the category's resource type."""
    metadata: dict[str, str] = {}
    """Extra metadata (`ApiVersion`, ...); `AzureBlob` needs `ContainerName`."""

    @model_validator(mode="after")
    def _valid(self) -> "Connection":
        sub_problems(
            connection_problems(self.name, self.category, self.target, self.auth_type, self.resource_id, self.metadata)
        )
        return self

    @property
    def auth(self) -> str:
        return self.auth_type or default_auth_type(self.category)

    def args(self, keys: Mapping[str, Any]) -> ConnectionArgs:
        # Plain strings that connection_problems checked against the enums' values; the wire carries the same string.
        spec = ConnectionArgs(name=self.name, category=cast("ConnectionCategory", self.category), target=self.target,
                              auth_type=cast("ConnectionAuthType", self.auth))
        if self.resource_id is not None:
            spec["resource_id"] = self.resource_id
        if self.metadata:
            spec["metadata"] = dict(self.metadata)
        secret = keys.get(self.name)
        # Key material leaves the config only as a Pulumi secret.
        if self.auth == "ApiKey" and isinstance(secret, SecretStr):
            spec["api_key"] = pulumi.Output.secret(secret.get_secret_value())
        elif self.auth == "CustomKeys" and isinstance(secret, dict):
            spec["custom_keys"] = {k: pulumi.Output.secret(v.get_secret_value()) for k, v in secret.items()}
        return spec


class Member(Model):
    principal_id: str
    """Entra ID object ID (a GUID) of the person, group or app."""
    principal_type: str = "User"
    """Kind of principal: `User`, `Group` or `ServicePrincipal`."""
    role: str = DEFAULT_MEMBER_ROLE
    """Role on the project: a built-in role name (listed in `components/roles.py`) or a role definition GUID
    (default: Azure AI Developer on a hub project, Foundry User on a Foundry project, where neither Azure AI Developer
    nor a Cognitive Services role is allowed)."""
    # Data roles on the hub's storage, which people need with shared keys off (components/ai_hub.py).
    storage_access: bool = True
    """Blob and file data roles on the hub's storage (granted once per person across projects); hub projects
    only."""

    @model_validator(mode="after")
    def _valid(self) -> "Member":
        sub_problems(
            # The user's string, unchecked yet: checking it against the enum is member_problems' job.
            member_problems({"principal_id": self.principal_id,
                             "principal_type": cast("PrincipalType", self.principal_type), "role": self.role})
        )
        return self


_PROJECT_NAME = re.compile(r"^[a-z](?:[a-z0-9]|-(?!-)){0,30}[a-z0-9]$")


class Project(Model):
    name: str
    """2-32 lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or
    digit; unique across both platforms. A Foundry project could take more (2-64 letters, digits, `_`, `.`, `-`),
    but one rule keeps every name valid on either platform."""
    friendly_name: Optional[str] = Field(default=None, min_length=1, max_length=256)
    """Display name in the Foundry portal (none: the project's `name`)."""
    description: Optional[str] = Field(default=None, max_length=1024)
    """Project description."""
    members: list[Member] = []
    """People, groups or apps working in the project."""
    connections: list[Connection] = []
    """Connections visible to this project only."""
    platform: Optional[Literal[PROJECT_PLATFORMS]] = None  # type: ignore[valid-type]
    """`hub` (a project on the hub) or `foundry` (a project on the Foundry resource), in platform hub+foundry (none:
    the stack's platform, `hub` in hub+foundry)."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _PROJECT_NAME.match(value):
            raise ValueError(
                "must be 2-32 lowercase letters, digits and single hyphens, "
                "starting with a letter and ending with a letter or digit"
            )
        return value

    @field_validator("members")
    @classmethod
    def _members(cls, value: list[Member]) -> list[Member]:
        return unique_names(value, lambda m: f"{m.principal_id} as {m.role}", "member")

    @field_validator("connections")
    @classmethod
    def _connections(cls, value: list[Connection]) -> list[Connection]:
        return unique_names(value, lambda c: c.name, "connection name")


def connection_keys(value: Optional[str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Parse `connectionKeys` without ever echoing a value: {name: SecretStr | {key: SecretStr}}."""
    path = f"{NAMESPACE}:{SECRET_KEY}"
    if value is None:
        return {}, []
    try:
        decoded = json.loads(value)
    except (TypeError, ValueError):
        decoded = None
    if not isinstance(decoded, dict):
        return {}, [(path, "must be an object: connection name -> key, or -> {key name: key}")]
    keys: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, item in decoded.items():
        if isinstance(item, str) and item:
            keys[name] = SecretStr(item)
        elif isinstance(item, dict) and item and all(isinstance(v, str) and v for v in item.values()):
            keys[name] = {k: SecretStr(v) for k, v in item.items()}
        else:
            problems.append((f"{path}.{name}", "must be a non-empty key, or a map of key names to non-empty keys"))
    return keys, problems


def match_keys(connections: list[tuple[str, Connection]], keys: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every key-based connection (with its config path: StackConfig.all_connections) has its secret, of the right
    shape, and no secret is unused."""
    path = f"{NAMESPACE}:{SECRET_KEY}"
    problems: list[tuple[str, str]] = []
    used: set[str] = set()
    for where, conn in connections:
        if conn.auth not in KEY_AUTH_TYPES:
            continue
        used.add(conn.name)
        secret = keys.get(conn.name)
        if secret is None:
            problems.append((f"{NAMESPACE}:{where}", f"{conn.auth} connection {conn.name!r} has no key: "
                                                     f"pulumi config set --secret --path {path}.{conn.name} <key>"))
        elif conn.auth == "ApiKey" and not isinstance(secret, SecretStr):
            problems.append((f"{path}.{conn.name}", "an ApiKey connection takes one key, not a map"))
        elif conn.auth == "CustomKeys" and not isinstance(secret, dict):
            problems.append((f"{path}.{conn.name}", "a CustomKeys connection takes a map of key names to keys"))
    for name in sorted(set(keys) - used):
        problems.append((f"{path}.{name}", "no ApiKey or CustomKeys connection has this name"))
    return problems
