"""The components as a multi-language package: inferred schema and the hosted construct path."""

import importlib.util
import json
import subprocess
import sys

import pulumi
import pytest
from harness import ACCOUNT, CONNECTION, DEPLOYMENT, ENDPOINT, HUB, PROJECT, ROLE, ROOT, WORKSPACE, run_component

# The host module is provider/__main__.py, loaded by path (a `__main__` can't be imported by name).
_spec = importlib.util.spec_from_file_location("aihub_host", ROOT / "provider" / "__main__.py")
host = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(host)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def schema():
    """The schema as a host process infers it when it starts: in a process of its own. (In this test session the
    SDK's analyzer, which reads each class's source for its attribute docstrings and caches them by class name,
    now and then lost a few descriptions; a fresh process, as `pulumi package add` starts, never did.)"""
    code = ("import importlib.util, sys; sys.argv = ['host']; "
            f"spec = importlib.util.spec_from_file_location('aihub_host', {str(ROOT / 'provider' / '__main__.py')!r}); "
            "host = importlib.util.module_from_spec(spec); spec.loader.exec_module(host); "
            "print(host.Provider().schema)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


EXPECTED = {
    "aihub:index:AIHub": (
        {"name", "resourceGroupName", "location"},
        {"uniqueSuffix", "nameGeneration", "friendlyName", "description", "providerMode", "existingProviderAccountId", "allowProjectManagement", "modelDeployments",
         "storageAccountId", "keyVaultId", "applicationInsightsId", "containerRegistryId", "createContainerRegistry",
         "containerRegistrySku", "publicNetworkAccess", "managedNetwork", "privateEndpoints", "encryption",
         "connections", "projectConnections", "diagnostics", "diagnosticsWorkspaceId", "applicationInsightsEntraOnly", "logRetentionDays", "policyAssignments", "budget",
         "computeInstances", "users", "storageSku", "protect", "retainOnDelete", "locks", "tags"},
        {"hubId", "hubName", "hubPrincipalId", "providerAccountId", "providerEndpoint", "providerConnectionName",
         "providerInferenceRole", "storageAccountId", "keyVaultId", "applicationInsightsId", "logAnalyticsWorkspaceId",
         "containerRegistryId", "foundryUrl", "portalUrl", "diagnosticsWorkspaceId", "hazardFingerprint"},
    ),
    "aihub:index:AIProject": (
        {"workspaceName", "hubId", "resourceGroupName", "location"},
        {"friendlyName", "description", "members", "connections", "publicNetworkAccess", "providerAccountId",
         "providerRole", "storageAccountId", "storagePrivateEndpointIds", "protect", "diagnosticsWorkspaceId", "tags"},
        {"projectId", "projectName", "principalId", "foundryUrl", "portalUrl"},
    ),
    "aihub:index:SharedConnection": (
        {"name", "category", "target", "resourceGroupName"},
        # The holder: a workspace (hub or hub project), or a Foundry account (and project).
        {"authType", "resourceId", "metadata", "apiKey", "customKeys", "workspaceName", "accountName", "projectName"},
        {"connectionId", "connectionName"},
    ),
    "aihub:index:PrivateNetwork": (
        {"name", "resourceGroupName", "location", "targets"},
        {"subnetId", "vnetAddressPrefix", "subnetPrefix", "privateDnsZoneIds", "adoptFrom", "tags"},
        {"subnetId", "virtualNetworkId", "privateEndpointIds", "privateDnsZoneIds"},
    ),
    "aihub:index:FoundryResource": (
        {"name", "resourceGroupName", "location"},
        {"uniqueSuffix", "nameGeneration", "existingAccountId", "modelDeployments", "connections", "agentSetup",
         "agentStores", "agentSubnet", "publicNetworkAccess", "privateEndpoints", "encryption", "storageSku",
         "diagnostics", "diagnosticsWorkspaceId", "logRetentionDays", "policyAssignments", "budget", "adoptHub",
         "protect", "retainOnDelete", "locks", "tags"},
        {"accountId", "accountName", "endpoint", "principalId", "agentSetup", "cosmosDbAccountId", "cosmosDbEndpoint",
         "searchServiceId", "searchEndpoint", "storageAccountId", "storageBlobEndpoint", "diagnosticsWorkspaceId",
         "foundryUrl", "portalUrl", "hazardFingerprint", "accountCapabilityHostName", "agentSubnetId"},
    ),
    "aihub:index:FoundryProject": (
        {"projectName", "accountName", "accountId", "resourceGroupName", "location"},
        {"displayName", "description", "members", "connections", "agentSetup", "agentStores", "capabilityHostName",
         "protect", "tags"},
        {"projectId", "projectName", "principalId", "endpoint", "foundryUrl", "portalUrl"},
    ),
}


@pytest.mark.parametrize("token", sorted(EXPECTED))
def test_schema_inputs_and_outputs(schema, token):
    required, optional, outputs = EXPECTED[token]
    resource = schema["resources"][token]
    assert resource["isComponent"] is True
    assert set(resource["requiredInputs"]) == required
    assert set(resource["inputProperties"]) == required | optional
    assert set(resource["properties"]) == outputs
    # Every input and output carries its docstring as its description.
    assert not [n for n, p in resource["inputProperties"].items() if not p.get("description")]
    assert not [n for n, p in resource["properties"].items() if not p.get("description")]


def test_schema_types(schema):
    assert schema["name"] == "aihub" and schema["version"] == "0.1.0"
    assert {e["value"] for e in schema["types"]["aihub:index:ProviderMode"]["enum"]} == {"aiServices", "openAI"}
    deployment = schema["types"]["aihub:index:ModelDeploymentArgs"]
    assert set(deployment["required"]) == {"name", "model", "version"}
    # Key material can come from another resource or a secret: an Input, not a plain value.
    api_key = schema["resources"]["aihub:index:SharedConnection"]["inputProperties"]["apiKey"]
    assert "plain" not in api_key


AZURE = "/azure-native/v3.29.0/schema.json#/types/azure-native:"
# Every closed set is an enum in the schema: azure-native's where it has one, the package's own otherwise.
ENUMS = [
    ("aihub:index:AIHub", "providerMode", "#/types/aihub:index:ProviderMode"),
    ("aihub:index:AIHub", "publicNetworkAccess", AZURE + "machinelearningservices:PublicNetworkAccessType"),
    ("aihub:index:AIHub", "storageSku", AZURE + "storage:SkuName"),
    ("aihub:index:AIHub", "containerRegistrySku", AZURE + "containerregistry:SkuName"),
    ("aihub:index:SharedConnection", "category", AZURE + "machinelearningservices:ConnectionCategory"),
    ("aihub:index:SharedConnection", "authType", AZURE + "machinelearningservices:ConnectionAuthType"),
    ("aihub:index:ConnectionArgs", "category", AZURE + "machinelearningservices:ConnectionCategory"),
    ("aihub:index:ConnectionArgs", "authType", AZURE + "machinelearningservices:ConnectionAuthType"),
    ("aihub:index:ManagedNetworkArgs", "isolationMode", AZURE + "machinelearningservices:IsolationMode"),
    ("aihub:index:ManagedNetworkArgs", "firewallSku", AZURE + "machinelearningservices:FirewallSku"),
    ("aihub:index:OutboundRuleArgs", "type", AZURE + "machinelearningservices:RuleType"),
    ("aihub:index:OutboundRuleArgs", "protocol", "#/types/aihub:index:ServiceTagProtocol"),
    ("aihub:index:ProjectMemberArgs", "principalType", AZURE + "authorization:PrincipalType"),
    ("aihub:index:PolicyAssignmentArgs", "enforcementMode", AZURE + "authorization:EnforcementMode"),
    ("aihub:index:BudgetArgs", "timeGrain", AZURE + "consumption:TimeGrainType"),
    ("aihub:index:ModelDeploymentArgs", "sku", "#/types/aihub:index:DeploymentSku"),
]


def _property(schema, owner, name):
    if owner in schema["resources"]:
        return schema["resources"][owner]["inputProperties"][name]
    return schema["types"][owner]["properties"][name]


@pytest.mark.parametrize(("owner", "name", "ref"), ENUMS, ids=[f"{o.rsplit(':', 1)[1]}.{n}" for o, n, _ in ENUMS])
def test_closed_sets_are_enums(schema, owner, name, ref):
    prop = _property(schema, owner, name)
    assert prop["$ref"] == ref and "type" not in prop
    if ref.startswith("#/types/"):
        assert schema["types"][ref.removeprefix("#/types/")]["enum"]
    else:
        assert {"name": "azure-native", "version": "3.29.0"} in schema["dependencies"]


def test_own_enums_list_their_values(schema):
    protocols = schema["types"]["aihub:index:ServiceTagProtocol"]["enum"]
    assert [(e["name"], e["value"]) for e in protocols] == [("TCP", "TCP"), ("UDP", "UDP"), ("ICMP", "ICMP"),
                                                            ("ANY", "*")]
    skus = {e["value"] for e in schema["types"]["aihub:index:DeploymentSku"]["enum"]}
    assert {"Standard", "GlobalStandard", "DataZoneStandard", "ProvisionedManaged"} <= skus


@pytest.mark.parametrize("owner", ["aihub:index:SharedConnection", "aihub:index:ConnectionArgs"])
def test_key_material_is_secret_in_the_schema(schema, owner):
    assert _property(schema, owner, "apiKey")["secret"] is True
    assert _property(schema, owner, "customKeys")["secret"] is True
    assert not _property(schema, owner, "target").get("secret")
    secret = [(o, n) for o, spec in [*schema["resources"].items(), *schema["types"].items()]
              for n, p in (spec.get("inputProperties") or spec.get("properties") or {}).items() if p.get("secret")]
    assert {n for _, n in secret} == {"apiKey", "customKeys"}


def test_enum_strings_from_other_languages_reach_azure_as_values():
    run = construct(HUB, {
        "name": "contoso-ai", "resourceGroupName": "rg", "location": "westeurope", "publicNetworkAccess": "Disabled",
        "managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound", "firewallSku": "Standard",
                           "outboundRules": [{"name": "dns", "type": "ServiceTag", "serviceTag": "AzureDNS",
                                              "protocol": "*", "portRanges": "53"}]},
        "connections": [{"name": "feed", "category": "PythonFeed", "target": "https://pypi.org/simple",
                         "authType": "None"}],
    })
    hub = next(w for w in run.by_type(WORKSPACE) if w.inputs["kind"] == "Hub").inputs
    assert hub["publicNetworkAccess"] == "Disabled"
    assert hub["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    assert hub["managedNetwork"]["outboundRules"]["dns"]["destination"]["protocol"] == "*"
    feed = next(c for c in run.by_type(CONNECTION) if c.inputs["connectionName"] == "feed")
    assert feed.inputs["properties"]["category"] == "PythonFeed"


def test_a_bad_enum_value_from_another_language_is_refused():
    with pytest.raises(Exception, match="storageSku"):
        construct(HUB, {"name": "contoso-ai", "resourceGroupName": "rg", "location": "westeurope",
                        "storageSku": "Premium_LRS "})


def construct(token, inputs):
    def program():
        provider = host.Provider()
        result = provider.construct("hosted", token, inputs, pulumi.ResourceOptions())
        for key, value in result.state.items():
            pulumi.export(key, value)

    return run_component(program)


def test_hosted_hub():
    run = construct(HUB, {
        "name": "contoso-ai", "resourceGroupName": "rg", "location": "westeurope", "providerMode": "openAI",
        "modelDeployments": [{"name": "gpt", "model": "gpt-4o", "version": "2024-11-20"}],
        "connections": [{"name": "feed", "category": "PythonFeed", "target": "https://pypi.org/simple",
                         "authType": "None"}],
    })
    assert run.one(ACCOUNT).inputs["kind"] == "OpenAI"
    assert run.one(DEPLOYMENT).inputs["properties"]["model"]["name"] == "gpt-4o"
    assert {c.inputs["connectionName"] for c in run.by_type(CONNECTION)} == {"oai-contoso-ai", "feed"}
    assert run.outputs["hubId"] == run.one(WORKSPACE).id
    assert run.outputs["hubName"] == "hub-contoso-ai"


def test_hosted_project():
    hub_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/hub-x"
    run = construct(PROJECT, {
        "workspaceName": "proj-x", "hubId": hub_id, "resourceGroupName": "rg", "location": "westeurope",
        "members": [{"principalId": "aaaaaaaa-0000-4000-8000-000000000001", "role": "AzureML Data Scientist"}],
    })
    assert run.one(WORKSPACE).inputs["hubResourceId"] == hub_id
    (grant,) = run.by_type(ROLE)
    assert grant.inputs["roleDefinitionId"].endswith("f6c7c914-8db3-469d-8ca1-694a8f32e121")
    assert run.outputs["projectName"] == "proj-x"


def test_hosted_connection_keeps_its_key_secret():
    from pulumi.runtime import rpc

    run = construct("aihub:index:SharedConnection", {
        "name": "weather", "category": "ApiKey", "target": "https://w.example.com", "authType": "ApiKey",
        "apiKey": pulumi.Output.secret("k-1"), "workspaceName": "hub-x", "resourceGroupName": "rg",
    })
    assert rpc.is_rpc_secret(run.one(CONNECTION).inputs["properties"])
    assert run.outputs["connectionName"] == "weather"


def test_hosted_private_network():
    run = construct("aihub:index:PrivateNetwork", {
        "name": "x", "resourceGroupName": "rg", "location": "westeurope",
        "vnetAddressPrefix": "10.1.0.0/16", "subnetPrefix": "10.1.0.0/24",
        "targets": [{"name": "hub", "resourceId": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/h",
                     "groupId": "amlworkspace"}],
    })
    (endpoint,) = run.by_type(ENDPOINT)
    assert endpoint.inputs["privateLinkServiceConnections"][0]["groupIds"] == ["amlworkspace"]
    assert set(run.outputs["privateDnsZoneIds"]) == {"privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"}


def test_the_hosted_provider_installs_what_the_components_import():
    """The provider runs the components in its own environment (provider/requirements.txt): every dependency the
    package declares must be there, or a private or CMK hub fails with ModuleNotFoundError when hosted."""
    import re
    import tomllib

    from harness import ROOT

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    hosted = (ROOT / "provider" / "requirements.txt").read_text()
    names = {re.split(r"[<>=!~ ]", d, maxsplit=1)[0].lower() for d in declared}
    installed = {re.split(r"[<>=!~ ]", line, maxsplit=1)[0].lower() for line in hosted.splitlines()
                 if line.strip() and not line.startswith("#")}
    assert names <= installed, names - installed
