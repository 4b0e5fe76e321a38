"""The registry of resource types (components/resource_types.py) against the SDK, the program and its copies.

The registry names each type once; the mock state, the diagram, the policy requests and the tests read it.
Its copies that can't read it (the policy pack ships alone) are held equal to it here.
"""

import importlib
import inspect
import re

import pytest
from harness import run_stack

import components.arm
import policy.aihub_baseline.rules as pack_rules
from azpolicy.requests import ARM_TYPES, GENERIC_ADDRESS
from components.resource_types import PROJECT_CAPABILITY_HOST, RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE, TYPES
from offline.azure_state import arm_id
from offline.diagram import CONCERNS, EXISTING_CONCERN, SHOWN


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@pytest.mark.parametrize("token", sorted(TYPES))
def test_each_type_is_an_sdk_resource_that_takes_its_path_inputs(token):
    """The token is the SDK class's own, and every input naming the resource or its scope is an SDK input."""
    _, module, name = token.split(":")
    sdk = importlib.import_module(f"pulumi_azure_native.{module}")
    resource = getattr(sdk, name)
    assert resource.pulumi_type == token  # set by the SDK's @pulumi.type_token
    # A resource whose name is also a nested type's (network's Subnet) has its arguments in <Name>InitArgs.
    args = getattr(sdk, f"{name}InitArgs", None) or getattr(sdk, f"{name}Args")
    parameters = set(inspect.signature(args.__init__).parameters)
    for wire in TYPES[token].path_inputs:
        # The generic resource takes its name as `resource_name_` (`resource_name` is Pulumi's own parameter).
        assert _snake(wire) in parameters or f"{_snake(wire)}_" in parameters, f"{token}: the SDK has no input {wire}"


def test_every_azure_resource_the_stacks_create_is_registered():
    created = set()
    for run in (run_stack("dev"), run_stack("prod", locks="true"), run_stack("max"),
                run_stack("private-internet-outbound"), run_stack("foundry-basic"), run_stack("foundry-private"),
                run_stack("hub-plus-foundry")):
        created |= {r.type for r in run.resources if r.custom and r.type.startswith("azure-native:")}
    assert created == set(TYPES)


def test_the_policy_packs_copy_of_the_tokens_is_the_registrys():
    """policy/ ships alone (`pulumi policy publish` uploads that folder), so its rules spell the tokens again."""
    copied = {name: value for name, value in vars(pack_rules).items()
              if name.isupper() and isinstance(value, str) and value.startswith("azure-native:")}
    registry = {name: value for name, value in vars(importlib.import_module("components.resource_types")).items()
                if name.isupper() and isinstance(value, str) and value.startswith("azure-native:")}
    # AI Search: the stack only connects to one; the pack judges those a team adds beside the hub.
    assert copied.pop("SEARCH") == "azure-native:search:Service" == registry.pop("SEARCH")
    assert len(copied) > 15
    assert {name: registry.get(name) for name in copied} == copied


def test_the_components_arm_types_are_the_registrys():
    registered = {kind.arm_type for kind in TYPES.values()}
    for name in ("STORAGE_ACCOUNT", "KEY_VAULT", "APPLICATION_INSIGHTS", "CONTAINER_REGISTRY", "COGNITIVE_ACCOUNT",
                 "LOG_ANALYTICS"):
        assert getattr(components.arm, name) in registered, name


def test_the_policy_requests_map_every_registered_type_as_registered():
    for token, kind in TYPES.items():
        extra = GENERIC_ADDRESS if token == PROJECT_CAPABILITY_HOST else ()
        assert ARM_TYPES[token] == (kind.arm_type, kind.path_inputs + extra)


@pytest.mark.parametrize(("token", "inputs", "expected"), [
    ("azure-native:resources:ResourceGroup", {"resourceGroupName": "rg-a"},
     "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-a"),
    ("azure-native:storage:BlobServiceProperties",
     {"resourceGroupName": "rg-a", "accountName": "st", "blobServicesName": "default"},
     "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-a/providers/"
     "Microsoft.Storage/storageAccounts/st/blobServices/default"),
    ("azure-native:authorization:RoleAssignment", {"scope": "/subscriptions/s/resourceGroups/rg", "roleAssignmentName": "g"},
     "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/g"),
    ("azure-native:monitor:DiagnosticSetting", {"resourceUri": "/x/y", "name": "to-logs"},
     "/x/y/providers/Microsoft.Insights/diagnosticSettings/to-logs"),
    # A child whose own name input is missing: Azure names it; the mock falls back to the logical name.
    ("azure-native:network:Subnet", {"resourceGroupName": "rg-a", "virtualNetworkName": "vnet"},
     "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-a/providers/"
     "Microsoft.Network/virtualNetworks/vnet/subnets/logical"),
    ("azure-native:nosuchmodule:Thing", {"resourceGroupName": "rg-a"},
     "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-a/providers/Mock.nosuchmodule/Thing/logical"),
])
def test_mock_ids_follow_the_registry(token, inputs, expected):
    assert arm_id(token, "logical", inputs) == expected


def test_every_drawn_type_is_in_a_subgraph_and_namespaces_agree():
    groups = {concern for concern, _ in CONCERNS}
    for kind in TYPES.values():
        assert kind.concern is None or kind.concern in groups, kind.token
        assert kind.scope in (RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE) or kind.scope in kind.path_inputs
        if kind.plural is not None:
            assert kind.concern is not None, f"{kind.token}: a plural label for a type never drawn"
    assert set(SHOWN) == {t for t, k in TYPES.items() if k.concern}
    # An existing resource is drawn where the stack's own resources of its namespace are.
    for kind in SHOWN.values():
        assert EXISTING_CONCERN[kind.namespace.lower()] == kind.concern, kind.token
