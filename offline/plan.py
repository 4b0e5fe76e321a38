"""Offline plan: render a stack without Azure or the Pulumi CLI.

    python -m offline.plan --stack dev [--out out]

Runs the program for `Pulumi.<stack>.yaml` under mocks, prints the resource
tree as `pulumi preview` would, judges every resource against the security
baseline (with the stack's waivers), and writes `<out>/plan-<stack>.json`
(every resource: inputs with secrets masked, parent, dependencies, options;
findings; hazards) and `<out>/plan-<stack>.md` (a report with a Mermaid
diagram). A bad config prints every problem with its key path and exits with
status 2; `--strict` exits with status 1 on any finding not waived.
"""

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from baseline.evaluate import Finding, Waiver, evaluate, unused
from baseline.evaluate import azure_name as props_azure_name
from baseline.rules import get

from .engine import (
    SECRET_MASK,
    ProgramRun,
    Registration,
    StackFileError,
    quiet_grpc,
    read_stack_config,
    run_program,
)
from .inputs import PlanInputError, output_folder_problem, read_previous

ROOT = Path(__file__).resolve().parent.parent

def mask_secrets(value: Any) -> Any:
    """Inputs as they may be shown: every secret replaced by a mask."""
    from pulumi.runtime import rpc

    if rpc.is_rpc_secret(value):
        return SECRET_MASK
    if isinstance(value, dict):
        return {k: mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


def azure_name(reg: Registration) -> Optional[str]:
    """The name the resource gets in Azure."""
    return props_azure_name(reg.inputs)


def role_name(role_definition_id: str) -> str:
    from components.roles import BUILTIN_ROLES

    guid = role_definition_id.rsplit("/", 1)[-1]
    return next((name for name, g in BUILTIN_ROLES.items() if g == guid), guid)


def key_properties(reg: Registration) -> dict[str, Any]:
    """The few inputs a reviewer looks at first, per resource."""
    inputs = mask_secrets(reg.inputs)
    found: dict[str, Any] = {}
    name = azure_name(reg)
    if name:
        found["name"] = name
    for key in ("kind", "location"):
        if isinstance(inputs.get(key), str) and key != "location":
            found[key] = inputs[key]
    sku = inputs.get("sku")
    if isinstance(sku, dict) and "name" in sku:
        found["sku"] = sku["name"] + (f"/{int(sku['capacity'])}" if "capacity" in sku else "")
    props = inputs.get("properties")
    if props == SECRET_MASK:
        # A connection with key material: the engine keeps all its properties
        # secret, but which kind of connection it is tells nothing.
        from pulumi.runtime import rpc

        hidden = rpc.unwrap_rpc_secret(reg.inputs.get("properties"))
        props = {k: hidden[k] for k in ("category", "authType") if isinstance(hidden, dict) and k in hidden}
        props["credentials"] = SECRET_MASK
    if isinstance(props, dict):
        if isinstance(props.get("model"), dict):
            model = props["model"]
            found["model"] = f"{model.get('name')}@{model.get('version')}"
        for key in ("category", "authType", "isSharedToAll", "credentials"):
            if key in props:
                found[key] = props[key]
    if reg.type == "azure-native:authorization:RoleAssignment":
        found["role"] = role_name(str(inputs.get("roleDefinitionId", "")))
        found["scope"] = str(inputs.get("scope", "")).rsplit("/", 1)[-1]
    if reg.type == "azure-native:machinelearningservices:Workspace":
        for key in ("systemDatastoresAuthMode", "publicNetworkAccess"):
            if key in inputs:
                found[key] = inputs[key]
        if isinstance(inputs.get("managedNetwork"), dict):
            found["isolationMode"] = inputs["managedNetwork"].get("isolationMode")
            found["outboundRules"] = len(inputs["managedNetwork"].get("outboundRules") or {})
        if isinstance(inputs.get("encryption"), dict):
            found["encryption"] = "customer-managed key"
    if reg.type == "azure-native:authorization:PolicyAssignment":
        found["definition"] = str(inputs.get("policyDefinitionId", "")).rsplit("/", 1)[-1]
        found["enforcementMode"] = inputs.get("enforcementMode")
    if reg.type == "azure-native:consumption:Budget":
        found["amount"] = inputs.get("amount")
        thresholds = sorted(n["threshold"] for n in (inputs.get("notifications") or {}).values())
        found["alerts"] = ",".join(f"{int(t)}%" for t in thresholds)
    if reg.type == "azure-native:machinelearningservices:Compute":
        found["vmSize"] = get(inputs, "properties.properties.vmSize")
    if reg.type == "azure-native:network:PrivateEndpoint":
        links = inputs.get("privateLinkServiceConnections") or [{}]
        found["groupIds"] = ",".join(links[0].get("groupIds") or [])
    return found


def _children(run: ProgramRun) -> dict[str, list[Registration]]:
    children: dict[str, list[Registration]] = {}
    for reg in run.registrations:
        children.setdefault(reg.parent, []).append(reg)
    for regs in children.values():
        regs.sort(key=lambda r: (r.type, r.name))
    return children


def render_tree(run: ProgramRun) -> list[str]:
    """The parent-to-child tree, one resource a line."""
    children = _children(run)
    roots = children.get("", [])
    lines: list[str] = []

    def walk(reg: Registration, prefix: str, last: bool, top: bool) -> None:
        props = ", ".join(f"{k}={v}" for k, v in key_properties(reg).items())
        branch = "" if top else ("└─ " if last else "├─ ")
        lines.append(f"{prefix}{branch}{reg.type}  {reg.name}" + (f"  ({props})" if props else ""))
        kids = children.get(reg.urn, [])
        inner = prefix if top else prefix + ("   " if last else "│  ")
        for i, kid in enumerate(kids):
            walk(kid, inner, i == len(kids) - 1, False)

    for root in roots:
        walk(root, "", True, True)
    return lines


@dataclass
class Review:
    """The baseline's findings and the hazards of a plan."""

    findings: list[Finding]
    unused_waivers: list[Waiver]
    hazards: list[str]

    @property
    def open(self) -> list[Finding]:
        return [f for f in self.findings if f.waived is None]


def review(run: ProgramRun, waivers: list[Waiver]) -> Review:
    """Judge every resource the run would create against the baseline."""
    from .engine import _plain

    findings = evaluate(
        ((r.type, r.name, azure_name(r), _plain(r.inputs)) for r in sorted(run.resources, key=lambda r: r.urn)
         if r.custom),
        waivers,
    )
    return Review(findings, unused(waivers, findings), [w for w in run.warnings if w.startswith("hazard:")])


def plan_json(run: ProgramRun, stack: str, checked: Optional[Review] = None) -> dict[str, Any]:
    checked = checked or review(run, [])
    return {
        "findings": [asdict(f) for f in checked.findings],
        "hazards": checked.hazards,
        "stack": stack,
        "resourceCount": len(run.resources),
        "resources": [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
                "custom": r.custom,
                "parent": r.parent or None,
                "azureName": azure_name(r),
                "inputs": mask_secrets(r.inputs),
                "dependencies": r.dependencies,
                "options": {
                    "protect": r.protect,
                    "retainOnDelete": r.retain_on_delete,
                    "ignoreChanges": r.ignore_changes,
                    "deletedWith": r.deleted_with or None,
                    "additionalSecretOutputs": r.additional_secret_outputs,
                },
            }
            for r in sorted(run.registrations, key=lambda r: r.urn)
        ],
        "outputs": {k: (SECRET_MASK if k in run.secret_outputs else v) for k, v in sorted(run.outputs.items())},
    }


# -- Mermaid diagram ------------------------------------------------------------------

_SHOWN = {
    "azure-native:resources:ResourceGroup": "Resource group",
    "azure-native:machinelearningservices:Workspace": "AI hub",
    "azure-native:storage:StorageAccount": "Storage",
    "azure-native:keyvault:Vault": "Key Vault",
    "azure-native:applicationinsights:Component": "Application Insights",
    "azure-native:operationalinsights:Workspace": "Log Analytics",
    "azure-native:containerregistry:Registry": "Container Registry",
    "azure-native:cognitiveservices:Account": "AI provider",
    "azure-native:cognitiveservices:Deployment": "Model deployment",
    "azure-native:machinelearningservices:WorkspaceConnection": "Connection",
    "azure-native:network:VirtualNetwork": "VNet",
    "azure-native:network:Subnet": "Subnet",
    "azure-native:network:PrivateEndpoint": "Private endpoint",
    "azure-native:privatedns:PrivateZone": "Private DNS zone",
    "azure-native:managedidentity:UserAssignedIdentity": "Managed identity",
    "azure-native:keyvault:Key": "Key",
    "azure-native:machinelearningservices:Compute": "Compute instance",
    "azure-native:authorization:PolicyAssignment": "Policy assignment",
    "azure-native:consumption:Budget": "Budget",
}
# How an input that points at another resource reads in the diagram.
_EDGE_LABELS = {
    "properties": "target",
    "privateLinkServiceConnections": "private link",
    "managedNetwork": "outbound rule",
    "encryption": "encrypted by",
    "identity": "identity",
    "address_space": "address space",
}
_ARM_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/[^/]+/[^/]+/[^/]+$", re.I)


def _node_id(text: str) -> str:
    from components.naming import short_hash

    return "n" + short_hash(text, length=10)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def mermaid(run: ProgramRun) -> list[str]:
    """A flowchart of the hub, its dependencies, provider, connections and role grants."""
    from pulumi.runtime import rpc

    shown = [r for r in run.resources if r.type in _SHOWN]
    by_id = {r.id.lower(): r for r in shown if r.id}
    principals = {
        str(r.state.get("identity", {}).get("principalId")): r
        for r in shown
        if isinstance(r.state.get("identity"), dict)
    }
    lines = ["flowchart LR"]
    external: dict[str, str] = {}
    members: dict[str, tuple[str, str]] = {}
    for r in sorted(shown, key=lambda r: r.urn):
        kind = "Project" if r.inputs.get("kind") == "Project" else _SHOWN[r.type]
        label = f"{kind}<br/>{azure_name(r) or r.name}"
        lines.append(f'  {_node_id(r.urn)}["{label}"]')
    workspaces = {azure_name(r): r for r in shown if r.type == "azure-native:machinelearningservices:Workspace"}
    edges: set[str] = set()
    for r in sorted(shown, key=lambda r: r.urn):
        if r.type == "azure-native:resources:ResourceGroup":
            continue
        for key, value in sorted(r.inputs.items()):
            if rpc.is_rpc_secret(value):
                continue
            for text in _strings(value):
                target = by_id.get(text.lower())
                label = _EDGE_LABELS.get(key, key)
                if target is not None and target is not r:
                    edges.add(f"  {_node_id(r.urn)} -->|{label}| {_node_id(target.urn)}")
                elif _ARM_ID.match(text) and text.lower() not in by_id:
                    node = external.setdefault(text, _node_id(text))
                    edges.add(f"  {_node_id(r.urn)} -->|{label}| {node}")
        if r.type == "azure-native:machinelearningservices:Workspace" and r.inputs.get("kind") == "Hub":
            group = next((g for g in shown if g.type == "azure-native:resources:ResourceGroup"
                          and azure_name(g) == r.inputs.get("resourceGroupName")), None)
            if group is not None:
                edges.add(f"  {_node_id(group.urn)} -->|contains| {_node_id(r.urn)}")
        if r.type == "azure-native:network:PrivateEndpoint":
            name = r.inputs.get("privateEndpointName")
            for group in run.by_type("azure-native:network:PrivateDnsZoneGroup"):
                if group.inputs.get("privateEndpointName") == name:
                    for config in group.inputs.get("privateDnsZoneConfigs") or []:
                        zone = by_id.get(str(config.get("privateDnsZoneId", "")).lower())
                        node = _node_id(zone.urn) if zone else external.setdefault(
                            str(config.get("privateDnsZoneId")), _node_id(str(config.get("privateDnsZoneId"))))
                        edges.add(f"  {_node_id(r.urn)} -->|dns| {node}")
        if r.type == "azure-native:privatedns:PrivateZone":
            for link in run.by_type("azure-native:privatedns:VirtualNetworkLink"):
                if link.inputs.get("privateZoneName") == r.inputs.get("privateZoneName"):
                    vnet = by_id.get(str((link.inputs.get("virtualNetwork") or {}).get("id", "")).lower())
                    if vnet is not None:
                        edges.add(f"  {_node_id(r.urn)} -.->|linked| {_node_id(vnet.urn)}")
        if r.type in ("azure-native:machinelearningservices:WorkspaceConnection",
                      "azure-native:machinelearningservices:Compute"):
            owner = workspaces.get(r.inputs.get("workspaceName"))
            label = "connection" if r.type.endswith("WorkspaceConnection") else "compute"
            if owner is not None:
                edges.add(f"  {_node_id(owner.urn)} -->|{label}| {_node_id(r.urn)}")
        if r.type == "azure-native:cognitiveservices:Deployment":
            account = next((a for a in shown if a.type == "azure-native:cognitiveservices:Account"
                            and azure_name(a) == r.inputs.get("accountName")), None)
            if account is not None:
                edges.add(f"  {_node_id(account.urn)} -->|serves| {_node_id(r.urn)}")
    for r in run.by_type("azure-native:authorization:RoleAssignment"):
        principal = principals.get(str(r.inputs.get("principalId")))
        scope = by_id.get(str(r.inputs.get("scope", "")).lower())
        scope_node = _node_id(scope.urn) if scope else external.setdefault(
            str(r.inputs.get("scope")), _node_id(str(r.inputs.get("scope"))))
        role = role_name(str(r.inputs.get("roleDefinitionId", "")))
        if principal is not None:
            edges.add(f"  {_node_id(principal.urn)} -.->|{role}| {scope_node}")
        else:
            # A person, group or app from Entra ID: a project member.
            who = str(r.inputs.get("principalId"))
            node = members.setdefault(who, (_node_id("member" + who), str(r.inputs.get("principalType", "User"))))[0]
            edges.add(f"  {node} -.->|{role}| {scope_node}")
    for text, node in sorted(external.items()):
        lines.append(f'  {node}[("existing<br/>{text.rsplit("/", 1)[-1]}")]')
    for who, (node, kind) in sorted(members.items()):
        lines.append(f'  {node}(["{kind}<br/>{who}"])')
    lines.extend(sorted(edges))
    return lines


def critical_path(run: ProgramRun) -> list[Registration]:
    """The longest chain of resources that must be created one after another.

    Edges are the engine's dependencies (explicit and from Output inputs); a
    dependency on a component stands for all the resources inside it.
    """
    custom = {r.urn: r for r in run.resources if r.custom}
    children = _children(run)

    def expand(urn: str) -> set[str]:
        if urn in custom:
            return {urn}
        found: set[str] = set()
        for kid in children.get(urn, []):
            found |= expand(kid.urn)
        return found

    requires = {urn: {d for dep in r.dependencies for d in expand(dep)} - {urn} for urn, r in custom.items()}
    longest: dict[str, list[str]] = {}

    def chain(urn: str) -> list[str]:
        if urn not in longest:
            best = max((chain(d) for d in requires[urn]), key=len, default=[])
            longest[urn] = best + [urn]
        return longest[urn]

    best = max((chain(urn) for urn in sorted(custom)), key=len, default=[])
    return [custom[urn] for urn in best]


def describe_path(path: list[Registration]) -> str:
    return " -> ".join(f"{r.type.rsplit(':', 1)[-1]} {azure_name(r) or r.name}" for r in path)


def _baseline_section(checked: Review) -> str:
    from baseline.rules import RULES

    rows = "\n".join(
        f"| {f.rule} | `{f.resource}` | {f.message} | {'waived: ' + f.waived if f.waived else '**finding**'} |"
        for f in checked.findings
    )
    unused_rows = "".join(f"\n- waiver for {w.rule} matched nothing: {w.reason}" for w in checked.unused_waivers)
    table = f"\n\n| rule | resource | what | status |\n|---|---|---|---|\n{rows}" if rows else ""
    return (
        f"## Security baseline\n\n{len(RULES)} rules; {len(checked.open)} finding(s), "
        f"{len(checked.findings) - len(checked.open)} waived.{table}{unused_rows}\n\n"
    )


def markdown(run: ProgramRun, stack: str, checked: Optional[Review] = None) -> str:
    counts: dict[str, int] = {}
    for r in run.resources:
        counts[r.type] = counts.get(r.type, 0) + 1
    rows = "\n".join(f"| `{t}` | {n} |" for t, n in sorted(counts.items()))
    outputs = "\n".join(
        f"| `{k}` | {SECRET_MASK if k in run.secret_outputs else v} |" for k, v in sorted(run.outputs.items())
    )
    tree = "\n".join(render_tree(run))
    diagram = "\n".join(mermaid(run))
    path = critical_path(run)
    steps = "\n".join(f"{i}. `{r.type}` {azure_name(r) or r.name}" for i, r in enumerate(path, 1))
    checked = checked or review(run, [])
    hazards = "".join(f"- {h.removeprefix('hazard: ')}\n" for h in checked.hazards) or "None.\n"
    return (
        f"# Offline plan: stack `{stack}`\n\n"
        f"{len(run.resources)} resources, rendered under Pulumi mocks (no Azure, no CLI). "
        "IDs and endpoints are placeholders; names and inputs are what `pulumi up` sends.\n\n"
        f"## Diagram\n\n```mermaid\n{diagram}\n```\n\n"
        f"## Hazards\n\nChanges since the previous plan that Azure can't apply in place, or that lose data:\n\n"
        f"{hazards}\n"
        + _baseline_section(checked)
        + f"## Critical path\n\nThe longest chain of resources a deploy must create one after another "
        f"({len(path)} resources); everything else goes up beside it:\n\n{steps}\n\n"
        f"## Resources\n\n| type | count |\n|---|---|\n{rows}\n\n"
        f"## Tree\n\n```\n{tree}\n```\n\n"
        f"## Stack outputs\n\n| output | value |\n|---|---|\n{outputs}\n"
    )


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline.plan", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", default="dev", help="stack name: reads Pulumi.<stack>.yaml (default dev)")
    parser.add_argument("--out", default=str(ROOT / "out"), help="folder for the JSON and Markdown files")
    parser.add_argument("--root", default=str(ROOT), help="the Pulumi project folder")
    parser.add_argument("--stack-file", help="read this file instead of Pulumi.<stack>.yaml (a scenario)")
    parser.add_argument("--strict", action="store_true", help="fail (status 1) on any baseline finding not waived")
    parser.add_argument("--previous", help="a previous plan's JSON: call out hazardous changes since then")
    args = parser.parse_args(argv)
    quiet_grpc()
    root = Path(args.root)

    from config import ConfigError, parse

    try:
        stack_file = Path(args.stack_file) if args.stack_file else None
        found = read_stack_config(root, args.stack, stack_file)
        previous = read_previous(Path(args.previous), args.stack) if args.previous else None
        out_problem = output_folder_problem(Path(args.out))
        if out_problem:
            raise PlanInputError(f"--out {args.out}: {out_problem}")
        # The stack file's problems and the config's, all at once.
        problems = list(found.problems)
        try:
            waivers = parse(found.config, found.secret_keys).parsed_waivers
        except ConfigError as err:
            problems += [p for p in err.problems if p[0] not in {q for q, _ in problems}]
        if problems:
            raise ConfigError(problems)
        for note in found.notes:
            print(f"warning: {note}", file=sys.stderr)
        run = run_program(root / "__main__.py", found.config, project=found.project, stack=args.stack,
                          secret_keys=found.secret_keys, previous_outputs=previous)
        checked = review(run, waivers)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (StackFileError, PlanInputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ConfigError as err:
        print(f"Stack {args.stack}: {len(err.problems)} config problem(s):", file=sys.stderr)
        for path, reason in err.problems:
            print(f"  {path}: {reason}", file=sys.stderr)
        return 2

    print(f"Offline plan of stack {args.stack} (project {found.project}): {len(run.resources)} resources to create\n")
    print("\n".join(render_tree(run)))
    path = critical_path(run)
    print(f"\nCritical path ({len(path)} resources one after another): {describe_path(path)}")
    for warning in run.warnings:
        print(f"\nwarning: {warning}")
    print(f"\nSecurity baseline: {len(checked.open)} finding(s), "
          f"{len(checked.findings) - len(checked.open)} waived")
    for f in checked.findings:
        status = f"waived ({f.waived})" if f.waived else "FINDING"
        print(f"  {f.rule} {f.resource}: {f.message} [{status}]")
    for w in checked.unused_waivers:
        print(f"  unused waiver for {w.rule}: {w.reason}")
    print("\nOutputs:")
    for key, value in sorted(run.outputs.items()):
        shown = SECRET_MASK if key in run.secret_outputs else value
        text = json.dumps(shown, indent=4).replace("\n", "\n  ") if isinstance(shown, (dict, list)) else shown
        print(f"  {key}: {text}")
    out = Path(args.out)
    json_path = out / f"plan-{args.stack}.json"
    md_path = out / f"plan-{args.stack}.md"
    try:
        out.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(plan_json(run, args.stack, checked), indent=2, sort_keys=True) + "\n",
                             encoding="utf-8")
        md_path.write_text(markdown(run, args.stack, checked), encoding="utf-8")
    except OSError as err:
        print(f"error: can't write the plan to {out}: {err.strerror or err}", file=sys.stderr)
        return 2
    print(f"\nWrote {json_path} and {md_path}")
    if args.strict and checked.open:
        print(f"\nstrict: {len(checked.open)} baseline finding(s) not waived", file=sys.stderr)
        return 1
    return 0


def close_event_loop() -> None:
    """Finish and close the event loop the Pulumi runtime ran on, as asyncio.run does on its way out.

    Left to the garbage collector at interpreter exit, the loop's __del__ can find its self-pipe
    already closed and print "Exception ignored in: <function BaseEventLoop.__del__ ...>
    ValueError: Invalid file descriptor: -1" after a successful plan.
    """
    import asyncio
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            return
    if loop.is_closed() or loop.is_running():
        return
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


if __name__ == "__main__":
    try:
        status = main()
        close_event_loop()
        sys.exit(status)
    except BrokenPipeError:
        # The reader went away (`make plan | head`). Python docs, "Note on SIGPIPE": point stdout at
        # devnull so the interpreter's flush at exit doesn't print "Exception ignored ... BrokenPipeError".
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
