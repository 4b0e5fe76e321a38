import re
import uuid

import pytest

from components.roles import (
    BUILTIN_ROLES,
    FORMER_ROLE_NAMES,
    current_role_name,
    foundry_role_problem,
    role_assignment_name,
    role_definition_id,
)

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SCOPE = "/subscriptions/00000000-0000-0000-0000-000000000009/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"


def test_builtin_roles_are_guids_and_distinct():
    assert all(GUID.match(g) for g in BUILTIN_ROLES.values())
    # One GUID per role, except the Foundry roles' former names (tested below).
    assert len(set(BUILTIN_ROLES.values())) == len(BUILTIN_ROLES) - len(FORMER_ROLE_NAMES)
    # Spot-check against Microsoft's built-in roles reference.
    assert BUILTIN_ROLES["Storage Blob Data Contributor"] == "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
    assert BUILTIN_ROLES["Azure AI Developer"] == "64702f94-c441-49e6-a78b-ef80e0188fee"


def test_role_definition_id_uses_the_scopes_subscription():
    assert role_definition_id(SCOPE, "abc") == (
        "/subscriptions/00000000-0000-0000-0000-000000000009/providers/Microsoft.Authorization/roleDefinitions/abc"
    )


def test_assignment_names_are_deterministic_guids():
    name = role_assignment_name(SCOPE, "p1", "r1")
    assert name == role_assignment_name(SCOPE, "p1", "r1")
    assert name == role_assignment_name(SCOPE.upper(), "P1", "R1")
    assert uuid.UUID(name).version == 5


def test_assignment_names_differ_by_scope_principal_and_role():
    names = {
        role_assignment_name(SCOPE, "p1", "r1"),
        role_assignment_name(SCOPE + "2", "p1", "r1"),
        role_assignment_name(SCOPE, "p2", "r1"),  # a second hub's identity in the same group
        role_assignment_name(SCOPE, "p1", "r2"),
    }
    assert len(names) == 4


def test_a_scope_without_a_subscription_gets_the_tenant_level_role_id():
    # Under Pulumi's canonical mocks a scope is '<name>_id'.
    assert role_definition_id("storage_id", "abc") == "/providers/Microsoft.Authorization/roleDefinitions/abc"


@pytest.mark.parametrize(
    "former, current, guid",
    [
        # Learn, foundry/includes/role-rename-note.md and foundry/how-to/create-projects (role IDs by GUID).
        ("Azure AI User", "Foundry User", "53ca6127-db72-4b80-b1b0-d745d6d5456d"),
        ("Azure AI Project Manager", "Foundry Project Manager", "eadc314b-1a2d-4efa-be10-5d325db5065e"),
        ("Azure AI Account Owner", "Foundry Account Owner", "e47c6f54-e4a2-4754-9501-8e0985b135e1"),
        ("Azure AI Owner", "Foundry Owner", "c883944f-8b7b-4483-af10-35834be79c4a"),
    ],
)
def test_renamed_foundry_roles_keep_their_guid_under_both_names(former, current, guid):
    assert BUILTIN_ROLES[former] == BUILTIN_ROLES[current] == guid
    assert FORMER_ROLE_NAMES[former] == current
    assert current_role_name(former) == current_role_name(current) == current


@pytest.mark.parametrize(
    "role, guid",
    [
        # foundry-samples 15-private-network-standard-agent-setup role assignment modules; Learn built-in roles.
        ("Cosmos DB Operator", "230815da-be43-4aae-9cb4-875f7bd000aa"),
        ("Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"),
        ("Search Index Data Contributor", "8ebe5a00-799e-43f5-93ac-243d3dce84a7"),
        ("Search Service Contributor", "7ca78c08-252a-4471-8644-bb5ff32d4ba0"),
        ("Key Vault Crypto User", "12338af0-0e69-4776-bea7-57ae8d297424"),
    ],
)
def test_agent_store_and_cmk_roles(role, guid):
    assert BUILTIN_ROLES[role] == guid


def test_only_the_former_foundry_names_share_a_guid():
    shared = {name for name, guid in BUILTIN_ROLES.items() if list(BUILTIN_ROLES.values()).count(guid) > 1}
    assert shared == set(FORMER_ROLE_NAMES) | set(FORMER_ROLE_NAMES.values())


@pytest.mark.parametrize(
    "role, reason",
    [
        ("Foundry User", None),
        ("Azure AI User", None),
        ("Foundry Project Manager", None),
        ("Reader", None),
        ("0b0b0b0b-1111-2222-3333-444444444444", None),  # a custom role's GUID
        ("Azure AI Developer", "Azure AI Developer is not for Foundry"),
        ("64702f94-c441-49e6-a78b-ef80e0188fee", "Azure AI Developer is not for Foundry"),
        ("Cognitive Services User", "Cognitive Services User is not for Foundry"),
        ("Cognitive Services OpenAI User", "start with Cognitive Services"),
        ("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", "Cognitive Services OpenAI User is not for Foundry"),
        ("Data Wizard", "unknown role 'Data Wizard'"),
    ],
)
def test_roles_refused_for_foundry(role, reason):
    found = foundry_role_problem(role)
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found
        assert ("rbac-foundry" in found) == ("not for Foundry" in reason or "Cognitive" in reason)
