"""Run the real policy pack the way `pulumi preview --policy-pack` does, over an offline plan.

    policy/venv/bin/python tests/pack_analyzer.py out/plan-dev.json --config out/policy-config-dev.json

Copies the pack's folder (policy/, less its venv) alone into a temporary
directory and starts it as the CLI's `pulumi-analyzer-policy-python` shim does:
`python -u -m pulumi.policy <engine address> .` in the pack's folder, which runs
its `__main__.py`; `PolicyPack` serves the Analyzer gRPC service and prints its
port. Then it speaks that protocol as the engine does (pulumi/pulumi
sdk/go/common/resource/plugin/analyzer_plugin.go):

- GetAnalyzerInfo: the policies, their levels, severities, remediation steps
  and config schemas;
- Configure: the config file read as the CLI reads `--policy-pack-config`
  (a string is a policy's enforcement level; an object's `enforcementLevel` is
  taken out of its properties; `all` sets every level), reconciled with each
  property's schema `default`, and each policy's config checked against its
  schema (`{"type": "object", "properties": ..., "required": ...}`), as
  ReconcilePolicyPackConfig and ValidatePolicyPackConfig do; an invalid config
  stops the run before any resource is analyzed;
- Analyze: each custom resource of the plan, its inputs marshalled into a
  protobuf Struct (numbers become doubles, as on the wire).

The pack then reads every resource through pulumi-policy's own code path: its
deserialisation, read-only property proxies and ResourceValidationArgs.

Without --json it is a gate: exit 1 when the pack reports a mandatory
violation, or when its findings differ from the offline baseline's in the plan
(the same rules, so both must judge alike). Runs in the pack's environment
(pulumi-policy, grpc) plus jsonschema, standing in for the CLI's validator.
"""

import argparse
import json
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator, Optional

import grpc
import jsonschema
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

PACK = Path(__file__).resolve().parent.parent / "policy"
STARTUP_SECONDS = 60
Level = analyzer_pb2.EnforcementLevel


class ConfigInvalid(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def copy_pack(into: Path) -> Path:
    """The pack's folder alone: what `pulumi policy publish` uploads, without the repository around it."""
    target = into / "policy-pack"
    shutil.copytree(PACK, target, ignore=shutil.ignore_patterns("venv", "__pycache__", "*.pyc"))
    return target


class RunningPack:
    """The pack's process, started as the CLI starts it, and a gRPC stub to it."""

    def __init__(self, folder: Path, stderr: IO[bytes]):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PULUMI_")}
        self.stderr = stderr
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:1", "."],
            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=self.stderr,
        )
        port = self._port()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)

    def _port(self) -> int:
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            line = self.process.stdout.readline() if selector.select(STARTUP_SECONDS) else b""
        if not line.strip().isdigit():
            self.close()
            self.stderr.seek(0)
            raise RuntimeError(f"the policy pack did not start: {line!r}\n{self.stderr.read().decode()}")
        return int(line)

    def close(self) -> None:
        if getattr(self, "channel", None):
            self.channel.close()
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def level_name(level: int) -> str:
    return Level.Name(level).lower()


def read_config(text: str) -> dict[str, tuple[Optional[str], dict[str, Any]]]:
    """(enforcement level, properties) per policy name, as the CLI parses a `--policy-pack-config` file."""
    if not text.strip():
        return {}
    result: dict[str, tuple[Optional[str], dict[str, Any]]] = {}
    for name, value in json.loads(text).items():
        if isinstance(value, str):
            result[name] = (value, {})
        elif isinstance(value, dict):
            value = dict(value)
            level = value.pop("enforcementLevel", None)
            result[name] = (level, value)
        else:
            raise ConfigInvalid([f"Value {value!r} for {name!r} is not a valid value; must be a string or object"])
        if result[name][0] not in (None, "advisory", "mandatory", "remediate", "disabled"):
            raise ConfigInvalid([f"Value {result[name][0]!r} for {name!r} is not a valid enforcement level"])
    return result


def reconcile(info: Any, given: dict[str, tuple[Optional[str], dict[str, Any]]]) -> dict[str, Any]:
    """Every policy's level and properties: schema defaults, then `all`, then the given config; validated."""
    result: dict[str, tuple[str, dict[str, Any]]] = {}
    schemas: dict[str, dict[str, Any]] = {}
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema)
        schemas[policy.name] = schema
        defaults = {k: v["default"] for k, v in schema.get("properties", {}).items() if "default" in v}
        result[policy.name] = (level_name(policy.enforcementLevel), defaults)
    every = given.get("all", (None, {}))[0]
    if every:
        result = {name: (every, props) for name, (_, props) in result.items()}
    for name, (level, props) in given.items():
        if name in result:
            result[name] = (level or result[name][0], {**result[name][1], **props})
    problems = [
        f"Policy {name!r}: {error.message}"
        for name, (_, props) in result.items()
        if schemas[name].get("properties")
        for error in jsonschema.Draft7Validator(
            {"type": "object", **{k: v for k, v in schemas[name].items() if k in ("properties", "required")}}
        ).iter_errors(props)
    ]
    if problems:
        raise ConfigInvalid(problems)
    return result


def configure(stub: Any, config: dict[str, tuple[str, dict[str, Any]]]) -> None:
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, (level, props) in config.items():
        policy_config = request.policyConfig[name]
        policy_config.enforcementLevel = Level.Value(level.upper())
        policy_config.properties.update(props)
    stub.Configure(request)


def analyze_requests(plan: dict[str, Any]) -> Iterator[tuple[dict[str, Any], Any]]:
    for resource in plan["resources"]:
        if not resource["custom"]:
            continue
        properties = struct_pb2.Struct()
        properties.update(resource["inputs"])
        options = resource.get("options") or {}
        yield resource, analyzer_pb2.AnalyzeRequest(
            urn=resource["urn"], type=resource["type"], name=resource["name"], properties=properties,
            options=analyzer_pb2.AnalyzerResourceOptions(
                protect=bool(options.get("protect")), ignoreChanges=options.get("ignoreChanges") or [],
                additionalSecretOutputs=options.get("additionalSecretOutputs") or [],
                parent=resource.get("parent") or "",
            ),
        )


def run(plan: dict[str, Any], config_text: str = "") -> dict[str, Any]:
    """The pack's info and what it reports for each custom resource of the plan under this config."""
    with tempfile.TemporaryDirectory() as temp, open(Path(temp) / "pack.stderr", "w+b") as stderr:
        pack = RunningPack(copy_pack(Path(temp)), stderr)
        try:
            info = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
            configure(pack.stub, reconcile(info, read_config(config_text)))
            diagnostics, not_applicable = [], []
            for resource, request in analyze_requests(plan):
                response = pack.stub.Analyze(request)
                diagnostics += [
                    {"policy": d.policyName, "resource": resource["name"], "type": resource["type"],
                     "message": d.message, "description": d.description, "urn": d.urn,
                     "enforcementLevel": level_name(d.enforcementLevel),
                     "severity": analyzer_pb2.PolicySeverity.Name(d.severity)}
                    for d in response.diagnostics
                ]
                not_applicable += [{"policy": n.policy_name, "resource": resource["name"], "reason": n.reason}
                                   for n in response.not_applicable]
        finally:
            pack.close()
    return {
        "pack": {"name": info.name, "version": info.version, "supportsConfig": info.supportsConfig,
                 # MessageToDict leaves out a field at its default, such as ADVISORY (0): name the level always.
                 "policies": [{**json_format.MessageToDict(p), "enforcementLevel": level_name(p.enforcementLevel)}
                              for p in info.policies]},
        "diagnostics": diagnostics,
        "notApplicable": not_applicable,
    }


def rule_of(policy: str) -> str:
    return policy.removeprefix("aihub-").upper()


def gate(plan_path: Path, config_path: Optional[Path]) -> int:
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    config_text = config_path.read_text(encoding="utf-8") if config_path else ""
    try:
        bare, configured = run(plan), run(plan, config_text)
    except ConfigInvalid as err:
        print(f"{config_path}: the pack's config schema rejects it:", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    offline_all = sorted((f["rule"], f["resource"]) for f in plan["findings"])
    offline_open = sorted((f["rule"], f["resource"]) for f in plan["findings"] if not f["waived"])
    pack_all = sorted((rule_of(d["policy"]), d["resource"]) for d in bare["diagnostics"])
    pack_open = sorted((rule_of(d["policy"]), d["resource"]) for d in configured["diagnostics"])
    mandatory = [d for d in configured["diagnostics"] if d["enforcementLevel"] == "mandatory"]
    print(f"policy pack {configured['pack']['name']}: {len(configured['pack']['policies'])} policies over "
          f"{sum(r['custom'] for r in plan['resources'])} resources of stack {plan['stack']}: "
          f"{len(pack_all)} violation(s) without config, {len(pack_open)} with "
          f"{config_path or 'no config'} ({len(mandatory)} mandatory)")
    for d in configured["diagnostics"]:
        print(f"  [{d['enforcementLevel']}] {d['policy']} {d['resource']}: {d['message'].splitlines()[-1]}")
    failed = bool(mandatory)
    for label, pack_found, offline_found in (("without waivers", pack_all, offline_all),
                                             ("with waivers", pack_open, offline_open)):
        if pack_found != offline_found:
            print(f"  the pack and the offline baseline disagree {label}: pack {pack_found}, "
                  f"offline {offline_found}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", type=Path, help="an offline plan's JSON (python -m offline.plan --out out)")
    parser.add_argument("--config", type=Path, help="the pack's config (python -m baseline.pack_config)")
    parser.add_argument("--json", action="store_true", help="print what the pack reports as JSON; no gate")
    args = parser.parse_args(argv)
    if not args.json:
        return gate(args.plan, args.config)
    plan = json.loads(args.plan.read_text(encoding="utf-8"))
    try:
        result = run(plan, args.config.read_text(encoding="utf-8") if args.config else "")
    except ConfigInvalid as err:
        result = {"configProblems": err.problems}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
