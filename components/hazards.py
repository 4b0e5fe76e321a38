"""Changes Azure can't apply in place, or that lose data, called out before they happen.

The stack exports a fingerprint of the settings that matter; the next run reads
the last deployed one (a StackReference to the stack itself) and warns, with the
consequence, about each that changed. Pulumi's own preview shows a `replace`;
this says what the replace costs.
"""

from dataclasses import dataclass
from typing import Mapping, Optional

import pulumi

#: What each change costs, by fingerprint key.
CONSEQUENCES: dict[str, str] = {
    "providerMode": (
        "the provider account is replaced by one of the other kind: its endpoint, model deployments and "
        "their quota go, the hub's provider connection changes category, and an OpenAI-only hub has no "
        "in-place upgrade to AI services"
    ),
    "customSubdomain": (
        "a custom subdomain can't be changed: the account is deleted and re-created with a new endpoint, "
        "its model deployments are re-created and every client must switch endpoint; the old subdomain stays "
        "taken for 48 hours (soft-deleted account, CustomDomainInUse), so switching back fails until then"
    ),
    "storageAccount": (
        "a hub's storage account is fixed at creation: Pulumi replaces the hub, whose projects, connections "
        "and the data in the old storage go with it; the hub's name stays blocked for 14 days (soft delete)"
    ),
    "keyVault": (
        "a hub's key vault is fixed at creation: Pulumi replaces the hub, with its projects and connections; "
        "the hub's name stays blocked for 14 days (soft delete), and a deleted vault's name for its 90-day "
        "soft-delete retention (purge protection): going back to that name fails until then"
    ),
    "isolationMode": (
        "a managed network can't be switched back to Disabled once enabled: Azure refuses the update; "
        "turning it off means deleting and re-creating the hub"
    ),
    "encryption": (
        "encryption is chosen when a hub is created: Pulumi replaces the hub, with its projects, connections "
        "and data"
    ),
    "hubName": "the hub is renamed: Pulumi replaces it and every resource named after it, with their data",
}


@dataclass(frozen=True)
class Hazard:
    key: str
    before: str
    after: str

    @property
    def message(self) -> str:
        return f"hazard: {self.key} changes from {self.before!r} to {self.after!r}: {CONSEQUENCES[self.key]}"


def hazards(previous: Optional[Mapping[str, str]], current: Mapping[str, str]) -> list[Hazard]:
    """The hazardous differences between the last deployed fingerprint and this run's."""
    if not previous:
        return []  # a first deployment changes nothing
    found: list[Hazard] = []
    for key in CONSEQUENCES:
        before, after = previous.get(key), current.get(key)
        if before is None or after is None or before == after:
            continue
        if key == "isolationMode" and after != "Disabled":
            continue  # tightening or loosening between enabled modes is an in-place update
        found.append(Hazard(key, before, after))
    return found


def watch_hazards(
    fingerprint: pulumi.Input[Mapping[str, str]], output_name: str, parent: Optional[pulumi.Resource] = None
) -> None:
    """Warn about hazards against the fingerprint this stack last exported as `output_name`.

    The fingerprint may hold Outputs (names hashed with the subscription read at deploy time).
    """
    own = f"{pulumi.get_organization()}/{pulumi.get_project()}/{pulumi.get_stack()}"
    previous = pulumi.StackReference(own, opts=pulumi.ResourceOptions(parent=parent)).get_output(output_name)

    def warn(both: list[Optional[Mapping[str, str]]]) -> None:
        for hazard in hazards(both[0], both[1] or {}):
            pulumi.log.warn(hazard.message, resource=parent)

    pulumi.Output.all(previous, fingerprint).apply(warn)
