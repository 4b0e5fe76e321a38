"""The hub's managed virtual network: isolation mode and outbound rules.

One managed network per hub, shared by all its projects (Learn, "Configure a
managed network for Azure AI Foundry hubs"). Once isolation is on it can't be
turned back to Disabled; FQDN rules need AllowOnlyApprovedOutbound and bring an
Azure Firewall (a cost, sized by `firewall_sku`).
"""

from enum import Enum
from typing import Mapping, NotRequired, Optional, Sequence, TypedDict

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from .network import CONNECTION_SUBRESOURCES, GROUP_ZONES


class ServiceTagProtocol(str, Enum):
    """The protocol of a ServiceTag outbound rule (azure-native types it as a plain string)."""

    TCP = "TCP"
    """TCP."""
    UDP = "UDP"
    """UDP."""
    ICMP = "ICMP"
    """ICMP."""
    ANY = "*"
    """Any protocol."""


# The closed sets are azure-native's enums; these tuples of their values are
# what the stack config accepts too (one owner).
ISOLATION_MODES = tuple(m.value for m in ml.IsolationMode)
RULE_TYPES = tuple(t.value for t in ml.RuleType)
FIREWALL_SKUS = (ml.FirewallSku.BASIC.value, ml.FirewallSku.STANDARD.value)
PROTOCOLS = tuple(p.value for p in ServiceTagProtocol)
APPROVED_ONLY = ml.IsolationMode.ALLOW_ONLY_APPROVED_OUTBOUND.value


class OutboundRuleArgs(TypedDict):
    """One outbound rule of the managed network."""

    name: str
    """Required. Rule name, unique in the hub."""
    type: ml.RuleType
    """Required. FQDN, PrivateEndpoint or ServiceTag."""
    fqdn: NotRequired[str]
    """Conditional (FQDN). The host name, e.g. `pypi.org` or `*.openai.azure.com`."""
    service_resource_id: NotRequired[pulumi.Input[str]]
    """Conditional (PrivateEndpoint). Resource ID of the target."""
    subresource_target: NotRequired[str]
    """Conditional (PrivateEndpoint). Its private-link group ID, e.g. `blob` or `account`."""
    spark_enabled: NotRequired[bool]
    """Optional (PrivateEndpoint). Reach it from serverless Spark too."""
    service_tag: NotRequired[str]
    """Conditional (ServiceTag). An Azure service tag, e.g. `AzureMonitor`."""
    protocol: NotRequired[ServiceTagProtocol]
    """Conditional (ServiceTag). TCP, UDP, ICMP or *."""
    port_ranges: NotRequired[str]
    """Conditional (ServiceTag). Ports, e.g. `443` or `80,443`."""


class ManagedNetworkArgs(TypedDict):
    """Isolation and outbound access of the hub's managed network."""

    isolation_mode: ml.IsolationMode
    """Required. Disabled, AllowInternetOutbound or AllowOnlyApprovedOutbound."""
    firewall_sku: NotRequired[ml.FirewallSku]
    """Optional. Basic or Standard Azure Firewall for FQDN rules (AllowOnlyApprovedOutbound only)."""
    provision_now: NotRequired[bool]
    """Optional. Build the managed network with the hub instead of with the first compute (about 30 minutes later)."""
    outbound_rules: NotRequired[list[OutboundRuleArgs]]
    """Optional. Outbound rules; under AllowOnlyApprovedOutbound the hub adds the ones it needs itself."""


def outbound_rule_problems(rule: Mapping[str, object]) -> list[tuple[str, str]]:
    """Why an outbound rule is malformed, as (field, reason) pairs.

    Which rule types an isolation mode takes is deploy rule DR-01 (components/deploy_rules.py).
    """
    problems: list[tuple[str, str]] = []
    kind = rule.get("type")
    if kind not in RULE_TYPES:
        return problems + [("type", f"must be one of {', '.join(RULE_TYPES)}")]
    if kind == "FQDN":
        if not isinstance(rule.get("fqdn"), str) or not rule.get("fqdn"):
            problems.append(("destination", "an FQDN rule's destination is a host name, e.g. pypi.org"))
    elif kind == "PrivateEndpoint":
        if not rule.get("service_resource_id"):
            problems.append(("destination.serviceResourceId", "is required for a PrivateEndpoint rule"))
        if rule.get("subresource_target") not in GROUP_ZONES:
            problems.append(("destination.subresourceTarget", f"must be one of {', '.join(GROUP_ZONES)}"))
    else:
        if not rule.get("service_tag"):
            problems.append(("destination.serviceTag", "is required for a ServiceTag rule"))
        if rule.get("protocol") not in PROTOCOLS:
            problems.append(("destination.protocol", f"must be one of {', '.join(PROTOCOLS)}"))
        if not rule.get("port_ranges"):
            problems.append(("destination.portRanges", "is required for a ServiceTag rule, e.g. 443"))
    return problems


#: An outbound rule's Args are flat; the stack config nests its target under `destination`: Args field -> config path.
RULE_CONFIG_KEYS = {
    "fqdn": "destination",
    "service_resource_id": "destination.serviceResourceId",
    "subresource_target": "destination.subresourceTarget",
    "spark_enabled": "destination.sparkEnabled",
    "service_tag": "destination.serviceTag",
    "protocol": "destination.protocol",
    "port_ranges": "destination.portRanges",
}

RESERVED_RULE_PREFIXES = ("provider-", "connection-", "monitor-")


def needs_private_endpoint_rules(isolation_mode: str, public: bool) -> bool:
    """Whether the hub must declare private-endpoint rules to its provider and connection targets.

    Azure adds outbound rules only for the hub's default resources (hub,
    storage, key vault, registry): under AllowOnlyApprovedOutbound always, under
    AllowInternetOutbound for those whose public access is off (Learn,
    ai-foundry/how-to/configure-managed-network, "List of required rules").
    Every other target needs a user-defined rule: always under approved-only,
    and under internet outbound when it is private, as everything is in a
    private stack.
    """
    return isolation_mode == APPROVED_ONLY or (isolation_mode == "AllowInternetOutbound" and not public)


def approved_outbound_rules(
    provider_account_id: Optional[pulumi.Input[str]],
    connections: Sequence[Mapping[str, object]],
    declared: Sequence[OutboundRuleArgs],
) -> list[OutboundRuleArgs]:
    """The private-endpoint rules a hub needs (see needs_private_endpoint_rules) but users rarely know to declare.

    Without a rule to the provider's `account`, prompt flow and the playground
    can't reach the models; likewise for each Azure resource the hub connects
    to (AI Search, other accounts, blob storage). A target the user already
    declared a rule for is left alone.
    """
    declared_targets = {
        (str(r.get("service_resource_id")).lower(), r.get("subresource_target"))
        for r in declared
        if r.get("type") == "PrivateEndpoint" and isinstance(r.get("service_resource_id"), str)
    }
    rules: list[OutboundRuleArgs] = []
    candidates: list[tuple[str, pulumi.Input[str], str]] = []
    if provider_account_id is not None:
        candidates.append(("provider-account", provider_account_id, "account"))
    for conn in connections:
        subresource = CONNECTION_SUBRESOURCES.get(str(conn.get("category")))
        if subresource and conn.get("resource_id") is not None:
            candidates.append((f"connection-{conn['name']}", conn["resource_id"], subresource))  # type: ignore[arg-type]
    seen: set[tuple[str, str]] = set()
    for name, resource_id, subresource in candidates:
        key = (resource_id.lower(), subresource) if isinstance(resource_id, str) else (name, subresource)
        if key in declared_targets or key in seen:
            continue
        seen.add(key)
        rules.append(OutboundRuleArgs(name=name, type=ml.RuleType.PRIVATE_ENDPOINT, service_resource_id=resource_id,
                                      subresource_target=subresource))
    return rules


def _rule(rule: OutboundRuleArgs, category: str) -> object:
    if rule["type"] == "FQDN":
        return ml.FqdnOutboundRuleArgs(type="FQDN", category=category, destination=rule["fqdn"])
    if rule["type"] == "PrivateEndpoint":
        return ml.PrivateEndpointOutboundRuleArgs(
            type="PrivateEndpoint",
            category=category,
            destination=ml.PrivateEndpointDestinationArgs(
                service_resource_id=rule["service_resource_id"],
                subresource_target=rule["subresource_target"],
                spark_enabled=rule.get("spark_enabled", False),
            ),
        )
    return ml.ServiceTagOutboundRuleArgs(
        type="ServiceTag",
        category=category,
        destination=ml.ServiceTagDestinationArgs(
            service_tag=rule["service_tag"],
            protocol=rule["protocol"],
            port_ranges=rule["port_ranges"],
            action="Allow",
        ),
    )


def managed_network_settings(
    settings: ManagedNetworkArgs, added: Sequence[OutboundRuleArgs]
) -> ml.ManagedNetworkSettingsArgs:
    """The hub's `managedNetwork` input (rules keyed by name, as Azure expects)."""
    rules = {r["name"]: _rule(r, "UserDefined") for r in settings.get("outbound_rules") or []}
    rules.update({r["name"]: _rule(r, "UserDefined") for r in added if r["name"] not in rules})
    return ml.ManagedNetworkSettingsArgs(
        isolation_mode=settings["isolation_mode"],
        firewall_sku=settings.get("firewall_sku"),
        outbound_rules=rules or None,  # type: ignore[arg-type]
    )


def hub_outbound_rules(
    settings: ManagedNetworkArgs,
    public: bool,
    provider_account_id: pulumi.Input[str],
    connections: Sequence[Mapping[str, object]],
    project_connections: Sequence[Mapping[str, object]],
    monitor_scope_id: Optional[pulumi.Input[str]],
) -> tuple[ml.ManagedNetworkSettingsArgs, list[OutboundRuleArgs]]:
    """The hub's `managedNetwork` input, and every outbound rule in it (the user's and the hub's own)."""
    rules = list(settings.get("outbound_rules") or [])
    added: list[OutboundRuleArgs] = []
    if needs_private_endpoint_rules(settings["isolation_mode"], public):
        # The projects' connections first, then the provider and the hub's own: a target both reach
        # gets one rule, named after the first.
        added = approved_outbound_rules(None, project_connections, rules)
        added += approved_outbound_rules(provider_account_id, connections, rules + added)
    if monitor_scope_id is not None and settings["isolation_mode"] != "Disabled":
        # Private monitoring is reached through its private link scope, from the managed network too:
        # without the rule, computes' and endpoints' telemetry goes to public endpoints that refuse it
        # (Learn, configure-managed-network: "Application Insights (through PrivateLinkScopes)").
        added.append(OutboundRuleArgs(name="monitor-scope", type=ml.RuleType.PRIVATE_ENDPOINT,
                                      service_resource_id=monitor_scope_id, subresource_target="azuremonitor"))
    return managed_network_settings(settings, added), rules + added
