"""Resources in another subscription than the one the stack deploys to.

Lookups and child resources of an Azure resource go to the subscription of the
azure-native provider that handles them; a central shared AI account in another
subscription (a common enterprise pattern) therefore needs a provider for that
subscription. Role assignments don't: their scope is the full resource ID.

An explicit provider reads its credentials from the environment (ARM_* variables,
the Azure CLI), not from the stack's `azure-native:*` config.
"""

from typing import Optional

import pulumi
import pulumi_azure_native as azure_native
from pulumi_azure_native import authorization

from .arm import subscription_of


def deploy_subscription() -> Optional[str]:
    """The subscription the default provider deploys to, or None where nobody knows (a test's bare mocks)."""
    client = authorization.get_client_config()
    return getattr(client, "subscription_id", None) or None


class Subscriptions:
    """One explicit provider per other subscription, made on first use."""

    def __init__(self, base: str, current: Optional[str], parent: pulumi.Resource) -> None:
        self._base, self._current, self._parent = base, current, parent
        self._providers: dict[str, azure_native.Provider] = {}

    def provider_for(self, resource_id: pulumi.Input[str]) -> Optional[azure_native.Provider]:
        """None when the resource is in the deploying subscription, or either isn't known before deployment (an
        Output: a provider must be chosen when the program runs)."""
        if not isinstance(resource_id, str):
            return None
        subscription = subscription_of(resource_id).lower()
        if self._current is None or subscription == self._current.lower():
            return None
        if subscription not in self._providers:
            self._providers[subscription] = azure_native.Provider(
                f"{self._base}-subscription-{subscription}",
                subscription_id=subscription,
                opts=pulumi.ResourceOptions(parent=self._parent),
            )
        return self._providers[subscription]
