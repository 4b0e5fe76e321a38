"""Customer-managed key encryption for a hub, and for a Foundry resource's account (setup_account_key).

The hub reads its key through a user-assigned identity that holds Key Vault
Crypto Service Encryption User on the vault (as Azure Verified Modules' ML
workspace `encr` scenario does). The vault needs purge protection: without it
Azure refuses the key for encryption.

In the classic mode (not service-side), Azure creates a Cosmos DB for the hub
in your subscription, encrypted with the same key: the Azure Cosmos DB
first-party application needs Get, Wrap Key and Unwrap Key on the vault (Learn,
machine-learning/how-to-setup-customer-managed-keys, "Allow Azure Cosmos DB to
access the key"; hubs too: ai-foundry/concepts/hub-encryption-keys-portal,
"Legacy managed resource group in your subscription (Cosmos DB, Storage, Azure
AI Search)"). In an RBAC vault that is Key Vault Crypto Service Encryption User.
Service-side encryption keeps that data in Microsoft's subscription, so it needs
no grant.
"""

from dataclasses import dataclass
from typing import Mapping, NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import authorization, keyvault
from pulumi_azure_native import machinelearningservices as ml

from .arm import KEY_VAULT, name_and_group
from .dependencies import Placement, create_identity
from .deploy_rules import CMK_BITS, DeployContext, cmk_key_type
from .naming import HubNames, fit
from .provider import AccountKey
from .rbac import assign_role
from .validation import UnfitResourceError, result_field

KEY_SIZE = 3072
#: The Azure Cosmos DB first-party application (Learn, how-to-setup-customer-managed-keys: "The principal ID for
#: this entry is a232010e-820c-4083-83bb-3ace5fc29d0b for all regions other than Azure Government").
COSMOS_DB_APP_ID = "a232010e-820c-4083-83bb-3ace5fc29d0b"
KEY_ROLE = "Key Vault Crypto Service Encryption User"


class CustomerManagedKeyArgs(TypedDict):
    """Which key encrypts the hub's data."""

    key_vault_id: NotRequired[pulumi.Input[str]]
    """Optional. Resource ID of the vault holding the key. Default: the hub's own vault."""
    key_name: NotRequired[str]
    """Optional. Name of an existing key. Default: create an RSA key."""
    key_version: NotRequired[str]
    """Optional. Version of the existing key. Default: its current version."""
    service_side: NotRequired[bool]
    """Optional. Keep the encrypted data in the service's own subscription (service-side encryption). Default false."""
    cosmos_db_principal_id: NotRequired[pulumi.Input[str]]
    """Optional (classic mode). Object ID of the Azure Cosmos DB application's service principal in your tenant
    (`az ad sp show --id a232010e-820c-4083-83bb-3ace5fc29d0b --query id`), which gets Key Vault Crypto Service
    Encryption User on the vault. Default: looked up in Entra ID with pulumi-azuread, which needs the deploying
    identity to be allowed to read service principals.
    """


@dataclass(frozen=True)
class CustomerManagedKey:
    vault_id: pulumi.Input[str]
    key_identifier: pulumi.Output[str]
    identity_id: pulumi.Output[str]
    grants: list[authorization.RoleAssignment]
    """What Azure checks when it creates the hub: the hub waits for them."""


def _key_uri(vault_name: pulumi.Input[str], key_name: str, version: str) -> pulumi.Output[str]:
    return pulumi.Output.concat("https://", vault_name, f".vault.azure.net/keys/{key_name}/{version}")


def setup_customer_managed_key(
    names: HubNames,
    at: Placement,
    cmk: CustomerManagedKeyArgs,
    hub_vault_id: pulumi.Input[str],
    hub_vault_name: pulumi.Input[str],
    hub_vault_rg: pulumi.Input[str],
    hub_vault_brought: bool = False,
) -> CustomerManagedKey:
    """The identity, its role on the vault, and the key identifier the hub's encryption needs."""
    vault_id: pulumi.Input[str]
    vault_name: pulumi.Input[str]
    vault_rg: pulumi.Input[str]
    if cmk.get("key_vault_id"):
        vault_id = cmk["key_vault_id"]
        vault_name, vault_rg = name_and_group(vault_id, KEY_VAULT)
        _check_brought_vault(vault_name, vault_rg, at.parent, service_side=bool(cmk.get("service_side")))
    else:
        vault_id, vault_name, vault_rg = hub_vault_id, hub_vault_name, hub_vault_rg
        if hub_vault_brought:
            _check_brought_vault(vault_name, vault_rg, at.parent, service_side=bool(cmk.get("service_side")))

    key_name = cmk.get("key_name")
    key_identifier: pulumi.Output[str]
    if key_name and cmk.get("key_version"):
        key_identifier = _key_uri(vault_name, key_name, cmk["key_version"])
    elif key_name:
        key_identifier = keyvault.get_key_output(
            key_name=key_name, vault_name=vault_name, resource_group_name=vault_rg,
            opts=pulumi.InvokeOutputOptions(parent=at.parent),
        ).key_uri_with_version
    else:
        key = keyvault.Key(
            f"{names.base}-cmk",
            key_name=fit("cmk", names.base, 127),
            vault_name=vault_name,
            resource_group_name=vault_rg,
            properties=keyvault.KeyPropertiesArgs(
                kty=keyvault.JsonWebKeyType.RSA,
                key_size=KEY_SIZE,
                key_ops=["wrapKey", "unwrapKey"],
            ),
            tags=dict(at.tags),
            # Without the key, the hub's data can't be read: it outlives the stack like the vault.
            opts=at.data_store(),
        )
        key_identifier = key.key_uri_with_version

    identity = create_identity(names, at, "cmk", at.opts())
    grants = [assign_role(
        f"{names.base}-cmk-identity-key-vault-crypto-service-encryption-user",
        scope=vault_id,
        principal_id=identity.principal_id,
        role=KEY_ROLE,
        parent=at.parent,
    )]
    if not cmk.get("service_side"):
        grants.append(assign_role(
            f"{names.base}-cmk-cosmos-db-key-vault-crypto-service-encryption-user",
            scope=vault_id,
            principal_id=cmk.get("cosmos_db_principal_id") or _cosmos_db_principal(at.parent),
            role=KEY_ROLE,
            parent=at.parent,
        ))
    return CustomerManagedKey(vault_id, key_identifier, identity.id, grants)


#: Key Vault Crypto User (Learn, built-in roles: "Perform cryptographic operations using keys"), what a Foundry
#: account's user-assigned identity needs on the vault (Learn, foundry concepts/encryption-keys-portal;
#: foundry-samples 32-customer-managed-keys-user-assigned-identity). Not the hub's Crypto Service Encryption User.
#: Added here, by GUID, until roles.py names it (its owner adds the Foundry roles).
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"


def setup_account_key(
    names: HubNames, at: Placement, cmk: CustomerManagedKeyArgs,
) -> tuple[AccountKey, list[pulumi.Resource]]:
    """A Foundry account's key: a user-assigned identity with Key Vault Crypto User on the vault, and the key.

    A user-assigned identity is granted before the account exists, so the account can be sent with its key in
    one request; a system-assigned one exists only with the account (Learn, foundry concepts/encryption-keys-portal
    shows the one request with `identityClientId`; foundry-samples 31 and 32 still create the account first and
    add the key in a second deployment, which a stack can do as well: `pulumi up` without `encryption`, then with
    it, as customer-managed keys can be added to an account, not removed). `key_vault_id` is required (a Foundry
    resource has no vault of its own). Without `key_name` an RSA 2048 key is created in that vault; a named key is
    read first and must be RSA 2048 (DR-12). Without `key_version` none is sent; after rotating the key, Learn says
    to "update the ... resource to use the new key URI": set `key_version` then. Returns the key (its name an
    Output the account waits for) and the grant the account must wait for, with its propagation.

    Its identity and key have names of their own (`{base}-account-cmk...`), not the hub's CMK ones: while a hub is
    moved to a Foundry resource both live in one resource group, and a second resource under the hub's Azure name
    would be the same Azure resource, deleted with the hub's.
    """
    vault_id = cmk["key_vault_id"]
    vault_name, vault_rg = name_and_group(vault_id, KEY_VAULT)
    vault_uri = _check_brought_vault(vault_name, vault_rg, at.parent, service_side=False, role="Key Vault Crypto User")
    key_name: pulumi.Input[str]
    # The key's version is always sent, as Microsoft's templates do (foundry-samples 32 cmk-encryption.bicep): Learn
    # says the account must be updated to a rotated key's new URI, so it doesn't follow one by itself.
    key_version: Optional[pulumi.Input[str]] = cmk.get("key_version")
    if cmk.get("key_name"):
        # Read before the account is sent: a key Azure AI services can't use fails the account's create. (azure-native
        # 3.29 reads a key's current version only: a pinned older one is taken as Key Vault says the current is.)
        key_name, current = _checked_account_key(vault_name, vault_rg, cmk["key_name"], at.parent)
        key_version = key_version or current
    else:
        key = keyvault.Key(
            f"{names.base}-account-cmk",
            key_name=fit("cmk", f"{names.base}-account", 127),
            vault_name=vault_name,
            resource_group_name=vault_rg,
            # RSA 2048, the size Azure AI services take (deploy_rules.py CMK_BITS, DR-12).
            properties=keyvault.KeyPropertiesArgs(kty=keyvault.JsonWebKeyType.RSA, key_size=CMK_BITS,
                                                  key_ops=["wrapKey", "unwrapKey"]),
            tags=dict(at.tags),
            opts=at.data_store(),
        )
        key_name = key.name
        key_version = key.key_uri_with_version.apply(_version_of)
    identity = create_identity(names, at, "account-cmk", at.opts())
    grant = assign_role(
        f"{names.base}-account-cmk-identity-key-vault-crypto-user",
        scope=vault_id,
        principal_id=identity.principal_id,
        role=KEY_VAULT_CRYPTO_USER,
        parent=at.parent,
    )
    account_key = AccountKey(
        identity_id=identity.id,
        identity_client_id=identity.client_id,
        key_vault_uri=vault_uri,
        key_name=key_name,
        key_version=key_version,
    )
    return account_key, [grant]


def _version_of(key_uri_with_version: str) -> str:
    """The version in `https://<vault>.vault.azure.net/keys/<name>/<version>`."""
    return key_uri_with_version.rstrip("/").rsplit("/", 1)[-1]


def _checked_account_key(
    vault_name: pulumi.Input[str], vault_rg: pulumi.Input[str], key_name: str, parent: pulumi.Resource,
) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
    """A brought key's name and current version, once Key Vault says it is one Azure AI services take (DR-12);
    else the deployment fails here, before the account is sent."""
    found = keyvault.get_key_output(vault_name=vault_name, resource_group_name=vault_rg, key_name=key_name,
                                    opts=pulumi.InvokeOutputOptions(parent=parent))

    def check(result: object) -> str:
        key = {"kty": getattr(result, "kty", None), "keySize": getattr(result, "key_size", None)}
        problems = cmk_key_type({"encryption": True}, DeployContext(cmk_key=key))
        if problems:
            raise UnfitResourceError("; ".join(f"{path}: DR-12: {reason}" for path, reason in problems))
        return key_name

    name = found.apply(check)
    return name, pulumi.Output.all(name, found.key_uri_with_version).apply(lambda both: _version_of(str(both[1])))


def _cosmos_db_principal(parent: pulumi.Resource) -> pulumi.Output[str]:
    """The Cosmos DB application's object ID, which differs per tenant."""
    import pulumi_azuread as azuread

    found = azuread.get_service_principal_output(client_id=COSMOS_DB_APP_ID,
                                                 opts=pulumi.InvokeOutputOptions(parent=parent))
    return found.apply(lambda sp: getattr(sp, "object_id", None) or "")


def _check_brought_vault(
    vault_name: pulumi.Input[str], vault_rg: pulumi.Input[str], parent: pulumi.Resource, service_side: bool,
    role: str = KEY_ROLE,
) -> pulumi.Output[str]:
    """What only Azure knows of a brought vault: purge protection, Azure RBAC, and public access for service-side
    encryption.

    Service-side encryption "is currently not supported in reference to an Azure Key Vault ... that has public
    network access disabled" (Learn, machine-learning/concept-customer-managed-keys): the stack's own vault is
    checked before anything is registered (deploy rule DR-05); a brought one only once Azure answers.
    """
    found = keyvault.get_vault_output(
        vault_name=vault_name, resource_group_name=vault_rg, opts=pulumi.InvokeOutputOptions(parent=parent)
    )

    def check(properties: Optional[object], name: str) -> None:
        # Output.all hands the typed result over as a plain mapping of its snake_case fields.
        if properties is not None and not result_field(properties, "enable_purge_protection"):
            pulumi.log.error(
                f"encryption.keyVaultId: vault {name} has no purge protection; "
                "Azure refuses its keys for customer-managed encryption",
                resource=parent,
            )
        if properties is not None and not result_field(properties, "enable_rbac_authorization"):
            # The identities' access is granted with Azure roles, which a vault on access policies ignores.
            pulumi.log.error(
                f"encryption.keyVaultId: vault {name} uses access policies, not Azure RBAC: the roles this stack "
                f"grants on it ({role}) would not take effect",
                resource=parent,
            )
        if service_side and properties is not None and result_field(properties, "public_network_access") == "Disabled":
            pulumi.log.error(
                f"encryption.serviceSide: vault {name} has public network access off, which service-side "
                "encryption does not support (DR-05): use the classic mode or a vault Azure can reach",
                resource=parent,
            )

    pulumi.Output.all(found.properties, vault_name).apply(lambda found_and_name: check(*found_and_name))
    # The vault's URI as Azure answers it (another cloud's DNS suffix included); the mock may answer nothing.
    return pulumi.Output.all(found.properties, vault_name).apply(
        lambda known: _vault_uri(known[0]) or f"https://{known[1]}.vault.azure.net/")


def _vault_uri(properties: Optional[object]) -> Optional[str]:
    if isinstance(properties, Mapping):
        return properties.get("vault_uri")
    return getattr(properties, "vault_uri", None)


def encryption_property(cmk: CustomerManagedKey) -> ml.EncryptionPropertyArgs:
    """The hub's `encryption` input: the key, read through the user-assigned CMK identity."""
    return ml.EncryptionPropertyArgs(
        status=ml.EncryptionStatus.ENABLED,
        identity=ml.IdentityForCmkArgs(user_assigned_identity=cmk.identity_id),
        key_vault_properties=ml.KeyVaultPropertiesArgs(key_vault_arm_id=cmk.vault_id,
                                                       key_identifier=cmk.key_identifier),
    )
