"""Every baseline rule: a passing resource, a bad value and an omitted property."""

import re

import pytest

from baseline.rules import (
    ACCOUNT,
    ACCOUNT_CONNECTION,
    BLOB_SERVICE,
    COMPUTE,
    CONNECTION,
    COSMOS,
    DNS_ZONE,
    ENDPOINT,
    INSIGHTS,
    KEY,
    LOGS,
    PROJECT_ACCOUNT,
    PROJECT_CONNECTION,
    REGISTRY,
    ROLE,
    RULES,
    SEARCH,
    STORAGE,
    VAULT,
    VNET_LINK,
    WORKSPACE,
    rules_for,
)

HUB = {"kind": "Hub", "publicNetworkAccess": "Disabled", "managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"},
       "systemDatastoresAuthMode": "Identity", "encryption": {"status": "Enabled"}, "tags": {"env": "prod"}}
PROJECT = {"kind": "Project", "hubResourceId": "/subscriptions/x/hub", "tags": {"env": "prod"}}
STORE = {"allowBlobPublicAccess": False, "allowSharedKeyAccess": False, "minimumTlsVersion": "TLS1_2",
         "enableHttpsTrafficOnly": True, "publicNetworkAccess": "Disabled",
         "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"}, "allowCrossTenantReplication": False,
         "encryption": {"requireInfrastructureEncryption": True}, "sku": {"name": "Standard_ZRS"}, "tags": {"a": "b"}}
ACCT = {"properties": {"disableLocalAuth": True, "publicNetworkAccess": "Disabled", "customSubDomainName": "ais-x"},
        "identity": {"type": "SystemAssigned"}, "tags": {"a": "b"}}
KV = {"properties": {"enablePurgeProtection": True, "enableSoftDelete": True, "enableRbacAuthorization": True,
                     "publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny"}}, "tags": {"a": "b"}}
ACR = {"adminUserEnabled": False, "anonymousPullEnabled": False, "sku": {"name": "Premium"},
       "publicNetworkAccess": "Disabled", "policies": {"exportPolicy": {"status": "disabled"}}, "tags": {"a": "b"}}
CONN = {"properties": {"authType": "AAD", "metadata": {"ApiType": "Azure", "ResourceId": "/x"}}}
BLOB = {"deleteRetentionPolicy": {"enabled": True, "days": 7}, "containerDeleteRetentionPolicy": {"enabled": True}}
PE = {"privateLinkServiceConnections": [{"privateLinkServiceId": "/x", "groupIds": ["blob"]}], "tags": {"a": "b"}}
CI = {"properties": {"computeType": "ComputeInstance", "disableLocalAuth": True,
                    "properties": {"idleTimeBeforeShutdown": "PT60M"}}, "tags": {"a": "b"}}
SRCH = {"disableLocalAuth": True, "publicNetworkAccess": "disabled", "identity": {"type": "SystemAssigned"},
        "tags": {"a": "b"}}
FOUNDRY = {**ACCT, "properties": {**ACCT["properties"], "allowProjectManagement": True}}
COSMOS_DB = {"disableLocalAuth": True, "publicNetworkAccess": "Disabled", "disableKeyBasedMetadataWriteAccess": True,
             "tags": {"a": "b"}}
RA = {"principalType": "ServicePrincipal",
      "roleDefinitionId": "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"}


def change(props, path, value):
    """A deep copy of `props` with `path` set to `value` (or removed, for the sentinel OMIT)."""
    import copy

    props = copy.deepcopy(props)
    *parents, last = path.split(".")
    node = props
    for part in parents:
        node = node.setdefault(part, {})
    if value is OMIT:
        node.pop(last, None)
    else:
        node[last] = value
    return props


OMIT = object()

# rule ID -> (type, passing inputs, path, bad value); the omitted case removes `path`.
CASES = {
    "ML-01": (WORKSPACE, HUB, "publicNetworkAccess", "Enabled"),
    "ML-03": (WORKSPACE, HUB, "managedNetwork.isolationMode", "AllowInternetOutbound"),
    "ML-04": (WORKSPACE, HUB, "systemDatastoresAuthMode", "AccessKey"),
    "ML-05": (WORKSPACE, HUB, "encryption.status", "Disabled"),
    "PRJ-01": (WORKSPACE, PROJECT, "hubResourceId", ""),
    "CON-01": (CONNECTION, CONN, "properties.authType", "ApiKey"),
    "CS-01": (ACCOUNT, ACCT, "properties.disableLocalAuth", False),
    "CS-03": (ACCOUNT, ACCT, "properties.customSubDomainName", ""),
    "CS-04": (ACCOUNT, ACCT, "identity.type", "None"),
    "ST-01": (STORAGE, STORE, "allowBlobPublicAccess", True),
    "ST-02": (STORAGE, STORE, "allowSharedKeyAccess", True),
    "ST-03": (STORAGE, STORE, "minimumTlsVersion", "TLS1_0"),
    "ST-04": (STORAGE, STORE, "enableHttpsTrafficOnly", False),
    "ST-05": (STORAGE, STORE, "publicNetworkAccess", "Enabled"),
    "ST-06": (STORAGE, STORE, "networkRuleSet.defaultAction", "Allow"),
    "ST-07": (STORAGE, STORE, "allowCrossTenantReplication", True),
    "ST-08": (STORAGE, STORE, "encryption.requireInfrastructureEncryption", False),
    "ST-09": (STORAGE, STORE, "sku.name", "Standard_LRS"),
    "ST-10": (BLOB_SERVICE, BLOB, "deleteRetentionPolicy.enabled", False),
    "ST-11": (BLOB_SERVICE, BLOB, "containerDeleteRetentionPolicy.enabled", False),
    "KV-01": (VAULT, KV, "properties.enablePurgeProtection", False),
    "KV-02": (VAULT, KV, "properties.enableSoftDelete", False),
    "KV-03": (VAULT, KV, "properties.enableRbacAuthorization", False),
    "KV-04": (VAULT, KV, "properties.publicNetworkAccess", "Enabled"),
    "KV-05": (KEY, {"properties": {"kty": "RSA", "keySize": 3072}, "tags": {"a": "b"}}, "properties.keySize", 1024),
    "CR-01": (REGISTRY, ACR, "adminUserEnabled", True),
    "CR-02": (REGISTRY, ACR, "anonymousPullEnabled", True),
    "CR-03": (REGISTRY, ACR, "sku.name", "Basic"),
    "CR-04": (REGISTRY, ACR, "publicNetworkAccess", "Enabled"),
    "CR-05": (REGISTRY, ACR, "policies.exportPolicy.status", "enabled"),
    "AI-01": (INSIGHTS, {"workspaceResourceId": "/x", "tags": {"a": "b"}}, "workspaceResourceId", ""),
    "LA-01": (LOGS, {"features": {"disableLocalAuth": True}, "tags": {"a": "b"}}, "features.disableLocalAuth", False),
    "PE-01": (ENDPOINT, PE, "privateLinkServiceConnections", [{"privateLinkServiceId": "/x"}]),
    "PE-02": (DNS_ZONE, {"privateZoneName": "privatelink.notebooks.azure.net", "tags": {"a": "b"}},
              "privateZoneName", "privatelink.notebooks.azureml.net"),
    "PE-03": (VNET_LINK, {"registrationEnabled": False, "tags": {"a": "b"}}, "registrationEnabled", True),
    "RA-01": (ROLE, RA, "principalType", ""),
    "RA-02": (ROLE, RA, "roleDefinitionId",
              "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
    "TAG-01": (STORAGE, STORE, "tags", {}),
    "CMP-01": (COMPUTE, CI, "properties.disableLocalAuth", False),
    "SR-01": (SEARCH, SRCH, "disableLocalAuth", False),
    "SR-02": (SEARCH, SRCH, "publicNetworkAccess", "enabled"),
    "SR-03": (SEARCH, SRCH, "identity.type", "None"),
    "CMP-02": (COMPUTE, CI, "properties.properties.idleTimeBeforeShutdown", ""),
    "CS-05": (ACCOUNT, FOUNDRY, "properties.disableLocalAuth", False),
    "SR-04": (SEARCH, SRCH, "disableLocalAuth", False),
    "CDB-01": (COSMOS, COSMOS_DB, "disableLocalAuth", False),
    "CDB-02": (COSMOS, COSMOS_DB, "publicNetworkAccess", "Enabled"),
    "CDB-03": (COSMOS, COSMOS_DB, "disableKeyBasedMetadataWriteAccess", False),
}
# Rules where leaving the property out is the secure default, so omitting passes.
OMITTED_PASSES = {"ML-02", "RA-02", "PRJ-02"}
# Rules whose bad value is a property that must be absent.
ABSENCE_RULES = {
    "ML-02": (WORKSPACE, HUB, "allowPublicAccessWhenBehindVnet", True),
    "PRJ-02": (WORKSPACE, PROJECT, "managedNetwork", {"isolationMode": "AllowOnlyApprovedOutbound"}),
    "CS-02": (ACCOUNT, ACCT, "properties.publicNetworkAccess", "Enabled"),
}
ALL_CASES = {**CASES, **ABSENCE_RULES}


def failing(rule_id, resource_type, props):
    return [r.id for r in rules_for(resource_type, props) if r.check(props) is not None and r.id == rule_id]


def test_at_least_thirty_rules_each_with_a_stable_id_and_a_source():
    assert len(RULES) >= 30
    assert len({r.id for r in RULES}) == len(RULES)
    for r in RULES:
        assert re.fullmatch(r"[A-Z]{2,3}-\d{2}", r.id), r.id
        assert re.search(r"Azure Policy [0-9a-f]{8}-|PSRule Azure\.|Learn|Well-Architected|Azure-Samples", r.source), r.id


def test_every_rule_has_cases():
    assert set(ALL_CASES) == {r.id for r in RULES}


@pytest.mark.parametrize("rule_id", sorted(ALL_CASES))
def test_passing_resource(rule_id):
    resource_type, props, _, _ = ALL_CASES[rule_id]
    assert failing(rule_id, resource_type, props) == []


@pytest.mark.parametrize("rule_id", sorted(ALL_CASES))
def test_bad_value(rule_id):
    resource_type, props, path, bad = ALL_CASES[rule_id]
    assert failing(rule_id, resource_type, change(props, path, bad)) == [rule_id]


@pytest.mark.parametrize("rule_id", sorted(ALL_CASES))
def test_omitted_property(rule_id):
    resource_type, props, path, _ = ALL_CASES[rule_id]
    if rule_id == "CS-02":
        # Either public access off or a denying ACL passes; with both left out, it fails.
        props = change(change(props, "properties.publicNetworkAccess", OMIT), "properties.networkAcls", OMIT)
        assert failing(rule_id, resource_type, props) == [rule_id]
        return
    expected = [] if rule_id in OMITTED_PASSES else [rule_id]
    assert failing(rule_id, resource_type, change(props, path, OMIT)) == expected


def test_cs02_passes_on_a_denying_acl():
    props = change(ACCT, "properties.publicNetworkAccess", "Enabled")
    props = change(props, "properties.networkAcls", {"defaultAction": "Deny"})
    assert failing("CS-02", ACCOUNT, props) == []


def test_cs05_judges_only_accounts_that_host_projects():
    assert "CS-05" not in {r.id for r in rules_for(ACCOUNT, change(ACCT, "properties.disableLocalAuth", False))}
    assert failing("CS-05", ACCOUNT, change(FOUNDRY, "properties.allowProjectManagement", False)) == []


def test_sr04_takes_keys_beside_entra_id():
    both = change(change(SRCH, "disableLocalAuth", False), "authOptions",
                  {"aadOrApiKey": {"aadAuthFailureMode": "http401WithBearerChallenge"}})
    assert failing("SR-04", SEARCH, both) == [] and failing("SR-01", SEARCH, both) == ["SR-01"]
    keys_only = change(change(SRCH, "disableLocalAuth", OMIT), "authOptions", {"apiKeyOnly": {}})
    assert failing("SR-04", SEARCH, keys_only) == ["SR-04"]


@pytest.mark.parametrize("kind", [ACCOUNT_CONNECTION, PROJECT_CONNECTION])
def test_foundry_connections_to_azure_use_entra_id(kind):
    assert failing("CON-01", kind, CONN) == []
    assert failing("CON-01", kind, change(CONN, "properties.authType", "ApiKey")) == ["CON-01"]


def test_foundry_projects_and_cosmos_accounts_are_tagged():
    assert failing("TAG-01", PROJECT_ACCOUNT, {}) == ["TAG-01"] and failing("TAG-01", COSMOS, COSMOS_DB) == []


def test_hub_rules_skip_projects_and_project_rules_skip_hubs():
    assert {r.id for r in rules_for(WORKSPACE, HUB)} & {"PRJ-01", "PRJ-02"} == set()
    assert {r.id for r in rules_for(WORKSPACE, PROJECT)} & {"ML-01", "ML-03", "ML-05"} == set()


def frozen(value):
    """`value` with every dict a read-only Mapping that is no dict, and every list a tuple, as policy proxies are."""
    from types import MappingProxyType

    if isinstance(value, dict):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


@pytest.mark.parametrize("rule_id", sorted(ALL_CASES))
def test_rules_read_any_mapping_and_sequence_as_they_read_dicts_and_lists(rule_id):
    resource_type, props, path, bad = ALL_CASES[rule_id]
    for case in (props, change(props, path, bad), change(props, path, OMIT)):
        assert not isinstance(frozen(case), dict)
        assert failing(rule_id, resource_type, frozen(case)) == failing(rule_id, resource_type, case)
    assert failing(rule_id, resource_type, frozen(change(props, path, bad))) == [rule_id]
