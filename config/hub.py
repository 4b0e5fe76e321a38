"""The hub, its AI provider and model deployments, its dependencies and its encryption."""

import re
from typing import Any, Literal, Optional

from pydantic import Field, field_validator, model_validator

from components.arm import (
    APPLICATION_INSIGHTS,
    COGNITIVE_ACCOUNT,
    CONTAINER_REGISTRY,
    GUID_PATTERN,
    KEY_VAULT,
    STORAGE_ACCOUNT,
)
from components.dependencies import REGISTRY_SKUS, STORAGE_SKUS
from components.encryption import CustomerManagedKeyArgs
from components.naming import MAX_GENERATION, MIN_GENERATION, base_name_problem, suffix_problem
from components.provider import DeploymentSku

from .base import Model, arm_id, no_problem, sub_problems

DEPLOYMENT_SKUS = tuple(s.value for s in DeploymentSku)
_DEPLOYMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")


class Deployment(Model):
    name: str
    """Deployment name clients call: 2-64 letters, digits, `.`, `_` or `-`, starting with a letter or digit."""
    model: str = Field(min_length=1)
    """Model name, e.g. `gpt-4o`."""
    version: str = Field(min_length=1)
    """Model version, e.g. `"2024-11-20"` (quote it in YAML; a bare integer is taken as its string)."""
    sku: Literal[DEPLOYMENT_SKUS] = "Standard"  # type: ignore[valid-type]
    """Deployment type: where requests are processed and how capacity is billed."""
    capacity: int = Field(default=10, ge=1, le=100_000)
    """Capacity units (thousands of tokens per minute for Standard)."""
    format: str = Field(default="OpenAI", min_length=1)
    """Model publisher format; only `OpenAI` in `openAI` mode."""

    @field_validator("version", mode="before")
    @classmethod
    def _numeric_version(cls, value: Any) -> Any:
        # `version: 2` in YAML is a number; model versions are strings to Azure.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _DEPLOYMENT_NAME.match(value):
            raise ValueError("must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        return value


class Provider(Model):
    existing_account_id: Optional[str] = None
    """ARM ID of an existing `Microsoft.CognitiveServices/accounts` to reuse instead of creating one (none: the
    stack creates one)."""
    deployments: list[Deployment] = []
    """Model deployments on the provider account; names unique."""

    _check_account = field_validator("existing_account_id")(arm_id(COGNITIVE_ACCOUNT))

    @field_validator("deployments")
    @classmethod
    def _unique(cls, value: list[Deployment]) -> list[Deployment]:
        seen: set[str] = set()
        for item in value:
            if item.name.lower() in seen:
                raise ValueError(f"deployment name {item.name!r} is used twice")
            seen.add(item.name.lower())
        return value


class Hub(Model):
    name: str
    """Base of every resource name: 3-40 lowercase letters, digits and single hyphens, starting with a letter."""
    friendly_name: Optional[str] = Field(default=None, min_length=1, max_length=256)
    """Display name in the Foundry portal (none: `hub.name`)."""
    description: Optional[str] = Field(default=None, max_length=1024)
    """Hub description."""
    generation: int = Field(default=0, ge=MIN_GENERATION, le=MAX_GENERATION)
    """Bump to give the globally unique names (storage, key vault, registry, the provider's subdomain) new values:
    stand the stack up again right after a destroy, while the old vault name stays soft-deleted and the old
    subdomain reserved (README: Destroy and re-create). On a live stack it replaces the stores and the hub."""
    unique_suffix: Optional[str] = None
    """Pin the suffix of the globally unique names: 4-12 lowercase letters and digits, e.g. to keep the names of a
    stack that moves subscription or resource group (none: a hash of the subscription, the resource group,
    `hub.name` and `hub.generation`; README: Names). Not with `generation`."""

    _name = field_validator("name")(no_problem(base_name_problem))
    _suffix = field_validator("unique_suffix")(no_problem(suffix_problem))

    @model_validator(mode="after")
    def _one_way_to_name(self) -> "Hub":
        if self.generation and self.unique_suffix is not None:
            sub_problems([("generation", "a pinned uniqueSuffix ignores generation: change the suffix instead")])
        return self


class Dependencies(Model):
    storage_account_id: Optional[str] = None
    """ARM ID of your own `Microsoft.Storage/storageAccounts` (none: the stack creates one)."""
    key_vault_id: Optional[str] = None
    """ARM ID of your own `Microsoft.KeyVault/vaults` (none: the stack creates one)."""
    application_insights_id: Optional[str] = None
    """ARM ID of your own `Microsoft.Insights/components` (none: the stack creates one, with Log Analytics)."""
    container_registry_id: Optional[str] = None
    """ARM ID of your own `Microsoft.ContainerRegistry/registries` (none: no registry, unless
    `containerRegistry`)."""
    container_registry: bool = False
    """Create a container registry (of `containerRegistrySku`) when no `containerRegistryId` is given."""
    # Entra ID-only telemetry ingestion: a documented trade-off (components/dependencies.py create_monitoring).
    application_insights_entra_only: bool = False
    """The created Application Insights takes telemetry authenticated with Entra ID only. Senders then need
    Monitoring Metrics Publisher, and those that send with the instrumentation key alone (older SDKs, the
    JavaScript web SDK, some auto-instrumentation, Profiler) stop."""
    container_registry_sku: Literal[REGISTRY_SKUS] = "Premium"  # type: ignore[valid-type]
    """SKU of the created registry; private endpoints and public access off need Premium."""
    storage_sku: Literal[STORAGE_SKUS] = "Standard_LRS"  # type: ignore[valid-type]
    """SKU of the created storage account (ZRS or GRS passes rule ST-09)."""

    _storage = field_validator("storage_account_id")(arm_id(STORAGE_ACCOUNT))
    _vault = field_validator("key_vault_id")(arm_id(KEY_VAULT))
    _insights = field_validator("application_insights_id")(arm_id(APPLICATION_INSIGHTS))
    _registry = field_validator("container_registry_id")(arm_id(CONTAINER_REGISTRY))


_KEY_NAME = re.compile(r"^[A-Za-z0-9-]{1,127}$")
_KEY_VERSION = re.compile(r"^[0-9a-fA-F]{32}$")


class Encryption(Model):
    key_vault_id: Optional[str] = None
    """Vault of your own key, with `keyName`: both or neither; in the hub's subscription (rule DR-06) (none: the
    stack creates a key in the hub's vault)."""
    key_name: Optional[str] = None
    """Name of your own key in `keyVaultId`: both or neither."""
    key_version: Optional[str] = None
    """Pin a key version: 32 hex characters (none: the key's current version)."""
    service_side: bool = False
    """Service-side encryption: encrypted data stays in Microsoft's subscription instead of resources in yours.
    Not with a vault whose public access is off (DR-05)."""
    cosmos_db_principal_id: Optional[str] = None
    """Classic mode: object ID of the Azure Cosmos DB service principal in your tenant (`az ad sp show --id
    a232010e-820c-4083-83bb-3ace5fc29d0b --query id -o tsv`), for deployers that can't read the directory (none:
    looked up)."""

    _vault = field_validator("key_vault_id")(arm_id(KEY_VAULT))

    @model_validator(mode="after")
    def _complete(self) -> "Encryption":
        problems: list[tuple[str, str]] = []
        if self.key_name is not None and not _KEY_NAME.match(self.key_name):
            problems.append(("keyName", "must be 1-127 letters, digits or '-'"))
        if self.key_version is not None and not _KEY_VERSION.match(self.key_version):
            problems.append(("keyVersion", "must be a key version: 32 hexadecimal characters"))
        if (self.key_vault_id is None) != (self.key_name is None):
            missing = "keyName" if self.key_name is None else "keyVaultId"
            problems.append((missing, "bring a key with both keyVaultId and keyName, or give neither "
                                      "and the stack creates a key in its own vault"))
        if self.key_version is not None and self.key_name is None:
            problems.append(("keyVersion", "needs keyName"))
        if self.cosmos_db_principal_id is not None:
            if self.service_side:
                problems.append(("cosmosDbPrincipalId", "service-side encryption keeps no Cosmos DB in your "
                                                        "subscription: leave it out"))
            elif not GUID_PATTERN.match(self.cosmos_db_principal_id):
                problems.append(("cosmosDbPrincipalId", "must be the object ID (a GUID) of the Azure Cosmos DB "
                                                        "service principal in your tenant"))
        sub_problems(problems)
        return self

    def args(self) -> CustomerManagedKeyArgs:
        found = {"key_vault_id": self.key_vault_id, "key_name": self.key_name, "key_version": self.key_version,
                 "service_side": self.service_side or None, "cosmos_db_principal_id": self.cosmos_db_principal_id}
        return {k: v for k, v in found.items() if v is not None}  # type: ignore[return-value]
