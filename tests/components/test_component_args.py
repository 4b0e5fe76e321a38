"""Components defend themselves: bad Args are one ArgsError naming each argument path, before anything registers.

Table-driven over the pure checks (no mocks), plus one run under mocks per
component proving nothing at all is registered, and Outputs where an argument
can come from another resource.
"""

import re

import pulumi
import pytest
from harness import CONNECTION, ENDPOINT, ROLE, WORKSPACE, run_component

from components import AIHub, AIHubArgs, AIProject, AIProjectArgs, PrivateNetwork, SharedConnection
from components.checks import arg_path, hub_problems, private_network_problems, project_problems
from components.private_network import PrivateNetworkArgs
from components.resource_types import VNET_LINK
from components.shared_connection import SharedConnectionArgs
from components.validation import ArgsError, typeddict_problems

SUB = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/shared-rg/providers"
SUBNET = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe"
VAULT = f"{SUB}/Microsoft.KeyVault/vaults/shared-kv"
ACCOUNT = f"{SUB}/Microsoft.CognitiveServices/accounts/shared-ais"
HUB_ID = f"{SUB}/Microsoft.MachineLearningServices/workspaces/hub-x"
MEMBER = "aaaaaaaa-0000-4000-8000-000000000001"

HUB = {"name": "contoso-ai", "resource_group_name": "rg", "location": "westeurope"}
PROJECT = {"workspace_name": "proj-x", "hub_id": HUB_ID, "resource_group_name": "rg", "location": "westeurope"}
CONN = {"name": "feed", "category": "PythonFeed", "target": "https://pypi.org/simple", "auth_type": "None",
        "workspace_name": "hub-x", "resource_group_name": "rg"}
NETWORK = {"name": "x", "resource_group_name": "rg", "location": "westeurope", "subnet_id": SUBNET,
           "targets": [{"name": "hub", "resource_id": HUB_ID, "group_id": "amlworkspace"}]}


def problems(args_type, meaning, args):
    found = typeddict_problems(args, args_type)
    return found or meaning(args)


def shared_connection(args):
    from components.checks import shared_connection_problems

    return shared_connection_problems(args)


BAD = [
    # (component, changes, expected path, a phrase of the reason)
    ("hub", {"name": "Team_AI!!"}, "name", "lowercase letters, digits and single hyphens"),
    ("hub", {"nmae": "x"}, "nmae", "unknown argument (did you mean 'name'?"),
    ("hub", {"unique_suffix": "Ab-1"}, "unique_suffix", "4 to 12 lowercase letters and digits"),
    ("hub", {"name_generation": -1}, "name_generation", "must be 0 to 999"),
    ("hub", {"location": 5}, "location", "must be a string"),
    ("hub", {"provider_mode": "speech"}, "provider_mode", "must be one of aiServices, openAI"),
    ("hub", {"public_network_access": "Off"}, "public_network_access", "must be one of Enabled, Disabled"),
    ("hub", {"storage_sku": "Premium_LRS"}, "storage_sku", "must be one of Standard_LRS"),
    ("hub", {"container_registry_sku": "Classic"}, "container_registry_sku", "must be one of Basic, Standard, Premium"),
    ("hub", {"model_deployments": [{"name": "g", "model": "m", "version": "1", "sku": "Free"}]},
     "model_deployments[0].sku", "must be one of Standard, GlobalStandard"),
    ("hub", {"managed_network": {"isolation_mode": "AllowOnlyApprovedOutbound", "outbound_rules": [
        {"name": "dns", "type": "ServiceTag", "service_tag": "AzureDNS", "protocol": "tcp", "port_ranges": "53"}]}},
     "managed_network.outbound_rules[0].protocol", "must be one of TCP, UDP, ICMP, *"),
    ("hub", {"policy_assignments": [{"name": "p1", "enforcement_mode": "Enroll", "definition_id":
             "/providers/Microsoft.Authorization/policyDefinitions/438c38d2-3772-465a-a9cc-7a6666a275ce"}]},
     "policy_assignments[0].enforcement_mode", "must be one of Default, DoNotEnforce"),
    ("hub", {"existing_provider_account_id": f"{SUB}/Microsoft.Storage/storageAccounts/st"},
     "existing_provider_account_id", "must be the ID of a Microsoft.CognitiveServices/accounts resource"),
    ("hub", {"key_vault_id": "kv-somewhere"}, "key_vault_id", "is not an Azure resource ID"),
    ("hub", {"log_retention_days": 7}, "log_retention_days", "30 to 730"),
    ("hub", {"diagnostics": "yes"}, "diagnostics", "must be true or false"),
    ("hub", {"compute_instances": [{"name": "ci-one", "vm_size": "Standard_DS11_v2",
                                    "assigned_user_object_id": MEMBER, "idle_shutdown_minutes": 5000}]},
     "compute_instances[0].idle_shutdown_minutes", "DR-03: must be 15 to 4320 minutes"),
    ("hub", {"connections": [{"name": "x1", "category": "Weather", "target": "https://w.example.com"}]},
     "connections[0].category", "'Weather'"),
    ("hub", {"connections": [{"name": "docs", "category": "AzureBlob", "target": "https://st.blob.core.windows.net",
                              "resource_id": f"{SUB}/Microsoft.Storage/storageAccounts/st"}]},
     "connections[0].metadata.ContainerName", "is required for AzureBlob connections"),
    ("hub", {"connections": [{"name": "w1", "category": "ApiKey", "target": "https://w.example.com",
                              "auth_type": "ApiKey"}]}, "connections[0].api_key", "is required for auth_type ApiKey"),
    ("hub", {"connections": [{"name": "w1", "category": "ApiKey", "target": "http://w.example.com",
                              "api_key": "k"}]}, "connections[0].target", "must be an https:// URL"),
    ("hub", {"connections": [{"name": "s1", "category": "CognitiveSearch", "target": "https://s.example.com",
                              "resource_id": ACCOUNT, "authtype": "AAD"}]}, "connections[0].authtype",
     "did you mean 'auth_type'?"),
    ("hub", {"connections": [{"name": "f1", "category": "PythonFeed", "target": "https://pypi.org/simple"}] * 2},
     "connections[1].name", "is used twice"),
    ("hub", {"private_endpoints": {"vnet_address_prefix": "10.0.0.0/16", "subnet_prefix": "10.1.0.0/24"}},
     "private_endpoints.subnet_prefix", "is not inside the virtual network's 10.0.0.0/16"),
    ("hub", {"private_endpoints": {"subnet_id": "snet-pe"}}, "private_endpoints.subnet_id", "is not a subnet ID"),
    ("hub", {"private_endpoints": {}}, "private_endpoints.subnet_id", "private endpoints need a subnet"),
    ("hub", {"private_endpoints": {"subnet_id": SUBNET, "private_dns_zone_ids": {"privatelink.blob.core.windows.net":
             f"{SUB}/Microsoft.Network/privateDnsZones/privatelink.file.core.windows.net"}}},
     "private_endpoints.private_dns_zone_ids.privatelink.blob.core.windows.net", "is the ID of zone"),
    ("hub", {"managed_network": {"isolation_mode": "AllowInternetOutbound",
                                 "outbound_rules": [{"name": "pypi", "type": "FQDN", "fqdn": "pypi.org"}]}},
     "managed_network.outbound_rules[0].type", "FQDN rules need isolationMode AllowOnlyApprovedOutbound"),
    ("hub", {"managed_network": {"isolation_mode": "AllowOnlyApprovedOutbound",
                                 "outbound_rules": [{"name": "st", "type": "PrivateEndpoint",
                                                     "service_resource_id": ACCOUNT, "subresource_target": "web"}]}},
     "managed_network.outbound_rules[0].subresource_target", "must be one of"),
    ("hub", {"managed_network": {"isolation_mode": "Disabled", "firewall_sku": "Standard"}},
     "managed_network.firewall_sku", "DR-02: an Azure Firewall only comes with isolationMode AllowOnlyApprovedOutbound"),
    ("hub", {"managed_network": {"isolation": "Disabled"}}, "managed_network.isolation_mode", "is required"),
    ("hub", {"encryption": {"key_version": "0" * 32}}, "encryption.key_version", "needs key_name"),
    ("hub", {"policy_assignments": [{"name": "p1", "definition_id": "deny-public"}]},
     "policy_assignments[0].definition_id", "is not a policy definition"),
    ("hub", {"budget": {"amount": 100, "thresholds": [80], "contact_emails": ["nobody"]}},
     "budget.contact_emails[0]", "is not an email address"),
    ("hub", {"compute_instances": [{"name": "ci-1", "vm_size": "DS11", "assigned_user_object_id": MEMBER}]},
     "compute_instances[0].vm_size", "must be an Azure VM size"),
    ("hub", {"model_deployments": [{"name": "gpt", "model": "gpt-4o"}]}, "model_deployments[0].version",
     "is required"),
    ("hub", {"tags": {"env": 1}}, "tags.env", "must be a string"),
    ("project", {"workspace_name": "x"}, "workspace_name", "3-33 letters"),
    ("project", {"hub_id": ACCOUNT}, "hub_id", "must be the ID of a Microsoft.MachineLearningServices/workspaces"),
    ("project", {"members": [{"principal_id": "alice"}]}, "members[0].principal_id", "must be an Entra ID object ID"),
    ("project", {"members": [{"principal_id": MEMBER, "principal_type": "Robot"}]}, "members[0].principal_type",
     "must be one of"),
    ("project", {"members": [{"principal_id": MEMBER, "role": "Owner-ish"}]}, "members[0].role", "unknown role"),
    ("project", {"members": [{"principal_id": MEMBER}, {"principal_id": MEMBER.upper()}]},
     "members[1].principal_id", "already has role"),
    ("project", {"provider_role": "Boss"}, "provider_role", "unknown role"),
    ("project", {"members": [{"id": MEMBER}]}, "members[0].id", "unknown argument"),
    ("connection", {"category": "AzureOpenAI"}, "resource_id", "is required for AzureOpenAI connections"),
    ("connection", {"metadata": {"bad key!": "v"}}, "metadata.bad key!", "metadata keys are letters"),
    ("connection", {"api_key": "k"}, "api_key", "is only for auth_type ApiKey, not None"),
    ("connection", {"workspace_name": None}, "workspace_name", "a connection needs one holder"),
    ("network", {"subnet_id": None}, "subnet_id", "private endpoints need a subnet"),
    ("network", {"vnet_address_prefix": "10.0.0.0/16"}, "subnet_id", "give either subnet_id or"),
    ("network", {"targets": [{"name": "hub", "resource_id": HUB_ID, "group_id": "web"}]}, "targets[0].group_id",
     "must be one of"),
    ("network", {"targets": [{"name": "hub", "resource_id": HUB_ID, "group_id": "amlworkspace"}] * 2},
     "targets[1].name", "is used twice"),
]

KINDS = {
    "hub": (HUB, AIHubArgs, hub_problems),
    "project": (PROJECT, AIProjectArgs, project_problems),
    "connection": (CONN, SharedConnectionArgs, shared_connection),
    "network": (NETWORK, PrivateNetworkArgs, private_network_problems),
}


@pytest.mark.parametrize(("kind", "changes", "path", "reason"), BAD, ids=[f"{b[0]}:{b[2]}" for b in BAD])
def test_bad_args_name_the_path_and_the_reason(kind, changes, path, reason):
    base, args_type, meaning = KINDS[kind]
    args = {k: v for k, v in {**base, **changes}.items() if v is not None}
    found = problems(args_type, meaning, args)
    assert any(p == path and reason in r for p, r in found), found


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_good_args_have_no_problems(kind):
    base, args_type, meaning = KINDS[kind]
    assert problems(args_type, meaning, dict(base)) == []


def test_every_problem_at_once():
    found = problems(AIHubArgs, hub_problems, {**HUB, "name": "A", "log_retention_days": 1, "tagz": {}})
    assert {p for p, _ in found} == {"tagz"}  # shape first: meaning is only checked on a well-formed value
    found = problems(AIHubArgs, hub_problems, {**HUB, "name": "A", "log_retention_days": 1})
    assert {p for p, _ in found} == {"name", "log_retention_days"}


@pytest.mark.parametrize(("field", "path"), [
    ("authType", "auth_type"), ("resourceId", "resource_id"), ("metadata.ContainerName", "metadata.ContainerName"),
    ("contactEmails[1]", "contact_emails[1]"), ("destination", "fqdn"),
    ("destination.serviceResourceId", "service_resource_id"), ("principalId", "principal_id"),
])
def test_validator_fields_map_to_argument_paths(field, path):
    assert arg_path("", field) == path
    assert arg_path("connections[2]", field) == f"connections[2].{path}"


def test_plain_strings_and_enum_members_are_both_accepted():
    from pulumi_azure_native import machinelearningservices as ml

    from components import ProviderMode

    for mode, access, isolation in (("openAI", "Disabled", "AllowOnlyApprovedOutbound"),
                                    (ProviderMode.OPEN_AI, ml.PublicNetworkAccessType.DISABLED,
                                     ml.IsolationMode.ALLOW_ONLY_APPROVED_OUTBOUND)):
        args = {**HUB, "provider_mode": mode, "public_network_access": access,
                "managed_network": {"isolation_mode": isolation}}
        assert problems(AIHubArgs, hub_problems, args) == []


def test_enum_members_reach_azure_as_their_values():
    from pulumi_azure_native import machinelearningservices as ml

    def program():
        AIHub("hub", {**HUB, "public_network_access": ml.PublicNetworkAccessType.DISABLED,
                      "connections": [{"name": "feed", "category": ml.ConnectionCategory.PYTHON_FEED,
                                       "target": "https://pypi.org/simple", "auth_type": ml.ConnectionAuthType.NONE}]})

    run = run_component(program)
    feed = next(c for c in run.by_type(CONNECTION) if c.inputs["connectionName"] == "feed")
    assert feed.inputs["properties"]["authType"] == "None" and feed.inputs["properties"]["category"] == "PythonFeed"
    assert next(w for w in run.by_type(WORKSPACE) if w.inputs["kind"] == "Hub").inputs["publicNetworkAccess"] == "Disabled"


def test_outputs_where_an_argument_can_come_from_another_resource():
    later = pulumi.Output.from_input("not-checked-until-known")
    args = {**HUB, "existing_provider_account_id": later, "key_vault_id": later,
            "private_endpoints": {"subnet_id": later, "private_dns_zone_ids": {"privatelink.api.azureml.ms": later}},
            "encryption": {"key_vault_id": later, "key_name": "cmk"},
            "policy_assignments": [{"name": "p", "definition_id": later}],
            "compute_instances": [{"name": "ci-1", "vm_size": "Standard_DS11_v2", "assigned_user_object_id": later}],
            "connections": [{"name": "srch", "category": "CognitiveSearch", "target": later, "resource_id": later}]}
    assert problems(AIHubArgs, hub_problems, args) == []
    assert problems(AIProjectArgs, project_problems, {**PROJECT, "members": [{"principal_id": later}]}) == []


def test_an_output_where_a_plain_value_decides_names_is_refused():
    found = problems(AIHubArgs, hub_problems, {**HUB, "name": pulumi.Output.from_input("x")})
    assert found == [("name", "must be a plain value known now (a string), not an Output")]


# -- under mocks: nothing is registered, and the error is a RunError without a traceback


@pytest.mark.parametrize(("component", "args", "path"), [
    (AIHub, {**HUB, "connections": [{"name": "docs", "category": "AzureBlob", "target": "https://s.example.com",
                                      "resource_id": f"{SUB}/Microsoft.Storage/storageAccounts/st"}]},
     "connections[0].metadata.ContainerName"),
    (AIProject, {**PROJECT, "members": [{"principal_id": "alice"}]}, "members[0].principal_id"),
    (SharedConnection, {**CONN, "category": "Weather"}, "category"),
    (PrivateNetwork, {**NETWORK, "subnet_id": "nope"}, "subnet_id"),
], ids=["AIHub", "AIProject", "SharedConnection", "PrivateNetwork"])
def test_nothing_is_registered_when_args_are_bad(component, args, path):
    from offline.engine import run

    result = run(lambda: component("bad", args), {"azure-native:location": "westeurope"}, project="test",
                 stack="unit", check=False)
    assert isinstance(result.error, ArgsError) and isinstance(result.error, pulumi.RunError)
    assert re.search(rf"^  {re.escape(path)}: ", str(result.error), re.MULTILINE), str(result.error)
    assert str(result.error).startswith(f"invalid args for {component.__name__} 'bad'")
    assert result.registrations == [] or [r.type for r in result.registrations] == ["pulumi:pulumi:Stack"]


def test_an_output_subnet_and_member_reach_the_resources():
    subnet = pulumi.Output.from_input(SUBNET)
    member = pulumi.Output.from_input(MEMBER.upper())

    def program():
        PrivateNetwork("pn", {**NETWORK, "subnet_id": subnet})
        AIProject("p", {**PROJECT, "members": [{"principal_id": member}], "provider_account_id": ACCOUNT})

    run = run_component(program)
    (endpoint,) = run.by_type(ENDPOINT)
    assert endpoint.inputs["subnet"]["id"] == SUBNET
    link = run.by_type(VNET_LINK)[0]
    assert link.inputs["virtualNetwork"] == {"id": SUBNET.rsplit("/subnets/", 1)[0]}
    grants = [g for g in run.by_type(ROLE) if g.inputs["principalId"] == MEMBER]
    assert {g.name for g in grants} == {"p-member-input-0-azure-ai-developer"}
    assert run.one(WORKSPACE).inputs["workspaceName"] == "proj-x"


def test_an_output_provider_account_is_parsed_once_known():
    account = pulumi.Output.from_input(ACCOUNT)

    def program():
        AIHub("hub", {**HUB, "existing_provider_account_id": account, "key_vault_id": pulumi.Output.from_input(VAULT),
                      "encryption": {"key_vault_id": pulumi.Output.from_input(VAULT), "key_name": "cmk",
                                     "key_version": "0" * 32}})

    run = run_component(program)
    names = {c.inputs["connectionName"] for c in run.by_type(CONNECTION)}
    assert names == {"shared-ais"}
    hub = next(w for w in run.by_type(WORKSPACE) if w.inputs["kind"] == "Hub")
    assert hub.inputs["keyVault"] == VAULT
    key = hub.inputs["encryption"]["keyVaultProperties"]
    assert key == {"keyVaultArmId": VAULT, "keyIdentifier": f"https://shared-kv.vault.azure.net/keys/cmk/{'0' * 32}"}


# -- one set of validators, two mappings: the stack config and the components agree

SAME = [
    # (config key: value, config path, argument: value, argument path)
    ("connections", [{"name": "docs", "category": "AzureBlob", "target": "https://st.blob.core.windows.net",
                      "resourceId": f"{SUB}/Microsoft.Storage/storageAccounts/st"}],
     "azure-ai-hub:connections[0].metadata.ContainerName",
     {"connections": [{"name": "docs", "category": "AzureBlob", "target": "https://st.blob.core.windows.net",
                       "resource_id": f"{SUB}/Microsoft.Storage/storageAccounts/st"}]},
     "connections[0].metadata.ContainerName"),
    ("hub", {"name": "Team_AI!!"}, "azure-ai-hub:hub.name", {"name": "Team_AI!!"}, "name"),
    ("network", {"isolationMode": "AllowInternetOutbound",
                 "outboundRules": [{"name": "pypi", "type": "FQDN", "destination": "pypi.org"}]},
     "azure-ai-hub:network.outboundRules[0].type",
     {"managed_network": {"isolation_mode": "AllowInternetOutbound",
                          "outbound_rules": [{"name": "pypi", "type": "FQDN", "fqdn": "pypi.org"}]}},
     "managed_network.outbound_rules[0].type"),
    ("computeInstances", [{"name": "ci-1", "vmSize": "DS11", "assignedUserObjectId": MEMBER}],
     "azure-ai-hub:computeInstances[0].vmSize",
     {"compute_instances": [{"name": "ci-1", "vm_size": "DS11", "assigned_user_object_id": MEMBER}]},
     "compute_instances[0].vm_size"),
    ("budget", {"amount": 10, "thresholds": [80], "contactEmails": ["nobody"]}, "azure-ai-hub:budget.contactEmails[0]",
     {"budget": {"amount": 10, "thresholds": [80], "contact_emails": ["nobody"]}}, "budget.contact_emails[0]"),
]


@pytest.mark.parametrize(("key", "value", "config_path", "changes", "arg_path"), SAME, ids=[s[0] for s in SAME])
def test_config_and_components_give_the_same_reason(key, value, config_path, changes, arg_path):
    import json

    from config import ConfigError, parse

    raw = {"azure-native:location": "swedencentral", "azure-ai-hub:hub": json.dumps({"name": "contoso-ai"}),
           f"azure-ai-hub:{key}": json.dumps(value)}
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    from_config = dict(caught.value.problems)
    from_args = dict(problems(AIHubArgs, hub_problems, {**HUB, **changes}))
    assert from_config[config_path] == from_args[arg_path]


def test_none_for_an_optional_argument_means_not_given():
    from components.validation import check_args

    checked = check_args("AIHub", "hub", {**HUB, "storage_sku": None, "tags": {"env": "dev"}}, AIHubArgs, hub_problems)
    assert "storage_sku" not in checked and checked["tags"] == {"env": "dev"}


@pytest.mark.parametrize("changes", [{"location": None}, {"tags": {"env": None}},
                                     {"connections": [{"name": "feed", "category": "PythonFeed", "target": None}]}])
def test_none_where_a_value_is_required_is_refused(changes):
    found = typeddict_problems({**HUB, **changes}, AIHubArgs)
    assert found and all("not NoneType None" in reason for _, reason in found), found
