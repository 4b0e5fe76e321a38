"""Delivery, checked offline: what the GitHub workflows promise, and the locks deploys install from.

Sources: GitHub "OpenID Connect reference" (a job that names an environment gets the subject
`repo:<owner>/<repo>:environment:<name>`); "Reuse workflows" (a reusable workflow called with
`$/.github/workflows/<file>` runs from the caller's commit); "Control the concurrency of workflows
and jobs" (`cancel-in-progress`, and `queue: max` keeps up to 100 pending runs instead of cancelling
the pending one); "Workflow syntax" (`jobs.<id>.timeout-minutes`, default 360); pulumi/actions
action.yml (`pulumi-version-file`); pip "Secure installs" (`--require-hashes`).
"""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from harness import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

WORKFLOWS = ROOT / ".github" / "workflows"
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True.
    found = workflow.get("on", workflow.get(True))
    return found if isinstance(found, dict) else {k: None for k in ([found] if isinstance(found, str) else found)}


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("steps") or []


def pulumi_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in steps(job) if str(s.get("uses", "")).startswith("pulumi/actions@")]


CI, DEPLOY = load("ci.yml"), load("deploy.yml")
ALL_JOBS = [(f"{name}:{job_id}", job) for name, wf in (("ci", CI), ("deploy", DEPLOY))
            for job_id, job in wf["jobs"].items()]


# -- pins and timeouts ----------------------------------------------------------------------


@pytest.mark.parametrize("where, job", ALL_JOBS, ids=[w for w, _ in ALL_JOBS])
def test_every_job_has_a_timeout_and_pinned_actions(where, job):
    if "uses" in job:
        # A job that calls a reusable workflow can't set timeout-minutes; the called jobs do.
        assert job["uses"].startswith("$/.github/workflows/"), where
        return
    assert isinstance(job.get("timeout-minutes"), int) and 0 < job["timeout-minutes"] <= 180, where
    for step in steps(job):
        if "uses" in step:
            assert SHA_PIN.match(step["uses"]), f"{where}: {step['uses']} is not pinned to a commit"


def test_the_pulumi_cli_is_pinned_to_the_sdk_version_of_the_lock():
    version = (ROOT / ".pulumi.version").read_text().strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    # The CLI and the Python SDK are released together under one version number.
    assert lock_pins(ROOT / "requirements.lock")["pulumi"] == version
    found = [s for _, job in ALL_JOBS for s in pulumi_steps(job)]
    assert len(found) == 4
    assert all(s["with"].get("pulumi-version-file") == ".pulumi.version" for s in found)


def test_deploys_install_only_from_the_hash_pinned_locks():
    for job_id, job in DEPLOY["jobs"].items():
        commands = "\n".join(str(s.get("run", "")) for s in steps(job))
        installs = re.findall(r"pip install [^\n&]*", commands)
        assert installs == ["pip install --require-hashes -r requirements.lock",
                            "pip install --require-hashes -r policy/requirements.lock"], job_id


# -- CI gating ------------------------------------------------------------------------------


def test_deploy_runs_only_as_called_by_ci_after_tests_and_lint():
    """Lint is part of .ci/run, so CI runs it once, in the job the deploy waits for."""
    assert set(triggers(DEPLOY)) == {"workflow_call"}
    callers = {job_id: job for job_id, job in CI["jobs"].items() if "uses" in job}
    assert set(callers) == {"preview", "deploy"}
    for job_id, job in callers.items():
        assert job["uses"] == "$/.github/workflows/deploy.yml"
        assert set(job["needs"]) == {"test"}, job_id
    assert "pull_request" in callers["preview"]["if"] and callers["preview"]["with"] == {"mode": "preview"}
    assert "head.repo.full_name == github.repository" in callers["preview"]["if"]
    assert "github.ref == 'refs/heads/main'" in callers["deploy"]["if"] and callers["deploy"]["with"] == {"mode": "deploy"}
    # The tests CI runs are the ones this repository runs locally.
    assert any(s.get("run") == "bash .ci/run" for s in steps(CI["jobs"]["test"]))
    ci_run = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci_run.count("make lint") == 1 and "lint" not in CI["jobs"]


def test_a_main_run_never_cancels_or_waits_for_another():
    group = CI["concurrency"]["group"]
    assert "github.event_name == 'pull_request' && github.ref || github.run_id" in group
    assert CI["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert "concurrency" not in DEPLOY


# -- environments, identities, least privilege ----------------------------------------------


def jobs_by_command() -> dict[tuple[str, str], list[tuple[str, dict[str, Any]]]]:
    found: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    for job_id, job in DEPLOY["jobs"].items():
        for step in pulumi_steps(job):
            stacks = job.get("strategy", {}).get("matrix", {}).get("stack") or [step["with"]["stack-name"]]
            for stack in stacks:
                found.setdefault((step["with"]["command"], stack), []).append((job_id, job))
    return found


def test_each_job_with_azure_credentials_runs_in_its_own_environment():
    by_command = jobs_by_command()
    assert set(by_command) == {("preview", "dev"), ("preview", "prod"), ("up", "dev"), ("up", "prod")}
    for job_id, job in DEPLOY["jobs"].items():
        logins = [s for s in steps(job) if str(s.get("uses", "")).startswith("azure/login@")]
        assert job["permissions"].get("id-token") == "write", job_id
        assert logins and job.get("environment"), job_id
        # The client ID is the environment's own variable; nothing else names an identity.
        assert logins[0]["with"]["client-id"] == "${{ vars.AZURE_CLIENT_ID }}"
        assert "secrets." not in yaml.safe_dump(job)
    # The provider logs in with the same identity: evaluated at the step, inside the job's environment.
    assert "env" not in DEPLOY
    for _, job in DEPLOY["jobs"].items():
        for step in pulumi_steps(job):
            assert step["env"]["ARM_CLIENT_ID"] == "${{ vars.AZURE_CLIENT_ID }}"
            assert step["env"]["ARM_USE_OIDC"] == "true"
    # Previews (on pull requests, and of prod before its approval) use the read-only identity.
    assert {job.get("environment") for command, _ in by_command if command == "preview"
            for _, job in by_command[(command, _)]} == {"preview"}
    assert [job["environment"] for _, job in by_command[("up", "dev")]] == ["dev"]
    assert [job["environment"] for _, job in by_command[("up", "prod")]] == ["prod"]
    # Only pull-request previews may write a comment; nothing else writes to the repository.
    for job_id, job in DEPLOY["jobs"].items():
        writes = {k for k, v in job["permissions"].items() if v == "write"} - {"id-token"}
        assert writes == ({"pull-requests"} if job_id == "preview" else set()), job_id
        assert job["permissions"].get("contents") == "read"


def test_prod_is_previewed_at_this_commit_before_its_approval():
    jobs = DEPLOY["jobs"]
    (up_prod_id, up_prod), = jobs_by_command()[("up", "prod")]
    previews = [job_id for job_id, job in jobs_by_command()[("preview", "prod")] if job.get("if") == "inputs.mode == 'deploy'"]
    assert previews == ["preview-prod"]
    assert "preview-prod" in up_prod["needs"] and "up-dev" in up_prod["needs"]
    assert up_prod["if"] == jobs["preview-prod"]["if"] == "inputs.mode == 'deploy'"
    # The preview's diff goes to the run summary the reviewer approves from.
    step, = pulumi_steps(jobs["preview-prod"])
    assert step["with"]["comment-on-summary"] is True and step["with"]["diff"] is True
    # Every checkout is the caller's commit: no ref override anywhere.
    assert all("ref" not in (s.get("with") or {}) for _, job in ALL_JOBS for s in steps(job)
               if str(s.get("uses", "")).startswith("actions/checkout@"))


def test_deploys_of_a_stack_queue_and_are_never_cancelled():
    for (command, stack), found in jobs_by_command().items():
        if command != "up":
            continue
        (job_id, job), = found
        assert job["concurrency"] == {"group": f"deploy-{stack}", "cancel-in-progress": False, "queue": "max"}, job_id


def test_dependabot_keeps_actions_and_python_pins_fresh():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    updates = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert {("github-actions", "/"), ("pip", "/"), ("pip", "/policy")} <= updates


# -- the locks ------------------------------------------------------------------------------

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)")


def parse_lock(text: str) -> dict[str, dict[str, Any]]:
    """A pip-compile lock: name -> {version, hashes, via}."""
    entries: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    in_via = False
    for line in text.splitlines():
        match = _PIN.match(line)
        if match:
            current = entries[canonicalize_name(match.group(1))] = {"version": match.group(2), "hashes": [], "via": []}
            in_via = False
            continue
        stripped = line.strip()
        if current is None or not stripped:
            continue
        if stripped.startswith("--hash=sha256:"):
            current["hashes"].append(stripped.split(":", 1)[1].rstrip(" \\"))
        elif stripped.startswith("# via"):
            rest = stripped.removeprefix("# via").strip()
            in_via = not rest
            if rest:
                current["via"].append(rest)
        elif in_via and stripped.startswith("#   "):
            current["via"].append(stripped.removeprefix("#").strip())
        else:
            in_via = False
    return entries


def lock_pins(path: Path) -> dict[str, str]:
    return {name: entry["version"] for name, entry in parse_lock(path.read_text()).items()}


def lock_problems(requirements: str, lock: str, source: str = "requirements.txt") -> list[str]:
    """Why `lock` is not the lock of `requirements`, or [] when it is."""
    wanted = {}
    for line in requirements.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            wanted[canonicalize_name(requirement.name)] = requirement
    entries = parse_lock(lock)
    problems = []
    for name, requirement in sorted(wanted.items()):
        if name not in entries:
            problems.append(f"{name}: required but not in the lock")
        elif not requirement.specifier.contains(entries[name]["version"], prereleases=True):
            problems.append(f"{name}: locked {entries[name]['version']} is outside {requirement.specifier}")
    for name, entry in sorted(entries.items()):
        if not entry["hashes"] or not all(re.fullmatch(r"[0-9a-f]{64}", h) for h in entry["hashes"]):
            problems.append(f"{name}: no sha256 hashes")
        direct = f"-r {source}" in entry["via"]
        if direct and name not in wanted:
            problems.append(f"{name}: locked as a requirement that {source} no longer has")
        parents = [canonicalize_name(v) for v in entry["via"] if not v.startswith("-r ")]
        if not direct and (not parents or any(p not in entries for p in parents)):
            problems.append(f"{name}: nothing in the lock needs it")
    return problems


@pytest.mark.parametrize("folder", [ROOT, ROOT / "policy"], ids=["program", "policy pack"])
def test_each_lock_is_in_step_with_its_requirements(folder):
    lock = (folder / "requirements.lock").read_text()
    assert "pip-compile" in lock and "--generate-hashes" in lock
    # Nothing of the machine it was made on: no local indexes or wheel folders.
    assert not re.search(r"^--(find-links|index-url|extra-index-url)|file://", lock, re.M)
    assert lock_problems((folder / "requirements.txt").read_text(), lock) == []


LOCK = """\
annotated-types==0.8.0 \\
    --hash=sha256:{h}
    # via pydantic
pydantic==2.14.4 \\
    --hash=sha256:{h}
    # via -r requirements.txt
pyyaml==6.0.4 \\
    --hash=sha256:{h}
    # via
    #   -r requirements.txt
    #   other
other==1.0 \\
    --hash=sha256:{h}
    # via -r requirements.txt
""".format(h="a" * 64)


@pytest.mark.parametrize(
    "requirements, lock, problems",
    [
        ("pydantic>=2.7,<3\npyyaml>=6,<7\nother\n", LOCK, []),
        ("pydantic>=2.7,<3\npyyaml>=6,<7\nother\nruff\n", LOCK, ["ruff: required but not in the lock"]),
        ("pydantic>=3,<4\npyyaml>=6,<7\nother\n", LOCK, ["pydantic: locked 2.14.4 is outside <4,>=3"]),
        ("pydantic>=2.7,<3\nother\n", LOCK, ["pyyaml: locked as a requirement that requirements.txt no longer has"]),
        ("pydantic>=2.7,<3\npyyaml>=6,<7\nother\n", LOCK.replace("# via pydantic", "# via gone"),
         ["annotated-types: nothing in the lock needs it"]),
        ("pydantic>=2.7,<3\npyyaml>=6,<7\nother\n", LOCK.replace("    --hash=sha256:" + "a" * 64 + "\n    # via pydantic",
                                                              "    # via pydantic"),
         ["annotated-types: no sha256 hashes"]),
    ],
    ids=["in step", "new requirement", "narrowed range", "dropped requirement", "orphan", "no hash"],
)
def test_lock_problems(requirements, lock, problems):
    assert lock_problems(requirements, lock) == problems
