"""Deploy rules (components/deploy_rules.py): each pass / fail / not applicable, then through config and AIHub."""

import pytest
from harness import BUDGET, COMPUTE, DEPLOYMENT, DIAGNOSTIC, ROOT, WORKSPACE, run_stack

from components import AIHub
from components.deploy_rules import (
    DEPLOY_RULES,
    FOUNDRY,
    HUB,
    DeployContext,
    deploy_problems,
    foundry_deploy_problems,
)
from config import ConfigError, arg_key_path, parse
from offline.engine import MOCK_SUBSCRIPTION, run

HERE = DeployContext(subscription_id=MOCK_SUBSCRIPTION)
OTHER_SUB = "33333333-3333-3333-3333-333333333333"
VAULT_HERE = f"/subscriptions/{MOCK_SUBSCRIPTION}/resourceGroups/kv-rg/providers/Microsoft.KeyVault/vaults/kv"
VAULT_THERE = f"/subscriptions/{OTHER_SUB}/resourceGroups/kv-rg/providers/Microsoft.KeyVault/vaults/kv"
FQDN = {"name": "pypi", "type": "FQDN", "fqdn": "pypi.org"}
TAG = {"name": "monitor", "type": "ServiceTag", "service_tag": "AzureMonitor", "protocol": "TCP", "port_ranges": "443"}
PE = {"name": "search", "type": "PrivateEndpoint", "service_resource_id": "/subscriptions/x", "subresource_target": "blob"}


def injected(agent, vnet=None, subnet=None, location="swedencentral"):
    """Foundry resource arguments with an agent subnet to create, and a VNet for the private endpoints."""
    endpoints = {k: v for k, v in (("vnet_address_prefix", vnet), ("subnet_prefix", subnet)) if v}
    return {"location": location, "agent_subnet": {"prefix": agent}, **({"private_endpoints": endpoints}
                                                                        if endpoints else {})}


KEY = {"encryption": {"key_vault_id": VAULT_HERE, "key_name": "cmk"}}


def network(mode, *rules, **extra):
    return {"managed_network": {"isolation_mode": mode, "outbound_rules": list(rules), **extra}}


# rule ID -> [(arguments, context, expected argument paths)]: passes, fails, and cases where it doesn't apply.
CASES = {
    "DR-01": [
        (network("AllowOnlyApprovedOutbound", FQDN, TAG, PE), HERE, []),
        (network("AllowInternetOutbound", PE), HERE, []),
        (network("AllowInternetOutbound", PE, TAG, FQDN), HERE,
         ["managed_network.outbound_rules[1].type", "managed_network.outbound_rules[2].type"]),
        (network("Disabled", PE), HERE, ["managed_network.outbound_rules[0].type"]),
        ({}, HERE, []),
    ],
    "DR-02": [
        (network("AllowOnlyApprovedOutbound", firewall_sku="Standard", provision_now=True), HERE, []),
        (network("AllowInternetOutbound", firewall_sku="Basic"), HERE, ["managed_network.firewall_sku"]),
        (network("Disabled", provision_now=True), HERE, ["managed_network.provision_now"]),
        ({}, HERE, []),
    ],
    "DR-03": [
        ({"compute_instances": [{"idle_shutdown_minutes": 15}, {"idle_shutdown_minutes": 4320}]}, HERE, []),
        ({"compute_instances": [{"idle_shutdown_minutes": 14}, {"idle_shutdown_minutes": 4321}]}, HERE,
         ["compute_instances[0].idle_shutdown_minutes", "compute_instances[1].idle_shutdown_minutes"]),
        ({"compute_instances": [{}]}, HERE, []),  # the default, 60
        ({}, HERE, []),
    ],
    "DR-04": [
        ({"budget": {"thresholds": [10, 20, 30, 40, 50]}}, HERE, []),
        ({"budget": {"thresholds": [10, 20, 30, 40, 50, 60]}}, HERE, ["budget.thresholds"]),
        ({}, HERE, []),
    ],
    "DR-05": [
        ({"encryption": {"service_side": True}}, HERE, []),
        ({"encryption": {"service_side": True}, "public_network_access": "Disabled"}, HERE,
         ["encryption.service_side"]),
        ({"encryption": {"service_side": True, "key_vault_id": VAULT_HERE}, "public_network_access": "Disabled"},
         HERE, []),
        ({"encryption": {}, "public_network_access": "Disabled"}, HERE, []),
    ],
    "DR-07": [
        (network("AllowOnlyApprovedOutbound", FQDN, PE), HERE, []),
        (network("AllowOnlyApprovedOutbound", FQDN, {"name": "st", "type": "FQDN",
                                                      "fqdn": "stdata.blob.core.windows.net"}), HERE,
         ["managed_network.outbound_rules[1].fqdn"]),
        ({}, HERE, []),
    ],
    "DR-08": [
        (injected("192.168.0.0/24"), HERE, []),
        (injected("192.168.0.0/27"), HERE, []),
        (injected("192.168.0.0/28"), HERE, ["agent_subnet.prefix"]),
        ({"agent_subnet": {"subnet_id": "/subscriptions/x"}}, HERE, []),  # brought: Azure checks it
        ({}, HERE, []),
    ],
    "DR-09": [
        (injected("192.168.0.0/24", "192.168.0.0/16", "192.168.1.0/24"), HERE, []),
        (injected("172.16.0.0/24", "172.16.0.0/16"), HERE, []),
        (injected("20.1.0.0/24", "20.1.0.0/16", "20.1.1.0/24"), HERE,
         ["agent_subnet.prefix", "private_endpoints.vnet_address_prefix", "private_endpoints.subnet_prefix"]),
        (injected("172.31.0.0/24", "172.16.0.0/12"), HERE,
         ["agent_subnet.prefix", "private_endpoints.vnet_address_prefix"]),
        (injected("172.30.4.0/24"), HERE, ["agent_subnet.prefix"]),
        # Without network injection the private endpoints' VNet is the hub's business as before.
        ({"private_endpoints": {"vnet_address_prefix": "172.31.0.0/16"}}, HERE, []),
        ({}, HERE, []),
    ],
    "DR-10": [
        (injected("10.20.0.0/24", "10.20.0.0/16"), HERE, []),  # Sweden Central takes class A
        (injected("10.20.0.0/24", "10.20.0.0/16", location="West US 3"), HERE, []),
        (injected("10.20.0.0/24", "10.20.0.0/16", location="westeurope"), HERE, []),  # listed since
        (injected("10.20.0.0/24", "10.20.0.0/16", location="northeurope"), HERE,
         ["agent_subnet.prefix", "private_endpoints.vnet_address_prefix"]),
        (injected("192.168.0.0/24", location="northeurope"), HERE, []),
        ({"location": "northeurope"}, HERE, []),
    ],
    "DR-11": [
        (injected("192.168.0.0/24", "192.168.0.0/16", "192.168.1.0/24"), HERE, []),
        (injected("192.168.0.0/24", "10.0.0.0/16", "10.0.1.0/24"), HERE, ["agent_subnet.prefix"]),
        (injected("192.168.1.0/25", "192.168.0.0/16", "192.168.1.0/24"), HERE, ["agent_subnet.prefix"]),
        (injected("192.168.0.0/24"), HERE, []),  # the VNet is brought with the endpoints' subnet
        ({}, HERE, []),
    ],
    "DR-12": [
        (KEY, DeployContext(cmk_key={"kty": "RSA", "keySize": 2048}), []),
        (KEY, DeployContext(cmk_key={"kty": "RSA-HSM", "keySize": 2048}), []),
        (KEY, DeployContext(cmk_key={"kty": "RSA", "keySize": 3072}), ["encryption.key_name"]),
        (KEY, DeployContext(cmk_key={"kty": "RSA", "keySize": 1024}), ["encryption.key_name"]),
        (KEY, DeployContext(cmk_key={"kty": "EC", "crv": "P-256"}), ["encryption.key_name"]),
        (KEY, HERE, []),  # Key Vault hasn't answered yet
        ({}, DeployContext(cmk_key={"kty": "EC"}), []),
    ],
    "DR-06": [
        ({"encryption": {"key_vault_id": VAULT_HERE}}, HERE, []),
        ({"encryption": {"key_vault_id": VAULT_THERE}}, HERE, ["encryption.key_vault_id"]),
        ({"encryption": {"key_vault_id": VAULT_THERE}}, DeployContext(), []),  # subscription unknown
        ({}, HERE, []),
    ],
}


def test_every_rule_has_cases_and_cites_its_source():
    assert [r.id for r in DEPLOY_RULES] == sorted(CASES)
    for rule in DEPLOY_RULES:
        assert rule.title and rule.why and rule.source, rule.id


@pytest.mark.parametrize(
    "rule_id, args, context, paths",
    [(rule_id, *case) for rule_id, cases in CASES.items() for case in cases],
)
def test_rule(rule_id, args, context, paths):
    rule = next(r for r in DEPLOY_RULES if r.id == rule_id)
    assert [path for path, _ in rule.check(args, context)] == paths


def test_each_platform_is_judged_by_its_own_rules():
    platforms = {r.id: r.platforms for r in DEPLOY_RULES}
    assert platforms["DR-04"] == (HUB, FOUNDRY) and platforms["DR-06"] == (HUB,) and platforms["DR-08"] == (FOUNDRY,)
    # A Foundry key vault may be in another subscription (Learn encryption-keys-portal): DR-06 is the hub's alone.
    foundry = {**injected("172.31.0.0/28"), "encryption": {"key_vault_id": VAULT_THERE},
               "budget": {"thresholds": [1, 2, 3, 4, 5, 6]}}
    assert [(r, p) for r, p, _ in foundry_deploy_problems(foundry, HERE)] == [
        ("DR-04", "budget.thresholds"), ("DR-08", "agent_subnet.prefix"), ("DR-09", "agent_subnet.prefix")]
    assert [r for r, _, _ in deploy_problems(foundry, HERE)] == ["DR-04", "DR-06"]


@pytest.mark.parametrize(
    "arg_path, key_path",
    [
        ("managed_network.outbound_rules[2].type", "azure-ai-hub:network.outboundRules[2].type"),
        ("compute_instances[0].idle_shutdown_minutes", "azure-ai-hub:computeInstances[0].idleShutdownMinutes"),
        ("encryption.key_vault_id", "azure-ai-hub:encryption.keyVaultId"),
        ("budget.thresholds", "azure-ai-hub:budget.thresholds"),
        ("public_network_access", "azure-ai-hub:network.publicNetworkAccess"),
        ("managed_network.outbound_rules[1].fqdn", "azure-ai-hub:network.outboundRules[1].destination"),
        ("managed_network.outbound_rules[0].service_resource_id",
         "azure-ai-hub:network.outboundRules[0].destination.serviceResourceId"),
    ],
)
def test_argument_paths_map_to_config_keys(arg_path, key_path):
    assert arg_key_path(arg_path) == key_path


def test_config_reports_violations_by_key_path_and_rule():
    base = {"azure-native:location": "westeurope", "azure-ai-hub:hub": '{"name": "contoso-ai"}'}
    raw = base | {
        "azure-ai-hub:network": '{"isolationMode": "AllowInternetOutbound", "outboundRules": [{"name": "m", '
                                '"type": "ServiceTag", "destination": {"serviceTag": "AzureMonitor", '
                                '"protocol": "TCP", "portRanges": "443"}}]}',
        "azure-ai-hub:encryption": f'{{"keyVaultId": "{VAULT_THERE}", "keyName": "k"}}',
        "azure-ai-hub:budget": '{"amount": 10, "thresholds": [1, 2, 3, 4, 5, 6], "contactEmails": ["a@b.org"]}',
    }
    with pytest.raises(ConfigError) as caught:
        parse(raw, context=HERE)
    found = {path: reason for path, reason in caught.value.problems}
    assert found["azure-ai-hub:network.outboundRules[0].type"].startswith("DR-01: ServiceTag rules need")
    assert found["azure-ai-hub:encryption.keyVaultId"].startswith("DR-06: ")
    assert found["azure-ai-hub:budget.thresholds"].startswith("DR-04: ")


def test_the_stack_refuses_before_registering_anything():
    run = run_stack("dev", check=False, computeInstances=[
        {"name": "ci-alice", "vmSize": "Standard_DS11_v2", "assignedUserObjectId":
         "aaaaaaaa-0000-4000-8000-000000000001", "idleShutdownMinutes": 10080}])
    assert isinstance(run.error, ConfigError)
    assert "azure-ai-hub:computeInstances[0].idleShutdownMinutes: DR-03" in str(run.error)
    assert [r.type for r in run.registrations] == ["pulumi:pulumi:Stack"]


def test_aihub_refuses_before_registering_anything():
    def program():
        AIHub("hub", {"name": "contoso-ai", "resource_group_name": "rg", "location": "westeurope",
                      "encryption": {"key_vault_id": VAULT_THERE, "key_name": "k"}})

    result = run(program, {"azure-native:location": "westeurope"}, project="test", stack="unit", check=False)
    assert "encryption.key_vault_id: DR-06" in str(result.error)
    assert [r.type for r in result.registrations] == ["pulumi:pulumi:Stack"]


def test_every_stack_in_the_repo_renders_with_no_violation():
    for stack in ("dev", "prod"):
        run_stack(stack)  # raises ConfigError on any violation


def test_every_scenario_stack_renders_with_no_violation():
    for scenario in sorted((ROOT / "tests" / "stacks").glob("*.yaml")):
        run_stack(scenario.stem)  # raises ConfigError on any violation


def test_private_internet_outbound_scenario():
    """A private hub on AllowInternetOutbound, on a central account in another subscription: what Azure needs."""
    run = run_stack("private-internet-outbound")
    hub = run.one(WORKSPACE, kind="Hub")
    rules = hub.inputs["managedNetwork"]["outboundRules"]
    # Azure adds rules for the hub's defaults only; the private provider and search need rules of their own.
    assert {r["destination"]["subresourceTarget"] for r in rules.values()} == {"account", "searchService"}
    assert hub.inputs["identity"]["type"] == "UserAssigned" and hub.inputs["primaryUserAssignedIdentity"]
    (arm,) = [r for r in run.registrations if r.type == "pulumi:providers:azure-native"]
    assert arm.inputs["subscriptionId"] == "44444444-4444-4444-4444-444444444444"
    assert run.one(DEPLOYMENT).provider.startswith(arm.urn)
    # Diagnostics go to the workspace behind the existing Application Insights.
    assert {d.inputs["workspaceId"] for d in run.by_type(DIAGNOSTIC)} == {
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/monitoring/providers/"
        "Microsoft.OperationalInsights/workspaces/appi-central-workspace"}
    assert run.one(COMPUTE).inputs["properties"]["properties"]["enableNodePublicIp"] is False
    assert run.one(COMPUTE).inputs["properties"]["properties"]["idleTimeBeforeShutdown"] == "PT4320M"
    assert len(run.one(BUDGET).inputs["notifications"]) == 5
