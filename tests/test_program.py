"""The whole program, run for stack configs as `pulumi up` would (under mocks)."""

import pytest

from config import ConfigError
from harness import (
    ACCOUNT,
    CONNECTION,
    DEPLOYMENT,
    EXISTING,
    HUB,
    INSIGHTS,
    LOGS,
    RESOURCE_GROUP,
    ROLE,
    STORAGE,
    VAULT,
    WORKSPACE,
    run_stack,
)

TAGS = {"environment": "dev", "costCenter": "cc-1234", "owner": "platform-team"}
TAGGABLE = {RESOURCE_GROUP, STORAGE, VAULT, INSIGHTS, LOGS, ACCOUNT, DEPLOYMENT, WORKSPACE,
            "azure-native:containerregistry:Registry"}


def test_dev_stack_creates_a_dedicated_resource_group(dev_run):
    rg = dev_run.one(RESOURCE_GROUP)
    assert rg.inputs == {"resourceGroupName": "rg-contoso-ai-dev", "location": "swedencentral", "tags": TAGS}
    assert rg.parent.endswith("pulumi:pulumi:Stack::azure-ai-hub-dev")
    hub = dev_run.one(HUB)
    assert hub.name == "contoso-ai"
    assert all(
        r.inputs["resourceGroupName"] == "rg-contoso-ai-dev"
        for r in dev_run.resources
        if r.custom and r.type not in (RESOURCE_GROUP, ROLE)
    )
    # Everything waits for the group it goes in.
    assert all(rg.urn in r.dependencies for r in dev_run.by_type(STORAGE) + dev_run.by_type(WORKSPACE))


def test_dev_stack_hub_and_provider(dev_run):
    ws = dev_run.one(WORKSPACE).inputs
    assert ws["kind"] == "Hub" and ws["friendlyName"] == "Contoso AI (dev)"
    assert ws["location"] == "swedencentral"
    assert dev_run.one(ACCOUNT).inputs["kind"] == "AIServices"
    assert dev_run.one(CONNECTION).inputs["properties"]["category"] == "AIServices"
    assert sorted(d.inputs["deploymentName"] for d in dev_run.by_type(DEPLOYMENT)) == ["gpt-4o", "text-embedding-3-small"]


def test_tags_reach_every_taggable_resource(dev_run):
    taggable = [r for r in dev_run.resources if r.type in TAGGABLE]
    assert len(taggable) == 9
    assert all(r.inputs.get("tags") == TAGS for r in taggable), [r.type for r in taggable if r.inputs.get("tags") != TAGS]


def test_outputs(dev_run):
    hub = dev_run.one(WORKSPACE)
    account = dev_run.one(ACCOUNT)
    out = dev_run.outputs
    assert out["resourceGroup"] == "rg-contoso-ai-dev"
    assert out["hubName"] == "hub-contoso-ai" and out["hubId"] == hub.id
    assert out["providerEndpoint"] == account.state["properties"]["endpoint"]
    assert out["providerAccountId"] == account.id
    assert out["foundryUrl"].startswith("https://ai.azure.com/managementCenter/hub/overview?wsid=" + hub.id)
    assert out["portalUrl"].endswith(f"/resource{hub.id}/overview")
    assert dev_run.secret_outputs == set()


def test_openai_mode_with_a_new_account():
    run = run_stack(providerMode="openAI")
    assert run.one(ACCOUNT).inputs["kind"] == "OpenAI"
    assert run.one(CONNECTION).inputs["properties"]["category"] == "AzureOpenAI"


def test_openai_mode_with_an_existing_account():
    run = run_stack(providerMode="openAI", provider={"existingAccountId": EXISTING["openai"]})
    assert run.by_type(ACCOUNT) == [] and run.by_type(DEPLOYMENT) == []
    assert run.one(CONNECTION).inputs["properties"]["metadata"]["ResourceId"] == EXISTING["openai"]
    assert run.outputs["providerAccountId"] == EXISTING["openai"]


def test_existing_resource_group_and_dependencies():
    run = run_stack(
        resourceGroup="rg-platform",
        dependencies={"storageAccountId": EXISTING["storage"], "keyVaultId": EXISTING["vault"],
                      "applicationInsightsId": EXISTING["insights"], "containerRegistryId": EXISTING["registry"]},
    )
    assert run.by_type(RESOURCE_GROUP) == []
    assert run.by_type(STORAGE) == run.by_type(VAULT) == run.by_type(INSIGHTS) == run.by_type(LOGS) == []
    ws = run.one(WORKSPACE).inputs
    assert ws["resourceGroupName"] == "rg-platform"
    assert ws["storageAccount"] == EXISTING["storage"] and ws["containerRegistry"] == EXISTING["registry"]
    assert run.outputs["resourceGroup"] == "rg-platform"


def test_container_registry_flag():
    run = run_stack(dependencies={"containerRegistry": True})
    registry = run.one("azure-native:containerregistry:Registry")
    assert run.one(WORKSPACE).inputs["containerRegistry"] == registry.id


def test_same_config_gives_the_same_names_and_inputs(dev_run):
    again = run_stack("dev")

    def snapshot(run):
        return sorted((r.urn, repr(r.inputs), tuple(r.dependencies)) for r in run.registrations)

    assert snapshot(again) == snapshot(dev_run)
    assert again.outputs == dev_run.outputs


def test_another_stack_gets_other_global_names(dev_run):
    from harness import ROOT, stack_config
    from offline.engine import run_program

    project, config, secrets = stack_config("dev")
    staging = run_program(ROOT / "__main__.py", config, project=project, stack="staging", secret_keys=secrets)
    assert staging.one(RESOURCE_GROUP).inputs["resourceGroupName"] == "rg-contoso-ai-staging"
    for type_, key in ((STORAGE, "accountName"), (VAULT, "vaultName")):
        assert staging.one(type_).inputs[key] != dev_run.one(type_).inputs[key]


@pytest.mark.parametrize(
    "overrides, path",
    [
        ({"hub": {"name": "Contoso AI"}}, "azure-ai-hub:hub.name"),
        ({"providerMode": "cognitive"}, "azure-ai-hub:providerMode"),
        ({"hub": {"name": "contoso-ai", "frendlyName": "x"}}, "azure-ai-hub:hub.frendlyName"),
        ({"provider": {"existingAccountId": EXISTING["storage"]}}, "azure-ai-hub:provider.existingAccountId"),
        ({"dependencies": {"keyVaultId": EXISTING["storage"]}}, "azure-ai-hub:dependencies.keyVaultId"),
        ({"tags": {"owner": ["a", "b"]}}, "azure-ai-hub:tags.owner"),
        ({"tags": "owner"}, "azure-ai-hub:tags"),
    ],
)
def test_bad_config_stops_before_anything_is_registered(overrides, path):
    run = run_stack(check=False, **overrides)
    assert isinstance(run.error, ConfigError)
    assert path in [p for p, _ in run.error.problems]
    assert [r.type for r in run.registrations if r.type != "pulumi:pulumi:Stack"] == []


def test_a_secret_config_value_never_reaches_resources_in_plaintext(tmp_path):
    # `pulumi config set --secret --path azure-ai-hub:tags.owner alice` stores the
    # whole key as a secret; the program refuses it instead of tagging in plaintext.
    import shutil

    from offline.engine import load_stack_config, offline_secret, run_program
    from harness import ROOT

    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    (tmp_path / "Pulumi.sec.yaml").write_text(
        (ROOT / "Pulumi.dev.yaml").read_text().replace("owner: platform-team", "owner:\n      secure: v1:abc")
    )
    project, config, secrets = load_stack_config(tmp_path, "sec")
    assert secrets == ["azure-ai-hub:tags"]
    run = run_program(ROOT / "__main__.py", config, project=project, stack="sec", secret_keys=secrets, check=False)
    assert isinstance(run.error, ConfigError)
    assert [p for p, _ in run.error.problems] == ["azure-ai-hub:tags"]
    leaked = offline_secret("azure-ai-hub:tags.owner")
    assert leaked in config["azure-ai-hub:tags"]  # the stand-in really was in the config
    assert all(leaked not in repr(r.inputs) for r in run.registrations)
