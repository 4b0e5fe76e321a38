"""Azure Resource Manager IDs: parse, check their type, build links."""

import re
from dataclasses import dataclass
from typing import Optional
from urllib.parse import quote

import pulumi

from .validation import later

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
GUID_PATTERN = re.compile(rf"^{_GUID}$")
_RESOURCE_ID = re.compile(
    rf"^/subscriptions/(?P<subscription>{_GUID})"
    r"/resourceGroups/(?P<resource_group>[-\w._()]{1,90})"
    r"/providers/(?P<namespace>[A-Za-z][\w.]*)"
    r"/(?P<rest>[^?#\s]+)$",
    re.IGNORECASE,
)

STORAGE_ACCOUNT = "Microsoft.Storage/storageAccounts"
KEY_VAULT = "Microsoft.KeyVault/vaults"
APPLICATION_INSIGHTS = "Microsoft.Insights/components"
CONTAINER_REGISTRY = "Microsoft.ContainerRegistry/registries"
COGNITIVE_ACCOUNT = "Microsoft.CognitiveServices/accounts"
LOG_ANALYTICS = "Microsoft.OperationalInsights/workspaces"


@dataclass(frozen=True)
class ResourceId:
    """The parts of a top-level resource ID."""

    subscription: str
    resource_group: str
    type: str
    name: str


def parse_resource_id(value: str, expected_type: str) -> ResourceId:
    """Parse `value` as the ID of a resource of `expected_type`, or raise ValueError.

    Only top-level resources are accepted (no child segments): every dependency
    a hub takes is one.
    """
    match = _RESOURCE_ID.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(
            "is not an Azure resource ID (/subscriptions/<guid>/resourceGroups/<name>"
            f"/providers/{expected_type}/<name>)"
        )
    segments = match["rest"].split("/")
    if len(segments) != 2 or not segments[1]:
        raise ValueError(f"must be the ID of a {expected_type} resource, not of a child resource")
    found = f"{match['namespace']}/{segments[0]}"
    if found.lower() != expected_type.lower():
        raise ValueError(f"must be the ID of a {expected_type} resource, not {found}")
    return ResourceId(match["subscription"], match["resource_group"], expected_type, segments[1])


def name_and_group(value: "pulumi.Input[str]", expected_type: str) -> tuple["pulumi.Input[str]", "pulumi.Input[str]"]:
    """A resource ID's name and resource group: parsed now when it is a plain string, else once it is known.

    An ID from another resource (an Output) is parsed inside `apply`; a bad one
    then fails the deployment with the same reason as a plain one fails at once.
    """
    if isinstance(value, str):
        ref = parse_resource_id(value, expected_type)
        return ref.name, ref.resource_group
    parsed = later(value).apply(lambda v: parse_resource_id(v, expected_type))
    return parsed.apply(lambda r: r.name), parsed.apply(lambda r: r.resource_group)


def subscription_of(resource_id: str) -> str:
    """The subscription segment of any ARM ID (no type check)."""
    parts = resource_id.split("/")
    if len(parts) < 3 or parts[1].lower() != "subscriptions":
        raise ValueError(f"not a subscription-scoped ID: {resource_id!r}")
    return parts[2]


def ai_foundry_hub_url(hub_id: str, tenant_id: Optional[str]) -> str:
    """The hub's management page in the Foundry portal (ai.azure.com).

    Without a tenant (an invoke that returned nothing, as test doubles do) the
    link leaves `tid` out and the portal uses the signed-in tenant.
    """
    tenant = f"&tid={tenant_id}" if tenant_id else ""
    return f"https://ai.azure.com/managementCenter/hub/overview?wsid={quote(hub_id, safe='/')}{tenant}"


def ai_foundry_project_url(project_id: str, tenant_id: Optional[str]) -> str:
    """A hub-based project's overview in the Foundry portal (ai.azure.com)."""
    tenant = f"&tid={tenant_id}" if tenant_id else ""
    return f"https://ai.azure.com/build/overview?wsid={quote(project_id, safe='/')}{tenant}"


def azure_portal_url(resource_id: str, tenant_id: Optional[str]) -> str:
    """The resource's overview blade in the Azure portal, in the right tenant (or the signed-in one)."""
    tenant = f"@{tenant_id}" if tenant_id else ""
    return f"https://portal.azure.com/#{tenant}/resource{resource_id}/overview"


def resource_group_scope(subscription_id: Optional[str], resource_group: str) -> str:
    """The ARM scope of a resource group.

    getClientConfig always names the subscription in Azure; a test double's
    empty answer gets the subscription-less form rather than `/subscriptions/None`.
    """
    prefix = f"/subscriptions/{subscription_id}" if subscription_id else ""
    return f"{prefix}/resourceGroups/{resource_group}"
