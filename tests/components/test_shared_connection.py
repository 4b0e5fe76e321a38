"""SharedConnection: validation table, metadata, and what each auth type sends."""

import pulumi
import pytest
from harness import CONNECTION, SHARED, run_component
from pulumi.runtime import rpc

from components import SharedConnection
from components.resource_types import ACCOUNT_CONNECTION, PROJECT_CONNECTION
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


# Foundry scopes: a Foundry resource's account, or one of its projects.
COSMOS_ID = f"{SUB}/Microsoft.DocumentDB/databaseAccounts/cosmos-agents"
APPI_ID = f"{SUB}/Microsoft.Insights/components/appi"


@pytest.mark.parametrize("scope", ["account", "project"])
@pytest.mark.parametrize(
    "spec",
    [
        dict(name="threads", category="CosmosDb", target="https://cosmos-agents.documents.azure.com:443/",
             resource_id=COSMOS_ID),
        dict(name="files", category="AzureStorageAccount", target="https://stdocs.blob.core.windows.net/",
             resource_id=STORAGE_ID),
        dict(name="tracing", category="AppInsights", target=APPI_ID, auth_type="ApiKey", resource_id=APPI_ID),
        dict(name="search", category="CognitiveSearch", target="https://s.search.windows.net", resource_id=SEARCH_ID),
        dict(name="crm", category="CustomKeys", target="https://crm.example.com/api", auth_type="CustomKeys"),
    ],
)
def test_valid_foundry_connections(spec, scope):
    assert connection_problems(**spec, scope=scope) == []


@pytest.mark.parametrize(
    "spec, scope, field, reason",
    [
        (dict(name="pypi", category="PythonFeed", target="https://pypi.org/simple", auth_type="None"), "project",
         "category", "PythonFeed is for hubs only"),
        (dict(name="repo", category="Git", target="https://github.com/contoso/x", auth_type="None"), "account",
         "category", "Git is for hubs only"),
        # The hub's table is unchanged: the agent stores' categories are Foundry's.
        (dict(name="files", category="AzureStorageAccount", target="https://s.blob.core.windows.net",
              resource_id=STORAGE_ID), "workspace", "category", "unknown category 'AzureStorageAccount'"),
        (dict(name="threads", category="CosmosDb", target="https://c.documents.azure.com", resource_id=COSMOS_ID,
              auth_type="ApiKey"), "project", "authType", "CosmosDb connections take AAD, not ApiKey"),
        (dict(name="threads", category="CosmosDb", target="https://c.documents.azure.com", resource_id=STORAGE_ID),
         "project", "resourceId", "Microsoft.DocumentDB/databaseAccounts"),
        (dict(name="tracing", category="AppInsights", target="https://appi.example.com", auth_type="ApiKey",
              resource_id=APPI_ID), "account", "target", "AppInsights connections target the resource itself"),
    ],
)
def test_invalid_foundry_connections(spec, scope, field, reason):
    found = connection_problems(**spec, scope=scope)
    assert any(f == field and reason in r for f, r in found), found


def test_foundry_categories_are_azure_natives_enum_values():
    from pulumi_azure_native import cognitiveservices as cs
    from pulumi_azure_native import machinelearningservices as ml

    from components.shared_connection import FOUNDRY_CATEGORIES

    known = {c.value for c in cs.ConnectionCategory} | {c.value for c in ml.ConnectionCategory}
    assert set(FOUNDRY_CATEGORIES) <= known
    assert {"CosmosDb", "AzureStorageAccount", "AppInsights"} <= set(FOUNDRY_CATEGORIES)
    assert not {"PythonFeed", "Git"} & set(FOUNDRY_CATEGORIES)


def foundry_connect(holder, **spec):
    def program():
        SharedConnection("c", {"resource_group_name": "rg", **holder, **spec})

    return run_component(program)


def test_account_connection_wire_format():
    run = foundry_connect({"account_name": "ais-x"}, name="search", category="CognitiveSearch",
                          target="https://s.search.windows.net", resource_id=SEARCH_ID)
    conn = run.one(ACCOUNT_CONNECTION)
    assert conn.parent == run.one(SHARED).urn
    assert conn.inputs == {
        "accountName": "ais-x",
        "connectionName": "search",
        "resourceGroupName": "rg",
        "properties": {
            "authType": "AAD",
            "category": "CognitiveSearch",
            "target": "https://s.search.windows.net",
            "isSharedToAll": True,
            "metadata": {"ApiType": "Azure", "ResourceId": SEARCH_ID},
        },
    }
    assert not run.by_type(CONNECTION) and not run.by_type(PROJECT_CONNECTION)


def test_project_connection_wire_format():
    run = foundry_connect({"account_name": "ais-x", "project_name": "chat"}, name="threads", category="CosmosDb",
                          target="https://cosmos-agents.documents.azure.com:443/", resource_id=COSMOS_ID)
    conn = run.one(PROJECT_CONNECTION)
    assert conn.inputs == {
        "accountName": "ais-x",
        "projectName": "chat",
        "connectionName": "threads",
        "resourceGroupName": "rg",
        "properties": {
            "authType": "AAD",
            "category": "CosmosDb",
            "target": "https://cosmos-agents.documents.azure.com:443/",
            "isSharedToAll": True,
            "metadata": {"ApiType": "Azure", "ResourceId": COSMOS_ID},
        },
    }
    assert not run.by_type(CONNECTION) and not run.by_type(ACCOUNT_CONNECTION)


def test_foundry_key_connection_is_a_secret_end_to_end():
    run = foundry_connect({"account_name": "ais-x"}, name="tracing", category="AppInsights", target=APPI_ID,
                          auth_type="ApiKey", resource_id=APPI_ID, api_key="InstrumentationKey=abc")
    conn = run.one(ACCOUNT_CONNECTION)
    assert rpc.is_rpc_secret(conn.inputs["properties"])
    props = rpc.unwrap_rpc_secret(conn.inputs["properties"])
    assert props["authType"] == "ApiKey" and props["category"] == "AppInsights" and props["target"] == APPI_ID
    assert rpc.unwrap_rpc_secret(props["credentials"]["key"]) == "InstrumentationKey=abc"
    assert conn.additional_secret_outputs == ["properties"]


@pytest.mark.parametrize(
    "holder, field, reason",
    [
        ({}, "workspace_name", "a connection needs one holder"),
        ({"workspace_name": "hub-x", "account_name": "ais-x"}, "workspace_name", "a connection needs one holder"),
        ({"workspace_name": "hub-x", "project_name": "chat"}, "project_name", "give its account_name too"),
    ],
)
def test_a_connection_has_one_holder(holder, field, reason):
    with pytest.raises(ArgsError) as err:
        foundry_connect(holder, name="weather", category="ApiKey", target="https://a.example.com", api_key="k")
    assert any(p == field and reason in r for p, r in err.value.problems), err.value.problems


def test_hub_only_category_on_a_foundry_project_is_refused_before_anything_registers():
    with pytest.raises(ArgsError, match="category: PythonFeed is for hubs only"):
        foundry_connect({"account_name": "ais-x", "project_name": "chat"}, name="pypi", category="PythonFeed",
                        target="https://pypi.org/simple", auth_type="None")


def test_connections_on_one_foundry_project_are_created_one_after_another():
    def program():
        create_connections(
            [{"name": n, "category": "ApiKey", "target": "https://a.example.com", "api_key": "k"}
             for n in ("one", "two", "three")],
            account_name="ais-x", project_name="chat", resource_group_name="rg", prefix="chat",
            parent=pulumi.ComponentResource("test:index:Holder", "holder"),
        )

    run = run_component(program)
    conns = {r.inputs["connectionName"]: r for r in run.by_type(PROJECT_CONNECTION)}
    assert set(conns) == {"one", "two", "three"}
    assert all(c.inputs["projectName"] == "chat" and c.inputs["accountName"] == "ais-x" for c in conns.values())
    assert conns["one"].urn in conns["two"].dependencies and conns["two"].urn in conns["three"].dependencies
    assert not any(c.urn in conns["one"].dependencies for c in conns.values())
