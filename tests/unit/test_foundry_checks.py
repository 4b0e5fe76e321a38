"""The Foundry components' Args validators (components/foundry_checks.py), table-tested without mocks."""

import pytest

from components.foundry_checks import (
    agent_subnet_problems,
    foundry_project_problems,
    foundry_resource_problems,
)
from components.roles import BUILTIN_ROLES, NOT_FOR_FOUNDRY, NOT_FOR_FOUNDRY_PREFIX, foundry_role_problem

SUB = "/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-data/providers"
ACCOUNT = f"{SUB}/Microsoft.CognitiveServices/accounts/ais-contoso"
COSMOS = f"{SUB}/Microsoft.DocumentDB/databaseAccounts/cosmos-agents"
SEARCH = f"{SUB}/Microsoft.Search/searchServices/srch-agents"
STORAGE = f"{SUB}/Microsoft.Storage/storageAccounts/stagents"
VAULT = f"{SUB}/Microsoft.KeyVault/vaults/kv-keys"
SUBNET = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-agent"
PE_SUBNET = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe"
USER = "aaaaaaaa-0000-4000-8000-000000000001"
FOUNDRY_USER = "53ca6127-db72-4b80-b1b0-d745d6d5456d"
CREATED_VNET = {"vnet_address_prefix": "10.20.0.0/16", "subnet_prefix": "10.20.1.0/24"}

BASE = {"name": "contoso-ai", "resource_group_name": "rg", "location": "swedencentral"}


def resource(**extra):
    return foundry_resource_problems({**BASE, **extra})


@pytest.mark.parametrize(("extra", "expected"), [
    ({}, []),
    ({"name": "Contoso"}, ["name"]),
    ({"unique_suffix": "x"}, ["unique_suffix"]),
    ({"name_generation": 1000}, ["name_generation"]),
    ({"existing_account_id": f"{SUB}/Microsoft.Storage/storageAccounts/x"}, ["existing_account_id"]),
    ({"public_network_access": "Off"}, ["public_network_access"]),
    ({"log_retention_days": 7}, ["log_retention_days"]),
    ({"diagnostics_workspace_id": VAULT}, ["diagnostics_workspace_id"]),
    ({"model_deployments": [{"name": "gpt", "model": "gpt-4o", "version": "1"},
                            {"name": "GPT", "model": "gpt-4o", "version": "1"}]}, ["model_deployments[1].name"]),
    ({"model_deployments": [{"name": "gpt", "model": "gpt-4o", "version": "1", "capacity": 0}]},
     ["model_deployments[0].capacity"]),
    # An existing account is its owner's: no deployments, key or network injection from here.
    ({"existing_account_id": ACCOUNT}, []),
    ({"existing_account_id": ACCOUNT, "model_deployments": [{"name": "gpt", "model": "gpt-4o", "version": "1"}],
      "encryption": {"key_vault_id": VAULT, "key_name": "k"}, "agent_subnet": {"subnet_id": SUBNET}},
     ["model_deployments", "encryption", "agent_subnet"]),
    # Agent stores: only with the standard setup, each of its own type.
    ({"agent_setup": "standard"}, []),
    ({"agent_setup": "standard", "agent_stores": {"cosmos_db_account_id": COSMOS, "search_service_id": SEARCH,
                                                  "storage_account_id": STORAGE}}, []),
    ({"agent_setup": "standard", "agent_stores": {"cosmos_db_account_id": SEARCH}},
     ["agent_stores.cosmos_db_account_id"]),
    ({"agent_setup": "basic", "agent_stores": {"search_service_id": SEARCH}}, ["agent_stores.search_service_id"]),
    ({"agent_stores": {"storage_account_id": STORAGE}}, ["agent_stores.storage_account_id"]),  # basic by default
    ({"agent_setup": "none", "agent_stores": {"cosmos_db_account_id": COSMOS}}, ["agent_stores.cosmos_db_account_id"]),
    ({"agent_setup": "premium"}, ["agent_setup"]),
    # The agent storage SKU: only for a storage account the component creates.
    ({"agent_setup": "standard", "storage_sku": "Standard_GRS"}, []),
    ({"agent_setup": "standard", "storage_sku": "Fast"}, ["storage_sku"]),
    ({"storage_sku": "Standard_ZRS"}, ["storage_sku"]),
    ({"agent_setup": "standard", "agent_stores": {"storage_account_id": STORAGE}, "storage_sku": "Standard_ZRS"},
     ["storage_sku"]),
    # The customer-managed key: your own vault and key, no hub-only options.
    ({"encryption": {"key_vault_id": VAULT, "key_name": "cmk"}}, []),
    ({"encryption": {"key_vault_id": VAULT, "key_name": "cmk", "key_version": "0" * 32}}, []),
    ({"encryption": {}}, ["encryption.key_vault_id"]),
    ({"encryption": {"key_vault_id": VAULT}}, []),  # the key is created in it
    ({"encryption": {"key_vault_id": VAULT, "key_version": "0" * 32}}, ["encryption.key_version"]),
    ({"encryption": {"key_vault_id": STORAGE, "key_name": "cmk"}}, ["encryption.key_vault_id"]),
    ({"encryption": {"key_vault_id": VAULT, "key_name": "cmk", "service_side": True}}, ["encryption.service_side"]),
    ({"encryption": {"key_vault_id": VAULT, "key_name": "cmk", "cosmos_db_principal_id": USER}},
     ["encryption.cosmos_db_principal_id"]),
    # Connections: the hub's checks, without the categories for a hub's compute.
    ({"connections": [{"name": "feed", "category": "PythonFeed", "target": "https://pypi.org/simple"}]},
     ["connections[0].category"]),
    ({"connections": [{"name": "repo", "category": "Git", "target": "https://github.com/contoso/x"}]},
     ["connections[0].category"]),
    ({"connections": [{"name": "s", "category": "CognitiveSearch", "target": "https://s.search.windows.net",
                       "resource_id": SEARCH}]}, ["connections[0].name"]),
    ({"connections": [{"name": "search", "category": "CognitiveSearch", "target": "https://s.search.windows.net",
                       "resource_id": SEARCH}]}, []),
    # Governance, as a hub's.
    ({"policy_assignments": [{"name": "a/b", "definition_id": "/providers/Microsoft.Authorization/"
                              "policyDefinitions/037eea7a-bd0a-46c5-9a66-03aea78705d3"}]},
     ["policy_assignments[0].name"]),
    ({"budget": {"amount": 0, "thresholds": [80], "contact_emails": ["a@contoso.com"]}}, ["budget.amount"]),
    ({"private_endpoints": {"subnet_prefix": "10.0.0.0/24"}}, ["private_endpoints.subnet_id"]),
])
def test_foundry_resource_problems(extra, expected):
    assert [path for path, _ in resource(**extra)] == expected


@pytest.mark.parametrize(("spec", "endpoints", "expected"), [
    ({"subnet_id": SUBNET}, None, []),
    ({"prefix": "10.20.2.0/24"}, CREATED_VNET, []),
    ({"prefix": "10.20.2.0/27"}, CREATED_VNET, []),  # how small Azure lets it be is a deploy rule
    ({}, CREATED_VNET, [("agent_subnet", "give exactly one")]),
    ({"subnet_id": SUBNET, "prefix": "10.20.2.0/24"}, CREATED_VNET, [("agent_subnet", "give exactly one")]),
    ({"subnet_id": "snet-agent"}, None, [("agent_subnet.subnet_id", "is not a subnet ID")]),
    ({"subnet_id": PE_SUBNET}, {"subnet_id": PE_SUBNET}, [("agent_subnet.subnet_id", "is the private endpoints'")]),
    ({"prefix": "10.20.2.0/33"}, CREATED_VNET, [("agent_subnet.prefix", "is not a network")]),
    ({"prefix": "10.20.2.0/24"}, None, [("agent_subnet.prefix", "creates the subnet in the VNet of the private")]),
    # In the brought endpoints' subnet's VNet (whose address space only Azure knows).
    ({"prefix": "10.20.2.0/24"}, {"subnet_id": PE_SUBNET}, []),
    # Its place in the VNet is deploy rule DR-11's (tests/unit/test_deploy_rules.py), reported once.
    ({"prefix": "10.30.0.0/24"}, CREATED_VNET, []),
])
def test_agent_subnet(spec, endpoints, expected):
    found = agent_subnet_problems(spec, endpoints)
    assert len(found) == len(expected)
    assert all(path == want and fragment in reason
               for (path, reason), (want, fragment) in zip(found, expected, strict=True)), found


def test_the_agent_subnet_is_checked_in_the_resource_args():
    assert [p for p, _ in resource(agent_subnet={"prefix": "10.20.2.0/24"})] == ["agent_subnet.prefix"]
    assert resource(agent_subnet={"prefix": "10.20.2.0/24"}, private_endpoints=CREATED_VNET) == []


PROJECT = {"project_name": "chat", "account_name": "ais-contoso", "account_id": ACCOUNT,
           "resource_group_name": "rg", "location": "swedencentral"}
STORES = {"cosmos_db_account_id": COSMOS, "cosmos_db_endpoint": "https://cosmos-agents.documents.azure.com:443/",
          "search_service_id": SEARCH, "search_endpoint": "https://srch-agents.search.windows.net",
          "storage_account_id": STORAGE, "storage_blob_endpoint": "https://stagents.blob.core.windows.net/"}


@pytest.mark.parametrize(("extra", "expected"), [
    ({}, []),
    # The REST spec's rule (2-64, letters, digits, '_', '.', '-'), not the hub's workspace rule.
    ({"project_name": "Chat.Team_1"}, []),
    ({"project_name": "c" * 64}, []),
    ({"project_name": "c" * 65}, ["project_name"]),
    ({"project_name": "c"}, ["project_name"]),
    ({"project_name": "-chat"}, ["project_name"]),
    ({"project_name": "chat team"}, ["project_name"]),
    ({"account_id": STORAGE}, ["account_id"]),
    ({"members": [{"principal_id": USER}]}, []),
    ({"members": [{"principal_id": USER, "role": FOUNDRY_USER}]}, []),
    ({"members": [{"principal_id": USER, "role": "Reader"}]}, []),
    ({"members": [{"principal_id": USER, "role": "Azure AI Developer"}]}, ["members[0].role"]),
    ({"members": [{"principal_id": USER, "role": "Cognitive Services OpenAI User"}]}, ["members[0].role"]),
    ({"members": [{"principal_id": USER, "role": BUILTIN_ROLES["Cognitive Services User"].upper()}]},
     ["members[0].role"]),
    ({"members": [{"principal_id": "alice"}]}, ["members[0].principal_id"]),
    ({"members": [{"principal_id": USER, "role": "Owner of everything"}]}, ["members[0].role"]),
    ({"connections": [{"name": "feed", "category": "PythonFeed", "target": "https://pypi.org/simple"}]},
     ["connections[0].category"]),
    ({"agent_setup": "standard", "agent_stores": STORES}, []),
    ({"agent_setup": "standard", "agent_stores": STORES, "capability_host_name": "caphost-chat"}, []),
    ({"agent_setup": "standard", "agent_stores": STORES, "capability_host_name": "caphost chat"},
     ["capability_host_name"]),
    ({"agent_setup": "standard"}, ["agent_stores"]),
    ({"agent_setup": "standard", "agent_stores": {**STORES, "search_service_id": COSMOS}},
     ["agent_stores.search_service_id"]),
    ({"agent_stores": STORES}, ["agent_stores"]),
    ({"agent_setup": "none", "capability_host_name": "caphost-chat"}, ["capability_host_name"]),
    ({"agent_setup": "advanced"}, ["agent_setup"]),
])
def test_foundry_project_problems(extra, expected):
    assert [path for path, _ in foundry_project_problems({**PROJECT, **extra})] == expected


def test_roles_not_for_foundry_are_the_cognitive_services_ones_and_azure_ai_developer():
    refused = {name for name in BUILTIN_ROLES if foundry_role_problem(name)}
    assert refused == {name for name in BUILTIN_ROLES if name.startswith(NOT_FOR_FOUNDRY_PREFIX)} | set(NOT_FOR_FOUNDRY)
    assert "Azure AI Developer" in refused and "Cognitive Services Contributor" in refused
    assert "rbac-foundry" in str(foundry_role_problem("Azure AI Developer"))
    assert foundry_role_problem(FOUNDRY_USER) is None and foundry_role_problem("Reader") is None


def test_outputs_are_left_to_azure():
    class Later:  # an awaitable, as an Output of another resource is
        def __await__(self):
            yield

    assert foundry_project_problems({**PROJECT, "account_id": Later(), "members": [{"principal_id": Later()}]}) == []
    assert agent_subnet_problems({"subnet_id": Later()}, None) == []
