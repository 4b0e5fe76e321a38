"""The hub's network: public access, the managed network's isolation and outbound rules, private endpoints."""

import re
from typing import Any, Literal, Optional

from pydantic import field_validator, model_validator

from components.dependencies import PUBLIC_NETWORK_ACCESS
from components.managed_network import (
    FIREWALL_SKUS,
    ISOLATION_MODES,
    RESERVED_RULE_PREFIXES,
    RULE_TYPES,
    OutboundRuleArgs,
    outbound_rule_problems,
)
from components.network import network_problem, parse_subnet_id, subnet_problem, zone_id_problem
from components.private_network import PrivateEndpointsArgs

from .base import Model, sub_problems

_RULE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")


class OutboundRule(Model):
    name: str
    """1-63 letters, digits, `_` or `-`, starting with a letter or digit; unique. Names starting `provider-`,
    `connection-` or `monitor-` are the hub's own."""
    type: Literal[RULE_TYPES]  # type: ignore[valid-type]
    """`FQDN` or `ServiceTag` (`AllowOnlyApprovedOutbound` only), or `PrivateEndpoint` (a managed network only;
    rule DR-01)."""
    destination: Any
    """`FQDN`: a host name such as `pypi.org`; `PrivateEndpoint`: `{serviceResourceId, subresourceTarget,
    sparkEnabled?}`; `ServiceTag`: `{serviceTag, protocol, portRanges}`."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _RULE_NAME.match(value):
            raise ValueError("must be 1-63 letters, digits, '_' or '-', starting with a letter or digit")
        if value.startswith(RESERVED_RULE_PREFIXES):
            raise ValueError(f"names starting with {' or '.join(RESERVED_RULE_PREFIXES)} are the hub's own rules")
        return value

    @model_validator(mode="after")
    def _shape(self) -> "OutboundRule":
        problems: list[tuple[str, str]] = []
        dest = self.destination
        if self.type == "FQDN":
            if not isinstance(dest, str) or not re.match(r"^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$", dest):
                problems.append(("destination", "an FQDN rule's destination is a host name such as pypi.org"))
        else:
            allowed = (
                {"serviceResourceId", "subresourceTarget", "sparkEnabled"}
                if self.type == "PrivateEndpoint"
                else {"serviceTag", "protocol", "portRanges"}
            )
            if not isinstance(dest, dict):
                problems.append(("destination", f"a {self.type} rule's destination is an object with "
                                                f"{', '.join(sorted(allowed))}"))
            else:
                problems += [(f"destination.{k}", f"unknown key (allowed here: {', '.join(sorted(allowed))})")
                             for k in dest if k not in allowed]
                # A list or object where a value belongs would reach the rule checks as an unhashable.
                kinds = {"sparkEnabled": (bool,), "portRanges": (str, int)}
                problems += [(f"destination.{k}", f"must be {'true or false' if k == 'sparkEnabled' else 'a string'}, "
                                                  f"not {type(v).__name__}")
                             for k, v in dest.items()
                             if k in allowed and v is not None and not isinstance(v, kinds.get(k, (str,)))]
                target = dest.get("serviceResourceId")
                if self.type == "PrivateEndpoint" and isinstance(target, str) and not re.match(
                    r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/[^/]+/[^/]+/[^/]+$", target, re.I
                ):
                    problems.append(("destination.serviceResourceId", "is not an Azure resource ID"))
        sub_problems(problems)
        return self

    def args(self) -> OutboundRuleArgs:
        rule = OutboundRuleArgs(name=self.name, type=self.type)
        dest = self.destination
        if self.type == "FQDN":
            rule["fqdn"] = dest
        elif self.type == "PrivateEndpoint":
            rule.update({"service_resource_id": dest.get("serviceResourceId"),
                         "subresource_target": dest.get("subresourceTarget"),
                         "spark_enabled": bool(dest.get("sparkEnabled", False))})
        else:
            rule.update({"service_tag": dest.get("serviceTag"), "protocol": dest.get("protocol")})
            if dest.get("portRanges") is not None:
                rule["port_ranges"] = str(dest.get("portRanges"))
        return {k: v for k, v in rule.items() if v is not None}  # type: ignore[return-value]


class PrivateEndpoints(Model):
    subnet_id: Optional[str] = None
    """An existing subnet for the endpoints (its VNet gets the zone links)."""
    vnet_address_prefix: Optional[str] = None
    """With `subnetPrefix`, instead of `subnetId`: the CIDR of a VNet the stack creates."""
    subnet_prefix: Optional[str] = None
    """The CIDR of the subnet created in `vnetAddressPrefix` (at least /28, inside the VNet)."""
    private_dns_zone_ids: dict[str, str] = {}
    """Existing private DNS zones by zone name (hub-and-spoke with central DNS): used, not created or linked."""

    @model_validator(mode="after")
    def _valid(self) -> "PrivateEndpoints":
        problems: list[tuple[str, str]] = []
        if self.subnet_id is not None:
            if self.vnet_address_prefix or self.subnet_prefix:
                problems.append(("subnetId", "give either subnetId or vnetAddressPrefix and subnetPrefix, not both"))
            try:
                parse_subnet_id(self.subnet_id)
            except ValueError as err:
                problems.append(("subnetId", str(err)))
        elif not (self.vnet_address_prefix and self.subnet_prefix):
            problems.append(("subnetId", "private endpoints need a subnet: subnetId, or vnetAddressPrefix "
                                         "and subnetPrefix to create one"))
        else:
            vnet_problem = network_problem(self.vnet_address_prefix)
            if vnet_problem:
                problems.append(("vnetAddressPrefix", vnet_problem))
            else:
                problem = subnet_problem(self.vnet_address_prefix, self.subnet_prefix)
                if problem:
                    problems.append(("subnetPrefix", problem))
        for zone, zone_id in self.private_dns_zone_ids.items():
            problem = zone_id_problem(zone, zone_id)
            if problem:
                problems.append((f"privateDnsZoneIds.{zone}", problem))
        sub_problems(problems)
        return self

    def args(self) -> PrivateEndpointsArgs:
        found = {
            "subnet_id": self.subnet_id,
            "vnet_address_prefix": self.vnet_address_prefix,
            "subnet_prefix": self.subnet_prefix,
            "private_dns_zone_ids": dict(self.private_dns_zone_ids) or None,
        }
        return {k: v for k, v in found.items() if v is not None}  # type: ignore[return-value]


class Network(Model):
    public_network_access: Literal[PUBLIC_NETWORK_ACCESS] = "Enabled"  # type: ignore[valid-type]
    """`Disabled` turns public access off on the hub and everything it creates."""
    isolation_mode: Literal[ISOLATION_MODES] = "Disabled"  # type: ignore[valid-type]
    """The hub's managed network. **Once on, it can't go back to `Disabled`.**"""
    firewall_sku: Optional[Literal[FIREWALL_SKUS]] = None  # type: ignore[valid-type]
    """Azure Firewall for FQDN rules (a cost); `AllowOnlyApprovedOutbound` only (rule DR-02)."""
    provision_now: bool = False
    """Build the managed network with the hub, not with the first compute (about 30 minutes later); a managed
    network only (rule DR-02)."""
    outbound_rules: list[OutboundRule] = []
    """Outbound rules of the managed network: `{name, type, destination}`."""
    private_endpoints: Optional[PrivateEndpoints] = None
    """Private endpoints for the hub and what it creates (none: no private endpoints)."""

    @model_validator(mode="after")
    def _valid(self) -> "Network":
        # What Azure accepts in each isolation mode is a deploy rule (components/deploy_rules.py).
        problems: list[tuple[str, str]] = []
        seen: set[str] = set()
        for i, rule in enumerate(self.outbound_rules):
            for field, reason in outbound_rule_problems(rule.args()):
                problems.append((f"outboundRules[{i}].{field}", reason))
            if rule.name.lower() in seen:
                problems.append((f"outboundRules[{i}].name", f"{rule.name!r} is used twice"))
            seen.add(rule.name.lower())
        sub_problems(problems)
        return self
