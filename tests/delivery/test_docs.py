"""The reference generated from the code (tools/refdocs.py, `make docs`): fresh, deterministic, and a stack-file
schema that takes every stack file in the repository and refuses what the program refuses."""

import copy
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from harness import ROOT
from pydantic import BaseModel

import config

_spec = importlib.util.spec_from_file_location("refdocs", ROOT / "tools" / "refdocs.py")
refdocs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(refdocs)  # type: ignore[union-attr]

DOCS = ROOT / "docs"
# The policy pack's environment has the JSON Schema validator (tests/requirements-policy.txt).
POLICY_PYTHON = ROOT / "policy" / "venv" / "bin" / "python"
_SKIP = {"venv", ".lint-venv", ".package-check", "node_modules", "out", ".git"}


@pytest.fixture(scope="module")
def rendered():
    return refdocs.render()


@pytest.fixture(scope="module")
def schema(rendered):
    return json.loads(rendered["stack.schema.json"])


def test_committed_docs_are_fresh(rendered):
    stale = [name for name, text in rendered.items()
             if not (DOCS / name).exists() or (DOCS / name).read_text(encoding="utf-8") != text]
    assert not stale, f"docs/{', docs/'.join(stale)} out of date with the code: run `make docs` and commit"


def test_generator_is_deterministic(tmp_path, rendered):
    # Another process with another hash seed: set and dict orders that leak into the output would show here.
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run([sys.executable, str(ROOT / "tools" / "refdocs.py"), "--out", str(tmp_path)], check=True,
                   env=env, capture_output=True, cwd=tmp_path)
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == rendered


def test_config_reference_has_every_key_with_its_description(rendered):
    text = rendered["config.md"]
    for path, _type, _default, description in refdocs.config_rows(config.StackConfig):
        assert f"| `{path}` |" in text and " ".join(description.split()) in text
    # Nested keys are listed under their parents, by their camelCase names.
    for path in ("provider.deployments[].capacity", "projects[].members[].principalId",
                 "projects[].connections[].authType", "network.privateEndpoints.privateDnsZoneIds",
                 "encryption.cosmosDbPrincipalId", "azure-native:location", "connectionKeys"):
        assert f"| `{path}` |" in text
    assert "| `provider.deployments[].capacity` | integer 1-100000 | `10` |" in text
    assert "| `hub.name` | string | *(required)* |" in text


def test_a_field_without_description_fails_the_generator():
    class Bare(BaseModel):
        name: str

    with pytest.raises(ValueError, match="Bare.name has no description"):
        refdocs.config_rows(Bare)


def test_component_and_rule_references(rendered):
    from components.deploy_rules import DEPLOY_RULES
    from policy.aihub_baseline.rules import RULES

    components = rendered["components.md"]
    for name in ("AIHub", "AIProject", "SharedConnection", "PrivateNetwork"):
        assert f"## {name}\n" in components
    assert "| `apiKey` | string (secret) | no |" in components
    assert "| `hubId` | string |" in components
    rules = rendered["rules.md"]
    for rule in RULES:
        assert f"| {rule.id} | {rule.title} |" in rules and " ".join(rule.source.split())[:60] in rules
    for deploy_rule in DEPLOY_RULES:
        assert f"| {deploy_rule.id} | {deploy_rule.title} |" in rules


# -- the stack file's JSON Schema ------------------------------------------------------------------------------

_VALIDATE = """
import json, sys
from jsonschema import Draft7Validator
data = json.load(sys.stdin)
Draft7Validator.check_schema(data["schema"])
validator = Draft7Validator(data["schema"])
print(json.dumps([
    sorted("/".join(map(str, e.absolute_path)) + ": " + e.message for e in validator.iter_errors(doc))
    for doc in data["documents"]
]))
"""


def validate(schema: dict, *documents: dict) -> list[list[str]]:
    """Each document's schema errors ("path: message"), by the reference validator (jsonschema), as draft-07."""
    if not POLICY_PYTHON.exists():
        pytest.fail("the policy pack's environment is missing: `make test` builds it")
    done = subprocess.run([str(POLICY_PYTHON), "-c", _VALIDATE], input=json.dumps(
        {"schema": schema, "documents": list(documents)}), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def stack_files() -> list[Path]:
    """Every stack file in the repository: YAML with a top-level `config` that isn't a project or pack file."""
    found = []
    for path in sorted(ROOT.rglob("*.y*ml")):
        if _SKIP & set(path.relative_to(ROOT).parts) or path.name in ("Pulumi.yaml", "PulumiPolicy.yaml"):
            continue
        data = yaml.safe_load(path.read_text())
        if isinstance(data, dict) and "config" in data:
            found.append(path)
    return found


def test_every_stack_file_in_the_repository_is_valid(schema):
    files = {str(p.relative_to(ROOT)): yaml.safe_load(p.read_text()) for p in stack_files()}
    assert {"Pulumi.dev.yaml", "Pulumi.prod.yaml", "tests/stacks/max.yaml"} <= set(files)
    errors = validate(schema, *files.values())
    assert dict(zip(files, errors, strict=True)) == {name: [] for name in files}


@pytest.fixture(scope="module")
def dev():
    return yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())


def _set(stack: dict, key: str, value) -> dict:
    changed = copy.deepcopy(stack)
    changed["config"][key] = value
    return changed


REJECTED = [
    ("misspelled key", "azure-ai-hub:projcts", [{"name": "chat"}], "config: 'azure-ai-hub:projcts'"),
    ("misspelled nested key", "azure-ai-hub:hub", {"nmae": "contoso-ai"}, "config/azure-ai-hub:hub"),
    ("wrong type", "azure-ai-hub:hub", {"name": 42}, "config/azure-ai-hub:hub/name: 42 is not of type 'string'"),
    ("wrong type of a flag", "azure-ai-hub:protect", 3, "config/azure-ai-hub:protect"),
    ("wrong type in a list", "azure-ai-hub:provider",
     {"deployments": [{"name": "gpt-4o", "model": "gpt-4o", "version": "1", "capacity": "ten"}]},
     "config/azure-ai-hub:provider/deployments/0/capacity"),
    ("value out of a closed set", "azure-ai-hub:network", {"isolationMode": "AllowAll"},
     "config/azure-ai-hub:network/isolationMode"),
    ("plaintext key material", "azure-ai-hub:connectionKeys", {"weather": "abc123"},
     "config/azure-ai-hub:connectionKeys"),
    ("a secret where the program refuses one", "azure-ai-hub:resourceGroup", {"secure": "v1:abc"},
     "config/azure-ai-hub:resourceGroup"),
    ("a region that isn't a string", "azure-native:location", ["swedencentral"], "config/azure-native:location"),
]


@pytest.mark.parametrize(("key", "value", "where"), [r[1:] for r in REJECTED], ids=[r[0] for r in REJECTED])
def test_schema_rejects(schema, dev, key, value, where):
    (errors,) = validate(schema, _set(dev, key, value))
    assert any(e.startswith(where) for e in errors), errors


@pytest.mark.parametrize(("key", "value", "where"), [r[1:] for r in REJECTED], ids=[r[0] for r in REJECTED])
def test_the_program_rejects_the_same(dev, key, value, where):
    """The schema refuses nothing the program takes: each mistake above is a config error too."""
    raw = {k: v if isinstance(v, str) else json.dumps(v) for k, v in _set(dev, key, value)["config"].items()}
    secret = {key} if isinstance(value, dict) and "secure" in value else set()
    with pytest.raises(config.ConfigError) as err:
        config.parse(raw, secret)
    assert any(path.startswith(key) for path, _ in err.value.problems), err.value.problems


@pytest.mark.parametrize("key", ["projects", "azure-ai-hub:hub:name", "azure-native:"])
def test_schema_rejects_keys_pulumi_refuses(schema, dev, key):
    """Pulumi itself refuses a key that isn't `<namespace>:<name>` (config.ParseKey), before the program runs."""
    (errors,) = validate(schema, _set(dev, key, "x"))
    assert any(e.startswith(f"config: '{key}'") for e in errors), errors


ACCEPTED = [
    # `pulumi config set azure-ai-hub:protect true` writes the string "true".
    ("a flag as pulumi config set writes it", "azure-ai-hub:protect", "true"),
    ("another namespace", "azure-native:subscriptionId", "00000000-0000-0000-0000-000000000000"),
    ("a key in the package:config:name form", "azure-native:config:environment", "public"),
    ("an encrypted key map", "azure-ai-hub:connectionKeys", {"secure": "v1:abc"}),
    ("encrypted keys one by one", "azure-ai-hub:connectionKeys",
     {"weather": {"secure": "v1:a"}, "crm": {"x-api-key": {"secure": "v1:b"}}}),
    ("a model version as a number", "azure-ai-hub:provider",
     {"deployments": [{"name": "emb", "model": "text-embedding-3-small", "version": 1}]}),
]


@pytest.mark.parametrize(("key", "value"), [a[1:] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED])
def test_schema_accepts(schema, dev, key, value):
    assert validate(schema, _set(dev, key, value)) == [[]]


def test_required_keys_unless_an_environment_provides_them(schema, dev):
    without_hub = copy.deepcopy(dev)
    del without_hub["config"]["azure-ai-hub:hub"]
    from_esc = {**copy.deepcopy(without_hub), "environment": ["azure-ai-hub/dev"]}
    missing, with_environment = validate(schema, without_hub, from_esc)
    assert missing == ["config: 'azure-ai-hub:hub' is a required property"]
    assert with_environment == []


def test_schema_keys_are_the_config_keys(schema):
    # Draft-07: what the YAML language server validates with.
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#" and "$defs" not in json.dumps(schema)
    properties = schema["properties"]["config"]["properties"]
    assert {k for k in properties if k.startswith("azure-ai-hub:")} == {f"azure-ai-hub:{k}" for k in config.KEYS}
    assert schema["properties"]["config"]["properties"]["azure-ai-hub:hub"]["description"]
