import re
import uuid

from components.roles import BUILTIN_ROLES, role_assignment_name, role_definition_id

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SCOPE = "/subscriptions/00000000-0000-0000-0000-000000000009/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"


def test_builtin_roles_are_guids_and_distinct():
    assert all(GUID.match(g) for g in BUILTIN_ROLES.values())
    assert len(set(BUILTIN_ROLES.values())) == len(BUILTIN_ROLES)
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
