"""PrivateNetwork: private endpoints with private DNS for a hub and its dependencies.

Projects need no endpoints of their own: they are reached through the hub's.
Endpoints, zones and links go up in parallel; each endpoint waits only for its
subnet and its target, each zone group for its endpoint and zones.
"""

from typing import NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import network, privatedns

from .checks import private_network_problems
from .naming import fit
from .network import GROUP_ZONES, parse_subnet_id, zones_for
from .validation import check_args, later


class PrivateEndpointTargetArgs(TypedDict):
    """One resource to reach privately."""

    name: str
    """Required. Short name used in the endpoint's name, e.g. `hub` or `storage-blob`."""
    resource_id: pulumi.Input[str]
    """Required. Resource ID of the target."""
    group_id: str
    """Required. Private-link group ID: amlworkspace, account, blob, file, vault, registry or searchService."""


class PrivateEndpointsArgs(TypedDict):
    """Where a hub's or Foundry resource's private endpoints go (the component makes the targets)."""

    subnet_id: NotRequired[pulumi.Input[str]]
    """Conditional. An existing subnet. Either this or both address prefixes."""
    vnet_address_prefix: NotRequired[str]
    """Conditional. CIDR of a VNet to create."""
    subnet_prefix: NotRequired[str]
    """Conditional. CIDR of the endpoints' subnet inside that VNet."""
    private_dns_zone_ids: NotRequired[dict[str, pulumi.Input[str]]]
    """Optional. Existing private DNS zones by zone name, used instead of creating them."""


class PrivateNetworkArgs(TypedDict):
    """Where the endpoints go and which DNS zones they register in."""

    name: str
    """Required. Base for the names of the network resources."""
    resource_group_name: pulumi.Input[str]
    """Required. Resource group of the endpoints (and of the VNet and zones the component creates)."""
    location: pulumi.Input[str]
    """Required. Azure region of the endpoints and the VNet."""
    targets: list[PrivateEndpointTargetArgs]
    """Required. The resources to reach privately."""
    subnet_id: NotRequired[pulumi.Input[str]]
    """Conditional. An existing subnet for the endpoints. Either this or both address prefixes."""
    vnet_address_prefix: NotRequired[str]
    """Conditional. CIDR of a VNet to create, e.g. 10.20.0.0/16."""
    subnet_prefix: NotRequired[str]
    """Conditional. CIDR of the endpoints' subnet inside it, e.g. 10.20.1.0/24."""
    private_dns_zone_ids: NotRequired[dict[str, pulumi.Input[str]]]
    """Optional. Existing zones by zone name (hub-and-spoke with central DNS): used instead of creating them."""
    tags: NotRequired[dict[str, str]]
    """Optional. Tags for every taggable resource."""


def vnet_of(subnet_id: pulumi.Input[str]) -> pulumi.Input[str]:
    """The VNet of a subnet ID: parsed now when plain, else once it is known (from another resource)."""
    if isinstance(subnet_id, str):
        return parse_subnet_id(subnet_id).vnet_id
    return later(subnet_id).apply(lambda s: parse_subnet_id(s).vnet_id)


class PrivateNetwork(pulumi.ComponentResource):
    """Private endpoints, private DNS zones and their VNet links."""

    subnet_id: pulumi.Output[str]
    """Resource ID of the endpoints' subnet."""
    virtual_network_id: pulumi.Output[str]
    """Resource ID of the VNet the zones are linked to."""
    private_endpoint_ids: pulumi.Output[dict[str, str]]
    """Resource ID of each endpoint, by target name."""
    private_dns_zone_ids: pulumi.Output[dict[str, str]]
    """Resource ID of each zone used, created or existing, by zone name."""

    def __init__(self, name: str, args: PrivateNetworkArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        args = check_args("PrivateNetwork", name, args, PrivateNetworkArgs, private_network_problems)
        super().__init__("aihub:index:PrivateNetwork", name, None, opts)
        base = args["name"]
        rg = args["resource_group_name"]
        tags = dict(args.get("tags") or {})
        child = pulumi.ResourceOptions(parent=self)

        subnet_id: pulumi.Input[str]
        vnet_id: pulumi.Input[str]
        if args.get("subnet_id"):
            subnet_id = args["subnet_id"]
            vnet_id = vnet_of(subnet_id)
        elif args.get("vnet_address_prefix") and args.get("subnet_prefix"):
            vnet = network.VirtualNetwork(
                f"{base}-vnet",
                virtual_network_name=fit("vnet", base, 64),
                resource_group_name=rg,
                location=args["location"],
                address_space=network.AddressSpaceArgs(address_prefixes=[args["vnet_address_prefix"]]),
                tags=tags,
                opts=child,
            )
            subnet = network.Subnet(
                f"{base}-endpoints",
                subnet_name="snet-private-endpoints",
                virtual_network_name=vnet.name,
                resource_group_name=rg,
                address_prefix=args["subnet_prefix"],
                opts=child,
            )
            subnet_id, vnet_id = subnet.id, vnet.id
        else:
            raise ValueError("private endpoints need subnet_id, or vnet_address_prefix and subnet_prefix")

        existing: dict[str, pulumi.Input[str]] = dict(args.get("private_dns_zone_ids") or {})
        zone_ids: dict[str, pulumi.Input[str]] = {}
        for zone in zones_for([t["group_id"] for t in args["targets"]]):
            if zone in existing:
                # A central zone is linked to the hub VNet by whoever owns it.
                zone_ids[zone] = existing[zone]
                continue
            created = privatedns.PrivateZone(
                f"{base}-{zone}",
                private_zone_name=zone,
                resource_group_name=rg,
                location="global",
                tags=tags,
                opts=child,
            )
            privatedns.VirtualNetworkLink(
                f"{base}-{zone}-link",
                private_zone_name=created.name,
                virtual_network_link_name=fit("link", base, 80),
                resource_group_name=rg,
                location="global",
                registration_enabled=False,
                virtual_network=privatedns.SubResourceArgs(id=vnet_id),
                tags=tags,
                opts=child,
            )
            zone_ids[zone] = created.id

        endpoint_ids: dict[str, pulumi.Input[str]] = {}
        for target in args["targets"]:
            endpoint_name = fit("pe", f"{base}-{target['name']}", 64)
            endpoint = network.PrivateEndpoint(
                f"{base}-pe-{target['name']}",
                private_endpoint_name=endpoint_name,
                resource_group_name=rg,
                location=args["location"],
                subnet=network.SubnetArgs(id=subnet_id),
                private_link_service_connections=[
                    network.PrivateLinkServiceConnectionArgs(
                        name=endpoint_name,
                        private_link_service_id=target["resource_id"],
                        group_ids=[target["group_id"]],
                    )
                ],
                tags=tags,
                opts=child,
            )
            network.PrivateDnsZoneGroup(
                f"{base}-pe-{target['name']}-dns",
                private_endpoint_name=endpoint.name,
                private_dns_zone_group_name="default",
                resource_group_name=rg,
                private_dns_zone_configs=[
                    network.PrivateDnsZoneConfigArgs(name=zone.replace(".", "-"), private_dns_zone_id=zone_ids[zone])
                    for zone in GROUP_ZONES[target["group_id"]]
                ],
                opts=child,
            )
            endpoint_ids[target["name"]] = endpoint.id

        self.subnet_id = pulumi.Output.from_input(subnet_id)
        self.virtual_network_id = pulumi.Output.from_input(vnet_id)
        self.private_endpoint_ids = pulumi.Output.all(**endpoint_ids)
        self.private_dns_zone_ids = pulumi.Output.all(**zone_ids)
        self.register_outputs(
            {
                "subnet_id": self.subnet_id,
                "virtual_network_id": self.virtual_network_id,
                "private_endpoint_ids": self.private_endpoint_ids,
                "private_dns_zone_ids": self.private_dns_zone_ids,
            }
        )
