"""The Azure Policy evaluator (azpolicy): pure, table-driven, no mocks."""

import inspect
import json
import re

import pytest
from harness import ROOT

from azpolicy.aliases import ALIAS_PATHS, STATE_ONLY
from azpolicy.evaluate import (
    AssignmentError,
    Definition,
    NotEvaluable,
    Request,
    aliases_used,
    effect,
    effective_parameters,
    judge,
    known,
    shipped,
)
from azpolicy.requests import ARM_TYPES, RENAMED, arm_body, arm_request, sdk_facts
from components.resource_types import ACCOUNT, CONNECTION, DEPLOYMENT, STORAGE, WORKSPACE

WS = "Microsoft.MachineLearningServices/workspaces"
PNA = f"{WS}/publicNetworkAccess"
NO_PUBLIC_ML = "/providers/Microsoft.Authorization/policyDefinitions/438c38d2-3772-465a-a9cc-7a6666a275ce"


def definition(condition, parameters=None, mode="Indexed", then="[parameters('effect')]"):
    return Definition(id="/x", name="x", display_name="test", mode=mode,
                      parameters=parameters or {"effect": {"type": "String", "defaultValue": "Deny"}},
                      rule={"if": condition, "then": {"effect": then}})


def workspace(indexed=True, api_version="2025-12-01", **properties):
    body = {"kind": "Project", "location": "westeurope", "tags": {"Env": "prod"},
            "identity": {"type": "SystemAssigned"}, "sku": {"name": "Basic"}, "properties": properties}
    return Request(type=WS, name="proj-a", id=f"/subscriptions/s/resourceGroups/rg/providers/{WS}/proj-a",
                   body=body, api_version=api_version, indexed=indexed)


def holds(condition, request=None, parameters=None):
    return judge(definition(condition), request or workspace(publicNetworkAccess="Enabled",
                                                             ipRules=[{"value": "1.2.3.4"}, {"value": "5.6.7.8"}],
                                                             count=3, flag=True, empty=""),
                 parameters or {"effect": "Deny"}).applies


# -- operators ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("condition, expected", [
    # equals / notEquals ignore case; a boolean equals its string; a missing field equals nothing
    ({"field": PNA, "equals": "enabled"}, True),
    ({"field": PNA, "equals": "Disabled"}, False),
    ({"field": f"{WS}/missing", "equals": ""}, False),
    ({"field": PNA, "notEquals": "Disabled"}, True),
    ({"field": f"{WS}/missing", "notEquals": "Disabled"}, True),
    ({"field": f"{WS}/flag", "equals": "true"}, True),
    ({"field": f"{WS}/flag", "equals": True}, True),
    ({"field": f"{WS}/flag", "notEquals": "false"}, True),
    # in / notIn
    ({"field": PNA, "in": ["Disabled", "ENABLED"]}, True),
    ({"field": PNA, "notIn": ["Disabled"]}, True),
    ({"field": f"{WS}/missing", "in": ["x"]}, False),
    ({"field": f"{WS}/missing", "notIn": ["x"]}, True),
    # like / notLike: one * wildcard, case ignored; ? is itself
    ({"field": "name", "like": "PROJ-*"}, True),
    ({"field": "name", "like": "hub-*"}, False),
    ({"field": "name", "like": "proj-?"}, False),
    ({"field": "name", "notLike": "hub-*"}, True),
    ({"field": f"{WS}/missing", "like": "*"}, False),
    ({"field": f"{WS}/missing", "notLike": "a*"}, True),
    # match: # digit, ? letter, . any; matchInsensitively ignores case
    ({"field": "name", "match": "????-?"}, True),
    ({"field": "name", "match": "PROJ-?"}, False),
    ({"field": "name", "matchInsensitively": "PROJ-?"}, True),
    ({"field": "name", "notMatch": "####"}, True),
    ({"field": "name", "notMatchInsensitively": "PROJ-."}, False),
    # contains / notContains: substring of a string, member of a list
    ({"field": "id", "contains": "/RESOURCEGROUPS/rg/"}, True),
    ({"field": "id", "notContains": "/resourceGroups/aro-"}, True),
    ({"field": f"{WS}/missing", "contains": "x"}, False),
    ({"field": f"{WS}/missing", "notContains": "x"}, True),
    # containsKey
    ({"field": "tags", "containsKey": "env"}, True),
    ({"field": "tags", "notContainsKey": "owner"}, True),
    # ordering: numbers, and text (dates, API versions)
    ({"field": f"{WS}/count", "less": 4}, True),
    ({"field": f"{WS}/count", "lessOrEquals": 3}, True),
    ({"field": f"{WS}/count", "greater": 3}, False),
    ({"field": f"{WS}/count", "greaterOrEquals": 3}, True),
    ({"value": "[requestContext().apiVersion]", "greaterOrEquals": "2021-06-01-preview"}, True),
    ({"value": "[requestContext().apiVersion]", "less": "2019-09-01"}, False),
    # exists, with strings or booleans; a missing field and an empty string
    ({"field": PNA, "exists": "true"}, True),
    ({"field": PNA, "exists": False}, False),
    ({"field": f"{WS}/missing", "exists": "false"}, True),
    ({"field": f"{WS}/missing", "exists": True}, False),
    ({"field": f"{WS}/empty", "exists": "true"}, True),
    ({"field": f"{WS}/empty", "equals": ""}, True),
    # fields outside properties
    ({"field": "type", "equals": WS.upper()}, True),
    ({"field": "kind", "equals": "project"}, True),
    ({"field": "location", "equals": "westeurope"}, True),
    ({"field": "identity.type", "equals": "SystemAssigned"}, True),
    ({"field": "tags['env']", "equals": "prod"}, True),
    ({"field": "tags[Env]", "equals": "prod"}, True),
    ({"field": "tags.env", "equals": "prod"}, True),
    ({"field": "tags['owner']", "exists": "false"}, True),
    # [*]: every member must satisfy the condition
    ({"field": f"{WS}/ipRules[*].value", "like": "*.*"}, True),
    ({"field": f"{WS}/ipRules[*].value", "equals": "1.2.3.4"}, False),
    ({"field": f"{WS}/ipRules[*].value", "notEquals": "9.9.9.9"}, True),
])
def test_operators(condition, expected, monkeypatch):
    # Test-only aliases for properties no real alias names, so each operator meets each kind of value.
    extra = {f"{WS}/{name}": (WS, f"properties.{name}") for name in ("missing", "flag", "count", "empty")}
    extra[f"{WS}/ipRules[*].value"] = (WS, "properties.ipRules[*].value")
    _patch_aliases(monkeypatch, extra)
    assert holds(condition) is expected


def _patch_aliases(monkeypatch, extra):
    from azpolicy import aliases, evaluate

    monkeypatch.setattr(evaluate, "ALIASES", {**aliases.ALIASES, **{k.lower(): p for k, (_, p) in extra.items()}})
    monkeypatch.setattr(evaluate, "OWNERS", {**aliases.OWNERS, **{k.lower(): o.lower() for k, (o, _) in extra.items()}})


# -- logic, and what can't be judged ---------------------------------------------------------------------------

UNKNOWN = {"field": "Microsoft.MachineLearningServices/workspaces/noSuchAlias", "equals": "x"}
TRUE = {"field": "type", "equals": WS}
FALSE = {"field": "type", "equals": "Microsoft.Storage/storageAccounts"}


@pytest.mark.parametrize("condition, expected", [
    ({"allOf": [TRUE, TRUE]}, True),
    ({"allOf": [TRUE, FALSE]}, False),
    ({"anyOf": [FALSE, TRUE]}, True),
    ({"anyOf": [FALSE, FALSE]}, False),
    ({"not": FALSE}, True),
    ({"not": {"allOf": [TRUE, FALSE]}}, True),
    # one definite answer settles a logical operator whatever else can't be judged
    ({"allOf": [FALSE, UNKNOWN]}, False),
    ({"anyOf": [UNKNOWN, TRUE]}, True),
    ({"allOf": [TRUE, UNKNOWN]}, None),
    ({"anyOf": [FALSE, UNKNOWN]}, None),
    ({"not": UNKNOWN}, None),
])
def test_logic_is_three_valued(condition, expected):
    assert holds(condition) is expected


@pytest.mark.parametrize("condition, reason", [
    (UNKNOWN, "alias Microsoft.MachineLearningServices/workspaces/noSuchAlias is not in the evaluator's alias table"),
    ({"field": "Microsoft.Storage/storageAccounts/minimumTlsVersion", "equals": "TLS1_2"},
     "belongs to microsoft.storage/storageaccounts, not to Microsoft.MachineLearningServices/workspaces"),
    ({"value": "[resourceGroup().name]", "equals": "rg"}, "template function resourceGroup() is not supported"),
    ({"count": {"field": f"{WS}/x[*]"}, "greater": 0}, "a `count` condition is not supported"),
    ({"field": PNA, "less": "b", "equals": "a"}, "has no single known operator"),
    ({"field": PNA, "between": 1}, "has no single known operator"),
    ({"value": "[parameters('nope')]", "equals": "x"}, "parameter 'nope' has no value"),
    ({"field": PNA, "exists": "maybe"}, "exists takes true or false"),
])
def test_what_it_cannot_judge_it_says(condition, reason):
    outcome = judge(definition(condition), workspace(publicNetworkAccess="Enabled"), {"effect": "Deny"})
    assert outcome.applies is None
    assert any(reason in why for why in outcome.why), outcome.why


def test_api_version_unknown_and_missing_values_are_not_guessed():
    request = workspace(api_version=None)
    assert judge(definition({"value": "[requestContext().apiVersion]", "less": "2019-09-01"}), request,
                 {}).applies is None
    # an ordering comparison with a property the request leaves out
    cond = {"field": "Microsoft.KeyVault.Data/vaults/keys/keySize", "less": 2048}
    assert judge(definition(cond), request, {}).applies is None


def test_empty_arrays_under_star_are_not_guessed(monkeypatch):
    _patch_aliases(monkeypatch, {f"{WS}/ipRules[*].value": (WS, "properties.ipRules[*].value")})
    cond = {"field": f"{WS}/ipRules[*].value", "exists": "false"}
    assert judge(definition(cond), workspace(ipRules=[]), {}).applies is None
    assert judge(definition(cond), workspace(), {}).applies is None


def test_modes():
    cond = {"field": "type", "equals": WS}
    assert judge(definition(cond, mode="All"), workspace(indexed=False), {}).applies is True
    # Indexed only judges types that support tags and location
    assert judge(definition(cond, mode="Indexed"), workspace(indexed=False), {}).applies is False
    outcome = judge(definition(cond, mode="Microsoft.KeyVault.Data"), workspace(), {})
    assert outcome.applies is None and "data-plane" in outcome.why[0]


def test_the_reason_names_the_property_and_the_condition():
    cond = {"allOf": [TRUE, {"anyOf": [{"field": PNA, "exists": "false"}, {"field": PNA, "notEquals": "Disabled"}]}]}
    assert judge(definition(cond), workspace(), {}).why == (
        'properties.publicNetworkAccess is not set (condition: exists "false")',)
    assert judge(definition(cond), workspace(publicNetworkAccess="Enabled"), {}).why == (
        'properties.publicNetworkAccess is "Enabled" (condition: notEquals "Disabled")',)
    negated = {"allOf": [TRUE, {"not": {"field": PNA, "equals": "Disabled"}}]}
    assert judge(definition(negated), workspace(), {}).why == (
        'properties.publicNetworkAccess is not set (condition: not equals "Disabled")',)


# -- parameters and effects -----------------------------------------------------------------------------------

PARAMS = {
    "effect": {"type": "String", "defaultValue": "Audit", "allowedValues": ["Audit", "Deny", "Disabled"]},
    "tagName": {"type": "String"},
    "sizes": {"type": "Array", "defaultValue": [2048], "allowedValues": [2048, 3072]},
}


@pytest.mark.parametrize("assigned, values, problem", [
    ({"tagName": "env"}, {"effect": "Audit", "tagName": "env", "sizes": [2048]}, None),
    ({"tagName": "env", "sizes": [2048, 4096]}, None, "parameter 'sizes' is [2048, 4096]; allowed: 2048, 3072"),
    ({"tagName": "env", "effect": "deny"}, {"effect": "deny", "tagName": "env", "sizes": [2048]}, None),
    ({}, None, "parameter 'tagName' has no default and the assignment gives no value"),
    ({"tagName": "env", "effect": "Block"}, None, "parameter 'effect' is 'Block'; allowed: Audit, Deny, Disabled"),
    ({"tagName": "env", "colour": "red"}, None, "parameter 'colour' is not defined by the definition"),
])
def test_effective_parameters(assigned, values, problem):
    defn = definition(TRUE, parameters=PARAMS)
    if problem is None:
        assert effective_parameters(defn, assigned) == values
    else:
        with pytest.raises(AssignmentError, match=re.escape(problem)):
            effective_parameters(defn, assigned)


@pytest.mark.parametrize("then, parameters, expected", [
    ("[parameters('effect')]", {"effect": "Deny"}, "Deny"),
    ("[parameters('effect')]", {"effect": "deny"}, "Deny"),
    ("[parameters('effect')]", {"effect": "auditIfNotExists"}, "AuditIfNotExists"),
    ("deny", {}, "Deny"),
    ("Modify", {}, "Modify"),
])
def test_effect(then, parameters, expected):
    assert effect(definition(TRUE, then=then), parameters) == expected


def test_effect_with_an_unknown_function_is_not_evaluable():
    with pytest.raises(NotEvaluable, match="is not supported"):
        effect(definition(TRUE, then="[if(true(), 'Deny', 'Audit')]"), {})


# -- the shipped definitions ----------------------------------------------------------------------------------


def test_438c38d2_denies_a_project_without_public_network_access():
    defn = known(NO_PUBLIC_ML)
    assert defn is not None and defn.display_name == (
        "Azure Machine Learning Workspaces should disable public network access")
    deny = effective_parameters(defn, {"effect": "Deny"})
    assert effect(defn, deny) == "Deny"
    project = workspace()
    outcome = judge(defn, project, deny)
    assert outcome.applies is True and "properties.publicNetworkAccess is not set" in outcome.why[0]
    assert judge(defn, workspace(publicNetworkAccess="Disabled"), deny).applies is False
    assert judge(defn, workspace(publicNetworkAccess="Enabled"), deny).applies is True
    # the default effect is Audit
    assert effect(defn, effective_parameters(defn, {})) == "Audit"


def test_real_definitions_with_functions():
    tag = known("/providers/Microsoft.Authorization/policyDefinitions/871b6d14-10aa-478d-b590-94f262ecfa99")
    assert judge(tag, workspace(), {"tagName": "env"}).applies is False
    assert judge(tag, workspace(), {"tagName": "owner"}).applies is True
    assert effect(tag, {"tagName": "owner"}) == "Deny"
    idle = known("/providers/Microsoft.Authorization/policyDefinitions/679ddf89-ab8f-48a5-9029-e76054077449")
    compute = Request(type=f"{WS}/computes", name="ci", id="/x/ci", body={"properties": {
        "computeType": "ComputeInstance", "properties": {"idleTimeBeforeShutdown": "PT30M"}}})
    assert judge(idle, compute, {"effect": "Deny"}).applies is False
    compute = Request(type=f"{WS}/computes", name="ci", id="/x/ci", body={"properties": {
        "computeType": "ComputeInstance", "properties": {"idleTimeBeforeShutdown": ""}}})
    assert judge(idle, compute, {"effect": "Deny"}).applies is True
    vault_public = known("/providers/Microsoft.Authorization/policyDefinitions/405c5871-3e91-4644-8a63-58e19d68ff5b")
    vault = Request(type="Microsoft.KeyVault/vaults", name="kv", id="/x/kv", api_version="2024-11-01",
                    body={"location": "x", "properties": {"publicNetworkAccess": "Enabled"}})
    assert judge(vault_public, vault, {"effect": "Deny"}).applies is True
    firewall = known("/providers/Microsoft.Authorization/policyDefinitions/55615ac9-af46-4a59-874e-391cc3dfb490")
    params = effective_parameters(firewall, {})
    private = Request(type="Microsoft.KeyVault/vaults", name="kv", id="/x/kv", api_version="2024-11-01", body={
        "properties": {"publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny"}}})
    assert judge(firewall, private, params).applies is False
    # its `count` conditions only matter with restrictIPAddresses: Yes, and a vault public access doesn't settle
    public = Request(type="Microsoft.KeyVault/vaults", name="kv", id="/x/kv", api_version="2024-11-01", body={
        "properties": {"publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Deny"}}})
    assert judge(firewall, public, params).applies is False
    outcome = judge(firewall, public, {**params, "restrictIPAddresses": "Yes", "allowedIPAddresses": ["1.2.3.4"]})
    assert outcome.applies is None and "count" in " ".join(outcome.why)


def test_storage_request_meets_the_storage_definitions():
    inputs = {"accountName": "st", "resourceGroupName": "rg", "location": "westeurope", "kind": "StorageV2",
              "sku": {"name": "Standard_LRS"}, "enableHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2",
              "networkRuleSet": {"defaultAction": "Deny"}, "allowBlobPublicAccess": False}
    request = arm_request(STORAGE, "/subscriptions/s/resourceGroups/rg/providers/"
                          "Microsoft.Storage/storageAccounts/st", inputs)
    by = {d.name[:8]: d for d in shipped().values()}
    deny = {"effect": "Deny"}
    assert judge(by["404c3081"], request, deny).applies is False  # supportsHttpsTrafficOnly, renamed in the SDK
    assert judge(by["34c877ad"], request, deny).applies is False  # networkAcls, renamed in the SDK
    assert judge(by["fe83a0eb"], request, {**deny, "minimumTlsVersion": "TLS1_2"}).applies is False
    assert judge(by["4fa4b6c0"], request, deny).applies is False
    assert judge(by["bf045164"], request, {"effect": "Audit"}).applies is True  # LRS is not geo-redundant
    assert judge(by["8c6a50c6"], request, deny).applies is True  # allowSharedKeyAccess left out
    assert judge(by["438c38d2"], request, deny).applies is False  # another type


def test_cosmos_request_meets_the_cosmos_definitions():
    from components.resource_types import COSMOS

    inputs = {"accountName": "cosmos-x", "resourceGroupName": "rg", "location": "westeurope", "kind": "GlobalDocumentDB",
              "databaseAccountOfferType": "Standard", "disableLocalAuth": True, "publicNetworkAccess": "Disabled"}
    request = arm_request(COSMOS, "/subscriptions/s/resourceGroups/rg/providers/"
                          "Microsoft.DocumentDB/databaseAccounts/cosmos-x", inputs)
    assert request.body["properties"]["disableLocalAuth"] is True and request.body["kind"] == "GlobalDocumentDB"
    by = {d.name[:8]: d for d in shipped().values()}
    deny = {"effect": "Deny"}
    assert judge(by["5450f5bd"], request, deny).applies is False
    assert judge(by["797b37f7"], request, deny).applies is False
    public = arm_request(COSMOS, request.id, {**inputs, "publicNetworkAccess": "Enabled", "disableLocalAuth": False})
    assert judge(by["5450f5bd"], public, deny).applies is True
    assert judge(by["797b37f7"], public, deny).applies is True
    # Key-based metadata writes left on: the Append definition adds disableKeyBasedMetadataWriteAccess.
    assert judge(by["4750c32b"], request, {}).applies is True and effect(by["4750c32b"], {}) == "Append"
    assert judge(by["4750c32b"], arm_request(COSMOS, request.id, {**inputs, "disableKeyBasedMetadataWriteAccess": True}),
                 {}).applies is False


def test_private_link_for_ai_services_is_not_judged_on_a_create_request():
    """d6759c02 counts approved private endpoint connections, which Azure adds after the private endpoint."""
    defn = known("/providers/Microsoft.Authorization/policyDefinitions/d6759c02-b87f-42b7-892e-71b3f471d782")
    assert defn is not None and effect(defn, effective_parameters(defn, {})) == "Audit"
    with pytest.raises(AssignmentError):
        effective_parameters(defn, {"effect": "Deny"})  # Audit or Disabled only
    account = arm_request(ACCOUNT, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/"
                          "accounts/ais", {"accountName": "ais", "resourceGroupName": "rg", "kind": "AIServices",
                                           "location": "westeurope", "properties": {"allowProjectManagement": True}})
    outcome = judge(defn, account, {"effect": "Audit"})
    assert outcome.applies is None and "count" in " ".join(outcome.why)
    storage = arm_request(STORAGE, "/x/st", {"accountName": "st", "location": "westeurope"})
    assert judge(defn, storage, {"effect": "Audit"}).applies is False  # another type


def test_037eea7a_judges_a_foundry_account_and_its_search_service():
    from components.resource_types import SEARCH

    defn = known("/providers/Microsoft.Authorization/policyDefinitions/037eea7a-bd0a-46c5-9a66-03aea78705d3")
    deny = {"effect": "Deny"}
    private = arm_request(ACCOUNT, "/x/ais", {"accountName": "ais", "kind": "AIServices", "location": "westeurope",
                                             "properties": {"allowProjectManagement": True,
                                                            "publicNetworkAccess": "Disabled"}})
    assert judge(defn, private, deny).applies is False
    search = arm_request(SEARCH, "/x/srch", {"searchServiceName": "srch", "location": "westeurope",
                                            "publicNetworkAccess": "disabled"})
    assert judge(defn, search, deny).applies is False
    open_search = arm_request(SEARCH, "/x/srch", {"searchServiceName": "srch", "location": "westeurope",
                                                 "publicNetworkAccess": "enabled"})
    assert judge(defn, open_search, deny).applies is True  # public, and no IP rules to restrict it


def _cited_definition_ids():
    """Every built-in policy definition the repository cites: rule docstrings, stacks, scenarios, README."""
    guid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    cited = set()
    files = [*ROOT.glob("baseline/*.py"), *ROOT.glob("policy/*.py"), *ROOT.glob("policy/aihub_baseline/*.py"), *ROOT.glob("Pulumi.*.yaml"),
             *ROOT.glob("tests/stacks/*.yaml"), ROOT / "README.md"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        cited |= set(re.findall(rf"policyDefinitions/({guid})", text))
        for mention in re.findall(rf"Azure Policy ({guid}(?:[^\"]*?(?:and|,) {guid})*)", text):
            cited |= set(re.findall(guid, mention))
    return cited


def test_every_definition_the_repository_cites_is_shipped():
    cited = _cited_definition_ids()
    assert "438c38d2-3772-465a-a9cc-7a6666a275ce" in cited and "55615ac9-af46-4a59-874e-391cc3dfb490" in cited
    assert cited - set(shipped()) == set()


def test_shipped_definitions_are_the_real_ones_with_their_source():
    for path in sorted((ROOT / "azpolicy" / "definitions").glob("*.json")):
        data = json.loads(path.read_text())
        assert path.stem == data["name"] and data["id"].endswith("/policyDefinitions/" + data["name"])
        assert data["source"]["repository"] == "Azure/azure-policy"
        assert data["source"]["path"].startswith("built-in-policies/policyDefinitions/")
        assert re.fullmatch(r"[0-9a-f]{40}", data["source"]["commit"])
        assert set(data["policyRule"]) == {"if", "then"}


def test_every_alias_a_shipped_arm_definition_uses_is_mapped():
    for defn in shipped().values():
        if defn.mode.lower() in ("all", "indexed"):
            missing = {a for a in aliases_used(defn.rule) if a.lower() not in {k.lower() for k in ALIAS_PATHS}}
            assert missing == set(), defn.name


# -- wire inputs to the ARM request ---------------------------------------------------------------------------


def test_arm_body_flattens_like_azure_native():
    inputs = {"resourceGroupName": "rg", "workspaceName": "proj-a", "kind": "Project", "location": "westeurope",
              "sku": {"name": "Basic"}, "identity": {"type": "SystemAssigned"}, "tags": {"a": "b"},
              "hubResourceId": "/hub", "friendlyName": "A"}
    assert arm_body(WORKSPACE, inputs) == {
        "kind": "Project", "location": "westeurope", "sku": {"name": "Basic"},
        "identity": {"type": "SystemAssigned"}, "tags": {"a": "b"},
        "properties": {"hubResourceId": "/hub", "friendlyName": "A"}}
    account = {"resourceGroupName": "rg", "accountName": "ais", "kind": "AIServices",
               "properties": {"disableLocalAuth": True}}
    assert arm_body(ACCOUNT, account) == {
        "kind": "AIServices", "properties": {"disableLocalAuth": True}}
    assert arm_body(STORAGE, {"accountName": "st", "enableHttpsTrafficOnly": True})[
        "properties"] == {"supportsHttpsTrafficOnly": True}


def test_a_capability_hosts_properties_are_its_bodys():
    # A project's capability host is a generic resource, whose body is `properties` already.
    host = {"resourceGroupName": "rg", "resourceProviderNamespace": "Microsoft.CognitiveServices",
            "parentResourcePath": "accounts/ais/projects/proj-a", "resourceType": "capabilityHosts",
            "resourceName": "caphost", "apiVersion": "2025-06-01",
            "properties": {"capabilityHostKind": "Agents", "threadStorageConnections": ["proj-a-cosmos"]}}
    assert arm_body("azure-native:resources:Resource", host)["properties"] == {
        "capabilityHostKind": "Agents", "threadStorageConnections": ["proj-a-cosmos"]}
    account_host = {"resourceGroupName": "rg", "accountName": "ais", "capabilityHostName": "caphost",
                    "capabilityHostProperties": {"capabilityHostKind": "Agents"}}
    assert arm_body("azure-native:cognitiveservices:AccountCapabilityHost", account_host) == {
        "properties": {"capabilityHostKind": "Agents"}}
    import importlib

    from azpolicy.requests import PROPERTIES_INPUT

    for token, wire in PROPERTIES_INPUT.items():  # the SDK's own input names
        _, module, name = token.split(":")
        sdk = importlib.import_module(f"pulumi_azure_native.{module}")
        args = getattr(sdk, f"{name}InitArgs", None) or getattr(sdk, f"{name}Args")
        assert re.sub(r"(?<!^)(?=[A-Z])", "_", wire).lower() in inspect.signature(args.__init__).parameters


def _sdk_inputs(token):
    import importlib

    _, module, name = token.split(":")
    args = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), f"{name}Args")
    return {re.sub(r"_([a-z])", lambda m: m[1].upper(), p) for p in inspect.signature(args.__init__).parameters}


def test_every_alias_path_is_something_the_sdk_can_send():
    """An alias whose first property the azure-native type has no input for would read a renamed property."""
    owners = {arm_type.lower(): token for token, (arm_type, _) in ARM_TYPES.items()}
    assert set(ALIAS_PATHS) >= STATE_ONLY
    for alias, (owner, path) in ALIAS_PATHS.items():
        if alias in STATE_ONLY:
            continue  # Azure fills it in; nothing to send
        token = owners.get(owner.lower())
        assert token, f"{alias}: no azure-native type for {owner}"
        inputs = _sdk_inputs(token)
        head, _, rest = path.partition(".")
        if head != "properties":
            assert head in inputs, alias
        elif "properties" not in inputs:
            sent_as = {v: k for k, v in RENAMED.get(token, {}).items()}
            first = re.sub(r"\[\*\]$", "", rest.split(".")[0])
            assert sent_as.get(first, first) in inputs or first.lower() in {i.lower() for i in inputs}, alias


def test_sdk_facts():
    version, indexed = sdk_facts(WORKSPACE)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(-preview)?", version) and indexed
    assert sdk_facts(CONNECTION)[1] is False
    assert sdk_facts(DEPLOYMENT)[1] is False  # no location
    assert sdk_facts("pulumi:providers:azure-native") == (None, False)
