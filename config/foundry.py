"""The platform a stack builds (a hub, a Foundry resource, or both while migrating), the Agent Service's setup, and
the keys that mean nothing on the chosen platform.

What each key means per platform: the README's "Platforms and the migration from a hub", from Learn
(foundry-classic/what-is-foundry, migrate-project, rbac-foundry) and the Foundry templates (foundry-samples,
Azure Verified Modules avm/ptn/ai-ml/ai-foundry), cited where each rule is made.
"""

from typing import TYPE_CHECKING, Literal, Optional

from pydantic.alias_generators import to_camel

from components.foundry_checks import UNREACHABLE_STORES

from .base import Model

if TYPE_CHECKING:
    from .stack import StackConfig

HUB, FOUNDRY, HUB_AND_FOUNDRY = "hub", "foundry", "hub+foundry"
PLATFORMS = (HUB, FOUNDRY, HUB_AND_FOUNDRY)
PROJECT_PLATFORMS = (HUB, FOUNDRY)
AGENT_SETUPS = ("none", "basic", "standard")
DEFAULT_AGENT_SETUP = "basic"

_MIGRATION = "README: Platforms and the migration from a hub"


class Agents(Model):
    setup: Optional[Literal[AGENT_SETUPS]] = None  # type: ignore[valid-type]
    """Where the Agent Service keeps a Foundry project's threads, files and vectors: `none` (no agents), `basic`
    (Microsoft-managed storage; the default) or `standard` (a Cosmos DB, an AI Search and a storage account of
    your own, created unless given, and a capability host per project)."""
    cosmos_db_account_id: Optional[str] = None
    """Standard setup: ARM ID of an existing Cosmos DB for NoSQL account for the threads (none: the stack creates
    one)."""
    search_service_id: Optional[str] = None
    """Standard setup: ARM ID of an existing AI Search service for the vector stores (none: the stack creates
    one)."""
    storage_account_id: Optional[str] = None
    """Standard setup: ARM ID of an existing storage account for the agents' files (none: the stack creates
    one)."""

    @property
    def chosen_setup(self) -> str:
        return self.setup or DEFAULT_AGENT_SETUP


def project_platform(config: "StackConfig", index: int) -> str:
    """The platform a project is on: its own `platform`, else the stack's (`hub` in hub+foundry)."""
    chosen = config.projects[index].platform
    if chosen is not None:
        return str(chosen)
    return FOUNDRY if config.platform == FOUNDRY else HUB


def _given(model: Model, path: str, fields: tuple[str, ...]) -> list[str]:
    """The key paths of `fields` set in the stack file (not defaults)."""
    return [f"{path}.{to_camel(f)}" for f in fields if f in model.model_fields_set]


def platform_problems(config: "StackConfig") -> list[tuple[str, str]]:
    """Keys with no meaning on the stack's platform, each with why (sub-paths of the namespace)."""
    platform = config.platform
    net = config.network
    found: list[tuple[str, str]] = []
    if platform == HUB:
        if config.agents is not None:
            found.append(("agents", "sets up the Agent Service of a Foundry resource, and platform hub has none: set "
                                    f"platform to foundry or hub+foundry ({_MIGRATION})"))
        if net.agent_subnet is not None:
            found.append(("network.agentSubnet", "injects a Foundry resource's Agent Service into a subnet, and "
                                                 "platform hub has none"))
    # "customSubDomainName, allowProjectManagement and networkInjections must be set at creation time" (Learn,
    # foundry/how-to/managed-virtual-network; Learn, agents/how-to/virtual-networks): the hub's account exists.
    if platform == HUB_AND_FOUNDRY and net.agent_subnet is not None:
        found.append(("network.agentSubnet", "network injection is set only when an account is created, and in "
                                                 "hub+foundry the Foundry projects go on the hub's account, which "
                                                 f"exists: agents there use the account's network ({_MIGRATION})"))
    # The hub's account is never injected (network injection is set at creation), so private stores of the
    # standard setup are out of the Agent Service's reach there (components/foundry_checks.py UNREACHABLE_STORES).
    agents = config.agents
    creates_a_store = agents is not None and None in (agents.cosmos_db_account_id, agents.search_service_id,
                                                      agents.storage_account_id)
    if (platform == HUB_AND_FOUNDRY and net.public_network_access == "Disabled" and agents is not None
            and agents.chosen_setup == "standard" and creates_a_store and not config.provider.existing_account_id):
        found.append(("agents.setup", "in hub+foundry the Foundry projects run on the hub's account, which has no "
                                      f"network injection, and {UNREACHABLE_STORES.split(' and ', 1)[0]}: use the "
                                      "basic setup here (injection is set only when an account is created, so "
                                      "private standard agents need a new Foundry resource created with "
                                      f"network.agentSubnet) ({_MIGRATION})"))
    # Projects need an AIServices account with project management (REST spec accounts/projects; azurerm's
    # cognitive_account_project: "kind = AIServices", "project_management_enabled = true"); an OpenAI account is
    # upgraded to AIServices first (Learn, foundry/how-to/upgrade-azure-openai).
    if platform != HUB and config.provider_mode.value == "openAI":
        found.append(("providerMode", "an OpenAI account can't host Foundry projects (only an AIServices account "
                                      f"with project management can): upgrade it to AIServices first ({_MIGRATION})"))
    if platform == FOUNDRY:
        found += _foundry_only_problems(config)
    for i, project in enumerate(config.projects):
        if project.platform == FOUNDRY and platform == HUB:
            found.append((f"projects[{i}].platform", "a Foundry project needs a Foundry resource: set the stack's "
                                                     f"platform to hub+foundry ({_MIGRATION})"))
        if project.platform == HUB and platform == FOUNDRY:
            found.append((f"projects[{i}].platform", "platform foundry has no hub: a hub project stays only while "
                                                     f"the stack's platform is hub+foundry ({_MIGRATION})"))
        if project_platform(config, i) == FOUNDRY:
            found += [(f"projects[{i}].members[{m}].storageAccess", "is data access to a hub's storage, and a "
                                                                    "Foundry project has no hub")
                      for m, member in enumerate(project.members) if "storage_access" in member.model_fields_set]
    return found


def _foundry_only_problems(config: "StackConfig") -> list[tuple[str, str]]:
    # What a hub has and a Foundry resource hasn't (Learn, foundry-classic/what-is-foundry, the feature table of
    # "Which type of project do I need"): compute instances (Learn,
    # migrate-project: keep a hub "for custom machine learning model training"), a managed network (a Foundry
    # resource's GA isolation is network injection), its own storage, key vault, Application Insights and
    # registry (Microsoft-managed by default), a display name, and classic or service-side CMK.
    found: list[tuple[str, str]] = []
    if config.compute_instances:
        found.append(("computeInstances", "compute instances are Azure Machine Learning compute on a hub, and a "
                                          "Foundry resource has none: keep a hub for them (platform hub+foundry)"))
    found += [(path, "is the hub's, and platform foundry has no hub")
              for path in _given(config.hub, "hub", ("friendly_name", "description"))]
    found += [(path, "describes a hub's managed network, and a Foundry resource has none: its agents reach your "
                     "network through network.agentSubnet")
              for path in _given(config.network, "network",
                                 ("isolation_mode", "firewall_sku", "provision_now", "outbound_rules"))]
    found += [(path, "is a hub's dependency: a Foundry resource keeps its data in Microsoft-managed storage, and "
                     "the agent stores are agents.*")
              for path in _given(config.dependencies, "dependencies", tuple(type(config.dependencies).model_fields))]
    if config.encryption is not None:
        found += [(path, "is a hub's encryption option; a Foundry resource's key encrypts the account itself")
                  for path in _given(config.encryption, "encryption", ("service_side", "cosmos_db_principal_id"))]
    return found
