"""Governance: tags by stack transform, policy, budget, diagnostics and compute instances."""

import pulumi
import pytest
from harness import (
    ACCOUNT,
    BUDGET,
    COMPUTE,
    DIAGNOSTIC,
    POLICY,
    REGISTRY,
    STORAGE,
    VAULT,
    WORKSPACE,
    run_stack,
)

from components.compute import compute_instance_problems
from components.governance import budget_problems, definition_id_problem
from components.resource_types import BLOB_SERVICE, LOGS, ROLE
from components.tagging import is_taggable, tag_transform
from offline.engine import MOCK_SUBSCRIPTION, MOCK_TENANT

BUILTIN = "/providers/Microsoft.Authorization/policyDefinitions/438c38d2-3772-465a-a9cc-7a6666a275ce"


@pytest.fixture(scope="module")
def max_run():
    return run_stack("max")


# -- tags -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "type_token, taggable",
    [(STORAGE, True), (COMPUTE, True),
     (BLOB_SERVICE, False), (ROLE, False),
     ("azure-native:nosuchmodule:Thing", False), ("aihub:index:AIHub", False)],
)
def test_is_taggable(type_token, taggable):
    assert is_taggable(type_token) is taggable


def test_tag_transform_merges_and_a_resources_own_tags_win():
    transform = tag_transform({"env": "prod", "owner": "platform"})
    args = pulumi.ResourceTransformArgs(True, STORAGE, "st",
                                        {"accountName": "st", "tags": {"owner": "data-team"}}, pulumi.ResourceOptions())
    assert transform(args).props["tags"] == {"env": "prod", "owner": "data-team"}
    untaggable = pulumi.ResourceTransformArgs(True, ROLE, "ra", {},
                                              pulumi.ResourceOptions())
    assert transform(untaggable) is None
    component = pulumi.ResourceTransformArgs(False, "aihub:index:AIHub", "hub", {}, pulumi.ResourceOptions())
    assert transform(component) is None


@pytest.mark.parametrize("stack", ["dev", "prod", "max"])
def test_tags_reach_every_taggable_resource_through_one_transform(stack, request):
    run = request.getfixturevalue("max_run") if stack == "max" else run_stack(stack)
    import json

    from harness import stack_config

    tags = json.loads(stack_config(stack)[1]["azure-ai-hub:tags"])
    taggable = [r for r in run.resources if r.custom and is_taggable(r.type)]
    assert len(taggable) > 10
    missing = [r.name for r in taggable if r.inputs.get("tags") != tags]
    assert missing == []
    assert run.stack_transforms == 1


# -- policy and budget ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "definition_id, ok",
    [
        (BUILTIN, True),
        ("/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8", True),
        ("/subscriptions/33333333-3333-3333-3333-333333333333/providers/Microsoft.Authorization/policyDefinitions/x", True),
        ("/providers/Microsoft.Management/managementGroups/contoso/providers/Microsoft.Authorization/policySetDefinitions/y",
         True),
        ("438c38d2-3772-465a-a9cc-7a6666a275ce", False),
        ("/providers/Microsoft.Authorization/roleDefinitions/438c38d2-3772-465a-a9cc-7a6666a275ce", False),
        ("/providers/Microsoft.Authorization/policyAssignments/a", False),
    ],
)
def test_definition_id_problem(definition_id, ok):
    assert (definition_id_problem(definition_id) is None) is ok


GOOD_BUDGET = {"amount": 100, "thresholds": [80, 100], "contact_emails": ["a@contoso.com"]}


@pytest.mark.parametrize(
    "change, fields",
    [
        ({}, []),
        ({"amount": 0}, ["amount"]),
        ({"thresholds": []}, ["thresholds"]),
        ({"thresholds": [0, 1001]}, ["thresholds[0]", "thresholds[1]"]),
        ({"thresholds": [80, 80]}, ["thresholds"]),
        ({"contact_emails": []}, ["contactEmails"]),
        ({"contact_emails": ["finance"]}, ["contactEmails[0]"]),
        ({"time_grain": "Weekly"}, ["timeGrain"]),
        ({"start_date": "2026-12-15"}, ["startDate"]),
        ({"start_date": "2026-12-01"}, []),
    ],
)
def test_budget_problems(change, fields):
    assert [f for f, _ in budget_problems({**GOOD_BUDGET, **change})] == fields


def test_policy_assignments_at_the_hubs_resource_group(max_run):
    scope = f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/rg-contoso-max-max"
    assignments = {r.inputs["policyAssignmentName"]: r.inputs for r in max_run.by_type(POLICY)}
    assert assignments["ml-no-public-access"] == {
        "policyAssignmentName": "ml-no-public-access", "scope": scope, "policyDefinitionId": BUILTIN,
        "displayName": "ml-no-public-access", "enforcementMode": "Default", "parameters": {"effect": {"value": "Audit"}},
    }
    custom = assignments["custom-initiative"]
    assert custom["enforcementMode"] == "DoNotEnforce" and custom["identity"] == {"type": "SystemAssigned"}
    assert custom["location"] == "westeurope"


def test_budget_with_alerts(max_run):
    budget = max_run.one(BUDGET)
    assert budget.inputs["scope"] == f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/rg-contoso-max-max"
    assert budget.inputs["amount"] == 2500 and budget.inputs["timeGrain"] == "Monthly"
    assert budget.inputs["timePeriod"] == {"startDate": "2026-12-01T00:00:00Z"}
    alerts = budget.inputs["notifications"]
    assert sorted(alerts) == ["actual-100-percent", "actual-120-percent", "actual-50-percent", "actual-80-percent"]
    assert alerts["actual-80-percent"] == {
        "enabled": True, "operator": "GreaterThanOrEqualTo", "threshold": 80, "thresholdType": "Actual",
        "contactEmails": ["platform-team@contoso.com", "finance@contoso.com"]}
    assert budget.ignore_changes == []


def test_budget_without_a_start_date_keeps_its_first_month():
    run = run_stack(budget={"amount": 10, "thresholds": [100], "contactEmails": ["a@contoso.com"]})
    budget = run.one(BUDGET)
    assert budget.inputs["timePeriod"]["startDate"].endswith("-01T00:00:00Z")
    assert budget.ignore_changes == ["timePeriod"]


# -- diagnostics ---------------------------------------------------------------------------


def test_diagnostics_on_everything_that_supports_them(max_run):
    logs = max_run.one(LOGS)
    assert logs.inputs["retentionInDays"] == 90
    settings = {r.inputs["resourceUri"]: r.inputs for r in max_run.by_type(DIAGNOSTIC)}
    storage = max_run.one(STORAGE).id
    sources = [max_run.one(WORKSPACE, kind="Hub").id, max_run.one(ACCOUNT).id, max_run.one(VAULT).id,
               *(w.id for w in max_run.by_type(WORKSPACE) if w.inputs["kind"] == "Project")]
    for source in sources:
        assert settings[source]["logs"] == [{"categoryGroup": "allLogs", "enabled": True}], source
        assert settings[source]["metrics"] == [{"category": "AllMetrics", "enabled": True}], source
    assert "logs" not in settings[storage] and settings[storage]["metrics"][0]["category"] == "Transaction"
    for service in ("blob", "file"):
        assert settings[f"{storage}/{service}Services/default"]["logs"][0]["categoryGroup"] == "allLogs"
    assert all(s["workspaceId"] == logs.id and s["name"] == "to-log-analytics" for s in settings.values())
    assert len(settings) == len(sources) + 3


def test_registry_diagnostics_in_prod():
    run = run_stack("prod")
    assert run.one(REGISTRY).id in {r.inputs["resourceUri"] for r in run.by_type(DIAGNOSTIC)}


def test_diagnostics_can_be_turned_off():
    run = run_stack(diagnostics={"enabled": False})
    assert run.by_type(DIAGNOSTIC) == []


def test_diagnostics_to_an_existing_workspace():
    from harness import EXISTING

    run = run_stack(dependencies={"applicationInsightsId": EXISTING["insights"]},
                    diagnostics={"logAnalyticsWorkspaceId": EXISTING["logs"]})
    assert {r.inputs["workspaceId"] for r in run.by_type(DIAGNOSTIC)} == {EXISTING["logs"]}


# -- compute instances -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, fields",
    [
        ({}, []),
        ({"name": "ci"}, ["name"]),
        ({"name": "c" * 25}, ["name"]),
        ({"name": "1-compute"}, ["name"]),
        ({"name": "ci_alice"}, ["name"]),
        ({"vm_size": "DS11"}, ["vmSize"]),
        ({"assigned_user_object_id": "alice@contoso.com"}, ["assignedUserObjectId"]),
        ({"idle_shutdown_minutes": "an hour"}, ["idleShutdownMinutes"]),
        # The range is deploy rule DR-03.
        ({"idle_shutdown_minutes": 5}, []),
    ],
)
def test_compute_instance_problems(change, fields):
    good = {"name": "ci-alice", "vm_size": "Standard_DS11_v2",
            "assigned_user_object_id": "aaaaaaaa-0000-4000-8000-000000000001"}
    assert [f for f, _ in compute_instance_problems({**good, **change})] == fields


def test_compute_instances_are_personal_keyless_and_without_ssh(max_run):
    hub = max_run.one(WORKSPACE, kind="Hub")
    alice = max_run.one(COMPUTE, computeName="ci-alice").inputs
    assert alice["workspaceName"] == hub.inputs["workspaceName"] and alice["location"] == "westeurope"
    assert alice["properties"] == {
        "computeType": "ComputeInstance",
        "disableLocalAuth": True,
        "properties": {
            "vmSize": "Standard_DS11_v2",
            "computeInstanceAuthorizationType": "personal",
            "applicationSharingPolicy": "Personal",
            "enableSSO": True,
            "personalComputeInstanceSettings": {
                "assignedUser": {"objectId": "aaaaaaaa-0000-4000-8000-000000000001", "tenantId": MOCK_TENANT}},
            "idleTimeBeforeShutdown": "PT30M",
            "sshSettings": {"sshPublicAccess": "Disabled"},
        },
    }
    bob = max_run.one(COMPUTE, computeName="ci-bob").inputs["properties"]["properties"]
    assert bob["idleTimeBeforeShutdown"] == "PT60M"
    assert bob["personalComputeInstanceSettings"]["assignedUser"]["objectId"] == "aaaaaaaa-0000-4000-8000-000000000004"


def test_compute_instances_get_no_public_ip_when_the_hub_is_isolated():
    ci = [{"name": "ci-alice", "vmSize": "Standard_DS11_v2", "assignedUserObjectId": "aaaaaaaa-0000-4000-8000-000000000001"}]
    isolated = run_stack("prod", computeInstances=ci).one(COMPUTE).inputs["properties"]["properties"]
    assert isolated["enableNodePublicIp"] is False
