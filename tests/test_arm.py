import pytest

from components.arm import (
    COGNITIVE_ACCOUNT,
    STORAGE_ACCOUNT,
    ai_foundry_hub_url,
    azure_portal_url,
    parse_resource_id,
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
