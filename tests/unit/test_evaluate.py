"""Evaluating resources with waivers."""

import pytest

from baseline.evaluate import Waiver, azure_name, evaluate, parse_waivers, unused, waiver_problems
from components.resource_types import STORAGE

OPEN_STORAGE = (STORAGE, "hub-storage", "stdata", {"allowBlobPublicAccess": True})


def test_findings_name_rule_resource_and_reason():
    findings = [f for f in evaluate([OPEN_STORAGE]) if f.rule == "ST-01"]
    assert len(findings) == 1
    assert findings[0].resource == "hub-storage" and findings[0].waived is None
    assert "allowBlobPublicAccess is True" in findings[0].message


@pytest.mark.parametrize("resources", [(), ("hub-storage",), ("stdata",)])
def test_a_waiver_covers_the_whole_stack_or_named_resources(resources):
    waiver = Waiver("ST-01", "public blobs for the demo site", resources)
    (finding,) = [f for f in evaluate([OPEN_STORAGE], [waiver]) if f.rule == "ST-01"]
    assert finding.waived == "public blobs for the demo site"


def test_a_waiver_for_another_resource_or_rule_does_not_cover():
    waivers = [Waiver("ST-01", "only for the other one", ("other",)), Waiver("ST-02", "another rule entirely")]
    (finding,) = [f for f in evaluate([OPEN_STORAGE], waivers) if f.rule == "ST-01"]
    assert finding.waived is None
    assert unused(waivers, evaluate([OPEN_STORAGE], waivers))[0].rule == "ST-01"


@pytest.mark.parametrize(
    "entry, fields",
    [
        ({"rule": "ST-01", "reason": "accepted for the demo"}, []),
        ({"rule": "ST-01", "reason": "accepted for the demo", "resources": ["a"]}, []),
        ({"rule": "ST-99", "reason": "accepted for the demo"}, ["rule"]),
        ({"rule": "ST-01", "reason": "ok"}, ["reason"]),
        ({"rule": "ST-01"}, ["reason"]),
        ({"rule": "ST-01", "reason": "accepted for the demo", "resources": "a"}, ["resources"]),
        ({"rule": "ST-01", "reason": "accepted for the demo", "until": "2027"}, ["until"]),
        ("ST-01", [""]),
    ],
)
def test_waiver_problems(entry, fields):
    assert [f for f, _ in waiver_problems(entry)] == fields


def test_parse_waivers_keeps_the_valid_ones():
    assert parse_waivers([{"rule": "ST-01", "reason": " accepted for the demo "}, {"rule": "nope"}]) == [
        Waiver("ST-01", "accepted for the demo")]


def test_azure_name_prefers_the_childs_own_name():
    assert azure_name({"accountName": "ais", "deploymentName": "gpt"}) == "gpt"
    assert azure_name({"resourceGroupName": "rg"}) == "rg"


@pytest.mark.parametrize(("inputs", "name"), [
    ({"accountName": "ais", "projectName": "proj-a"}, "proj-a"),
    ({"accountName": "ais", "projectName": "proj-a", "connectionName": "proj-a-cosmos"}, "proj-a-cosmos"),
    ({"accountName": "ais", "projectName": "proj-a", "capabilityHostName": "caphost-a"}, "caphost-a"),
    ({"accountName": "ais", "capabilityHostName": "caphost"}, "caphost"),
    ({"accountName": "cosmos-x", "roleAssignmentId": "g-u-i-d"}, "g-u-i-d"),
    ({"searchServiceName": "srch-x", "resourceGroupName": "rg"}, "srch-x"),
])
def test_azure_name_of_the_foundry_types(inputs, name):
    assert azure_name(inputs) == name
