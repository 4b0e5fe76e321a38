"""Customer-managed key encryption for a hub.

The hub reads its key through a user-assigned identity that holds Key Vault
Crypto Service Encryption User on the vault (as Azure Verified Modules' ML
workspace `encr` scenario does). The vault needs purge protection: without it
Azure refuses the key for encryption.
"""

from dataclasses import dataclass
from typing import NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import authorization, keyvault, managedidentity

from .arm import KEY_VAULT, parse_resource_id
from .dependencies import Placement
from .naming import HubNames, fit
from .rbac import assign_role

KEY_SIZE = 3072


class CustomerManagedKeyArgs(TypedDict):
    """Which key encrypts the hub's data."""

    key_vault_id: NotRequired[str]
    """Optional. Resource ID of the vault holding the key. Default: the hub's own vault."""
    key_name: NotRequired[str]
    """Optional. Name of an existing key. Default: create an RSA key."""
    key_version: NotRequired[str]
    """Optional. Version of the existing key. Default: its current version."""
    service_side: NotRequired[bool]
    """Optional. Keep the encrypted data in the service's own subscription (service-side encryption). Default false."""


@dataclass(frozen=True)
class CustomerManagedKey:
    vault_id: pulumi.Input[str]
    key_identifier: pulumi.Output[str]
    identity_id: pulumi.Output[str]
    grant: authorization.RoleAssignment


def _vault_uri(vault_name: str) -> str:
    return f"https://{vault_name}.vault.azure.net"


def setup_customer_managed_key(
    names: HubNames,
    at: Placement,
    cmk: CustomerManagedKeyArgs,
    hub_vault_id: pulumi.Input[str],
    hub_vault_name: pulumi.Input[str],
    hub_vault_rg: pulumi.Input[str],
) -> CustomerManagedKey:
    """The identity, its role on the vault, and the key identifier the hub's encryption needs."""
    vault_id: pulumi.Input[str]
    vault_name: pulumi.Input[str]
    vault_rg: pulumi.Input[str]
    if cmk.get("key_vault_id"):
        ref = parse_resource_id(cmk["key_vault_id"], KEY_VAULT)
        vault_id = cmk["key_vault_id"]
        vault_name, vault_rg = ref.name, ref.resource_group
        _warn_without_purge_protection(vault_name, vault_rg, at.parent)
    else:
        vault_id, vault_name, vault_rg = hub_vault_id, hub_vault_name, hub_vault_rg

    key_name = cmk.get("key_name")
    key_identifier: pulumi.Output[str]
    if key_name and cmk.get("key_version"):
        version = cmk["key_version"]
        key_identifier = pulumi.Output.from_input(vault_name).apply(
            lambda vault: f"{_vault_uri(vault)}/keys/{key_name}/{version}")
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

    identity = managedidentity.UserAssignedIdentity(
        f"{names.base}-cmk-identity",
        resource_name_=fit("id", f"{names.base}-cmk", 128),
        resource_group_name=at.resource_group_name,
        location=at.location,
        tags=dict(at.tags),
        opts=at.opts(),
    )
    grant = assign_role(
        f"{names.base}-cmk-identity-key-vault-crypto-service-encryption-user",
        scope=vault_id,
        principal_id=identity.principal_id,
        role="Key Vault Crypto Service Encryption User",
        parent=at.parent,
    )
    return CustomerManagedKey(vault_id, key_identifier, identity.id, grant)


def _warn_without_purge_protection(vault_name: str, vault_rg: str, parent: pulumi.Resource) -> None:
    found = keyvault.get_vault_output(
        vault_name=vault_name, resource_group_name=vault_rg, opts=pulumi.InvokeOutputOptions(parent=parent)
    )

    def check(properties: Optional[object]) -> None:
        if properties is not None and not getattr(properties, "enable_purge_protection", False):
            pulumi.log.warn(
                f"encryption.keyVaultId: vault {vault_name} has no purge protection; "
                "Azure refuses its keys for customer-managed encryption",
                resource=parent,
            )

    found.properties.apply(check)
