"""The migration from a hub to a Foundry resource (README: Platforms and the migration from a hub), as the sequence
of renders a team runs: `hub` -> `hub+foundry` -> `foundry`, on the dev and the (private) prod stack files.

What must hold, step by step, judged on what the program registers:
- hub -> hub+foundry only adds: every resource keeps its URN and its inputs, the account gaining
  `allowProjectManagement` (an in-place update Azure allows, never the way back: hashicorp/terraform-provider-
  azurerm#31063).
- hub+foundry -> foundry: every resource that stays is found under its new URN through an alias that resolves to
  its old one (or keeps its URN), with the same inputs, so Pulumi updates nothing and replaces nothing; what goes
  is the hub's alone (the hub, its projects, its storage, key vault, App Insights, registry and their private
  endpoints and roles), and with `protect: true` those are protected, so Pulumi stops until that is lifted on
  purpose.
"""

import json

import pytest
from harness import (
    ACCOUNT,
    BUDGET,
    CONNECTION,
    DEPLOYMENT,
    DIAGNOSTIC,
    DNS_ZONE,
    DNS_ZONE_GROUP,
    ENDPOINT,
    KEY,
    LOCK,
    LOGS,
    POLICY,
    ROLE,
    STORAGE,
    SUBNET,
    VAULT,
    VNET,
    VNET_LINK,
    WORKSPACE,
    engine_urns,
    resolved,
    run_stack,
    stack_config,
)

from components.resource_types import COSMOS, PROJECT_ACCOUNT, SEARCH

SHARED = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared/providers"
FOUNDRY_PROJECT = {"name": "agents", "platform": "foundry", "friendlyName": "Support agents"}
#: Stateful: what holds data or a name Azure keeps (a replacement loses the one or the other).
STATEFUL = {ACCOUNT, DEPLOYMENT, LOGS, COSMOS, SEARCH, STORAGE, VAULT, KEY, PROJECT_ACCOUNT, VNET, SUBNET, DNS_ZONE}
#: The network keys of a hub's managed network, which a Foundry stack refuses (config/foundry.py).
MANAGED_NETWORK_KEYS = ("isolationMode", "firewallSku", "provisionNow", "outboundRules")


def _key(stack, key):
    _, config, _ = stack_config(stack)
    value = config.get(f"azure-ai-hub:{key}")
    return json.loads(value) if value is not None else None


def _renders(stack, setup, **common):
    """The three steps of one stack file: as it is; plus a Foundry project on hub+foundry; then Foundry alone,
    without the keys only a hub takes (the team's last edit of the stack file)."""
    with_foundry = {"agents": {"setup": setup}, **common}
    network = {k: v for k, v in (_key(stack, "network") or {}).items() if k not in MANAGED_NETWORK_KEYS}
    connections = [c for c in common.get("connections", _key(stack, "connections")) or []
                   if c["category"] not in ("PythonFeed", "Git")]
    foundry_only = {"hub": {"name": _key(stack, "hub")["name"]}, "dependencies": None, "encryption": None,
                    "computeInstances": None, "network": network or None, "connections": connections or None}
    return (
        run_stack(stack, **common),
        run_stack(stack, platform="hub+foundry", projects=[*(_key(stack, "projects") or []), FOUNDRY_PROJECT],
                  **with_foundry),
        run_stack(stack, platform="foundry", projects=[FOUNDRY_PROJECT], **{**with_foundry, **foundry_only}),
    )


@pytest.fixture(scope="module")
def dev():
    # Public: the standard setup's stores are reachable without network injection. A shared search connection
    # beside dev's package feed, which only a hub takes.
    search = {"name": "search", "category": "CognitiveSearch", "target": "https://srch-shared.search.windows.net",
              "resourceId": f"{SHARED}/Microsoft.Search/searchServices/srch-shared"}
    return _renders("dev", "standard", connections=[*(_key("dev", "connections") or []), search], waivers=[*(_key("dev", "waivers") or []),
                                    *({"rule": r, "reason": "dev is public, as the defaults are"}
                                      for r in ("CDB-02", "SR-02", "ST-05", "ST-06"))])


@pytest.fixture(scope="module")
def prod():
    # Private: the hub's account has no network injection (set only at creation), so its projects take the
    # basic setup (config/foundry.py).
    return _renders("prod", "basic")


def _custom(run):
    return {urn: r for urn, r in engine_urns(run).items() if r.custom}


@pytest.mark.parametrize("which", ["dev", "prod"])
def test_hub_plus_foundry_only_adds(which, request):
    hub, both, _ = request.getfixturevalue(which)
    before, after = _custom(hub), _custom(both)
    assert set(before) <= set(after), sorted(set(before) - set(after))
    changed = {urn for urn in before if before[urn].inputs != after[urn].inputs}
    account = next(urn for urn, r in before.items() if r.type == ACCOUNT)
    assert changed == {account}
    old, new = before[account].inputs["properties"], after[account].inputs["properties"]
    assert "allowProjectManagement" not in old and new == {**old, "allowProjectManagement": True}
    assert PROJECT_ACCOUNT in {r.type for urn, r in after.items() if urn not in before}


def _matches(previous, current):
    """Each resource of `current` -> the resource of `previous` it is (same URN, or an alias resolving to it)."""
    old = _custom(previous)
    found = {}
    for urn, registration in _custom(current).items():
        if urn in old:
            found[urn] = old[urn]
            continue
        hits = [old[u] for u in resolved(current, registration) if u in old]
        assert len(hits) <= 1, (registration.name, hits)
        if hits:
            found[urn] = hits[0]
    # The engine refuses two resources claiming one old one ("Duplicate resource alias", step_generator.go).
    claimed = [id(r) for r in found.values()]
    assert len(claimed) == len(set(claimed))
    return found


@pytest.mark.parametrize("which", ["dev", "prod"])
def test_foundry_takes_over_without_replacing_anything(which, request):
    _, both, foundry = request.getfixturevalue(which)
    matches = _matches(both, foundry)
    current = _custom(foundry)
    for urn, old in matches.items():
        new = current[urn]
        assert new.type == old.type, new.name
        assert new.inputs == old.inputs, new.name
    # The account, its deployments and its Log Analytics are among them, under FoundryResource now.
    taken = {current[urn].type for urn in matches if urn not in _custom(both)}
    assert {ACCOUNT, DEPLOYMENT, LOGS} <= taken
    # Every stateful resource that stays is one of them: none is created anew beside an old one that goes.
    old_names = {(r.type, str(r.inputs.get(_name_input(r)))) for r in _custom(both).values() if r.type in STATEFUL}
    for urn, registration in current.items():
        if registration.type in STATEFUL and urn not in matches:
            assert (registration.type, str(registration.inputs.get(_name_input(registration)))) not in old_names, (
                f"{registration.name} would be created beside the resource of the same Azure name that goes")


def _name_input(registration):
    from components.resource_types import TYPES

    return TYPES[registration.type].name_input


@pytest.mark.parametrize("which", ["dev", "prod"])
def test_what_goes_is_the_hubs(which, request):
    _, both, foundry = request.getfixturevalue(which)
    kept = {id(old) for old in _matches(both, foundry).values()}
    gone = [r for r in _custom(both).values() if id(r) not in kept]
    assert {r.type for r in gone if r.type in STATEFUL} <= {STORAGE, VAULT, KEY, DNS_ZONE, SUBNET}
    assert WORKSPACE in {r.type for r in gone}
    # Hub-side stores only: the agent storage, the account and its deployments stay.
    hub_storage = {r.inputs["accountName"] for r in gone if r.type == STORAGE}
    agent_storage = {r.inputs["accountName"] for r in foundry.by_type(STORAGE)}
    assert hub_storage and not hub_storage & agent_storage
    assert not {r.type for r in gone} & {ACCOUNT, DEPLOYMENT, LOGS, COSMOS, SEARCH, PROJECT_ACCOUNT, VNET}


def test_prod_protects_what_goes_until_lifted(prod):
    _, both, foundry = prod
    kept = {id(old) for old in _matches(both, foundry).values()}
    gone = [r for r in _custom(both).values() if id(r) not in kept]
    protected = {r.type for r in gone if r.protect}
    # `pulumi up` stops at these ("cannot delete protected resource") until `pulumi state unprotect`.
    assert {WORKSPACE, STORAGE, VAULT} <= protected
    # And the data stores are retained in Azure when they do go.
    assert all(r.retain_on_delete for r in gone if r.type in (STORAGE, VAULT))


def test_the_private_network_moves_whole(prod):
    _, both, foundry = prod
    matches = _matches(both, foundry)
    current = _custom(foundry)
    moved = {current[urn].type for urn in matches}
    assert {VNET, SUBNET, DNS_ZONE, VNET_LINK, ENDPOINT, DNS_ZONE_GROUP} <= moved
    # The account's endpoint is the hub's, taken over (its IP configurations stay).
    endpoint = next(urn for urn, r in current.items() if r.type == ENDPOINT and r.name.endswith("-pe-provider"))
    old = {id(r): urn for urn, r in _custom(both).items()}
    assert endpoint in matches and old[id(matches[endpoint])] != endpoint  # the hub network's, found by its alias


def test_governance_moves_with_its_names(prod):
    _, both, foundry = prod
    matches = _matches(both, foundry)
    current = _custom(foundry)
    old = {id(r): urn for urn, r in _custom(both).items()}
    moved = {(current[urn].type, current[urn].name) for urn in matches if old[id(matches[urn])] != urn}
    assert {t for t, _ in moved} >= {POLICY, BUDGET, DIAGNOSTIC}
    # Role assignments keep their Azure names (scope, principal, role), so none of the Foundry side's is new on an
    # old scope and principal.
    assert ROLE in {r.type for r in foundry.registrations}
    assert LOCK not in {r.type for r in both.registrations}  # prod has no locks unless asked


@pytest.mark.parametrize("which", ["dev", "prod"])
@pytest.mark.parametrize("step", [0, 1])
def test_nothing_new_is_an_azure_resource_that_goes(which, step, request):
    """A resource created under a new URN while the old one of the same Azure ID is deleted loses it: Pulumi
    creates first (an ARM PUT of an existing name updates it) and deletes after, which deletes it in Azure. So
    every Azure ID that stays keeps its URN or is found by an alias, whatever its type (role assignments too)."""
    runs = request.getfixturevalue(which)
    before, after = runs[step], runs[step + 1]
    matches = _matches(before, after)
    kept = {id(old) for old in matches.values()}
    gone = {r.id.lower() for r in _custom(before).values() if id(r) not in kept and r.id}
    new = {r.id.lower(): r.name for urn, r in _custom(after).items() if urn not in matches and r.id}
    assert not {new[i] for i in gone & set(new)}


def test_shared_connections_reach_the_foundry_projects_before_the_hub_goes(dev):
    """dev's shared connections: on the hub as before and, from hub+foundry on, on the account too (the Foundry
    projects see them), except those only a hub takes; at `foundry` the account's stay as they were."""
    hub, both, foundry = dev
    on_hub = {r.inputs["connectionName"]: r.inputs["properties"]["category"] for r in hub.by_type(CONNECTION)}
    on_account = {r.inputs["connectionName"] for r in both.by_type("azure-native:cognitiveservices:AccountConnection")}
    assert on_account and on_account == {n for n, c in on_hub.items() if c not in ("PythonFeed", "Git")} - {"ais-contoso-ai"}
    before = {urn: r for urn, r in _custom(both).items()
              if r.type == "azure-native:cognitiveservices:AccountConnection"}
    after = {urn: r for urn, r in _custom(foundry).items()
             if r.type == "azure-native:cognitiveservices:AccountConnection"}
    assert before.keys() == after.keys() and all(before[u].inputs == after[u].inputs for u in before)
