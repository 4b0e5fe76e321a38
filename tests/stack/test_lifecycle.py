"""Lifecycle and data safety: destroy, re-create, stacks side by side, refresh then up."""

import pytest
from harness import RESOURCE_GROUP, SCOPED, run_stack

from offline.engine import plain


def _containing_group(run, reg):
    """The resource group registration that holds `reg` in Azure, or None when the stack didn't create it."""
    group_name = plain(reg.inputs).get("resourceGroupName")
    return next(
        (g for g in run.by_type(RESOURCE_GROUP) if plain(g.inputs).get("resourceGroupName") == group_name), None
    )


def retained_but_deletable(run):
    """Retained resources that Pulumi would still delete by deleting what contains them."""
    found = []
    for reg in run.resources:
        if not reg.retain_on_delete:
            continue
        group = _containing_group(run, reg)
        if group is not None and not group.retain_on_delete:
            found.append((reg.name, f"in group {group.name}, which is not retained"))
        if reg.deleted_with and not run.by_urn(reg.deleted_with).retain_on_delete:
            found.append((reg.name, f"deleted with {reg.deleted_with}"))
    return found


@pytest.mark.parametrize("overrides", [{}, {"resourceGroup": "rg-existing"}, {"protect": "false"}])
def test_no_retained_resource_goes_with_its_group(overrides):
    run = run_stack("prod", **overrides)
    retained = [r for r in run.resources if r.retain_on_delete]
    assert {r.type for r in retained} >= {STORAGE, VAULT}
    assert retained_but_deletable(run) == []
    for group in run.by_type(RESOURCE_GROUP):
        # The group holds retained data: it is retained (and protected) exactly when they are.
        assert (group.retain_on_delete, group.protect) == (True, overrides.get("protect") != "false")


def test_the_walk_finds_a_retained_store_in_a_deletable_group():
    """The check above can fail: a retained store in a group the stack would delete is found."""
    run = run_stack("prod")
    group = run.one(RESOURCE_GROUP)
    group.retain_on_delete = False
    assert {name for name, _ in retained_but_deletable(run)} >= {"contoso-ai-storage", "contoso-ai-keyvault"}


def test_dev_group_is_neither_protected_nor_retained(dev_run):
    group = dev_run.one(RESOURCE_GROUP)
    assert (group.protect, group.retain_on_delete) == (False, False)
    assert all(_containing_group(dev_run, r) is group for r in dev_run.resources
               if r.custom and r.type not in SCOPED | {RESOURCE_GROUP})


# -- names: subscription, resource group, generation, pin --------------------------------------

from harness import ACCOUNT, REGISTRY, ROOT, STORAGE, VAULT, WORKSPACE, run_component, stack_config  # noqa: E402

from components import AIHub, hazards  # noqa: E402
from components.naming import HubNames, unique_suffix  # noqa: E402
from config import ConfigError  # noqa: E402
from offline.engine import MOCK_SUBSCRIPTION, run_program  # noqa: E402

OTHER_SUB = "99999999-9999-9999-9999-999999999999"


def global_names(run):
    """The globally unique names as the engine receives them."""
    return {
        "storage": run.one(STORAGE).inputs["accountName"],
        "vault": run.one(VAULT).inputs["vaultName"],
        "subdomain": run.one(ACCOUNT).inputs["properties"]["customSubDomainName"],
    }


def expected_names(suffix, base="contoso-ai"):
    names = HubNames(base, suffix)
    return {"storage": names.storage_account, "vault": names.key_vault,
            "subdomain": names.custom_subdomain(names.provider_account("ais"))}


def test_the_stack_hashes_the_subscription_it_deploys_to(dev_run):
    suffix = unique_suffix(MOCK_SUBSCRIPTION, "rg-contoso-ai-dev", "contoso-ai")
    assert global_names(dev_run) == expected_names(suffix)
    assert global_names(dev_run)["storage"] == f"stcontosoai{suffix}"
    # Read at deploy time, from the provider's client config.
    assert ("azure-native:authorization:getClientConfig", {}) in dev_run.invokes


def test_one_stack_in_two_subscriptions_gets_two_sets_of_names(dev_run):
    other = run_stack("dev", **{"azure-native:subscriptionId": OTHER_SUB})
    assert global_names(other) == expected_names(unique_suffix(OTHER_SUB, "rg-contoso-ai-dev", "contoso-ai"))
    assert set(global_names(other).values()).isdisjoint(global_names(dev_run).values())
    # Names that are unique per resource group only stay as they are.
    assert other.one(WORKSPACE, kind="Hub").inputs["workspaceName"] == "hub-contoso-ai"


def test_names_are_deterministic_for_one_stack(dev_run):
    assert global_names(run_stack("dev")) == global_names(dev_run)


def test_a_generation_gives_new_global_names_and_keeps_the_rest(dev_run):
    bumped = run_stack("dev", hub={"name": "contoso-ai", "generation": 1})
    assert global_names(bumped) == expected_names(
        unique_suffix(MOCK_SUBSCRIPTION, "rg-contoso-ai-dev", "contoso-ai", generation=1))
    assert set(global_names(bumped).values()).isdisjoint(global_names(dev_run).values())
    assert bumped.one(WORKSPACE, kind="Hub").inputs["workspaceName"] == "hub-contoso-ai"
    assert bumped.one(RESOURCE_GROUP).inputs["resourceGroupName"] == "rg-contoso-ai-dev"


def test_a_pinned_suffix_ignores_the_subscription():
    for sub in (MOCK_SUBSCRIPTION, OTHER_SUB):
        run = run_stack("dev", hub={"name": "contoso-ai", "uniqueSuffix": "pin1234"},
                        dependencies={"containerRegistry": True, "containerRegistrySku": "Standard"},
                        **{"azure-native:subscriptionId": sub})
        assert global_names(run) == expected_names("pin1234")
        assert run.one(REGISTRY).inputs["registryName"] == "crcontosoaipin1234"


@pytest.mark.parametrize("hub, path, reason", [
    ({"name": "contoso-ai", "uniqueSuffix": "Pin-1"}, "azure-ai-hub:hub.uniqueSuffix", "4 to 12 lowercase"),
    ({"name": "contoso-ai", "uniqueSuffix": "pin1234", "generation": 2}, "azure-ai-hub:hub.generation",
     "a pinned uniqueSuffix ignores generation"),
    ({"name": "contoso-ai", "generation": -1}, "azure-ai-hub:hub.generation", "greater than or equal to 0"),
    ({"name": "contoso-ai", "generation": "2"}, "azure-ai-hub:hub.generation", "must be an integer"),
])
def test_bad_naming_config_is_refused_before_anything_is_registered(hub, path, reason):
    run = run_stack("dev", check=False, hub=hub)
    assert isinstance(run.error, ConfigError)
    assert any(p == path and reason in r for p, r in run.error.problems), run.error.problems
    assert [r for r in run.registrations if r.type != "pulumi:pulumi:Stack"] == []


def test_a_component_resolves_an_output_resource_group_before_hashing():
    import pulumi

    def hub_in(group):
        def program():
            AIHub("h", {"name": "contoso-ai", "resource_group_name": pulumi.Output.from_input(group),
                        "location": "westeurope"})
        return program

    a, b = run_component(hub_in("rg-a")), run_component(hub_in("rg-b"))
    assert global_names(a) == expected_names(unique_suffix(MOCK_SUBSCRIPTION, "rg-a", "contoso-ai"))
    assert global_names(b) == expected_names(unique_suffix(MOCK_SUBSCRIPTION, "rg-b", "contoso-ai"))


def test_a_generation_bump_on_a_live_stack_warns_of_soft_delete(dev_run):
    project, config, secrets = stack_config("dev", hub={"name": "contoso-ai", "generation": 1})
    run = run_program(ROOT / "__main__.py", config, project=project, stack="dev", secret_keys=secrets,
                      previous_outputs=dev_run.outputs)
    hazards = [w for w in run.warnings if w.startswith("hazard:")]
    assert {h.split(" ")[1] for h in hazards} == {"customSubdomain", "storageAccount", "keyVault"}
    assert any("90-day soft-delete retention" in h for h in hazards)
    assert any("taken for 48 hours" in h for h in hazards)
    # The same config again: nothing to warn about.
    again = run_program(ROOT / "__main__.py", config, project=project, stack="dev", secret_keys=secrets,
                        previous_outputs=run.outputs)
    assert [w for w in again.warnings if w.startswith("hazard:")] == []


# -- drift: refresh, then up ------------------------------------------------------------------

from offline import drift  # noqa: E402


def second_run(stack, first, changes=drift.AZURE_CHANGES, **overrides):
    """Deploy `first`, let Azure make its own changes, refresh, and run the program again on that state."""
    project, config, secrets = stack_config(stack, **overrides)
    prior = drift.refreshed(first, changes)
    again = run_program(ROOT / "__main__.py", config, project=project, stack=stack, secret_keys=secrets,
                        prior_state=drift.prior_state(prior), previous_outputs=first.outputs)
    return again, prior


@pytest.mark.parametrize("stack", ["dev", "prod", "max"])
def test_refresh_then_up_updates_nothing(stack, dev_run):
    first = dev_run if stack == "dev" else run_stack(stack)
    again, prior = second_run(stack, first)
    assert drift.updates(again, prior) == []
    # The second run really ran on the prior state: same resources, same IDs.
    assert {(r.type, r.name, r.id) for r in again.resources if r.custom} == {
        (t, n, found.id) for (t, n), found in prior.items()}
    assert [w for w in again.warnings if w.startswith("hazard:")] == []


def test_azure_changes_are_really_in_the_refreshed_state(dev_run):
    _, prior = second_run("dev", dev_run)
    hub = dev_run.one(WORKSPACE, kind="Hub")
    assert "azure-added-by-connections" in prior[(hub.type, hub.name)].inputs["tags"]
    # The hub leaves its tags to Azure (and only its tags); nothing else ignores changes.
    assert hub.ignore_changes == ["tags"]
    assert all(r.ignore_changes == [] for r in dev_run.resources if r.custom and r is not hub)


def test_a_change_azure_makes_to_a_field_the_program_owns_is_an_update(dev_run):
    """The check can fail: Azure touching storage tags, which the program owns, would be updated back."""
    def storage_tags(inputs):
        return {**inputs, "tags": {**inputs["tags"], "owner": "someone-else"}}

    again, prior = second_run("dev", dev_run, {**drift.AZURE_CHANGES, STORAGE: storage_tags})
    assert drift.updates(again, prior) == [(STORAGE, "contoso-ai-storage", "tags.owner")]


def test_a_config_change_is_an_update(dev_run):
    again, prior = second_run("dev", dev_run, hub={"name": "contoso-ai", "friendlyName": "Renamed"})
    assert (WORKSPACE, "contoso-ai-hub", "friendlyName") in drift.updates(again, prior)


def test_going_back_to_a_name_given_up_is_a_hazard(dev_run):
    """Generation 0, then 1, then 0 again: the vault and subdomain of generation 0 are still held by Azure."""
    def deploy(previous, generation):
        project, config, secrets = stack_config("dev", hub={"name": "contoso-ai", "generation": generation})
        return run_program(ROOT / "__main__.py", config, project=project, stack="dev", secret_keys=secrets,
                           previous_outputs=previous)

    gen0 = dev_run.outputs
    assert "retiredNames" not in gen0["hazardFingerprint"]
    gen1 = deploy(gen0, 1)
    old = expected_names(unique_suffix(MOCK_SUBSCRIPTION, "rg-contoso-ai-dev", "contoso-ai"))
    assert gen1.outputs["hazardFingerprint"]["retiredNames"].split(",") == [old["vault"], old["subdomain"]]
    back = deploy(gen1.outputs, 0)
    reused = [w for w in back.warnings if "was given up before" in w]
    assert reused == [
        f"hazard: keyVault {old['vault']!r} was given up before: " + hazards.REUSE_CONSEQUENCE,
        f"hazard: customSubdomain {old['subdomain']!r} was given up before: " + hazards.REUSE_CONSEQUENCE,
    ]
    # Generation 1's names are now the given-up ones; generation 0's are in use again.
    new = expected_names(unique_suffix(MOCK_SUBSCRIPTION, "rg-contoso-ai-dev", "contoso-ai", generation=1))
    assert back.outputs["hazardFingerprint"]["retiredNames"].split(",") == [new["vault"], new["subdomain"]]
    # A redeploy of the same generation warns of nothing.
    assert [w for w in deploy(back.outputs, 0).warnings if w.startswith("hazard:")] == []
