"""foundry_resource_problems (components/foundry_checks.py): what a Foundry resource's args mean, table-tested."""

import pytest

from components.foundry_checks import foundry_resource_problems

SUB = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/shared-rg/providers"
BASE = {"name": "contoso-ai", "resource_group_name": "rg", "location": "swedencentral"}
VNET = {"private_endpoints": {"vnet_address_prefix": "10.20.0.0/16", "subnet_prefix": "10.20.1.0/24"}}
BROUGHT = {"private_endpoints": {"subnet_id": f"{SUB}/Microsoft.Network/virtualNetworks/vnet/subnets/pe"}}
ACCOUNT = f"{SUB}/Microsoft.CognitiveServices/accounts/ais-x"


@pytest.mark.parametrize("extra, expected", [
    ({}, []),
    ({**VNET, "agent_subnet": {"prefix": "10.20.0.0/24"}}, []),
    ({**VNET, "agent_subnet": {"prefix": "10.20.0.0/27"}}, []),
    ({**BROUGHT, "agent_subnet": {"prefix": "10.30.0.0/24"}}, []),
    ({"agent_subnet": {"subnet_id": f"{SUB}/Microsoft.Network/virtualNetworks/vnet/subnets/agent"}}, []),
    ({**VNET, "agent_subnet": {"prefix": "10.20.0.0/28"}}, [("agent_subnet.prefix", "/27")]),
    ({**VNET, "agent_subnet": {"prefix": "10.21.0.0/24"}}, [("agent_subnet.prefix", "not inside")]),
    ({**VNET, "agent_subnet": {"prefix": "10.20.1.0/25"}}, [("agent_subnet.prefix", "overlaps")]),
    ({"agent_subnet": {"prefix": "10.20.0.0/24"}}, [("agent_subnet.prefix", "private_endpoints")]),
    ({**VNET, "agent_subnet": {}}, [("agent_subnet", "exactly one")]),
    ({"agent_subnet": {"subnet_id": "snet-agent"}}, [("agent_subnet.subnet_id", "not a subnet ID")]),
    ({"existing_account_id": ACCOUNT, "encryption": {"key_vault_id": f"{SUB}/Microsoft.KeyVault/vaults/kv"}},
     [("encryption", "not an existing one")]),
    ({"existing_account_id": f"{SUB}/Microsoft.Storage/storageAccounts/st"}, [("existing_account_id", "")]),
    ({"encryption": {}}, [("encryption.key_vault_id", "required")]),
    ({"agent_setup": "basic", "agent_stores": {"cosmos_db_account_id": "x"}},
     [("agent_stores.cosmos_db_account_id", "standard")]),
    ({"storage_sku": "Premium_LRS"}, [("storage_sku", "Standard_ZRS")]),
    ({"log_retention_days": 7}, [("log_retention_days", "30 to 730")]),
])
def test_foundry_resource_problems(extra, expected):
    found = foundry_resource_problems({**BASE, **extra})
    assert [path for path, _ in found] == [path for path, _ in expected]
    for (_, reason), (_, part) in zip(found, expected, strict=True):
        assert part in reason
