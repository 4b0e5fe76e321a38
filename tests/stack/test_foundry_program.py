"""The program on the Foundry platforms, rendered under mocks: what __main__.py composes per platform, and the
migration hub -> hub+foundry -> foundry.

PENDING: these need the Foundry components (FoundryResource, FoundryProject) built; before that their
constructors raise NotImplementedError. To collect them: rename this file to test_foundry_program.py and move
tests/stacks/pending/*.yaml to tests/stacks/ (the scenario renders and deploy-rule checks then take them too).
"""

import pytest
from harness import ACCOUNT, DNS_ZONE, HUB, LOGS, PROJECT, WORKSPACE, children_of, run_stack, stack_config

from config import ConfigError, parse
from config.args import hub_zones

FOUNDRY_RESOURCE = "aihub:index:FoundryResource"
FOUNDRY_PROJECT = "aihub:index:FoundryProject"
COGNITIVE_PROJECT = "azure-native:cognitiveservices:Project"
COSMOS = "azure-native:cosmosdb:DatabaseAccount"
SEARCH = "azure-native:search:Service"
ENDPOINT = "azure-native:network:PrivateEndpoint"


@pytest.fixture(scope="module")
def basic():
    return run_stack("foundry-basic")


@pytest.fixture(scope="module")
def private():
    return run_stack("foundry-private")


@pytest.fixture(scope="module")
def migrating():
    return run_stack("hub-plus-foundry")


def test_platform_foundry_builds_a_foundry_resource_and_no_hub(basic):
    assert basic.by_type(HUB) == [] and basic.by_type(WORKSPACE) == []
    (foundry,) = basic.by_type(FOUNDRY_RESOURCE)
    assert foundry.name == "contoso-fdy" and foundry.parent.endswith("pulumi:pulumi:Stack::azure-ai-hub-foundry-basic")
    projects = basic.by_type(FOUNDRY_PROJECT)
    assert [p.name for p in projects] == ["contoso-fdy-chat", "contoso-fdy-research"]
    assert all(p.parent == foundry.urn for p in projects)
    (account,) = basic.by_type(ACCOUNT)
    assert account.inputs["kind"] == "AIServices"
    assert account.inputs["properties"]["allowProjectManagement"] is True
    assert account.inputs["properties"]["disableLocalAuth"] is True
    assert {p.inputs["projectName"] for p in basic.by_type(COGNITIVE_PROJECT)} == {"chat", "research"}


def test_platform_foundry_exports_the_account_and_the_projects_endpoints(basic):
    assert {"resourceGroup", "foundry", "foundryProjects", "foundryHazardFingerprint"} <= set(basic.outputs)
    assert not {"hubName", "hubId", "projects", "hazardFingerprint"} & set(basic.outputs)
    assert set(basic.outputs["foundry"]) == {"accountId", "accountName", "endpoint", "foundryUrl", "portalUrl"}
    assert set(basic.outputs["foundryProjects"]) == {"chat", "research"}
    assert all(set(p) == {"name", "id", "endpoint", "foundryUrl", "portalUrl"}
               for p in basic.outputs["foundryProjects"].values())


def test_foundry_private_is_private_injected_standard_and_customer_keyed(private):
    (account,) = private.by_type(ACCOUNT)
    props = account.inputs["properties"]
    assert props["publicNetworkAccess"] == "Disabled"
    (injection,) = props["networkInjections"]
    assert injection["scenario"] == "agent" and injection["subnetArmId"]
    assert props["encryption"]["keySource"] == "Microsoft.KeyVault"
    assert props["encryption"]["keyVaultProperties"]["keyName"] == "foundry-cmk"
    assert len(private.by_type(COSMOS)) == 1 and len(private.by_type(SEARCH)) == 1
    groups = {c["groupIds"][0] for e in private.by_type(ENDPOINT) for c in e.inputs["privateLinkServiceConnections"]}
    assert {"account", "Sql", "searchService", "blob"} <= groups
    assert all(p.protect for p in private.by_type(COGNITIVE_PROJECT))


def test_hub_plus_foundry_puts_foundry_projects_on_the_hubs_account(migrating):
    (hub,) = migrating.by_type(HUB)
    (foundry,) = migrating.by_type(FOUNDRY_RESOURCE)
    # One account: the hub's, with project management turned on; the Foundry resource makes none of its own.
    (account,) = migrating.by_type(ACCOUNT)
    assert account.parent == hub.urn and account.inputs["properties"]["allowProjectManagement"] is True
    assert [p.name for p in migrating.by_type(PROJECT)] == ["contoso-mig-chat"]
    (agents,) = migrating.by_type(FOUNDRY_PROJECT)
    assert agents.name == "contoso-mig-agents" and agents.parent == foundry.urn
    # Governance and Log Analytics stay the hub's: no second workspace of the same Azure name.
    assert len(migrating.by_type(LOGS)) == 1
    assert children_of(migrating, foundry) and not any(
        r.type == "azure-native:authorization:PolicyAssignment" for r in children_of(migrating, foundry))
    assert {"hubName", "projects", "hazardFingerprint", "foundry", "foundryProjects"} <= set(migrating.outputs)


def test_a_private_hub_plus_foundry_takes_basic_agents_and_no_zone_twice():
    """The hub's account has no network injection, so private standard-setup stores would be out of the Agent
    Service's reach (components/foundry_checks.py UNREACHABLE_STORES): refused; the basic setup renders, with no
    private DNS zone registered twice (two Pulumi resources of one Azure zone delete it for both when one goes)."""
    with pytest.raises(ConfigError) as refused:
        run_stack("waf-aligned", platform="hub+foundry", agents={"setup": "standard"},
                  projects=[{"name": "agents", "platform": "foundry"}])
    assert [p for p, _ in refused.value.problems] == ["azure-ai-hub:agents.setup"]
    run = run_stack("waf-aligned", platform="hub+foundry", agents={"setup": "basic"},
                    projects=[{"name": "agents", "platform": "foundry"}])
    zones = [r.inputs["privateZoneName"] for r in run.by_type(DNS_ZONE)]
    assert len(zones) == len(set(zones)), "a zone registered twice is deleted for both when one goes"
    _, values, secret = stack_config("waf-aligned")
    assert set(hub_zones(parse(values, secret))) <= set(zones)


def test_the_migration_keeps_the_account():
    """hub -> hub+foundry -> foundry: the account keeps its Azure name and inputs (allowProjectManagement aside),
    and on foundry it is taken over through an alias, not created anew."""
    projects = [{"name": "chat"}]
    steps = [
        run_stack("defaults", projects=projects),
        run_stack("defaults", platform="hub+foundry", projects=projects),
        run_stack("defaults", platform="foundry", projects=[{"name": "agents"}],
                  waivers=[{"rule": "CS-02", "reason": "public as the defaults are"}]),
    ]
    accounts = [run.one(ACCOUNT) for run in steps]
    assert len({a.inputs["accountName"] for a in accounts}) == 1
    assert accounts[2].aliases >= 1
    assert accounts[1].inputs["properties"]["allowProjectManagement"] is True
    assert accounts[2].inputs["properties"]["allowProjectManagement"] is True


@pytest.mark.parametrize("stack", ["foundry-private", "foundry-basic", "hub-plus-foundry"])
def test_projects_wait_for_the_account_and_each_other(stack):
    """Each project (and so its capability host) after the account capability host, the deployments, the stores'
    private endpoints and DNS (foundry-samples 41 and 15), and after the project before it."""
    from harness import waits_for

    from components.resource_types import ACCOUNT_CAPABILITY_HOST, DEPLOYMENT, DNS_ZONE_GROUP, PROJECT_ACCOUNT

    run = run_stack(stack)
    projects = run.by_type(PROJECT_ACCOUNT)
    assert projects
    ordered = sorted(projects, key=lambda p: sum(waits_for(run, p, q) for q in projects))
    for before, after in zip(ordered, ordered[1:], strict=False):
        assert waits_for(run, after, before), (after.name, before.name)
    needs = [*run.by_type(ACCOUNT_CAPABILITY_HOST), *run.by_type(DEPLOYMENT),
             *(g for g in run.by_type(DNS_ZONE_GROUP) if "-agent-" in g.name)]
    # In hub+foundry the deployments are the hub's, on the same account: the projects wait for the hub too.
    assert needs
    for project in projects:
        assert all(waits_for(run, project, n) for n in needs), project.name
    if stack == "hub-plus-foundry":
        connections = run.by_type("azure-native:cognitiveservices:AccountConnection")
        assert connections and all(waits_for(run, c, d) for c in connections for d in run.by_type(DEPLOYMENT))


def test_a_stack_tag_never_reaches_a_capability_host():
    """The stack's tags go to every taggable resource, but a capability host has no tags and can't be updated: a
    tag sent to it would replace it whenever the stack's tags change."""
    run = run_stack("foundry-private", tags={"environment": "prod", "costCenter": "cc-9"})
    hosts = run.by_type("azure-native:resources:Resource")
    assert hosts and all("tags" not in h.inputs for h in hosts)
    assert run.one("azure-native:cognitiveservices:Project", projectName="chat").inputs["tags"]["costCenter"] == "cc-9"


@pytest.mark.parametrize(("account", "kind"), [("ais-central", None), ("shared-openai", "OpenAI")])
def test_hub_plus_foundry_on_a_brought_account_takes_only_one_that_holds_projects(account, kind):
    """A brought account's owner turns project management on (the hub doesn't try); one of another kind stops the
    deployment when it is read, before any project is sent to it."""
    from components.validation import UnfitResourceError
    from offline.azure_state import MOCK_SUBSCRIPTION

    brought = (f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/shared-rg/providers/"
               f"Microsoft.CognitiveServices/accounts/{account}")
    run = run_stack("hub-plus-foundry", check=False, provider={"existingAccountId": brought})
    assert not run.by_type(ACCOUNT)  # the account is its owner's
    if kind is None:
        assert run.error is None
        assert run.one("azure-native:cognitiveservices:Project").inputs["accountName"] == account
    else:
        assert isinstance(run.error, UnfitResourceError) and f"of kind {kind}" in str(run.error)
        assert not run.by_type("azure-native:cognitiveservices:Project")


@pytest.mark.parametrize(("change", "key"), [
    ({"network": {"publicNetworkAccess": "Disabled", "agentSubnet": {"prefix": "10.20.4.0/24"},
                  "privateEndpoints": {"vnetAddressPrefix": "10.20.0.0/16", "subnetPrefix": "10.20.1.0/24"}}},
     "agentSubnet"),
    ({"projects": [{"name": "chat"}, {"name": "science"}]}, "foundryProjects"),
])
def test_a_foundry_deploy_warns_before_a_creation_time_setting_changes(change, key):
    """The stack exports the Foundry resource's creation-time settings and, on the next run, warns (before Azure is
    touched) about the ones Azure can't change in place: here network injection and a renamed project."""
    from harness import ROOT

    from offline.engine import run_program

    def run_after(previous, **overrides):
        project, config, secrets = stack_config("foundry-private", **overrides)
        return run_program(ROOT / "__main__.py", config, project=project, stack="foundry-private",
                           secret_keys=secrets, previous_outputs=previous)

    first = run_after(None)
    assert first.warnings == []
    fingerprint = first.outputs["foundryHazardFingerprint"]
    changed = run_after({"foundryHazardFingerprint": fingerprint}, **change)
    assert [w for w in changed.warnings if w.startswith(f"hazard: {key} ")], changed.warnings
