"""Hazardous changes: pure comparison, and warnings in a run against a previous deployment."""

import pytest
from harness import ROOT, stack_config

from components.hazards import CONSEQUENCES, hazards, retired_names
from offline.engine import run_program

BASE = {"hubName": "hub-x", "providerMode": "aiServices", "customSubdomain": "ais-x-1", "storageAccount": "created st",
        "keyVault": "created kv", "isolationMode": "Disabled", "encryption": "Microsoft-managed keys"}


@pytest.mark.parametrize(
    "key, before, after, hazardous",
    [
        ("providerMode", "openAI", "aiServices", True),
        ("customSubdomain", "ais-x-1", "ais-x-2", True),
        ("storageAccount", "created st", "/subscriptions/x/st", True),
        ("keyVault", "created kv", "/subscriptions/x/kv", True),
        ("encryption", "Microsoft-managed keys", "customer-managed key in the hub's key vault", True),
        ("hubName", "hub-x", "hub-y", True),
        ("hubIdentity", "system-assigned identity", "user-assigned primary identity", True),
        ("isolationMode", "AllowInternetOutbound", "Disabled", True),
        ("isolationMode", "Disabled", "AllowOnlyApprovedOutbound", False),
        ("isolationMode", "AllowInternetOutbound", "AllowOnlyApprovedOutbound", False),
    ],
)
def test_hazards(key, before, after, hazardous):
    found = hazards({**BASE, key: before}, {**BASE, key: after})
    assert [h.key for h in found] == ([key] if hazardous else [])
    if hazardous:
        assert found[0].message == f"hazard: {key} changes from {before!r} to {after!r}: {CONSEQUENCES[key]}"


def test_no_previous_deployment_no_hazards():
    assert hazards(None, BASE) == [] and hazards({}, BASE) == [] and hazards(BASE, BASE) == []


def run_after(previous, **overrides):
    project, config, secrets = stack_config("dev", **overrides)
    return run_program(ROOT / "__main__.py", config, project=project, stack="dev", secret_keys=secrets,
                       previous_outputs=previous)


def test_a_deploy_warns_against_what_was_deployed():
    first = run_after(None)
    assert first.warnings == []
    fingerprint = first.outputs["hazardFingerprint"]
    assert fingerprint["providerMode"] == "aiServices" and fingerprint["isolationMode"] == "Disabled"
    switched = run_after({"hazardFingerprint": fingerprint}, providerMode="openAI")
    keys = sorted(w.split(":")[1].split()[0] for w in switched.warnings if w.startswith("hazard:"))
    assert keys == ["customSubdomain", "providerMode"]


def test_turning_the_managed_network_off_is_called_out():
    on = run_after(None, network={"isolationMode": "AllowInternetOutbound"})
    off = run_after({"hazardFingerprint": on.outputs["hazardFingerprint"]})
    assert any("isolationMode changes from 'AllowInternetOutbound' to 'Disabled'" in w for w in off.warnings)


def test_hazard_checks_can_be_turned_off():
    changed = dict(run_after(None).outputs["hazardFingerprint"], providerMode="openAI")
    assert run_after({"hazardFingerprint": changed}, hazardChecks="false").warnings == []


@pytest.mark.parametrize(("value", "text"), [
    (None, None), ("", None), ("/subscriptions/x/resourceGroups/rg", "/subscriptions/x/resourceGroups/rg"),
])
def test_described_ids(value, text):
    from components.hazards import described

    assert described(value) == text


def test_an_id_from_another_resource_is_described_not_printed_as_an_object():
    import pulumi

    from components.hazards import described

    assert described(pulumi.Output.from_input("x")) == "an ID from another resource"


@pytest.mark.parametrize("previous, current, retired", [
    (None, BASE, ""),
    (BASE, BASE, ""),
    ({**BASE, "keyVault": "created kv-a"}, {**BASE, "keyVault": "created kv-b"}, "kv-a"),
    # A brought vault or an existing account is not the stack's name to give up.
    ({**BASE, "keyVault": "/subscriptions/x/kv"}, {**BASE, "keyVault": "created kv-b"}, ""),
    ({**BASE, "customSubdomain": "existing /subscriptions/x/a"}, BASE, ""),
    ({**BASE, "customSubdomain": "ais-x-0", "retiredNames": "kv-old"}, BASE, "kv-old,ais-x-0"),
    # A name back in use is no longer given up.
    ({**BASE, "retiredNames": "ais-x-1,kv-old"}, BASE, "kv-old"),
])
def test_retired_names(previous, current, retired):
    assert retired_names(previous, current) == retired
