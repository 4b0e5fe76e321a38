"""Built-in Azure role IDs and collision-free role-assignment names.

GUIDs are the built-in role definition names listed in Microsoft's
"Azure built-in roles" reference (MicrosoftDocs/azure-docs,
articles/role-based-access-control/built-in-roles.md).
"""

import uuid
from typing import Optional

from .arm import GUID_PATTERN, subscription_of

BUILTIN_ROLES: dict[str, str] = {
    "Azure AI Administrator": "b78c5d69-af96-48a3-bf8d-a8b4d589de94",
    "Azure AI Developer": "64702f94-c441-49e6-a78b-ef80e0188fee",
    "Azure AI Enterprise Network Connection Approver": "b556d68e-0be0-4f35-a333-ad7ee1ce17ea",
    "Azure AI Inference Deployment Operator": "3afb7f49-54cb-416e-8c09-6dc049efa503",
    "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
    "Cognitive Services Contributor": "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
    "Cognitive Services OpenAI Contributor": "a001fd3d-188f-4b5d-821b-7da978bf7442",
    "Cognitive Services OpenAI User": "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
    "Cognitive Services User": "a97b65f3-24c7-4388-baec-2e87135dc908",
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Storage File Data Privileged Contributor": "69566ab7-960f-475b-8e7c-b3118f30c6bd",
    "AcrPull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    "AcrPush": "8311e382-0749-4cb8-b61a-304f252e45ec",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    # Foundry resources (Learn, foundry/concepts/rbac-foundry; the GUIDs as foundry/how-to/create-projects lists them
    # "to avoid issues during the rename rollout").
    "Foundry User": "53ca6127-db72-4b80-b1b0-d745d6d5456d",
    "Foundry Project Manager": "eadc314b-1a2d-4efa-be10-5d325db5065e",
    "Foundry Account Owner": "e47c6f54-e4a2-4754-9501-8e0985b135e1",
    "Foundry Owner": "c883944f-8b7b-4483-af10-35834be79c4a",
    # What a Foundry project's identity needs on the standard agent setup's stores, and the CMK identity on the vault
    # (foundry-samples infrastructure-setup-bicep/15-private-network-standard-agent-setup: cosmosdb-account-role-
    # assignment, azure-storage-account-role-assignment, ai-search-role-assignments, blob-storage-container-role-
    # assignments; Learn built-in roles, Databases / Storage / AI + machine learning / Security).
    "Cosmos DB Operator": "230815da-be43-4aae-9cb4-875f7bd000aa",
    "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    "Search Index Data Contributor": "8ebe5a00-799e-43f5-93ac-243d3dce84a7",
    "Search Service Contributor": "7ca78c08-252a-4471-8644-bb5ff32d4ba0",
    "Key Vault Crypto User": "12338af0-0e69-4776-bea7-57ae8d297424",
}

#: The Foundry roles' names before the 2026 rename: "Foundry User, Foundry Owner, Foundry Account Owner, and Foundry
#: Project Manager were previously named Azure AI User, Azure AI Owner, Azure AI Account Owner, and Azure AI Project
#: Manager ... The role IDs and core permissions are unchanged by the rename" (Learn, foundry/includes/
#: role-rename-note.md). Both names are taken, for the same GUID.
FORMER_ROLE_NAMES: dict[str, str] = {
    "Azure AI User": "Foundry User",
    "Azure AI Project Manager": "Foundry Project Manager",
    "Azure AI Account Owner": "Foundry Account Owner",
    "Azure AI Owner": "Foundry Owner",
}
BUILTIN_ROLES.update({former: BUILTIN_ROLES[current] for former, current in FORMER_ROLE_NAMES.items()})

#: Roles Learn says not to use for Foundry: "Don't assign built-in roles that start with Cognitive Services. These
#: roles are designed for accessing AI Services resources directly and don't apply to Foundry scenarios. Similarly,
#: don't use the Azure AI Developer role for Foundry work" (Learn, foundry/concepts/rbac-foundry).
NOT_FOR_FOUNDRY_PREFIX = "Cognitive Services"
NOT_FOR_FOUNDRY = ("Azure AI Developer",)

#: What works with a hub's storage through Entra ID when shared keys are off: "Storage Blob Data Contributor and
#: Storage File Data Privileged Contributor" for uploads, prompt flow, notebooks and compute instances (Learn,
#: ai-foundry/how-to/disable-local-auth, "Assign roles to users"); the hub's own user-assigned identity too.
STORAGE_DATA_ROLES = ("Storage Blob Data Contributor", "Storage File Data Privileged Contributor")

# A fixed namespace, so the same (scope, principal, role) always maps to the
# same assignment name, in every stack and on every run.
_NAMESPACE = uuid.UUID("6f1d2c3a-9e0b-4c57-8a51-3f0e7b2d9c44")


def role_definition_id(scope_id: str, role_guid: str) -> str:
    """The full role definition ID for a built-in role, in the scope's subscription.

    The subscription-scoped form is what Azure returns for an assignment and
    what Bicep's subscriptionResourceId() builds, so it is used whenever the
    scope names its subscription (every real scope does, and the plans keep
    it). A scope that doesn't (a test double's `<name>_id`) gets the
    tenant-level form `/providers/Microsoft.Authorization/roleDefinitions/<guid>`:
    built-in roles are tenant-wide, and Azure takes that form for an
    assignment's `roleDefinitionId` too (ALZ-Bicep's role assignment modules
    send Bicep's tenantResourceId() of the role; Learn, "Remediate
    non-compliant resources", lists built-in roles in it; see also
    Azure/azure-rest-api-specs#11103 on the two forms).
    """
    try:
        prefix = f"/subscriptions/{subscription_of(scope_id)}"
    except ValueError:
        prefix = ""
    return f"{prefix}/providers/Microsoft.Authorization/roleDefinitions/{role_guid}"


def role_assignment_name(scope_id: str, principal_id: str, role_guid: str) -> str:
    """A GUID derived from scope, principal and role, like Bicep's guid(scope, principal, role).

    Including the scope and the principal (not just the resource group and the
    role, as some templates do) keeps two hubs in one resource group from
    claiming the same assignment name.
    """
    key = f"{scope_id.lower()}|{principal_id.lower()}|{role_guid.lower()}"
    return str(uuid.uuid5(_NAMESPACE, key))


def current_role_name(role: str) -> str:
    """A role's current name: a Foundry role's former name gives its new one; anything else is returned as is."""
    return FORMER_ROLE_NAMES.get(role, role)


def foundry_role_problem(role: str) -> Optional[str]:
    """Why `role` (a built-in role name or a role definition GUID) must not be granted on a Foundry resource or
    project; None when it may. A GUID of a refused built-in role is refused as its name is."""
    by_guid = {guid: name for name, guid in BUILTIN_ROLES.items()}
    name = by_guid.get(role.lower(), role) if GUID_PATTERN.match(role) else role
    if name.startswith(NOT_FOR_FOUNDRY_PREFIX) or name in NOT_FOR_FOUNDRY:
        return (f"{name} is not for Foundry: Learn (foundry/concepts/rbac-foundry) says not to assign roles that "
                "start with Cognitive Services nor Azure AI Developer for Foundry work; use Foundry User (or Foundry "
                "Project Manager)")
    if name not in BUILTIN_ROLES and not GUID_PATTERN.match(role):
        return f"unknown role {role!r}: use a role definition GUID or a built-in role name (e.g. Foundry User)"
    return None


def role_slug(role: str) -> str:
    """A role name (or GUID) as a fragment of a Pulumi resource name."""
    return role.lower().replace(" ", "-")
