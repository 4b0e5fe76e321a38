"""The README's team-state commands, exercised offline in the order written.

The shell blocks of "Team state in Azure Blob Storage, secrets in Key Vault" and of the ESC
alternative run under bash with `az`, `pulumi` and `git` replaced by recording stubs. The `az`
stub enforces what Azure enforces, so a block in the wrong order fails here as it would there:

- a storage account with shared keys off accepts `az storage container create --auth-mode login`
  only from a principal holding a blob data role on it (Learn, "Choose how to authorize access to
  blob data with Azure CLI"; "Assign an Azure role for access to blob data");
- an RBAC key vault lets a principal create keys only with Key Vault Crypto Officer or Key Vault
  Administrator (Learn, "Provide access to Key Vault keys, certificates, and secrets with Azure
  role-based access control"); creating the vault grants its creator no data access.

Role names must be Azure built-in roles: those of components/roles.py, or the few below, with
their IDs from Microsoft's "Azure built-in roles" reference (MicrosoftDocs/azure-docs,
articles/role-based-access-control/built-in-roles.md).
"""

import json
import re
import shlex
import subprocess
import sys
import textwrap

import pytest
import yaml
from harness import ROOT

from components.roles import BUILTIN_ROLES

README = (ROOT / "README.md").read_text()

# Built-in roles the README's setup grants beyond those the components assign (Key Vault Crypto User is one of
# theirs now: a Foundry resource's CMK identity holds it).
SETUP_ROLES = {
    "Key Vault Crypto Officer": "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    "Resource Policy Contributor": "36243c78-bf99-498c-9df9-86d9f8d28608",
}
BLOB_WRITERS = {"Storage Blob Data Contributor", "Storage Blob Data Owner"}
KEY_CREATORS = {"Key Vault Crypto Officer", "Key Vault Administrator"}


def section(title: str, until: str) -> str:
    start = README.index(title)
    return README[start:README.index(until, start)]


def sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, re.S)


BLOB = section("### Team state in Azure Blob Storage, secrets in Key Vault", "### Alternative: Pulumi Cloud with ESC")
ESC = section("### Alternative: Pulumi Cloud with ESC", "## Layout")

# The stubs: each appends {"tool", "args", "ok"} to $STUB_LOG; `az` keeps what it granted.
STUB = textwrap.dedent('''\
    #!{python}
    import json, os, sys
    tool, args = os.path.basename(sys.argv[0]), sys.argv[1:]
    log = os.environ["STUB_LOG"]
    calls = [json.loads(line) for line in open(log)] if os.path.exists(log) else []

    def opt(name):
        return args[args.index(name) + 1] if name in args else None

    def granted(roles, scope_prefix):
        return any(c["tool"] == "az" and c["args"][:3] == ["role", "assignment", "create"] and c["ok"]
                   and c["args"][c["args"].index("--role") + 1] in roles
                   and c["args"][c["args"].index("--assignee-object-id") + 1] == "me-object-id"
                   and scope_prefix.startswith(c["args"][c["args"].index("--scope") + 1])
                   for c in calls)

    out, ok = "", True
    if tool == "az":
        words = [a for a in args if not a.startswith("-")][:3]
        if words[:2] == ["ad", "signed-in-user"]:
            out = "me-object-id"
        elif words[:3] == ["storage", "account", "show"]:
            out = "/subscriptions/sub-id/resourceGroups/" + opt("-g") + "/providers/Microsoft.Storage/storageAccounts/" + opt("-n")
        elif words[:2] == ["keyvault", "show"]:
            out = "/subscriptions/sub-id/resourceGroups/" + opt("-g") + "/providers/Microsoft.KeyVault/vaults/" + opt("-n")
        elif words[:3] == ["storage", "container", "create"]:
            account_ids = [c["out"] for c in calls if c["args"][:3] == ["storage", "account", "show"]]
            ok = opt("--auth-mode") == "login" and any(granted({blob}, a + "/blobServices/default/containers/" + opt("-n"))
                                                      for a in account_ids)
            out = "" if ok else "ERROR: AuthorizationPermissionMismatch (403)"
        elif words[:3] == ["keyvault", "key", "create"]:
            vault_ids = [c["out"] for c in calls if c["args"][:2] == ["keyvault", "show"]]
            ok = any(granted({keys}, v + "/keys/" + opt("-n")) for v in vault_ids if v.endswith("/" + opt("--vault-name")))
            out = "" if ok else "ERROR: Forbidden, caller is not authorized to perform action keys/create"
        elif words[:3] == ["ad", "app", "create"]:
            out = "app-" + opt("--display-name")
        elif words[:3] == ["ad", "sp", "create"]:
            out = "sp-" + opt("--id")
        elif words[:2] == ["account", "show"]:
            out = "sub-id"
    with open(log, "a") as f:
        f.write(json.dumps({{"tool": tool, "args": args, "ok": ok, "out": out}}) + "\\n")
    print(out)
    sys.exit(0 if ok else 1)
    ''').format(python=sys.executable, blob=sorted(BLOB_WRITERS), keys=sorted(KEY_CREATORS))


def run_blocks(tmp_path, blocks: list[str]) -> list[dict]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("az", "pulumi", "git"):
        (bin_dir / tool).write_text(STUB)
        (bin_dir / tool).chmod(0o755)
    (bin_dir / "sleep").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "sleep").chmod(0o755)
    script = "set -euo pipefail\n" + "\n".join(blocks)
    log = tmp_path / "calls.jsonl"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "STUB_LOG": str(log), "HOME": str(tmp_path)}
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr  # a stub that breaks proves nothing
    return [json.loads(line) for line in log.read_text().splitlines()]


def first(calls: list[dict], *words: str, ok: bool = True) -> int:
    return next(i for i, c in enumerate(calls) if c["args"][:len(words)] == list(words) and c["ok"] == ok)


@pytest.fixture(scope="module")
def blob_calls(tmp_path_factory):
    return run_blocks(tmp_path_factory.mktemp("blob"), sh_blocks(BLOB))


def test_the_blocks_are_valid_shell_with_every_variable_set_before_use():
    for blocks in (sh_blocks(BLOB), sh_blocks(ESC)):
        script = "\n".join(blocks)
        assert subprocess.run(["bash", "-n", "-c", script], capture_output=True).returncode == 0
        defined: set[str] = set()
        for line in script.splitlines():
            code = line.split(" #", 1)[0]
            for name in re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", code):
                assert name in defined, f"${name} used before it is set: {line.strip()}"
            defined |= set(re.findall(r"^\s*([A-Z_][A-Z0-9_]*)=", code)) | set(re.findall(r"\bfor ([A-Z_]+) in", code))


def test_the_state_container_and_the_key_are_created_after_their_roles(blob_calls):
    container = first(blob_calls, "storage", "container", "create")
    key = first(blob_calls, "keyvault", "key", "create")
    grants = [(i, c["args"][c["args"].index("--role") + 1]) for i, c in enumerate(blob_calls)
              if c["args"][:3] == ["role", "assignment", "create"]]
    assert any(role in BLOB_WRITERS and i < container for i, role in grants)
    assert any(role == "Key Vault Crypto Officer" and i < key for i, role in grants)
    # Succeeded at the first attempt: nothing failed on the way (the retries only wait out propagation).
    assert all(c["ok"] for c in blob_calls)


def test_the_stub_refuses_the_old_order(tmp_path):
    """The README's old order: the container before the blob role, the key with no key role."""
    old = BLOB.replace('az role assignment create --role "Key Vault Crypto Officer"', "true ||").replace("seq 30", "seq 2")
    old_blocks = sh_blocks(old)
    first_block = old_blocks[0]
    grant = first_block.index('az role assignment create --role "Storage Blob Data Contributor"')
    loop = first_block.index("for attempt in $(seq 2); do\n  az storage container create")
    end = first_block.index("done\n", loop) + len("done\n")
    grant_end = first_block.index("--scope \"$ACCOUNT_ID\"\n", grant) + len("--scope \"$ACCOUNT_ID\"\n")
    assert loop == grant_end  # the grant is right before the container's loop
    reordered = first_block[:grant] + first_block[loop:end] + first_block[grant:grant_end] + first_block[end:]
    calls = run_blocks(tmp_path, [reordered, *old_blocks[1:]])
    assert not any(c["ok"] for c in calls if c["args"][:3] == ["storage", "container", "create"])
    assert not any(c["ok"] for c in calls if c["args"][:3] == ["keyvault", "key", "create"])


def test_the_state_account_is_entra_only_and_the_vault_rbac_with_purge_protection(blob_calls):
    account = blob_calls[first(blob_calls, "storage", "account", "create")]["args"]
    assert account[account.index("--allow-shared-key-access") + 1] == "false"
    assert account[account.index("--allow-blob-public-access") + 1] == "false"
    assert account[account.index("--min-tls-version") + 1] == "TLS1_2"
    vault = blob_calls[first(blob_calls, "keyvault", "create")]["args"]
    assert vault[vault.index("--enable-rbac-authorization") + 1] == "true"
    assert vault[vault.index("--enable-purge-protection") + 1] == "true"
    container = blob_calls[first(blob_calls, "storage", "container", "create")]["args"]
    assert container[container.index("--auth-mode") + 1] == "login"


def test_both_stacks_get_the_key_vault_provider_and_are_committed(blob_calls):
    login = first(blob_calls, "login")
    inits = [(i, c["args"]) for i, c in enumerate(blob_calls) if c["tool"] == "pulumi" and c["args"][:2] == ["stack", "init"]]
    assert [args[2] for _, args in inits] == ["dev", "prod"] and all(i > login for i, _ in inits)
    backend = blob_calls[login]["args"][1]
    assert re.fullmatch(r"azblob://[a-z0-9-]{3,63}\?storage_account=[a-z0-9]{3,24}", backend)
    providers = {args[args.index("--secrets-provider") + 1] for _, args in inits}
    provider, = providers
    # Go CDK azurekeyvault keyIDRE, on the URL with the scheme made https.
    assert re.fullmatch(r"https://.+\.vault\.(?:[a-z\d.-]+)/keys/(.+)", provider.replace("azurekeyvault://", "https://"))
    git = [c["args"] for c in blob_calls if c["tool"] == "git"]
    assert git[0] == ["add", "Pulumi.dev.yaml", "Pulumi.prod.yaml"] and git[1][0] == "commit"
    assert first(blob_calls, "add") > max(i for i, _ in inits)


def test_each_ci_identity_trusts_only_its_github_environment(blob_calls):
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    environments = {job["environment"] for job in deploy["jobs"].values()}
    credentials = [json.loads(c["args"][c["args"].index("--parameters") + 1]) for c in blob_calls
                   if c["args"][:4] == ["ad", "app", "federated-credential", "create"]]
    assert {c["subject"] for c in credentials} == {f"repo:contoso/azure-ai-hub:environment:{e}" for e in environments}
    assert all(c["issuer"] == "https://token.actions.githubusercontent.com"
               and c["audiences"] == ["api://AzureADTokenExchange"] for c in credentials)
    roles: dict[str, set[str]] = {}
    for c in blob_calls:
        if c["args"][:3] == ["role", "assignment", "create"] and c["args"][c["args"].index("--assignee-object-id") + 1] != "me-object-id":
            sp = c["args"][c["args"].index("--assignee-object-id") + 1]
            roles.setdefault(sp, set()).add(c["args"][c["args"].index("--role") + 1])
    assert roles["sp-app-azure-ai-hub-preview"] == {"Reader", "Storage Blob Data Reader", "Key Vault Crypto User"}
    for deployer in ("dev", "prod"):
        assert roles[f"sp-app-azure-ai-hub-{deployer}"] == {
            "Contributor", "Role Based Access Control Administrator", "Resource Policy Contributor",
            "Storage Blob Data Contributor", "Key Vault Crypto User"}


def test_every_role_named_is_a_built_in_role():
    assert not set(SETUP_ROLES) & set(BUILTIN_ROLES)
    known = set(BUILTIN_ROLES) | set(SETUP_ROLES) | {"Storage Blob Data Owner"}
    named = set()
    for block in sh_blocks(BLOB) + sh_blocks(ESC):
        named |= set(re.findall(r'--role "([^"$]+)"', block))
        for roles in re.findall(r"for ROLE in ((?:\"[^\"]+\"\s*)+);", block):
            named |= set(shlex.split(roles))
    assert named and named <= known, named - known
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", g) for g in SETUP_ROLES.values())


def test_esc_trusts_pulumi_clouds_issuer(tmp_path):
    calls = run_blocks(tmp_path, sh_blocks(ESC))
    credential, = [json.loads(c["args"][c["args"].index("--parameters") + 1]) for c in calls
                   if c["args"][:4] == ["ad", "app", "federated-credential", "create"]]
    assert credential["issuer"] == "https://api.pulumi.com/oidc"
    assert credential["audiences"] == ["azure:contoso"]
    assert credential["subject"] == "pulumi:environments:org:contoso:env:azure-ai-hub/dev"
    pulumi = [c["args"] for c in calls if c["tool"] == "pulumi"]
    assert pulumi[0] == ["login"] and ["config", "env", "add", "azure-ai-hub/dev", "--stack", "dev"] in pulumi
    assert "What changes in `deploy.yml`" in ESC and "pulumi/auth-actions" in ESC


def test_no_obsolete_key_vault_variable_is_set():
    texts = [README] + [p.read_text() for p in (ROOT / ".github" / "workflows").glob("*.yml")]
    assert not any(re.search(r"AZURE_KEYVAULT_AUTH_VIA_CLI\s*[:=]", t) for t in texts)
    assert "export AZURE_KEYVAULT_AUTH_VIA_CLI" not in README
