"""Changes Azure can't apply in place, or that lose data, called out before they happen.

The stack exports a fingerprint of the settings that matter; the next run reads
the last deployed one (a StackReference to the stack itself) and warns, with the
consequence, about each that changed. Pulumi's own preview shows a `replace`;
this says what the replace costs.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence

import pulumi

if TYPE_CHECKING:
    from .naming import HubNames
    from .provider import ProviderMode

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
    "hubIdentity": (
        "the identity the hub reaches its storage, key vault and private endpoints with changes: Azure updates the "
        "workspace's identity in place only between some types, and until the new identity's role assignments "
        "have propagated the hub and its managed network can't reach their targets"
    ),
    # The Foundry resource (foundry_fingerprint). Sources: Learn foundry/how-to/managed-virtual-network
    # (customSubDomainName, allowProjectManagement and networkInjections "must be set at creation time");
    # foundry-samples 22-private-network-agent-setup README ("Account Deletion Prerequisites": only a purge
    # releases the account capability host and its subnet); hashicorp/terraform-provider-azurerm PR #31063
    # (project management: "Once enabled, ... cannot be disabled"; false to true updates in place); Learn
    # ai-foundry/concepts/encryption-keys-portal (Foundry: no switch between Microsoft-managed and
    # customer-managed keys after deployment; the key "can only be updated to keys in the same Azure Key Vault
    # instance"); Learn agents/concepts/capability-hosts ("updating capability hosts is not supported").
    "foundryAccount": (
        "the Foundry resource's account changes: Pulumi deletes the old account (or leaves the one brought) and its "
        "projects, whose agents, threads, files and connections go with them; the new account starts without "
        "projects, model deployments or agents, and a deleted account's name stays taken for 48 hours"
    ),
    "agentSubnet": (
        "network injection (the agent subnet) is set when the account is created and can't be changed or removed: "
        "Azure refuses the update; changing it means deleting and purging the account (purging also releases the "
        "subnet, which the service holds until then) and creating it again, with its projects and agents"
    ),
    "projectManagement": (
        "project management can't be turned off on an account that has it: Azure refuses allowProjectManagement "
        "false once it was true"
    ),
    "accountEncryption": (
        "the account's encryption is chosen when it is created: Azure switches neither between Microsoft-managed and "
        "customer-managed keys (customer-managed back to Microsoft-managed never) nor the customer-managed key to "
        "another key vault; the account would have to be deleted and created again, with its projects and agents"
    ),
    "capabilityHosts": (
        "a capability host can't be updated: Pulumi deletes and re-creates it, and the project's agents lose "
        "their threads, files and vector stores until they are created again in the new stores; the connections "
        "it names can't be renamed in place either"
    ),
    "foundryProjects": (
        "a project that is no longer there is deleted with its agents, threads, files, connections and "
        "capability host; a renamed project is a new, empty one"
    ),
}

#: allowProjectManagement in a Foundry fingerprint.
ENABLED, DISABLED = "enabled", "disabled"
#: The fingerprint key that remembers the globally unique names this stack gave up (comma-separated).
RETIRED = "retiredNames"
#: Names Azure keeps after a delete: a key vault's for its soft-delete retention (90 days with purge
#: protection; Learn "Azure Key Vault soft-delete overview"), an AI services account's name and custom
#: subdomain for 48 hours (Learn "Recover or purge deleted Azure AI services resources").
HELD_AFTER_DELETE = ("keyVault", "customSubdomain")
REUSE_CONSEQUENCE = (
    "this stack used that name before and gave it up: a deleted key vault's name stays soft-deleted for 90 "
    "days (purge protection) and a deleted AI services subdomain for 48 hours (CustomDomainInUse), and a "
    "retained one still exists, so Azure refuses to create it: bump hub.generation for new names"
)
_MAX_RETIRED = 20


def _held_name(value: Optional[str]) -> Optional[str]:
    """The name in a fingerprint value the stack created (`created kv-x` or a bare subdomain)."""
    if not value or value.startswith(("existing ", "/")):
        return None
    return value.removeprefix("created ")


def retired_names(previous: Optional[Mapping[str, str]], current: Mapping[str, str]) -> str:
    """The names given up so far, with the previous deploy's that this one no longer uses."""
    if not previous:
        return ""
    in_use = {_held_name(current.get(k)) for k in HELD_AFTER_DELETE}
    found = [n for n in str(previous.get(RETIRED) or "").split(",") if n]
    found += [n for n in (_held_name(previous.get(k)) for k in HELD_AFTER_DELETE) if n and n not in in_use]
    kept = [n for n in dict.fromkeys(found) if n not in in_use]
    return ",".join(kept[-_MAX_RETIRED:])


@dataclass(frozen=True)
class Hazard:
    key: str
    before: str
    after: str

    @property
    def message(self) -> str:
        if self.before == self.after:
            return f"hazard: {self.key} {self.after!r} was given up before: {REUSE_CONSEQUENCE}"
        return f"hazard: {self.key} changes from {self.before!r} to {self.after!r}: {CONSEQUENCES[self.key]}"


def described(value: object) -> Optional[str]:
    """A fingerprint's text for an ID argument: the ID itself, or None when not given.

    An ID that comes from another resource (an Output) isn't known when the
    fingerprint is taken, so a change of it can't be called out in advance.
    """
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else "an ID from another resource"


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
        if key == "projectManagement" and after != DISABLED:
            continue  # turning it on is an in-place update
        if key == "foundryProjects":
            gone = sorted(set(_entries(before)) - set(_entries(after)))
            if gone:
                found.append(Hazard(key, ",".join(gone), after or "(none)"))
            continue  # new projects are simply created
        if key == "capabilityHosts":
            was, now = _entries(before), _entries(after)
            # A project's host that changed; one of a project that went is the foundryProjects hazard.
            found.extend(Hazard(key, was[p], now[p]) for p in sorted(was) if p in now and was[p] != now[p])
            continue
        found.append(Hazard(key, before, after))
    retired = set(str(previous.get(RETIRED) or "").split(",")) - {""}
    for key in HELD_AFTER_DELETE:
        name = _held_name(current.get(key))
        if name and name in retired and current.get(key) != previous.get(key):
            found.append(Hazard(key, name, name))
    return found


def _entries(value: str) -> dict[str, str]:
    """`a=x;b=y` (or the bare names `a;b`) as {project: entry}."""
    return {item.split("=", 1)[0]: item for item in value.split(";") if item}


def watch_hazards(
    fingerprint: pulumi.Input[Mapping[str, str]], output_name: str, parent: Optional[pulumi.Resource] = None
) -> pulumi.Output[dict[str, str]]:
    """Warn about hazards against the fingerprint this stack last exported as `output_name`.

    The fingerprint may hold Outputs (names hashed with the subscription read at deploy time).
    Returns the fingerprint to export as `output_name`: this run's, with the names given up
    so far (RETIRED), so that a later deploy going back to one of them is warned about.
    """
    # The engine always names the organization; test doubles may not, and then
    # the CLI's own organization is meant (`<project>/<stack>`), never "None".
    organization = pulumi.get_organization()
    own = "/".join(p for p in (organization, pulumi.get_project(), pulumi.get_stack()) if p)
    reference = pulumi.StackReference(own, opts=pulumi.ResourceOptions(parent=parent))
    # Read through `outputs`, not get_output(): a first deployment, or a test
    # double that answers a StackReference with nothing, has no outputs at all.
    previous = reference.outputs.apply(lambda outputs: (outputs or {}).get(output_name))

    def warn(both: list[object]) -> dict[str, str]:
        last = both[0] if isinstance(both[0], Mapping) else None
        current = dict(both[1] or {})  # type: ignore[call-overload]
        for hazard in hazards(last, current):
            pulumi.log.warn(hazard.message, resource=parent)
        retired = retired_names(last, current)
        return {**current, RETIRED: retired} if retired else current

    return pulumi.Output.all(previous, fingerprint).apply(warn)


def hub_fingerprint(
    names: "HubNames", mode: "ProviderMode", args: Mapping[str, Any], user_assigned_identity: bool
) -> dict[str, pulumi.Input[str]]:
    """The settings of a hub whose change CONSEQUENCES describes, as the stack exports them."""
    existing_id = args.get("existing_provider_account_id")
    cmk_args = args.get("encryption")
    network_args = args.get("managed_network")
    encrypted_with = described((cmk_args or {}).get("key_vault_id")) or "the hub's key vault"
    return {
        "hubName": names.hub,
        "providerMode": mode.value,
        "customSubdomain": (
            f"existing {described(existing_id)}" if existing_id
            else names.custom_subdomain(names.provider_account(mode.name_prefix))
        ),
        "storageAccount": described(args.get("storage_account_id")) or pulumi.Output.concat(
            "created ", names.storage_account),
        "keyVault": described(args.get("key_vault_id")) or pulumi.Output.concat("created ", names.key_vault),
        "isolationMode": network_args["isolation_mode"] if network_args else "Disabled",
        "hubIdentity": "user-assigned primary identity" if user_assigned_identity else "system-assigned identity",
        "encryption": (
            f"customer-managed key in {encrypted_with}" if cmk_args is not None else "Microsoft-managed keys"
        ),
    }



def capability_host_text(name: str, connections: Sequence[str]) -> str:
    """How foundry_fingerprint reads a project's capability host: its name and the connections it names."""
    return f"{name}({','.join(connections)})"


def foundry_fingerprint(
    account_name: pulumi.Input[str],
    subdomain: Optional[pulumi.Input[str]],
    agent_subnet: Optional[object],
    project_management: Optional[bool],
    cmk: Optional[object],
    capability_hosts: Optional[Mapping[str, str]] = None,
    projects: Optional[Sequence[str]] = None,
) -> dict[str, pulumi.Input[str]]:
    """The creation-time-only settings of a Foundry resource, as the stack exports them (see CONSEQUENCES).

    For FoundryResource (and the stack) to pass to `watch_hazards`:
    - `account_name`: the account's Azure name, created or brought (an existing account's name is the last
      segment of its ID), so that adopting a hub's account under the same name is no change;
    - `subdomain`: the custom subdomain of an account the component creates; None for a brought account;
    - `agent_subnet`: the subnet ID of network injection (a string, or an Output: described as "an ID from
      another resource"), or `"created <prefix>"` for a subnet the component creates; None: no injection;
    - `project_management`: allowProjectManagement of an account the component creates; None for a brought one;
    - `cmk`: the key vault ID of the customer-managed key (string or Output); None: Microsoft-managed keys; leave
      the key's name and version out: rotating within the vault is an in-place update;
    - `capability_hosts`: project name -> capability_host_text(host name, [thread, vector, storage connections])
      of each project with a capability host (standard agent setup);
    - `projects`: the Azure names of the Foundry projects.
    Without `capability_hosts` and `projects` (FoundryResource's own part) the projects' keys are left out: the
    stack adds them with foundry_projects_fingerprint.
    A brought account's own settings are its owner's, so its keys are left out, and a key missing on either side
    is never a hazard.
    """
    found: dict[str, pulumi.Input[str]] = {"foundryAccount": account_name}
    if subdomain is not None:
        found["customSubdomain"] = subdomain
    if project_management is not None:
        found["projectManagement"] = ENABLED if project_management else DISABLED
        found["agentSubnet"] = described(agent_subnet) or "none"
        vault = described(cmk) or "a key vault"
        found["accountEncryption"] = f"customer-managed key in {vault}" if cmk is not None else "Microsoft-managed keys"
    if capability_hosts is not None and projects is not None:
        found.update(foundry_projects_fingerprint(capability_hosts, projects))
    return found


def foundry_projects_fingerprint(capability_hosts: Mapping[str, str], projects: Sequence[str]) -> dict[str, str]:
    """The projects' part of foundry_fingerprint: FoundryResource doesn't know its projects (they are components of
    their own), so the stack adds this part to the resource's."""
    return {"capabilityHosts": ";".join(f"{p}={capability_hosts[p]}" for p in sorted(capability_hosts)),
            "foundryProjects": ";".join(sorted(projects))}
