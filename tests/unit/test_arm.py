import pytest

from components.arm import (
    COGNITIVE_ACCOUNT,
    STORAGE_ACCOUNT,
    ai_foundry_hub_url,
    ai_foundry_project_url,
    azure_portal_url,
    name_and_group,
    parse_resource_id,
    resource_group_scope,
    subscription_of,
)

SUB = "00000000-0000-0000-0000-000000000001"
STORAGE_ID = f"/subscriptions/{SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata"


def test_parses_a_top_level_resource_id():
    ref = parse_resource_id(STORAGE_ID, STORAGE_ACCOUNT)
    assert (ref.subscription, ref.resource_group, ref.name) == (SUB, "rg-data", "stdata")


def test_type_match_ignores_case():
    assert parse_resource_id(STORAGE_ID.replace("Microsoft.Storage", "microsoft.storage"), STORAGE_ACCOUNT).name == "stdata"


@pytest.mark.parametrize(
    "value, reason",
    [
        ("stdata", "is not an Azure resource ID"),
        ("", "is not an Azure resource ID"),
        (STORAGE_ID.replace(SUB, "not-a-guid"), "is not an Azure resource ID"),
        (STORAGE_ID + "/blobServices/default", "not of a child resource"),
        (STORAGE_ID.replace("Microsoft.Storage/storageAccounts", "Microsoft.KeyVault/vaults"),
         "not Microsoft.KeyVault/vaults"),
    ],
)
def test_rejects_what_is_not_the_right_id(value, reason):
    with pytest.raises(ValueError, match=reason):
        parse_resource_id(value, STORAGE_ACCOUNT)


def test_rejects_the_wrong_type_naming_the_expected_one():
    with pytest.raises(ValueError, match=COGNITIVE_ACCOUNT):
        parse_resource_id(STORAGE_ID, COGNITIVE_ACCOUNT)


def test_subscription_of():
    assert subscription_of(STORAGE_ID) == SUB
    with pytest.raises(ValueError):
        subscription_of("/providers/Microsoft.Authorization/roleDefinitions/x")


def test_links():
    hub = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/hub-x"
    assert ai_foundry_hub_url(hub, "t") == f"https://ai.azure.com/managementCenter/hub/overview?wsid={hub}&tid=t"
    assert azure_portal_url(hub, "t") == f"https://portal.azure.com/#@t/resource{hub}/overview"


@pytest.mark.parametrize(("tenant", "foundry", "portal"), [
    ("t", "&tid=t", "#@t/"),
    (None, "", "#/"),
    ("", "", "#/"),
])
def test_links_without_a_tenant_leave_it_out(tenant, foundry, portal):
    hub = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/hub-x"
    assert ai_foundry_hub_url(hub, tenant).endswith(f"wsid={hub}{foundry}")
    assert ai_foundry_project_url(hub, tenant).endswith(f"wsid={hub}{foundry}")
    assert azure_portal_url(hub, tenant) == f"https://portal.azure.com/{portal}resource{hub}/overview"


@pytest.mark.parametrize(("subscription", "scope"), [
    (SUB, f"/subscriptions/{SUB}/resourceGroups/rg"),
    (None, "/resourceGroups/rg"),
])
def test_resource_group_scope(subscription, scope):
    assert resource_group_scope(subscription, "rg") == scope


def test_name_and_group_of_a_plain_id_now():
    assert name_and_group(STORAGE_ID, STORAGE_ACCOUNT) == ("stdata", "rg-data")
    with pytest.raises(ValueError, match=COGNITIVE_ACCOUNT):
        name_and_group(STORAGE_ID, COGNITIVE_ACCOUNT)
