"""Deterministic, Azure-valid resource names derived from one base name.

Every name is a pure function of the hub's base name and a stable suffix, so the
same config gives the same names on every run. Azure's limits (Learn, "Naming
rules and restrictions for Azure resources") are applied here, once: where a name
is too long the base is shortened and the suffix is always kept whole.
"""

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import pulumi

#: A hub base name: lowercase letters, digits and single hyphens; starts with a
#: letter, ends with a letter or digit. Lowercase because storage and registry
#: names must be, and one rule for all names is easier to reason about.
BASE_NAME_PATTERN = re.compile(r"^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$")
BASE_NAME_MIN = 3
BASE_NAME_MAX = 40

#: Machine Learning workspaces (hubs, projects) and their connections.
WORKSPACE_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$")
CONNECTION_NAME_PATTERN = WORKSPACE_NAME_PATTERN

SUFFIX_LENGTH = 6
#: Longest Cosmos DB account and Search service names (Learn, "Naming rules and restrictions for Azure resources").
COSMOS_DB_NAME_MAX = 44
SEARCH_NAME_MAX = 60
#: A hub's name generation (see unique_suffix): three digits are plenty of re-creations.
MIN_GENERATION, MAX_GENERATION = 0, 999


def base_name_problem(name: str) -> str | None:
    """Why `name` can't be a hub base name, or None when it can."""
    if not BASE_NAME_MIN <= len(name) <= BASE_NAME_MAX:
        return f"must be {BASE_NAME_MIN} to {BASE_NAME_MAX} characters long (got {len(name)})"
    if not BASE_NAME_PATTERN.match(name):
        return (
            "must be lowercase letters, digits and single hyphens, "
            "start with a letter and end with a letter or digit"
        )
    return None


def short_hash(*parts: str, length: int = SUFFIX_LENGTH) -> str:
    """A short, stable hex digest of `parts` (not a secret, just a fingerprint)."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def unique_suffix(subscription_id: str, resource_group: str, base: str, generation: int = 0) -> str:
    """The suffix that makes globally unique names unique.

    Derived from the subscription, the resource group and the hub base name, like
    Bicep's uniqueString(resourceGroup().id) (which hashes the group's ID, and so its
    subscription): two hubs in one resource group, one hub name in two stacks, and one
    stack deployed to two subscriptions all get different names.

    `generation` (0 by default, which leaves the hash as it is) is bumped to stand a
    destroyed stack up again at once: Azure keeps a deleted key vault's name for its
    soft-delete retention (90 days with purge protection; Learn "Azure Key Vault
    soft-delete overview") and a deleted AI services account's custom subdomain for
    48 hours (Learn "Recover or purge deleted Azure AI services resources";
    pulumi/pulumi-azure-native#2529: azure-native never purges).
    """
    parts = [subscription_id.lower(), resource_group.lower(), base]
    if generation:
        parts.append(f"generation-{generation}")
    return short_hash(*parts)


#: A pinned suffix: lowercase letters and digits (storage and registry names allow no
#: others), short enough to leave room for the base name in a 24-character vault name.
SUFFIX_PATTERN = re.compile(r"^[a-z0-9]{4,12}$")


def suffix_problem(suffix: str) -> str | None:
    """Why `suffix` can't be a pinned unique suffix, or None."""
    if not SUFFIX_PATTERN.match(suffix):
        return "must be 4 to 12 lowercase letters and digits"
    return None


def _collapse(text: str) -> str:
    """Strip characters no name allows and squeeze hyphen runs."""
    text = re.sub(r"[^a-z0-9-]", "", text.lower())
    return re.sub(r"-{2,}", "-", text).strip("-")


def fit(prefix: str, base: str, max_len: int, suffix: str = "", sep: str = "-") -> str:
    """Join `prefix`, `base` and `suffix` with `sep` into at most `max_len` characters.

    The base is what gets shortened, never the prefix or suffix. A shortened base
    without a suffix gets a hash of the full base instead, so two long names that
    share their first characters still differ.
    """
    base = _collapse(base) if sep else re.sub(r"[^a-z0-9]", "", base.lower())
    if not suffix:
        whole = sep.join(p for p in (prefix, base) if p)
        if len(whole) <= max_len:
            return whole
        suffix = short_hash(base, length=4)
    fixed = len(prefix) + len(suffix) + (2 * len(sep) if prefix else len(sep))
    room = max_len - fixed
    if room < 1:
        raise ValueError(f"no room for a base name in {max_len} characters")
    short = base[:room].rstrip("-")
    return sep.join(p for p in (prefix, short, suffix) if p)


@dataclass(frozen=True)
class HubNames:
    """The Azure name of every resource an AI hub creates, for one base name.

    `suffix` may be known only at deploy time (an Output: it hashes the subscription
    the stack deploys to); the globally unique names are then Outputs too.
    """

    base: str
    suffix: "pulumi.Input[str]"

    def _suffixed(self, name: Callable[[str], str]) -> "pulumi.Input[str]":
        if isinstance(self.suffix, str):
            return name(self.suffix)
        import pulumi

        return pulumi.Output.concat(self.suffix).apply(name)

    @property
    def hub(self) -> str:
        # Workspaces: 3-33 characters, resource-group unique.
        return fit("hub", self.base, 33)

    def project(self, project: str) -> str:
        return project_workspace_name(self.base, project)

    @property
    def storage_account(self) -> "pulumi.Input[str]":
        # 3-24 lowercase letters and digits, globally unique.
        return self._suffixed(lambda suffix: fit("st", self.base, 24, suffix, sep=""))

    @property
    def key_vault(self) -> "pulumi.Input[str]":
        # 3-24 letters, digits and single hyphens, globally unique.
        return self._suffixed(lambda suffix: fit("kv", self.base, 24, suffix))

    @property
    def container_registry(self) -> "pulumi.Input[str]":
        # 5-50 letters and digits, globally unique.
        return self._suffixed(lambda suffix: fit("cr", self.base, 50, suffix, sep=""))

    @property
    def log_analytics(self) -> str:
        return fit("log", self.base, 63)

    @property
    def application_insights(self) -> str:
        return fit("appi", self.base, 255)

    def provider_account(self, kind_prefix: str) -> str:
        return provider_account_name(self.base, kind_prefix)

    def custom_subdomain(self, account_name: str) -> "pulumi.Input[str]":
        # The account's DNS label (<x>.cognitiveservices.azure.com): global and immutable.
        return self._suffixed(lambda suffix: fit("", account_name, 63, suffix))

    @property
    def cosmos_db_account(self) -> "pulumi.Input[str]":
        # Cosmos DB accounts: 3-44 lowercase letters, digits and hyphens, starting and ending with a letter or digit,
        # globally unique (a DNS label of documents.azure.com). Learn, "Naming rules and restrictions for Azure
        # resources", Microsoft.DocumentDB/databaseAccounts.
        return self._suffixed(lambda suffix: fit("cosmos", self.base, COSMOS_DB_NAME_MAX, suffix))

    @property
    def search_service(self) -> "pulumi.Input[str]":
        # Search services: 2-60 lowercase letters, digits and hyphens, no leading, trailing or consecutive hyphens,
        # globally unique (a DNS label of search.windows.net). Learn, naming rules, Microsoft.Search/searchServices.
        return self._suffixed(lambda suffix: fit("srch", self.base, SEARCH_NAME_MAX, suffix))

    @property
    def agent_storage_account(self) -> "pulumi.Input[str]":
        # The Foundry agent files store, beside (never instead of) a hub's own `storage_account`: 3-24 lowercase
        # letters and digits, globally unique. Its own prefix keeps it apart from the hub's during a migration,
        # when both live in one resource group.
        return self._suffixed(lambda suffix: fit("stag", self.base, 24, suffix, sep=""))

    def resource_group(self, stack: str) -> str:
        return stack_resource_group_name(self.base, stack)


# The names that need no suffix, as plain functions: a caller that knows only the base name
# (the stack config) gets them from here rather than building a HubNames with a made-up suffix.


def project_workspace_name(base: str, project: str) -> str:
    """A project's workspace name (3-33 characters, resource-group unique, like the hub's)."""
    return fit("proj", f"{base}-{project}", 33)


def provider_account_name(base: str, kind_prefix: str) -> str:
    """The provider account the hub creates. Cognitive Services accounts: 2-64 characters, resource-group unique."""
    return fit(kind_prefix, base, 64)


def stack_resource_group_name(base: str, stack: str) -> str:
    """A stack's own resource group (1-90 characters)."""
    return fit("rg", f"{base}-{stack}", 90)


def connection_name(target_name: str) -> str:
    """A workspace connection name for a target resource (3-33 characters)."""
    name = fit("", target_name, 33)
    return name if len(name) >= 3 else fit("conn", target_name, 33)
