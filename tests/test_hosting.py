"""The components as a multi-language package: inferred schema and the hosted construct path."""

import importlib.util
import json

import pulumi
import pytest
from harness import ACCOUNT, CONNECTION, DEPLOYMENT, ENDPOINT, HUB, PROJECT, ROLE, ROOT, WORKSPACE, run_component
from pulumi.provider.experimental.component import ComponentProvider

# The host module is provider/__main__.py, loaded by path (a `__main__` can't be imported by name).
_spec = importlib.util.spec_from_file_location("aihub_host", ROOT / "provider" / "__main__.py")
host = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(host)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def schema():
    return json.loads(ComponentProvider(host.COMPONENTS, host.PACKAGE, version=host.VERSION).schema)


EXPECTED = {
    "aihub:index:AIHub": (
        {"name", "resourceGroupName", "location"},
        {"uniqueSuffix", "nameGeneration", "friendlyName", "description", "providerMode", "existingProviderAccountId", "modelDeployments",
         "storageAccountId", "keyVaultId", "applicationInsightsId", "containerRegistryId", "createContainerRegistry",
         "containerRegistrySku", "publicNetworkAccess", "managedNetwork", "privateEndpoints", "encryption",
         "connections", "diagnostics", "diagnosticsWorkspaceId", "logRetentionDays", "policyAssignments", "budget",
         "computeInstances", "storageSku", "protect", "retainOnDelete", "locks", "tags"},
        {"hubId", "hubName", "hubPrincipalId", "providerAccountId", "providerEndpoint", "providerConnectionName",
         "providerInferenceRole", "storageAccountId", "keyVaultId", "applicationInsightsId", "logAnalyticsWorkspaceId",
         "containerRegistryId", "foundryUrl", "portalUrl", "diagnosticsWorkspaceId", "hazardFingerprint"},
    ),
    "aihub:index:AIProject": (
        {"workspaceName", "hubId", "resourceGroupName", "location"},
        {"friendlyName", "description", "members", "connections", "providerAccountId", "providerRole",
         "storageAccountId", "protect", "diagnosticsWorkspaceId", "tags"},
        {"projectId", "projectName", "principalId", "foundryUrl", "portalUrl"},
    ),
    "aihub:index:SharedConnection": (
        {"name", "category", "target", "workspaceName", "resourceGroupName"},
        {"authType", "resourceId", "metadata", "apiKey", "customKeys"},
        {"connectionId", "connectionName"},
    ),
    "aihub:index:PrivateNetwork": (
        {"name", "resourceGroupName", "location", "targets"},
        {"subnetId", "vnetAddressPrefix", "subnetPrefix", "privateDnsZoneIds", "tags"},
        {"subnetId", "virtualNetworkId", "privateEndpointIds", "privateDnsZoneIds"},
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
    assert all(p.get("description") for p in resource["inputProperties"].values())
    assert all(p.get("description") for p in resource["properties"].values())


def test_schema_types(schema):
    assert schema["name"] == "aihub" and schema["version"] == "0.1.0"
    assert {e["value"] for e in schema["types"]["aihub:index:ProviderMode"]["enum"]} == {"aiServices", "openAI"}
    deployment = schema["types"]["aihub:index:ModelDeploymentArgs"]
    assert set(deployment["required"]) == {"name", "model", "version"}
    # Key material can come from another resource or a secret: an Input, not a plain value.
    api_key = schema["resources"]["aihub:index:SharedConnection"]["inputProperties"]["apiKey"]
    assert "plain" not in api_key


def construct(token, inputs):
    def program():
        provider = ComponentProvider(host.COMPONENTS, host.PACKAGE)
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
