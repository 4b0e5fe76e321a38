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
"""

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


@dataclass(frozen=True)
class DeployContext:
    """What is known of the deployment beyond the arguments."""

    subscription_id: Optional[str] = None
    """The subscription the stack deploys to (from the provider's client config), when known."""


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


DEPLOY_RULES: list[DeployRule] = []


def deploy_rule(
    id: str, title: str, why: str, source: str
) -> Callable[[Callable[[Mapping[str, Any], DeployContext], list[Problem]]],
              Callable[[Mapping[str, Any], DeployContext], list[Problem]]]:
    def register(
        check: Callable[[Mapping[str, Any], DeployContext], list[Problem]],
    ) -> Callable[[Mapping[str, Any], DeployContext], list[Problem]]:
        DEPLOY_RULES.append(DeployRule(id, title, why, source, check))
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


def deploy_problems(args: Mapping[str, Any], context: DeployContext = NO_CONTEXT) -> list[tuple[str, str, str]]:
    """Every violation, as (rule ID, argument path, reason)."""
    return [(rule.id, path, reason) for rule in DEPLOY_RULES for path, reason in rule.check(args, context)]
