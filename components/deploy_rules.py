"""Deploy rules: what Azure rejects at deploy time, checked before anything is registered.

Each rule is a pure function of a hub's arguments (`AIHubArgs`, as a plain
mapping) and what is known of the deployment (`DeployContext`), so the stack
config, the offline plan and `pulumi up` all run the same checks, and a team
that builds `AIHub` directly gets them too. A rule answers with
`(argument path, reason)` pairs; the path is in the arguments' own terms
(`managed_network.outbound_rules[2].type`), which the stack config maps to its
key paths.

Unlike the security baseline (baseline/rules.py), which judges what a deploy
*should* look like, these are what Azure *refuses*: a violation means the
deploy would fail or leave a hub that doesn't work, so it is always an error.

A rule judges the arguments of one platform or both (`DeployRule.platforms`):
`deploy_problems` a hub's (`AIHubArgs`), `foundry_deploy_problems` a Foundry
resource's (`FoundryResourceArgs`).
"""

import ipaddress
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Sequence

from .arm import subscription_of

APPROVED_ONLY = "AllowOnlyApprovedOutbound"

#: Compute instance idle shutdown: "between 15 minutes and three days" (Learn,
#: machine-learning/how-to-create-compute-instance, "Configure idle shutdown").
MIN_IDLE_MINUTES, MAX_IDLE_MINUTES = 15, 3 * 24 * 60
#: "Budget can have up to five notifications" (REST spec
#: specification/consumption/resource-manager/Microsoft.Consumption, BudgetProperties.notifications).
MAX_BUDGET_NOTIFICATIONS = 5

Problem = tuple[str, str]
HUB, FOUNDRY = "hub", "foundry"


@dataclass(frozen=True)
class DeployContext:
    """What is known of the deployment beyond the arguments."""

    subscription_id: Optional[str] = None
    """The subscription the stack deploys to (from the provider's client config), when known."""
    cmk_key: Optional[Mapping[str, Any]] = None
    """The customer-managed key as Key Vault answers it (`kty`, `keySize`: keyvault.get_key's result), when
    known: a component that brings a key judges it once Azure has answered."""


@dataclass(frozen=True)
class DeployRule:
    id: str
    title: str
    """What Azure requires."""
    why: str
    """What happens at deploy time otherwise."""
    source: str
    """Where Azure says so."""
    check: Callable[[Mapping[str, Any], DeployContext], list[Problem]]
    platforms: tuple[str, ...] = (HUB,)
    """Whose arguments it judges: HUB (AIHubArgs), FOUNDRY (FoundryResourceArgs), or both."""


DEPLOY_RULES: list[DeployRule] = []


def deploy_rule(
    id: str, title: str, why: str, source: str, platforms: tuple[str, ...] = (HUB,),
) -> Callable[[Callable[[Mapping[str, Any], DeployContext], list[Problem]]],
              Callable[[Mapping[str, Any], DeployContext], list[Problem]]]:
    def register(
        check: Callable[[Mapping[str, Any], DeployContext], list[Problem]],
    ) -> Callable[[Mapping[str, Any], DeployContext], list[Problem]]:
        DEPLOY_RULES.append(DeployRule(id, title, why, source, check, platforms))
        return check

    return register


def _isolation(args: Mapping[str, Any]) -> str:
    network = args.get("managed_network") or {}
    return str(network.get("isolation_mode", "Disabled"))


def _user_rules(args: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    return (args.get("managed_network") or {}).get("outbound_rules") or []


@deploy_rule(
    "DR-01",
    "Outbound rules need a managed network, and FQDN and ServiceTag rules need AllowOnlyApprovedOutbound",
    "Under AllowInternetOutbound Azure takes private-endpoint rules only; FQDN rules run on the approved-only "
    "mode's Azure Firewall. Azure rejects the hub otherwise.",
    "Learn, ai-foundry/how-to/configure-managed-network (\"Allow internet outbound\": only private endpoint "
    "outbound rules); Terraform AVM machinelearningservices-workspace variables.tf outbound_rules validation",
)
def outbound_rule_types(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    mode = _isolation(args)
    problems: list[Problem] = []
    for i, rule in enumerate(_user_rules(args)):
        path = f"managed_network.outbound_rules[{i}].type"
        kind = rule.get("type")
        if mode == "Disabled":
            problems.append((path, "outbound rules need isolationMode AllowInternetOutbound or "
                                   "AllowOnlyApprovedOutbound"))
        elif kind in ("FQDN", "ServiceTag") and mode != APPROVED_ONLY:
            problems.append((path, f"{kind} rules need isolationMode {APPROVED_ONLY}; under {mode} Azure takes "
                                   "PrivateEndpoint rules only"))
    return problems


@deploy_rule(
    "DR-02",
    "An Azure Firewall SKU only with AllowOnlyApprovedOutbound; provisioning needs a managed network",
    "The firewall is what approved-only outbound runs FQDN rules on; with isolation Disabled there is no "
    "managed network to provision.",
    "Learn, ai-foundry/how-to/configure-managed-network (\"Pricing\", \"Manually provision a managed VNet\")",
)
def managed_network_settings(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    network = args.get("managed_network") or {}
    mode = _isolation(args)
    problems: list[Problem] = []
    if network.get("firewall_sku") and mode != APPROVED_ONLY:
        problems.append(("managed_network.firewall_sku", f"an Azure Firewall only comes with isolationMode "
                                                         f"{APPROVED_ONLY}"))
    if network.get("provision_now") and mode == "Disabled":
        problems.append(("managed_network.provision_now", "there is no managed network to provision with "
                                                          "isolationMode Disabled"))
    return problems


@deploy_rule(
    "DR-03",
    f"Compute instances shut down after {MIN_IDLE_MINUTES} minutes to 3 days idle",
    "Azure rejects an idleTimeBeforeShutdown outside that range.",
    "Learn, machine-learning/how-to-create-compute-instance (\"Configure idle shutdown\": "
    "between 15 minutes and three days)",
)
def compute_idle_shutdown(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    problems: list[Problem] = []
    for i, item in enumerate(args.get("compute_instances") or []):
        idle = item.get("idle_shutdown_minutes", 60)
        if isinstance(idle, int) and not isinstance(idle, bool) and not MIN_IDLE_MINUTES <= idle <= MAX_IDLE_MINUTES:
            problems.append((f"compute_instances[{i}].idle_shutdown_minutes",
                             f"must be {MIN_IDLE_MINUTES} to {MAX_IDLE_MINUTES} minutes (3 days), got {idle}"))
    return problems


@deploy_rule(
    "DR-04",
    f"A budget has at most {MAX_BUDGET_NOTIFICATIONS} notifications",
    "Each threshold is one notification; Azure rejects a budget with more than five.",
    "REST spec Microsoft.Consumption budgets (BudgetProperties.notifications: \"Budget can have up to five "
    "notifications\")",
    platforms=(HUB, FOUNDRY),
)
def budget_notifications(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    thresholds = (args.get("budget") or {}).get("thresholds")
    if isinstance(thresholds, (list, tuple)) and len(thresholds) > MAX_BUDGET_NOTIFICATIONS:
        return [("budget.thresholds", f"at most {MAX_BUDGET_NOTIFICATIONS} thresholds (one notification each), "
                                      f"got {len(thresholds)}")]
    return []


@deploy_rule(
    "DR-05",
    "Service-side encryption needs a key vault that Azure can reach publicly",
    "Service-side customer-managed keys are not supported with a key vault whose public network access is off; "
    "the stack's own vault is private when the stack is.",
    "Learn, ai-foundry/concepts/encryption-keys-portal and machine-learning/concept-customer-managed-keys "
    "(service-side encryption limitations)",
)
def service_side_vault(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    encryption = args.get("encryption")
    if not encryption or not encryption.get("service_side"):
        return []
    private = args.get("public_network_access", "Enabled") == "Disabled"
    # A vault brought for the key, or brought as the hub's own, is checked once Azure answers (encryption.py).
    if private and not encryption.get("key_vault_id") and not args.get("key_vault_id"):
        return [("encryption.service_side", "the stack's own key vault has public network access off (the stack "
                                            "is private): bring a key with keyVaultId, or use the classic mode")]
    return []


@deploy_rule(
    "DR-06",
    "The customer-managed key's vault is in the hub's subscription",
    "Azure Machine Learning reads the key only from a vault in the workspace's subscription.",
    "Learn, machine-learning/how-to-setup-customer-managed-keys (\"Limitations\": the key vault must be in the "
    "same Azure subscription as the workspace)",
)
def key_vault_subscription(args: Mapping[str, Any], context: DeployContext) -> list[Problem]:
    vault = (args.get("encryption") or {}).get("key_vault_id")
    if not isinstance(vault, str) or not context.subscription_id:
        return []
    found = subscription_of(vault)
    if found and found.lower() != context.subscription_id.lower():
        return [("encryption.key_vault_id", f"the vault is in subscription {found}, the hub deploys to "
                                            f"{context.subscription_id}: Azure needs the key in the hub's "
                                            "subscription")]
    return []


NO_CONTEXT = DeployContext()


_STORAGE_HOSTS = (".blob.core.windows.net", ".file.core.windows.net", ".dfs.core.windows.net",
                  ".queue.core.windows.net", ".table.core.windows.net")


@deploy_rule(
    "DR-07",
    "Azure Storage is reached through private-endpoint rules, not FQDN rules",
    "The managed network's firewall does not let FQDN rules reach storage accounts; the traffic is dropped.",
    "Learn, ai-foundry/how-to/configure-managed-network (FQDN outbound rules: \"you can't use an FQDN rule to "
    "access Azure Storage accounts\"; use a private endpoint rule)",
)
def fqdn_to_storage(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    problems: list[Problem] = []
    for i, rule in enumerate(_user_rules(args)):
        host = str(rule.get("fqdn") or "").lower()
        if rule.get("type") == "FQDN" and host.endswith(_STORAGE_HOSTS):
            problems.append((f"managed_network.outbound_rules[{i}].fqdn",
                             f"{host} is Azure Storage: give a PrivateEndpoint rule to the account "
                             "(subresourceTarget blob or file) instead"))
    return problems

# -- The Foundry resource: network injection of the Agent Service and the customer-managed key --------------------
#
# Not a rule, on purpose: whether network injection needs the standard agent setup and public network access
# Disabled. Learn ai-foundry/agents/how-to/configure-private-link says so, but foundry-samples' newer template 11
# ("Basic (platform-managed) | BYO VNet injection | ... no BYO resources needed", the decision guide in
# 22-private-network-agent-setup README) injects the basic setup, and Azure Verified Modules keeps the account's
# network ACLs on Allow for capability hosts (avm/ptn/ai-ml/ai-foundry 0.3.0 changelog): the sources disagree,
# so nothing is refused here that Azure may accept (the baseline asks for public access off instead).

#: Learn, ai-foundry/agents/how-to/virtual-networks (MicrosoftDocs/azure-ai-docs
#: articles/ai-foundry/agents/how-to/virtual-networks.md@001ba03a): "the minimized size of your subnet should be
#: /27 (32 addresses). We recommend a subnet size of /24".
MAX_AGENT_PREFIX = 27
#: The same page ("Known limitations": both subnets must have IP ranges under 10.0.0.0/8 [sic: written 10.0.0.0/16],
#: 172.16.0.0/12 or 192.168.0.0/16; public ranges are not supported) and RFC 1918.
PRIVATE_RANGES = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
#: foundry-samples 22-private-network-agent-setup README@9fe5f7fd ("Networking Requirements": the VNet's address
#: spaces must not overlap "reserved IP ranges like the following: 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16,
#: 192.0.2.0/24, 0.0.0.0/8, 127.0.0.0/8, 100.100.0.0/17, 100.100.192.0/19, 100.100.224.0/19, 100.64.0.0/11").
#: Only 172.30/16 and 172.31/16 lie inside the private ranges; the rest are refused as not private anyway.
RESERVED_RANGES = tuple(ipaddress.ip_network(n) for n in (
    "169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24", "0.0.0.0/8", "127.0.0.0/8",
    "100.100.0.0/17", "100.100.192.0/19", "100.100.224.0/19", "100.64.0.0/11"))
#: "Private Class A subnet support is GA and available in the following regions" (foundry-samples
#: 15-private-network-standard-agent-setup README, line 17, the current list; an older 22-private-network-agent-setup
#: README left West Europe out), as Azure names them in `location`.
CLASS_A_REGIONS = frozenset({
    "australiaeast", "brazilsouth", "canadaeast", "eastus", "eastus2", "francecentral", "germanywestcentral",
    "italynorth", "japaneast", "southafricanorth", "southcentralus", "southindia", "spaincentral", "swedencentral",
    "uaenorth", "uksouth", "westeurope", "westus", "westus3",
})
CLASS_A = ipaddress.ip_network("10.0.0.0/8")
#: Learn, ai-foundry/concepts/encryption-keys-portal (MicrosoftDocs/azure-ai-docs@0a793a97: "Only RSA and RSA-HSM
#: keys of size 2048 are supported with Azure AI services encryption"; foundry-samples 31 README the same): that
#: size, not more (Azure Policy 82067dbb, the baseline's KV-05, asks for at least 2048 bits: it agrees).
CMK_BITS = 2048


def _network(value: Any) -> Optional[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """A CIDR as given (host bits allowed, as Azure takes `10.0.0.1/24`), or None when it isn't one."""
    if not isinstance(value, str):
        return None
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


def _agent_prefixes(args: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(path, CIDR) of the address ranges of the network the Agent Service is injected into, as given."""
    if not isinstance(args.get("agent_subnet"), Mapping):
        return []
    endpoints = args.get("private_endpoints") or {}
    found = [("agent_subnet.prefix", args["agent_subnet"].get("prefix")),
             ("private_endpoints.vnet_address_prefix", endpoints.get("vnet_address_prefix")),
             ("private_endpoints.subnet_prefix", endpoints.get("subnet_prefix"))]
    return [(path, value) for path, value in found if value is not None]


@deploy_rule(
    "DR-08",
    f"Foundry: the agent subnet is /{MAX_AGENT_PREFIX} or larger",
    "The Agent Service is injected into a subnet delegated to Microsoft.App/environments, which needs at least 32 "
    "addresses; /24 is recommended.",
    "Learn, ai-foundry/agents/how-to/virtual-networks (\"the minimized size of your subnet should be /27 (32 "
    "addresses). We recommend a subnet size of /24\")",
    platforms=(FOUNDRY,),
)
def agent_subnet_size(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    prefix = (args.get("agent_subnet") or {}).get("prefix")
    network = _network(prefix)
    if network is not None and network.prefixlen > MAX_AGENT_PREFIX:
        return [("agent_subnet.prefix", f"{prefix} has {network.num_addresses} addresses: the agent subnet needs "
                                        f"/{MAX_AGENT_PREFIX} or larger (/24 recommended)")]
    return []


@deploy_rule(
    "DR-09",
    "Foundry: the agent network uses private (RFC 1918) addresses outside Azure's reserved ranges",
    "Azure refuses to inject the Agent Service into public ranges (\"Provided subnet must be of the proper address "
    "space\") and into networks overlapping the ranges the platform reserves, such as 172.30.0.0/16 and "
    "172.31.0.0/16.",
    "Learn, ai-foundry/agents/how-to/virtual-networks (\"Known limitations\": both subnets in 10.0.0.0/8, "
    "172.16.0.0/12 or 192.168.0.0/16; troubleshooting); microsoft-foundry/foundry-samples "
    "22-private-network-agent-setup README (\"Networking Requirements\": reserved IP ranges)",
    platforms=(FOUNDRY,),
)
def agent_network_ranges(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    problems: list[Problem] = []
    for path, value in _agent_prefixes(args):
        network = _network(value)
        if network is None:
            continue  # not a CIDR: the config's own validation says so
        if not any(network.version == r.version and network.subnet_of(r) for r in PRIVATE_RANGES):  # type: ignore[arg-type]
            problems.append((path, f"{value} is not a private range: use 10.0.0.0/8, 172.16.0.0/12 or "
                                   "192.168.0.0/16 (RFC 1918)"))
            continue
        reserved = [str(r) for r in RESERVED_RANGES if network.overlaps(r)]
        if reserved:
            problems.append((path, f"{value} overlaps {', '.join(reserved)}, which Azure reserves for the "
                                   "Agent Service's platform network"))
    return problems


@deploy_rule(
    "DR-10",
    "Foundry: 10.x addresses for the agent network only in the regions that support them",
    "Class A (10.0.0.0/8) agent networks are supported in listed regions only; elsewhere use 172.16.0.0/12 or "
    "192.168.0.0/16.",
    "microsoft-foundry/foundry-samples 15-private-network-standard-agent-setup README (Class A subnet support: "
    "only in Australia East, Brazil South, ... West US 3); Learn, ai-foundry/agents/how-to/virtual-networks "
    "(troubleshooting: \"Please provide a subnet which has address space in the range of 172 or 192\")",
    platforms=(FOUNDRY,),
)
def agent_network_class_a(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    location = args.get("location")
    if not isinstance(location, str) or location.replace(" ", "").lower() in CLASS_A_REGIONS:
        return []
    problems: list[Problem] = []
    for path, value in _agent_prefixes(args):
        network = _network(value)
        if network is not None and network.overlaps(CLASS_A):
            problems.append((path, f"{value} is a 10.x range, which the Agent Service supports only in "
                                   f"{', '.join(sorted(CLASS_A_REGIONS))}; {location} needs 172.16.0.0/12 or "
                                   "192.168.0.0/16"))
    return problems


@deploy_rule(
    "DR-11",
    "Foundry: the agent subnet lies inside the VNet, apart from the private endpoints' subnet",
    "A subnet's range must be inside its VNet's address space and must not overlap another subnet of it; the agent "
    "subnet is created in the VNet the private endpoints use.",
    "Learn, virtual-network/virtual-network-manage-subnet (\"Add a subnet\": the address range must be within the "
    "virtual network's address space and can't overlap other subnets' ranges)",
    platforms=(FOUNDRY,),
)
def agent_subnet_placement(args: Mapping[str, Any], _: DeployContext) -> list[Problem]:
    agent = _network((args.get("agent_subnet") or {}).get("prefix"))
    endpoints = args.get("private_endpoints") or {}
    vnet, endpoint_subnet = _network(endpoints.get("vnet_address_prefix")), _network(endpoints.get("subnet_prefix"))
    if agent is None or vnet is None or agent.version != vnet.version:
        return []  # a brought VNet is Azure's to check
    prefix = args["agent_subnet"]["prefix"]
    if not agent.subnet_of(vnet):  # type: ignore[arg-type]
        return [("agent_subnet.prefix", f"{prefix} is not inside the VNet {endpoints['vnet_address_prefix']}")]
    if endpoint_subnet is not None and agent.overlaps(endpoint_subnet):
        return [("agent_subnet.prefix", f"{prefix} overlaps the private endpoints' subnet "
                                        f"{endpoints['subnet_prefix']}; the agent subnet is the service's alone")]
    return []


@deploy_rule(
    "DR-12",
    f"Foundry: the customer-managed key is an RSA key of {CMK_BITS} bits",
    "Azure AI services encrypt only with RSA or RSA-HSM keys of 2048 bits; an elliptic-curve key, or an RSA key "
    "of another size, fails the account's create.",
    "Learn, ai-foundry/concepts/encryption-keys-portal (\"Only RSA and RSA-HSM keys of size 2048 are supported with "
    "Azure AI services encryption\"); Azure Policy 82067dbb-e53b-4e06-b631-546d197452d9",
    platforms=(FOUNDRY,),
)
def cmk_key_type(args: Mapping[str, Any], context: DeployContext) -> list[Problem]:
    key = context.cmk_key
    if not args.get("encryption") or not isinstance(key, Mapping):
        return []  # no key, or Key Vault hasn't answered yet
    kty, size = str(key.get("kty") or ""), key.get("keySize")
    path = "encryption.key_name"
    if kty not in ("RSA", "RSA-HSM"):
        return [(path, f"the key is of type {kty or 'unknown'}; Azure AI services take RSA or RSA-HSM keys")]
    if not isinstance(size, int) or isinstance(size, bool) or size != CMK_BITS:
        return [(path, f"the key has {size} bits; Azure AI services take RSA keys of {CMK_BITS} bits only")]
    return []


def _problems(platform: str, args: Mapping[str, Any], context: DeployContext) -> list[tuple[str, str, str]]:
    return [(rule.id, path, reason) for rule in DEPLOY_RULES if platform in rule.platforms
            for path, reason in rule.check(args, context)]


def deploy_problems(args: Mapping[str, Any], context: DeployContext = NO_CONTEXT) -> list[tuple[str, str, str]]:
    """Every violation of a hub's arguments (AIHubArgs), as (rule ID, argument path, reason)."""
    return _problems(HUB, args, context)


def foundry_deploy_problems(
    args: Mapping[str, Any], context: DeployContext = NO_CONTEXT
) -> list[tuple[str, str, str]]:
    """Every violation of a Foundry resource's arguments (FoundryResourceArgs), as (rule ID, argument path, reason).

    The argument paths are FoundryResourceArgs' own (`agent_subnet.prefix`, `private_endpoints.subnet_prefix`,
    `encryption.key_name`). Call it before registering anything, with `context.subscription_id` when known; a
    component that brings a customer-managed key calls it again once Key Vault has answered, with
    `context.cmk_key` (the key's `kty` and `keySize`).
    """
    return _problems(FOUNDRY, args, context)
