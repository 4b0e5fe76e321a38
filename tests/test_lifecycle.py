"""Lifecycle and data safety: destroy, re-create, stacks side by side, refresh then up."""

import pytest
from harness import RESOURCE_GROUP, SCOPED, run_stack

from offline.engine import _plain


def _containing_group(run, reg):
    """The resource group registration that holds `reg` in Azure, or None when the stack didn't create it."""
    group_name = _plain(reg.inputs).get("resourceGroupName")
    return next(
        (g for g in run.by_type(RESOURCE_GROUP) if _plain(g.inputs).get("resourceGroupName") == group_name), None
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
    assert {r.type for r in retained} >= {"azure-native:storage:StorageAccount", "azure-native:keyvault:Vault"}
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
