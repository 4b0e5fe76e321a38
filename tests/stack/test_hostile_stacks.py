"""Hostile stack files: each ends in a clean error naming the key, never a traceback.

The offline plan must read a stack file as the Pulumi CLI does (YAML 1.2, gopkg.in/yaml.v3)
and refuse what the CLI would read otherwise; see offline/stackfile.py.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest
from harness import ROOT

from offline import plan, stackfile

HEAD = "config:\n  azure-native:location: swedencentral\n  azure-ai-hub:hub:\n    name: contoso-ai\n"

# (id, stack file body after HEAD, the key path named, words of the reason)
HOSTILE = [
    ("yaml11-bool", "  azure-ai-hub:protect: on\n", "azure-ai-hub:protect", "must be true or false (got 'on')"),
    ("yaml11-yes", "  azure-ai-hub:locks: yes\n", "azure-ai-hub:locks", "must be true or false (got 'yes')"),
    ("duplicate-key", "  azure-ai-hub:tags: {a: b}\n  azure-ai-hub:tags: {c: d}\n", "azure-ai-hub:tags",
     "is given twice"),
    ("duplicate-nested", "    name: other\n", "azure-ai-hub:hub.name", "is given twice (lines 4 and 5)"),
    ("null-value", "  azure-ai-hub:resourceGroup: null\n", "azure-ai-hub:resourceGroup", "has no value"),
    ("empty-value", "  azure-ai-hub:resourceGroup:\n", "azure-ai-hub:resourceGroup", "has no value"),
    ("tilde-value", "  azure-ai-hub:locks: ~\n", "azure-ai-hub:locks", "has no value"),
    ("duplicate-location", "  azure-native:location: westeurope\n", "azure-native:location", "is given twice"),
    ("nan", "  azure-ai-hub:budget:\n    amount: .nan\n", "azure-ai-hub:budget.amount", "not a finite number"),
    ("inf", "  azure-ai-hub:budget:\n    amount: 5\n    thresholds: [-.inf]\n",
     "azure-ai-hub:budget.thresholds[0]", "not a finite number"),
    ("typo-namespace", "  aihub:tags: {a: b}\n", "aihub:tags", "did you mean azure-ai-hub:tags?"),
    ("typo-namespace-2", "  azure-ai-hubs:projects: [{name: chat}]\n", "azure-ai-hubs:projects",
     "did you mean azure-ai-hub:projects?"),
    ("unqualified-unknown", "  projectz: []\n", "azure-ai-hub:projectz", "unknown key"),
    ("non-string-key", "  azure-ai-hub:tags:\n    2024: x\n", "azure-ai-hub:tags.2024", "a key must be a string"),
    ("non-string-top-key", "  2024: x\n", "azure-ai-hub:2024", "a key must be a string"),
    ("null-top-key", "  null: x\n", "azure-ai-hub:null", "a key must be a string"),
    ("list-as-subresource", "  azure-ai-hub:network:\n    isolationMode: AllowOnlyApprovedOutbound\n"
     "    outboundRules:\n      - name: st\n        type: PrivateEndpoint\n        destination:\n"
     "          serviceResourceId: /subscriptions/0/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/s\n"
     "          subresourceTarget: [blob]\n",
     "azure-ai-hub:network.outboundRules[0].destination.subresourceTarget", "must be a string, not list"),
    ("list-as-waiver-rule", "  azure-ai-hub:waivers:\n    - rule: [ML-01]\n      reason: a long enough reason\n",
     "azure-ai-hub:waivers[0].rule", "unknown rule"),
    ("plaintext-beside-secure", "  azure-ai-hub:connectionKeys:\n    a:\n      secure: v1:xyz\n    b: sk-plain\n",
     "azure-ai-hub:connectionKeys.b", "is plaintext beside secure values"),
    ("plaintext-leaf-in-map", "  azure-ai-hub:connectionKeys:\n    crm:\n      x-key:\n        secure: v1:xyz\n"
     "      x-tenant: plain\n", "azure-ai-hub:connectionKeys.crm.x-tenant", "is plaintext beside secure values"),
    ("secure-plaintext", "  azure-ai-hub:connectionKeys:\n    a:\n      secure: sk-live-1234\n",
     "azure-ai-hub:connectionKeys.a", "is not Pulumi ciphertext"),
    ("secure-not-a-string", "  azure-ai-hub:connectionKeys:\n    a:\n      secure: [x]\n",
     "azure-ai-hub:connectionKeys.a", "is not Pulumi ciphertext"),
    ("octal-looking", "  azure-ai-hub:diagnostics:\n    retentionDays: 010\n", "azure-ai-hub:diagnostics.retentionDays",
     "greater than or equal to 30"),
]


def _write(tmp_path, body) -> str:
    path = tmp_path / "Pulumi.hostile.yaml"
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(HEAD + body, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("body, key, reason", [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_each_hostile_stack_file_names_its_key(tmp_path, capsys, body, key, reason):
    stack_file = _write(tmp_path, body)
    assert plan.main(["--stack", "dev", "--stack-file", stack_file, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line.strip() for line in err.splitlines()]
    assert any(line.startswith(f"{key}: ") and reason in line for line in lines), err
    assert not (tmp_path / "out").exists()  # nothing was rendered


# (id, file bytes or body, words of the one error)
UNREADABLE = [
    ("not-utf8", b"config:\n  azure-native:location: \xff\xfe\n", "is not UTF-8 text"),
    ("alias-bomb", "  azure-ai-hub:tags:\n    a: &a [x, x, x, x, x, x, x, x, x, x]\n"
     "    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
     "    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
     "expands to more than"),
    ("recursive-alias", "  azure-ai-hub:tags: &t\n    a: *t\n", "nests deeper than"),
    ("too-big", "  azure-ai-hub:tags:\n" + "    k: " + "x" * (stackfile.MAX_BYTES + 1) + "\n", "larger than"),
    ("unclosed", "  azure-ai-hub:projects: [\n", "is not valid YAML"),
    ("deep-nesting", "  azure-ai-hub:tags: " + "[" * 20000 + "]" * 20000 + "\n", "nests deeper than"),
    ("deep-nesting-unclosed", "  azure-ai-hub:tags: " + "[" * 20000 + "\n", "nests deeper than"),
    ("two-documents", "---\nconfig: {}\n", "is not valid YAML"),
]


@pytest.mark.parametrize("body, message", [c[1:] for c in UNREADABLE], ids=[c[0] for c in UNREADABLE])
def test_an_unreadable_stack_file_is_one_clean_error(tmp_path, capsys, body, message):
    stack_file = _write(tmp_path, body)
    assert plan.main(["--stack", "dev", "--stack-file", stack_file, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("stack_file, message", [
    ("/dev/zero", "larger than"), ("/", "can't read /"), ("/no/such/file.yaml", "no stack file file.yaml")])
def test_a_stack_file_that_is_not_a_file(capsys, stack_file, message):
    assert plan.main(["--stack", "dev", "--stack-file", stack_file]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_errors_of_every_layer_come_at_once(tmp_path, capsys):
    # A YAML problem (duplicate), a file-layer problem (null), a namespace typo and a config
    # problem, reported together.
    body = ("  azure-ai-hub:tags: {a: b}\n  azure-ai-hub:tags: {c: d}\n  azure-ai-hub:resourceGroup: null\n"
            "  aihub:locks: true\n  azure-ai-hub:providerMode: gpt\n")
    assert plan.main(["--stack", "dev", "--stack-file", _write(tmp_path, body)]) == 2
    err = capsys.readouterr().err
    assert "4 config problem(s)" in err
    for key in ("azure-ai-hub:tags", "azure-ai-hub:resourceGroup", "aihub:locks", "azure-ai-hub:providerMode"):
        assert f"  {key}: " in err


def test_yaml_12_scalars_read_as_the_cli_reads_them(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: on\nb: yes\nc: 010\nd: 0o10\ne: 2024-11-20\nf: True\ng: 1e3\nh: ~\ni: 0x1f\n")
    assert stackfile.read_yaml(path) == {"a": "on", "b": "yes", "c": 10, "d": 8, "e": "2024-11-20", "f": True,
                                         "g": 1000.0, "h": None, "i": 31}


def test_a_secure_value_is_a_marked_stand_in_with_a_warning(tmp_path, capsys):
    body = ("  azure-ai-hub:connections:\n    - name: search\n      category: ApiKey\n"
            "      target: https://api.weather.example.com\n"
            "  azure-ai-hub:connectionKeys:\n    search:\n      secure: v1:bXktYWN0dWFs:a2V5Cg==\n")
    assert plan.main(["--stack", "dev", "--stack-file", _write(tmp_path, body), "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert ("warning: azure-ai-hub:connectionKeys.search is a `secure:` value the offline plan can't decrypt: "
            "a stand-in is used") in err
    assert "a2V5Cg==" not in (tmp_path / "plan-dev.json").read_text()


def test_the_committed_stacks_read_without_problems():
    for stack in ("dev", "prod"):
        assert stackfile.read_stack_config(ROOT, stack).problems == []


# -- the plan's own arguments ---------------------------------------------------------------


def test_previous_must_be_a_plan_of_the_same_stack(tmp_path, capsys):
    assert plan.main(["--stack", "dev", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert plan.main(["--stack", "prod", "--out", str(tmp_path), "--previous", str(tmp_path / "plan-dev.json")]) == 2
    err = capsys.readouterr().err
    assert "is a plan of stack 'dev', not 'prod'" in err and "Traceback" not in err
    assert not (tmp_path / "plan-prod.json").exists()


@pytest.mark.parametrize("previous, message", [
    ("plan-dev.md", "not a plan JSON"),
    ("missing.json", "can't read it"),
    ("other.json", "no `stack` and `outputs`"),
])
def test_previous_must_be_a_plan(tmp_path, capsys, previous, message):
    (tmp_path / "plan-dev.md").write_text("# not json\n")
    (tmp_path / "other.json").write_text(json.dumps([1, 2]))
    assert plan.main(["--stack", "dev", "--out", str(tmp_path), "--previous", str(tmp_path / previous)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_out_must_be_a_folder(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    for out in (tmp_path / "file", tmp_path / "file" / "below"):
        assert plan.main(["--stack", "dev", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert "is a file, not a folder" in err and "Traceback" not in err


def test_a_real_run_is_quiet_after_success_and_failure(tmp_path):
    """The command itself, as `make plan` runs it: no traceback, no 'Exception ignored' noise."""
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    bad = _write(tmp_path, "  aihub:tags: {a: b}\n")
    for args, status in ([["--stack", "dev"], 0], [["--stack", "dev", "--stack-file", bad], 2]):
        done = subprocess.run([sys.executable, "-m", "offline.plan", *args, "--out", str(tmp_path / "out")],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == status, done.stderr
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr


def test_a_list_in_the_budget_thresholds_is_an_error_not_a_traceback(tmp_path, capsys):
    body = ("  azure-ai-hub:budget:\n    amount: 100\n    thresholds: [[80], {a: 1}]\n"
            "    contactEmails: [a@example.com]\n")
    assert plan.main(["--stack", "dev", "--stack-file", _write(tmp_path, body)]) == 2
    err = capsys.readouterr().err
    assert "azure-ai-hub:budget.thresholds[0]: must be a percentage" in err and "Traceback" not in err


def test_a_reader_that_goes_away_leaves_no_noise(tmp_path):
    """`make plan | head -1`: the pipe closes early; no traceback, no 'Exception ignored'."""
    # The largest scenario: more output than a pipe buffer holds, so the plan writes after the close.
    proc = subprocess.Popen([sys.executable, "-m", "offline.plan", "--stack", "max", "--stack-file",
                             str(ROOT / "tests" / "stacks" / "max.yaml"), "--out", str(tmp_path)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    proc.stderr.close()
    assert "Traceback" not in err and "Exception ignored" not in err, err
