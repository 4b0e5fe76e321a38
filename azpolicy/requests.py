"""What the program sends (azure-native wire inputs) as the ARM create request Azure Policy judges.

azure-native sends a resource's top-level ARM members (location, tags, sku, identity, kind, ...) as inputs of the
same name, takes the URL's path parameters (resource group, the resource's and its parents' names, a scope) as
inputs, and flattens everything under `properties` into the other inputs; a resource whose SDK type has a
`properties` input sends that object as `properties` as is (a cognitive services account, a key vault, a compute,
a connection; a capability host sends it under another name, `PROPERTIES_INPUT`). A few properties are renamed in
the SDK after the REST spec's `x-ms-client-name`; those the shipped definitions read are mapped back in `RENAMED`.
"""

import importlib
import inspect
import re
from functools import cache
from typing import Any, Mapping, Optional

from components.resource_types import TYPES

from .evaluate import Request

# Pulumi type token -> (ARM resource type, the inputs that are path parameters, not body): every type the
# components create (components/resource_types.py), and AI Search, which a stack only connects to but the shipped
# definitions and the baseline judge (Microsoft.Search/searchServices: Services_CreateOrUpdate,
# PUT .../resourceGroups/{resourceGroupName}/providers/Microsoft.Search/searchServices/{searchServiceName}).
#: The generic resource's inputs that address it and pick the API version, not members of its body (azure-native
#: resources.Resource: resource_provider_namespace, parent_resource_path, resource_type, api_version).
GENERIC = "azure-native:resources:Resource"
GENERIC_ADDRESS = ("resourceProviderNamespace", "parentResourcePath", "resourceType", "apiVersion")
ARM_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    **{token: (kind.arm_type, kind.path_inputs + (GENERIC_ADDRESS if token == GENERIC else ()))
       for token, kind in TYPES.items()},
    "azure-native:search:Service": ("Microsoft.Search/searchServices", ("resourceGroupName", "searchServiceName")),
}

# Members of an ARM resource body outside `properties` (ARM resource envelope: Azure/azure-rest-api-specs
# common-types/resource-management v5 types.json TrackedResource, and the per-resource sku/identity/kind).
TOP_LEVEL = ("location", "tags", "sku", "identity", "kind", "zones", "extendedLocation", "plan", "etag", "managedBy")

# SDK input -> ARM property, per type, where azure-native names a property after its x-ms-client-name.
# Storage: specification/storage/resource-manager/Microsoft.Storage/stable/2024-01-01/storage.json,
# StorageAccountPropertiesCreateParameters: supportsHttpsTrafficOnly (x-ms-client-name EnableHttpsTrafficOnly),
# networkAcls (x-ms-client-name NetworkRuleSet).
RENAMED: dict[str, dict[str, str]] = {
    "azure-native:storage:StorageAccount": {
        "enableHttpsTrafficOnly": "supportsHttpsTrafficOnly",
        "networkRuleSet": "networkAcls",
    },
}

# SDK input that is the ARM body's whole `properties` under another name: the capability hosts, whose resources'
# `properties` ("[Required] Additional attributes of the entity", REST spec cognitiveservices 2025-06-01
# CapabilityHost / ProjectCapabilityHost) azure-native takes as capability_host_properties and
# project_capability_host_properties.
PROPERTIES_INPUT: dict[str, str] = {
    "azure-native:cognitiveservices:AccountCapabilityHost": "capabilityHostProperties",
}

_API_VERSION = re.compile(r"Uses Azure REST API version (\S+?)\.?\s")


@cache
def sdk_facts(type_token: str) -> tuple[Optional[str], bool]:
    """(API version, supports tags and location) of an azure-native type, read from its SDK class.

    The API version is the one the SDK's docstring states ("Uses Azure REST API version ..."); it is what the
    provider sends, so what `requestContext().apiVersion` returns in Azure.
    """
    parts = type_token.split(":")
    if len(parts) != 3 or parts[0] != "azure-native":
        return None, False
    try:
        module = importlib.import_module(f"pulumi_azure_native.{parts[1]}")
        resource = getattr(module, parts[2])
        args_class = getattr(module, f"{parts[2]}Args")
    except (ImportError, AttributeError):
        return None, False
    source = inspect.getsourcefile(resource)
    with open(source or "", encoding="utf-8") as handle:
        found = _API_VERSION.search(handle.read())
    parameters = inspect.signature(args_class.__init__).parameters
    return (found[1] if found else None), ("tags" in parameters and "location" in parameters)


def arm_body(type_token: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The ARM request body for a resource's wire inputs (path parameters left out)."""
    _, path = ARM_TYPES[type_token]
    renamed = RENAMED.get(type_token, {})
    body: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    for key, value in inputs.items():
        if key in path:
            continue
        if key in TOP_LEVEL:
            body[key] = value
        elif key in ("properties", PROPERTIES_INPUT.get(type_token)) and isinstance(value, Mapping):
            properties.update(value)
        else:
            properties[renamed.get(key, key)] = value
    if properties:
        body["properties"] = properties
    return body


def arm_request(type_token: str, resource_id: str, inputs: Mapping[str, Any]) -> Optional[Request]:
    """The create request Azure Policy sees for a resource, or None for a type this module does not map."""
    if type_token not in ARM_TYPES:
        return None
    arm_type, _ = ARM_TYPES[type_token]
    api_version, indexed = sdk_facts(type_token)
    if type_token == GENERIC:
        # The version the program asks for; a generic resource takes tags and location like any.
        api_version, indexed = str(inputs.get("apiVersion") or "") or None, True
    return Request(type=arm_type, name=resource_id.rstrip("/").rsplit("/", 1)[-1], id=resource_id,
                   body=arm_body(type_token, inputs), api_version=api_version, indexed=indexed)
