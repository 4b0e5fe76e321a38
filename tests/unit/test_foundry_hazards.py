"""The Foundry resource's hazards (components/hazards.py foundry_fingerprint): pure, table-driven."""

import pytest

from components.hazards import CONSEQUENCES, capability_host_text, foundry_fingerprint, hazards, retired_names

SUBNET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/agent"
VAULT = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
HOST = capability_host_text("caphost-a", ["a-cosmos", "a-search", "a-storage"])


def fingerprint(**changes):
    args = {"account_name": "contoso-ai-ais", "subdomain": "contoso-ai-ais-x1", "agent_subnet": SUBNET,
            "project_management": True, "cmk": None, "capability_hosts": {"a": HOST}, "projects": ["a", "b"]}
    return foundry_fingerprint(**{**args, **changes})


def test_the_fingerprint_as_exported():
    assert fingerprint() == {
        "foundryAccount": "contoso-ai-ais", "customSubdomain": "contoso-ai-ais-x1", "projectManagement": "enabled",
        "agentSubnet": SUBNET, "accountEncryption": "Microsoft-managed keys",
        "capabilityHosts": "a=caphost-a(a-cosmos,a-search,a-storage)", "foundryProjects": "a;b"}
    assert fingerprint(agent_subnet=None)["agentSubnet"] == "none"
    assert fingerprint(agent_subnet="created 10.20.0.0/24")["agentSubnet"] == "created 10.20.0.0/24"
    assert fingerprint(cmk=VAULT)["accountEncryption"] == f"customer-managed key in {VAULT}"


def test_a_brought_account_leaves_its_owners_settings_out():
    brought = fingerprint(subdomain=None, project_management=None, agent_subnet=None)
    assert set(brought) == {"foundryAccount", "capabilityHosts", "foundryProjects"}


def test_ids_from_other_resources_are_described():
    import pulumi

    found = fingerprint(agent_subnet=pulumi.Output.from_input(SUBNET), cmk=pulumi.Output.from_input(VAULT))
    assert found["agentSubnet"] == "an ID from another resource"
    assert found["accountEncryption"] == "customer-managed key in an ID from another resource"


OTHER_HOST = capability_host_text("caphost-a", ["a-cosmos2", "a-search", "a-storage"])


@pytest.mark.parametrize(("changes", "keys"), [
    ({}, []),
    ({"account_name": "other-ais"}, ["foundryAccount"]),
    ({"subdomain": "contoso-ai-ais-x2"}, ["customSubdomain"]),
    ({"agent_subnet": None}, ["agentSubnet"]),
    ({"agent_subnet": "created 10.20.0.0/24"}, ["agentSubnet"]),
    ({"project_management": False}, ["projectManagement"]),
    ({"cmk": VAULT}, ["accountEncryption"]),
    ({"capability_hosts": {"a": OTHER_HOST}}, ["capabilityHosts"]),
    ({"capability_hosts": {"a": capability_host_text("caphost-a2", ["a-cosmos", "a-search", "a-storage"])}},
     ["capabilityHosts"]),
    ({"projects": ["a", "c"]}, ["foundryProjects"]),  # b renamed (or removed): a new, empty project
    # Not hazards: a new project, a new capability host, a brought account's settings now unknown.
    ({"projects": ["a", "b", "c"]}, []),
    ({"capability_hosts": {"a": HOST, "b": OTHER_HOST}}, []),
    ({"subdomain": None, "project_management": None}, []),
])
def test_hazards_of_a_change(changes, keys):
    found = hazards(fingerprint(), fingerprint(**changes))
    assert [h.key for h in found] == keys
    for hazard in found:
        assert hazard.message.endswith(CONSEQUENCES[hazard.key])


def test_project_management_may_be_turned_on():
    assert hazards(fingerprint(project_management=False), fingerprint()) == []


def test_customer_managed_keys_in_another_vault_or_turned_off_are_hazards():
    other = VAULT.replace("/kv", "/kv2")
    assert [h.key for h in hazards(fingerprint(cmk=VAULT), fingerprint(cmk=other))] == ["accountEncryption"]
    assert [h.key for h in hazards(fingerprint(cmk=VAULT), fingerprint())] == ["accountEncryption"]


def test_the_messages_name_what_goes():
    (gone,) = hazards(fingerprint(), fingerprint(projects=["a", "c"]))
    assert gone.message.startswith("hazard: foundryProjects changes from 'b' to 'a;c': ")
    (host,) = hazards(fingerprint(capability_hosts={"a": HOST, "b": HOST}),
                      fingerprint(capability_hosts={"a": HOST, "b": OTHER_HOST}))
    assert host.before == "b=" + HOST and host.after == "b=" + OTHER_HOST


def test_a_given_up_subdomain_is_remembered_and_its_reuse_called_out():
    first, second = fingerprint(), fingerprint(subdomain="contoso-ai-ais-x2")
    retired = retired_names(first, second)
    assert retired == "contoso-ai-ais-x1"
    back = hazards({**second, "retiredNames": retired}, first)
    assert [(h.key, h.before == h.after) for h in back] == [("customSubdomain", False), ("customSubdomain", True)]


def test_a_run_warns_against_the_fingerprint_it_last_exported():
    """As FoundryResource and the stack use it: Outputs inside, exported through watch_hazards."""
    import pulumi

    from components.hazards import watch_hazards
    from offline.engine import run

    def program(hosts):
        def build():
            found = fingerprint(subdomain=pulumi.Output.from_input("contoso-ai-ais-x1"), capability_hosts=hosts)
            pulumi.export("foundryFingerprint", watch_hazards(found, "foundryFingerprint"))
        return build

    config = {"azure-native:location": "swedencentral"}
    first = run(program({"a": HOST}), config, project="p", stack="s")
    assert first.warnings == [] and first.outputs["foundryFingerprint"]["customSubdomain"] == "contoso-ai-ais-x1"
    second = run(program({"a": OTHER_HOST}), config, project="p", stack="s",
                 previous_outputs={"foundryFingerprint": first.outputs["foundryFingerprint"]})
    assert [w.split(":")[1].split()[0] for w in second.warnings] == ["capabilityHosts"]
