import re

import pytest

from components.naming import (
    BASE_NAME_MAX,
    WORKSPACE_NAME_PATTERN,
    HubNames,
    base_name_problem,
    connection_name,
    fit,
    suffix_problem,
    unique_suffix,
)

STORAGE = re.compile(r"^[a-z0-9]{3,24}$")
KEY_VAULT = re.compile(r"^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){1,22}[a-zA-Z0-9]$")
REGISTRY = re.compile(r"^[a-zA-Z0-9]{5,50}$")
ACCOUNT = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,62}[a-zA-Z0-9])?$")
LOG_ANALYTICS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$")
RESOURCE_GROUP = re.compile(r"^[-\w._()]{1,89}[-\w_()]$")

LONGEST = "a" + "-bcdefgh" * 4 + "ijklmn"  # 39 characters
assert len(LONGEST) <= BASE_NAME_MAX


@pytest.mark.parametrize(
    "name, problem",
    [
        ("contoso-ai", None),
        ("abc", None),
        ("a" * BASE_NAME_MAX, None),
        ("ab", "3 to 40"),
        ("a" * (BASE_NAME_MAX + 1), "3 to 40"),
        ("Contoso", "lowercase"),
        ("1contoso", "start with a letter"),
        ("contoso-", "end with a letter or digit"),
        ("con--toso", "single hyphens"),
        ("con_toso", "lowercase letters, digits"),
        ("con toso", "lowercase letters, digits"),
    ],
)
def test_base_name_rules(name, problem):
    found = base_name_problem(name)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


@pytest.mark.parametrize("base", ["abc", "contoso-ai", LONGEST, "z" * BASE_NAME_MAX])
def test_every_name_is_valid_for_azure(base):
    names = HubNames(base, unique_suffix(SUB, "rg-x", base, generation=999))
    assert WORKSPACE_NAME_PATTERN.match(names.hub)
    assert WORKSPACE_NAME_PATTERN.match(names.project("chat-assistant-for-support"))
    assert STORAGE.match(names.storage_account)
    assert KEY_VAULT.match(names.key_vault)
    assert REGISTRY.match(names.container_registry)
    assert LOG_ANALYTICS.match(names.log_analytics)
    for prefix in ("ais", "oai"):
        account = names.provider_account(prefix)
        assert ACCOUNT.match(account)
        assert ACCOUNT.match(names.custom_subdomain(account))
    assert RESOURCE_GROUP.match(names.resource_group("production"))


@pytest.mark.parametrize("base", ["contoso-ai", LONGEST])
def test_global_names_keep_the_whole_suffix(base):
    suffix = unique_suffix(SUB, "rg-x", base)
    names = HubNames(base, suffix)
    for name in (names.storage_account, names.key_vault, names.container_registry,
                 names.custom_subdomain(names.provider_account("ais"))):
        assert name.endswith(suffix)


SUB = "00000000-0000-0000-0000-000000000000"
OTHER_SUB = "99999999-9999-9999-9999-999999999999"


def test_suffix_is_stable_and_depends_on_subscription_group_base_and_generation():
    assert unique_suffix(SUB, "rg-a", "hub") == unique_suffix(SUB, "rg-a", "hub")
    # Subscription IDs and group names are case-insensitive in Azure.
    assert unique_suffix(SUB.upper(), "RG-A", "hub") == unique_suffix(SUB, "rg-a", "hub")
    variants = [
        unique_suffix(SUB, "rg-a", "hub"), unique_suffix(SUB, "rg-b", "hub"), unique_suffix(SUB, "rg-a", "hub2"),
        unique_suffix(OTHER_SUB, "rg-a", "hub"), unique_suffix(SUB, "rg-a", "hub", generation=1),
        unique_suffix(SUB, "rg-a", "hub", generation=2),
    ]
    assert len(set(variants)) == len(variants)
    assert all(re.fullmatch(r"[0-9a-f]{6}", v) for v in variants)


@pytest.mark.parametrize("suffix, ok", [("abc123", True), ("abcd", True), ("a" * 12, True), ("abc", False),
                                        ("a" * 13, False), ("ABC123", False), ("abc-12", False)])
def test_a_pinned_suffix(suffix, ok):
    assert (suffix_problem(suffix) is None) is ok
    if ok:
        # The longest pinned suffix still leaves room for the base in a 24-character vault name.
        names = HubNames("z" * BASE_NAME_MAX, suffix)
        assert KEY_VAULT.match(names.key_vault) and STORAGE.match(names.storage_account)


def test_shortened_names_stay_distinct():
    a = HubNames("x" * 35 + "-aaa", "s")
    b = HubNames("x" * 35 + "-bbb", "s")
    assert len(a.hub) <= 33 and len(b.hub) <= 33
    assert a.hub != b.hub


@pytest.mark.parametrize(
    "args, expected",
    [
        (("st", "contoso-ai", 24, "abc123", ""), "stcontosoaiabc123"),
        (("kv", "contoso-ai", 24, "abc123"), "kv-contoso-ai-abc123"),
        (("kv", "contoso-ai-platform-team", 24, "abc123"), "kv-contoso-ai-pla-abc123"),
        (("kv", "contoso-ai-pl-team", 24, "abc123"), "kv-contoso-ai-pl-abc123"),  # no dangling hyphen
        (("hub", "contoso", 33), "hub-contoso"),
        (("", "contoso", 33, "abc123"), "contoso-abc123"),
    ],
)
def test_fit(args, expected):
    assert fit(*args) == expected


def test_fit_refuses_when_nothing_fits():
    with pytest.raises(ValueError):
        fit("prefix", "base", 8, "suffix")


@pytest.mark.parametrize(
    "account, expected",
    [("ais-contoso-ai", "ais-contoso-ai"), ("My_OpenAI", "myopenai"), ("ab", "conn-ab")],
)
def test_connection_names(account, expected):
    assert connection_name(account) == expected
    assert WORKSPACE_NAME_PATTERN.match(connection_name(account))


ACCOUNT_ID = ("/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-shared/providers/"
              "Microsoft.CognitiveServices/accounts/Shared_OpenAI")


@pytest.mark.parametrize(
    "base, mode, existing, expected",
    [
        ("contoso-ai", "aiServices", None, "ais-contoso-ai"),
        ("contoso-ai", "openAI", None, "oai-contoso-ai"),
        # A brought account names the connection, whatever the hub is called.
        ("contoso-ai", "aiServices", ACCOUNT_ID, "sharedopenai"),
        # Cut to 33 characters, a hash of the whole name kept at the end.
        ("a-very-long-hub-base-name-of-forty-chars", "aiServices", None, "ais-a-very-long-hub-base-nam-e632"),
    ],
)
def test_provider_connection_name_is_the_one_the_hub_registers(base, mode, existing, expected):
    from components.provider import ProviderMode, provider_connection_name

    found = provider_connection_name(base, ProviderMode(mode), existing)
    assert found == expected
    assert WORKSPACE_NAME_PATTERN.match(found)


@pytest.mark.parametrize(
    "base, project, stack, workspace, group",
    [
        ("contoso-ai", "chat", "dev", "proj-contoso-ai-chat", "rg-contoso-ai-dev"),
        ("a-very-long-hub-base-name-of-forty-chars", "research-and-dev", "prod",
         "proj-a-very-long-hub-base-na-90a3", "rg-a-very-long-hub-base-name-of-forty-chars-prod"),
    ],
)
def test_names_without_a_suffix_match_the_hub_names(base, project, stack, workspace, group):
    from components.naming import project_workspace_name, stack_resource_group_name

    names = HubNames(base, "abc123")
    assert project_workspace_name(base, project) == names.project(project)
    assert stack_resource_group_name(base, stack) == names.resource_group(stack)
    assert project_workspace_name(base, project) == workspace
    assert stack_resource_group_name(base, stack) == group
    assert WORKSPACE_NAME_PATTERN.match(project_workspace_name(base, project))


# Learn, "Naming rules and restrictions for Azure resources": Microsoft.DocumentDB/databaseAccounts 3-44 lowercase
# letters, digits and hyphens, starting and ending with a letter or digit; Microsoft.Search/searchServices 2-60
# lowercase letters, digits and hyphens, no leading, trailing or consecutive hyphens. Both global.
COSMOS_DB = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,42})[a-z0-9]$")
SEARCH = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?!-)){0,58}[a-z0-9]$")


@pytest.mark.parametrize(
    "base, suffix, cosmos, search, storage",
    [
        ("contoso-ai", "x1y2z3", "cosmos-contoso-ai-x1y2z3", "srch-contoso-ai-x1y2z3", "stagcontosoaix1y2z3"),
        ("abc", "0000", "cosmos-abc-0000", "srch-abc-0000", "stagabc0000"),
        # 44 characters for Cosmos DB: the base is cut, the suffix kept whole, no hyphen left at the cut.
        (LONGEST, "abcdef123456", "cosmos-a-bcdefgh-bcdefgh-bcdefg-abcdef123456",
         "srch-a-bcdefgh-bcdefgh-bcdefgh-bcdefghijklmn-abcdef123456", "stagabcdefghabcdef123456"),
        ("z" * BASE_NAME_MAX, "q1w2e3", "cosmos-" + "z" * 30 + "-q1w2e3", "srch-" + "z" * 40 + "-q1w2e3",
         "stag" + "z" * 14 + "q1w2e3"),
    ],
)
def test_foundry_store_names(base, suffix, cosmos, search, storage):
    names = HubNames(base, suffix)
    assert (names.cosmos_db_account, names.search_service, names.agent_storage_account) == (cosmos, search, storage)
    assert COSMOS_DB.match(cosmos) and len(cosmos) <= 44
    assert SEARCH.match(search) and len(search) <= 60
    assert STORAGE.match(storage)
    # Never the hub's own storage account: both live in one resource group during a migration.
    assert storage != names.storage_account


@pytest.mark.parametrize("base", ["abc", "contoso-ai", LONGEST, "z" * BASE_NAME_MAX])
def test_foundry_store_names_are_valid_for_every_base(base):
    names = HubNames(base, unique_suffix(SUB, "rg-x", base, generation=999))
    assert COSMOS_DB.match(names.cosmos_db_account)
    assert SEARCH.match(names.search_service)
    assert STORAGE.match(names.agent_storage_account)
