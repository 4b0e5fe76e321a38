"""PrivateNetwork: private endpoints with private DNS for a hub and its dependencies.

Projects need no endpoints of their own: they are reached through the hub's.
Endpoints, zones and links go up in parallel; each endpoint waits only for its
subnet and its target, each zone group for its endpoint and zones.
"""

from dataclasses import dataclass
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
    adopt_from: NotRequired[pulumi.Input[str]]
    """Optional. URN of another PrivateNetwork of the same `name` (an AIHub's, during the move to a Foundry
    resource) whose children this one takes over in place: each child gets a Pulumi alias to that parent, so the
    engine updates the VNet, zones, links and endpoints it finds there instead of deleting and recreating them.
    An alias that matches nothing in the state is ignored. Default: none."""
    tags: NotRequired[dict[str, str]]
    """Optional. Tags for every taggable resource."""


#: What the Agent Service's subnet is delegated to (Learn, foundry agents/how-to/virtual-networks: "delegated to
#: Microsoft.App/environments"; foundry-samples 15-private-network-standard-agent-setup modules-network-secured/
#: vnet.bicep, whose delegation is named after the service as here).
AGENT_SUBNET_DELEGATION = "Microsoft.App/environments"
ENDPOINTS_SUBNET_NAME = "snet-private-endpoints"
AGENT_SUBNET_NAME = "snet-agent"


@dataclass(frozen=True)
class VirtualNetwork:
    """A VNet with the private endpoints' subnet and, for a Foundry resource, the Agent Service's subnet."""

    vnet: network.VirtualNetwork
    endpoints_subnet: network.Subnet
    agent_subnet: Optional[network.Subnet]


def adopted(adopt_from: Optional[pulumi.Input[str]]) -> Optional[list[pulumi.Alias]]:
    """The aliases of a child taken over from a parent of that URN (same name and type, another parent)."""
    return [pulumi.Alias(parent=adopt_from)] if adopt_from is not None else None


def create_virtual_network(
    base: str,
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str],
    vnet_address_prefix: str,
    subnet_prefix: str,
    parent: pulumi.Resource,
    tags: dict[str, str],
    agent_subnet_prefix: Optional[str] = None,
    adopt_from: Optional[pulumi.Input[str]] = None,
) -> VirtualNetwork:
    """The VNet a PrivateNetwork creates (`{base}-vnet`, `{base}-endpoints`), and the delegated agent subnet.

    Shared by PrivateNetwork (a hub's: the same names, inputs and parent as always) and FoundryResource, which
    creates the network first because its account needs the agent subnet's ID and its endpoints need the account's.
    The agent subnet is created after the endpoints' subnet: parallel subnet writes to one VNet fail with
    AnotherOperationInProgress (pulumi/pulumi-azure-native#1024, hashicorp/terraform-provider-azurerm#3780,
    Azure/bicep-registry-modules#1870).
    """
    opts = pulumi.ResourceOptions(parent=parent, aliases=adopted(adopt_from))
    vnet = network.VirtualNetwork(
        f"{base}-vnet",
        virtual_network_name=fit("vnet", base, 64),
        resource_group_name=resource_group_name,
        location=location,
        address_space=network.AddressSpaceArgs(address_prefixes=[vnet_address_prefix]),
        tags=tags,
        opts=opts,
    )
    subnet = network.Subnet(
        f"{base}-endpoints",
        subnet_name=ENDPOINTS_SUBNET_NAME,
        virtual_network_name=vnet.name,
        resource_group_name=resource_group_name,
        address_prefix=subnet_prefix,
        opts=opts,
    )
    agent_subnet = None
    if agent_subnet_prefix is not None:
        agent_subnet = network.Subnet(
            f"{base}-agent-subnet",
            subnet_name=AGENT_SUBNET_NAME,
            virtual_network_name=vnet.name,
            resource_group_name=resource_group_name,
            address_prefix=agent_subnet_prefix,
            delegations=[network.DelegationArgs(name=AGENT_SUBNET_DELEGATION, service_name=AGENT_SUBNET_DELEGATION)],
            opts=pulumi.ResourceOptions(parent=parent, depends_on=[subnet]),
        )
    return VirtualNetwork(vnet, subnet, agent_subnet)


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
        adopt_from = args.get("adopt_from")
        child = pulumi.ResourceOptions(parent=self, aliases=adopted(adopt_from))

        subnet_id: pulumi.Input[str]
        vnet_id: pulumi.Input[str]
        if args.get("subnet_id"):
            subnet_id = args["subnet_id"]
            vnet_id = vnet_of(subnet_id)
        elif args.get("vnet_address_prefix") and args.get("subnet_prefix"):
            created_network = create_virtual_network(
                base, rg, args["location"], args["vnet_address_prefix"], args["subnet_prefix"], self, tags,
                adopt_from=adopt_from,
            )
            subnet_id, vnet_id = created_network.endpoints_subnet.id, created_network.vnet.id
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
