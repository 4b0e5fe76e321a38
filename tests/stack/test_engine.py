"""The offline engine itself: what it records, and its one speed-up."""

import pulumi
from harness import ROLE, run_component
from pulumi_azure_native import authorization

from offline.engine import config_from_yaml, offline_secret, run


def assignment(user_alias: bool = False):
    def program():
        authorization.RoleAssignment(
            "ra",
            scope="/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg",
            principal_id="p",
            role_definition_id="r",
            opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old-ra")] if user_alias else None),
        )

    return program


def test_api_version_aliases_are_skipped_unless_asked_for():
    assert run(assignment()).one(ROLE).aliases == 0
    assert run(assignment(), version_aliases=True).one(ROLE).aliases == 9  # authorization's API versions


def test_a_programs_own_aliases_are_kept():
    assert run(assignment(user_alias=True)).one(ROLE).aliases == 1


def test_alias_specs_are_recorded_as_the_engine_receives_them():
    parent = "urn:pulumi:stack::project::aihub:index:AIHub::hub"

    def program():
        authorization.RoleAssignment(
            "ra", scope="/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg", principal_id="p",
            role_definition_id="r",
            opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(parent=parent), pulumi.Alias(name="old", parent=None),
                                                 "urn:pulumi:stack::project::x:y:Z::old-urn"]),
        )

    assert run(program).one(ROLE).alias_specs == [
        {"parentUrn": parent}, {"name": "old", "noParent": True}, {"urn": "urn:pulumi:stack::project::x:y:Z::old-urn"}]


def test_the_speed_up_is_undone_after_a_run():
    merge = pulumi.ResourceOptions.merge
    run_component(assignment())
    assert pulumi.ResourceOptions.merge is merge


def test_secure_values_become_marked_stand_ins():
    config, secret = config_from_yaml(
        {"plain": "x", "azure-ai-hub:keys": {"a": {"secure": "v1:zzz"}, "b": "y"}}, "proj"
    )
    assert config["proj:plain"] == "x"
    assert secret == ["azure-ai-hub:keys"]
    assert offline_secret("azure-ai-hub:keys.a") in config["azure-ai-hub:keys"]
    assert "v1:zzz" not in config["azure-ai-hub:keys"]
