"""The hub's AI provider: an AI services or Azure OpenAI account and its model deployments."""

from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, NotRequired, Optional, Sequence, TypedDict

import pulumi
from pulumi_azure_native import cognitiveservices
from pulumi_azure_native import machinelearningservices as ml

from .arm import COGNITIVE_ACCOUNT, name_and_group, parse_resource_id
from .dependencies import Placement
from .naming import HubNames, connection_name, provider_account_name
from .validation import later


class ProviderMode(str, Enum):
    """Which account gives the hub its models."""

    AI_SERVICES = "aiServices"
    """An AIServices account: Azure OpenAI plus Speech, Vision, Content Safety behind one endpoint."""
    OPEN_AI = "openAI"
    """An Azure OpenAI account: OpenAI models only, with no later upgrade path for the hub."""

    @property
    def account_kind(self) -> str:
        return "AIServices" if self is ProviderMode.AI_SERVICES else "OpenAI"

    @property
    def connection_category(self) -> ml.ConnectionCategory:
        if self is ProviderMode.AI_SERVICES:
            return ml.ConnectionCategory.AI_SERVICES
        return ml.ConnectionCategory.AZURE_OPEN_AI

    @property
    def name_prefix(self) -> str:
        return "ais" if self is ProviderMode.AI_SERVICES else "oai"

    @property
    def inference_role(self) -> str:
        """The least role that lets an identity call every model the account serves."""
        return "Cognitive Services User" if self is ProviderMode.AI_SERVICES else "Cognitive Services OpenAI User"


def provider_connection_name(base: str, mode: ProviderMode, existing_account_id: Optional[str] = None) -> str:
    """The name of the hub's connection to its provider: the account's name, of the account brought or created."""
    if existing_account_id:
        return connection_name(parse_resource_id(existing_account_id, COGNITIVE_ACCOUNT).name)
    return connection_name(provider_account_name(base, mode.name_prefix))


@dataclass(frozen=True)
class Provider:
    """What the hub needs to know of its provider account, created or existing."""

    account_id: pulumi.Output[str]
    account_name: pulumi.Input[str]
    """The account's name as an input of other resources (an Output when we create it)."""
    name: pulumi.Input[str]
    """The same name: known before deployment, unless an existing account's ID comes from another resource."""
    resource_group_name: pulumi.Input[str]
    endpoint: pulumi.Output[str]
    location: pulumi.Output[str]
    principal_id: Optional[pulumi.Output[str]]
    """The account's own identity; None for an existing account (we don't own it)."""
    account: Optional[cognitiveservices.Account]
    arm_provider: Optional[pulumi.ProviderResource] = None
    """The azure-native provider of the account's subscription, when it isn't the stack's."""

    @property
    def connection_name(self) -> pulumi.Input[str]:
        """The name of the hub's connection to this account."""
        if isinstance(self.name, str):
            return connection_name(self.name)
        return later(self.name).apply(connection_name)


@dataclass(frozen=True)
class AccountKey:
    """A customer-managed key for an account, read through a user-assigned identity (encryption.py)."""

    identity_id: pulumi.Input[str]
    """The user-assigned identity that holds Key Vault Crypto User on the vault."""
    identity_client_id: pulumi.Input[str]
    key_vault_uri: pulumi.Input[str]
    key_name: pulumi.Input[str]
    key_version: Optional[pulumi.Input[str]] = None
    """The key's version (Learn, foundry concepts/encryption-keys-portal: "When the key is rotated, you must update
    the ... resource to use the new key URI"): FoundryResource always sends one."""


@dataclass(frozen=True)
class FoundryAccount:
    """What a Foundry resource adds to the account it creates. All of it is set when the account is created:
    `networkInjections` and CMK can't be removed later, nor project management turned off (hazards.py)."""

    allow_project_management: bool = True
    agent_subnet_id: Optional[pulumi.Input[str]] = None
    """The subnet (delegated to Microsoft.App/environments) the Agent Service is injected into, if any."""
    key: Optional[AccountKey] = None
    depends_on: Sequence[pulumi.Resource] = ()
    """What the account waits for: the CMK identity's grant and its propagation, the agent subnet."""
    aliases: Sequence[pulumi.Alias] = ()
    """Where the account lived before (an AIHub's child, during a migration)."""


def create_account(
    names: HubNames, mode: ProviderMode, at: Placement, foundry: Optional[FoundryAccount] = None,
) -> Provider:
    """A new account of the mode's kind: S0, Entra ID only, a global custom subdomain.

    One builder for both platforms, so the account a hub creates and the one a Foundry resource takes over (or
    creates itself) are the same request. Without `foundry` the request is the hub's, property for property.
    `foundry` adds, each only when asked (a None property is not sent):
    - `allowProjectManagement` (Learn, foundry-samples infrastructure-setup-bicep/00-basic main.bicep), which Foundry
      projects need (pulumi/pulumi-azure-native#4354);
    - `networkInjections: [{scenario: agent, subnetArmId, useMicrosoftManagedNetwork: false}]`, a list as the API
      takes it (foundry-samples 15-private-network-standard-agent-setup modules-network-secured/
      ai-account-identity.bicep; Azure/bicep-types-az#2511);
    - the customer-managed key: identity `SystemAssigned, UserAssigned` and `encryption {keySource:
      Microsoft.KeyVault, keyVaultProperties {keyVaultUri, keyName, keyVersion?, identityClientId}}` in one request
      (foundry-samples 32-customer-managed-keys-user-assigned-identity; REST spec cognitiveservices 2025-06-01
      Encryption/KeyVaultProperties).
    """
    account_name = names.provider_account(mode.name_prefix)
    key = foundry.key if foundry else None
    identity = cognitiveservices.IdentityArgs(type=cognitiveservices.ResourceIdentityType.SYSTEM_ASSIGNED)
    encryption: Optional[cognitiveservices.EncryptionArgs] = None
    if key is not None:
        identity = cognitiveservices.IdentityArgs(
            type=cognitiveservices.ResourceIdentityType.SYSTEM_ASSIGNED_USER_ASSIGNED,
            user_assigned_identities=[key.identity_id],
        )
        encryption = cognitiveservices.EncryptionArgs(
            key_source=cognitiveservices.KeySource.MICROSOFT_KEY_VAULT,
            key_vault_properties=cognitiveservices.KeyVaultPropertiesArgs(
                key_vault_uri=key.key_vault_uri, key_name=key.key_name, key_version=key.key_version,
                identity_client_id=key.identity_client_id,
            ),
        )
    injections = None
    if foundry is not None and foundry.agent_subnet_id is not None:
        injections = [cognitiveservices.NetworkInjectionArgs(
            scenario=cognitiveservices.ScenarioType.AGENT, subnet_arm_id=foundry.agent_subnet_id,
            use_microsoft_managed_network=False,
        )]
    opts = at.stateful()
    if foundry is not None and (foundry.depends_on or foundry.aliases):
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(
            depends_on=list(foundry.depends_on), aliases=list(foundry.aliases) or None))
    account = cognitiveservices.Account(
        f"{names.base}-{mode.name_prefix}",
        account_name=account_name,
        resource_group_name=at.resource_group_name,
        location=at.location,
        kind=mode.account_kind,
        sku=cognitiveservices.SkuArgs(name="S0"),
        identity=identity,
        properties=cognitiveservices.AccountPropertiesArgs(
            # Entra ID auth and private endpoints both need a custom subdomain,
            # and it can never be changed once set.
            custom_sub_domain_name=names.custom_subdomain(account_name),
            disable_local_auth=True,
            public_network_access=at.public_network_access,
            network_acls=cognitiveservices.NetworkRuleSetArgs(
                default_action="Allow" if at.public else "Deny",
                bypass="AzureServices",
            ),
            allow_project_management=True if foundry is not None and foundry.allow_project_management else None,
            network_injections=injections,
            encryption=encryption,
        ),
        tags=dict(at.tags),
        opts=opts,
    )
    return Provider(
        account_id=account.id,
        account_name=account.name,
        name=account_name,
        resource_group_name=at.resource_group_name,
        endpoint=account.properties.apply(lambda p: getattr(p, "endpoint", None) or ""),
        location=account.location.apply(lambda loc: loc or ""),
        principal_id=account.identity.apply(lambda i: (i.principal_id if i else None) or ""),
        account=account,
    )


def existing_account(
    account_id: pulumi.Input[str], mode: Optional[ProviderMode], parent: pulumi.Resource,
    arm_provider: Optional[pulumi.ProviderResource] = None,
    gate: Optional[Callable[[pulumi.Output[Any], pulumi.Input[str]], pulumi.Output[str]]] = None,
) -> Provider:
    """An account the stack reuses (its quota and deployments, or its projects), looked up, not managed.

    `arm_provider` is the azure-native provider of the account's subscription when it is another than the stack's.
    `mode`: the kind a hub expects, warned about when the account is another. `gate(found, account_id)`: the ID
    once the account read is found fit (it raises otherwise); what names the account then waits for it.
    """
    account_name, resource_group = name_and_group(account_id, COGNITIVE_ACCOUNT)
    found = cognitiveservices.get_account_output(
        account_name=account_name,
        resource_group_name=resource_group,
        opts=pulumi.InvokeOutputOptions(parent=parent, provider=arm_provider),
    )

    def check_kind(kind: Optional[str]) -> Optional[str]:
        # Only known once Azure answers, so a warning, not a config error.
        if mode is not None and kind and kind != mode.account_kind:
            pulumi.log.warn(
                f"provider.existingAccountId is an account of kind {kind}, but providerMode {mode.value} "
                f"expects {mode.account_kind}: the hub's connection category will not match it",
                resource=parent,
            )
        return kind

    found.kind.apply(check_kind)
    checked = gate(found, account_id) if gate is not None else pulumi.Output.from_input(account_id)
    return Provider(
        account_id=checked,
        account_name=(account_name if gate is None
                      else pulumi.Output.all(checked, account_name).apply(lambda both: str(both[1]))),
        name=account_name,
        resource_group_name=resource_group,
        # An invoke's result is checked, not trusted: a test double may return nothing.
        endpoint=found.properties.apply(lambda p: getattr(p, "endpoint", None) or ""),
        location=found.location,
        principal_id=None,
        account=None,
        arm_provider=arm_provider,
    )


class DeploymentSku(str, Enum):
    """A model deployment's type (its SKU name); azure-native types it as a plain string.

    Names from Learn, "Deployment types for Azure AI Foundry Models".
    """

    STANDARD = "Standard"
    """Regional pay-per-token."""
    GLOBAL_STANDARD = "GlobalStandard"
    """Global pay-per-token, the highest default quota."""
    DATA_ZONE_STANDARD = "DataZoneStandard"
    """Pay-per-token within a data zone (EU or US)."""
    PROVISIONED_MANAGED = "ProvisionedManaged"
    """Regional provisioned throughput."""
    GLOBAL_PROVISIONED_MANAGED = "GlobalProvisionedManaged"
    """Global provisioned throughput."""
    DATA_ZONE_PROVISIONED_MANAGED = "DataZoneProvisionedManaged"
    """Provisioned throughput within a data zone."""
    GLOBAL_BATCH = "GlobalBatch"
    """Global batch jobs."""
    DATA_ZONE_BATCH = "DataZoneBatch"
    """Batch jobs within a data zone."""
    DEVELOPER_TIER = "DeveloperTier"
    """Fine-tuned model evaluation, no SLA."""


DEFAULT_DEPLOYMENT_SKU = DeploymentSku.STANDARD.value
DEFAULT_DEPLOYMENT_CAPACITY = 10
DEFAULT_MODEL_FORMAT = "OpenAI"


class ModelDeploymentArgs(TypedDict):
    """One model deployment on the provider account."""

    name: str
    """Required. The deployment name that clients call, e.g. `gpt-4o`."""
    model: str
    """Required. The model name in the Azure model catalog, e.g. `gpt-4o`."""
    version: str
    """Required. The model version, e.g. `2024-11-20`."""
    sku: NotRequired[DeploymentSku]
    """Optional. Deployment type: Standard (default), GlobalStandard, DataZoneStandard, ProvisionedManaged, ..."""
    capacity: NotRequired[int]
    """Optional. Capacity in units of the SKU (thousands of tokens per minute for Standard). Default 10."""
    format: NotRequired[str]
    """Optional. The model's publisher format. Default `OpenAI`."""


def deploy_models(
    provider: Provider,
    deployments: Sequence[ModelDeploymentArgs],
    base: str,
    tags: dict[str, str],
    parent: pulumi.Resource,
    adopt_from: Optional[pulumi.Input[str]] = None,
) -> list[cognitiveservices.Deployment]:
    """Deploy each model, one after another (`adopt_from`: the URN of their former parent, see create_account).

    Azure rejects concurrent deployment writes on one account with a conflict,
    so each deployment waits for the previous one.
    """
    created: list[cognitiveservices.Deployment] = []
    for model in deployments:
        created.append(
            cognitiveservices.Deployment(
                f"{base}-deployment-{model['name']}",
                account_name=provider.account_name,
                resource_group_name=provider.resource_group_name,
                deployment_name=model["name"],
                properties=cognitiveservices.DeploymentPropertiesArgs(
                    model=cognitiveservices.DeploymentModelArgs(
                        format=model.get("format", DEFAULT_MODEL_FORMAT),
                        name=model["model"],
                        version=model["version"],
                    ),
                ),
                sku=cognitiveservices.SkuArgs(
                    name=model.get("sku", DEFAULT_DEPLOYMENT_SKU),
                    capacity=model.get("capacity", DEFAULT_DEPLOYMENT_CAPACITY),
                ),
                tags=tags,
                opts=pulumi.ResourceOptions(
                    parent=parent,
                    depends_on=[created[-1]] if created else [],
                    provider=provider.arm_provider,
                    aliases=[pulumi.Alias(parent=adopt_from)] if adopt_from is not None else None,
                ),
            )
        )
    return created
