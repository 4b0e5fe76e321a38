"""SharedConnection: validation table, metadata, and what each auth type sends."""

import pulumi
import pytest
from harness import CONNECTION, SHARED, run_component
from pulumi.runtime import rpc

from components import SharedConnection
from components.shared_connection import connection_metadata, connection_problems, create_connections
from components.validation import ArgsError

SUB = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg/providers"
SEARCH_ID = f"{SUB}/Microsoft.Search/searchServices/srch"
ACCOUNT_ID = f"{SUB}/Microsoft.CognitiveServices/accounts/ais"
STORAGE_ID = f"{SUB}/Microsoft.Storage/storageAccounts/stdocs"


@pytest.mark.parametrize(
    "spec",
    [
        dict(name="ais", category="AIServices", target="https://ais.cognitiveservices.azure.com/", resource_id=ACCOUNT_ID),
        dict(name="aoai", category="AzureOpenAI", target="https://x.openai.azure.com/", auth_type="ApiKey",
             resource_id=ACCOUNT_ID),
        dict(name="search", category="CognitiveSearch", target="https://s.search.windows.net", resource_id=SEARCH_ID),
        dict(name="docs", category="AzureBlob", target="https://stdocs.blob.core.windows.net",
             resource_id=STORAGE_ID, metadata={"ContainerName": "manuals"}),
        dict(name="weather", category="ApiKey", target="https://api.weather.example.com"),
        dict(name="crm", category="CustomKeys", target="https://crm.example.com/api", auth_type="CustomKeys"),
        dict(name="pypi", category="PythonFeed", target="https://pypi.org/simple", auth_type="None"),
    ],
)
def test_valid_connections(spec):
    assert connection_problems(**spec) == []


@pytest.mark.parametrize(
    "spec, field, reason",
    [
        (dict(name="x", category="ApiKey", target="https://a.example.com"), "name", "3-33"),
        (dict(name="bad name", category="ApiKey", target="https://a.example.com"), "name", "3-33"),
        (dict(name="abc", category="Cosmos", target="https://a.example.com"), "category", "unknown category 'Cosmos'"),
        (dict(name="abc", category="ApiKey", target="https://a.example.com", auth_type="Token"), "authType",
         "unknown auth type 'Token'"),
        (dict(name="abc", category="ApiKey", target="https://a.example.com", auth_type="AAD"), "authType",
         "ApiKey connections take ApiKey, not AAD"),
        (dict(name="abc", category="AzureBlob", target="https://s.blob.core.windows.net", auth_type="ApiKey",
              resource_id=STORAGE_ID, metadata={"ContainerName": "c"}), "authType", "take AAD, not ApiKey"),
        (dict(name="abc", category="ApiKey", target="http://a.example.com"), "target", "https:// URL"),
        (dict(name="abc", category="ApiKey", target="a.example.com"), "target", "https:// URL"),
        (dict(name="abc", category="CognitiveSearch", target="https://s.search.windows.net"), "resourceId",
         "is required for CognitiveSearch"),
        (dict(name="abc", category="CognitiveSearch", target="https://s.search.windows.net", resource_id=ACCOUNT_ID),
         "resourceId", "Microsoft.Search/searchServices"),
        (dict(name="abc", category="ApiKey", target="https://a.example.com", resource_id=ACCOUNT_ID), "resourceId",
         "take no resourceId"),
        (dict(name="abc", category="AzureBlob", target="https://s.blob.core.windows.net", resource_id=STORAGE_ID),
         "metadata.ContainerName", "is required"),
        (dict(name="abc", category="ApiKey", target="https://a.example.com", metadata={"bad key": "x"}),
         "metadata.bad key", "metadata keys"),
    ],
)
def test_invalid_connections(spec, field, reason):
    found = connection_problems(**spec)
    assert any(f == field and reason in r for f, r in found), found


def test_metadata_per_category():
    assert connection_metadata("ApiKey", None, None) == {}
    assert connection_metadata("CognitiveSearch", SEARCH_ID, {"ApiVersion": "1"}) == {
        "ApiType": "Azure", "ResourceId": SEARCH_ID, "ApiVersion": "1"}


def connect(**spec):
    def program():
        SharedConnection("c", {"workspace_name": "hub-x", "resource_group_name": "rg", **spec})

    return run_component(program)


def test_aad_connection_wire_format():
    run = connect(name="search", category="CognitiveSearch", target="https://s.search.windows.net",
                  resource_id=SEARCH_ID)
    conn = run.one(CONNECTION)
    assert conn.parent == run.one(SHARED).urn
    assert conn.inputs == {
        "connectionName": "search",
        "workspaceName": "hub-x",
        "resourceGroupName": "rg",
        "properties": {
            "authType": "AAD",
            "category": "CognitiveSearch",
            "target": "https://s.search.windows.net",
            "isSharedToAll": True,
            "metadata": {"ApiType": "Azure", "ResourceId": SEARCH_ID},
        },
    }
    assert conn.additional_secret_outputs == []


def test_blob_connection_names_account_and_container():
    run = connect(name="docs", category="AzureBlob", target="https://stdocs.blob.core.windows.net",
                  resource_id=STORAGE_ID, metadata={"ContainerName": "manuals"})
    assert run.one(CONNECTION).inputs["properties"]["metadata"] == {
        "ApiType": "Azure", "ResourceId": STORAGE_ID, "AccountName": "stdocs", "ContainerName": "manuals"}


def test_api_key_is_a_secret_end_to_end():
    run = connect(name="weather", category="ApiKey", target="https://api.weather.example.com",
                  auth_type="ApiKey", api_key="k-123")  # even a plain string is sent as a secret
    conn = run.one(CONNECTION)
    assert rpc.is_rpc_secret(conn.inputs["properties"])
    props = rpc.unwrap_rpc_secret(conn.inputs["properties"])
    assert props["authType"] == "ApiKey" and props["category"] == "ApiKey"
    assert rpc.unwrap_rpc_secret(props["credentials"]["key"]) == "k-123"
    assert conn.additional_secret_outputs == ["properties"]
    assert "k-123" not in repr({k: v for k, v in conn.inputs.items() if k != "properties"})


def test_custom_keys_are_secrets():
    run = connect(name="crm", category="CustomKeys", target="https://crm.example.com", auth_type="CustomKeys",
                  custom_keys={"x-api-key": pulumi.Output.secret("a"), "x-tenant": "b"})
    conn = run.one(CONNECTION)
    assert rpc.is_rpc_secret(conn.inputs["properties"])
    props = rpc.unwrap_rpc_secret(conn.inputs["properties"])
    assert props["authType"] == "CustomKeys"
    keys = {k: rpc.unwrap_rpc_secret(v) for k, v in props["credentials"]["keys"].items()}
    assert keys == {"x-api-key": "a", "x-tenant": "b"}
    assert conn.additional_secret_outputs == ["properties"]


def test_none_auth_sends_no_credentials():
    run = connect(name="pypi", category="PythonFeed", target="https://pypi.org/simple", auth_type="None")
    props = run.one(CONNECTION).inputs["properties"]
    assert props["authType"] == "None" and "credentials" not in props


def test_key_connection_without_its_key_is_refused():
    with pytest.raises(ArgsError, match="api_key: is required for auth_type ApiKey"):
        connect(name="weather", category="ApiKey", target="https://a.example.com", auth_type="ApiKey")


def test_connections_on_one_workspace_are_created_one_after_another():
    def program():
        first = SharedConnection("provider", {"workspace_name": "hub-x", "resource_group_name": "rg", "name": "ais",
                                              "category": "ApiKey", "target": "https://a.example.com",
                                              "auth_type": "ApiKey", "api_key": "k"})
        create_connections(
            [{"name": n, "category": "PythonFeed", "target": "https://pypi.org/simple", "auth_type": "None"}
             for n in ("one", "two", "three")],
            workspace_name="hub-x", resource_group_name="rg", prefix="hub",
            parent=pulumi.ComponentResource("test:index:Holder", "holder"), after=first,
        )

    run = run_component(program)
    conns = {r.inputs["connectionName"]: r for r in run.by_type(CONNECTION)}
    order = ["ais", "one", "two", "three"]
    for before, after in zip(order, order[1:], strict=False):
        assert conns[before].urn in conns[after].dependencies, (before, after)
    assert not any(c.urn in conns["ais"].dependencies for c in conns.values())
