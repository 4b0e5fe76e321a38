"""Offline plan: render a stack without Azure or the Pulumi CLI.

    python -m offline.plan --stack dev [--out out]

Runs the program for `Pulumi.<stack>.yaml` under mocks, prints the resource
tree as `pulumi preview` would, judges every resource against the security
baseline (with the stack's waivers), and writes `<out>/plan-<stack>.json`
(every resource: inputs with secrets masked, parent, dependencies, options;
findings; hazards) and `<out>/plan-<stack>.md` (a report with a Mermaid
diagram). A bad config prints every problem with its key path and exits with
status 2; `--strict` exits with status 1 on any finding not waived. A resource
the stack's own policy assignments would deny (offline/policy_check.py) exits
with status 1 with or without `--strict`.
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
from components.deploy_rules import DEPLOY_RULES

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
from .policy_check import PolicyCheck, check_policy_assignments, policy_json, policy_lines, policy_section

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


def principal_names(run: ProgramRun) -> dict[str, str]:
    """Principal ID -> who it is: the Azure name of the resource whose managed identity it is.

    A system-assigned identity's principal ID is the `identity.principalId` output of its resource;
    a user-assigned identity's is the identity resource's own `principalId` output
    (Microsoft.ManagedIdentity/userAssignedIdentities REST reference).
    """
    found: dict[str, str] = {}
    for r in run.resources:
        identity = r.state.get("identity")
        pid = identity.get("principalId") if isinstance(identity, dict) else None
        if r.type == "azure-native:managedidentity:UserAssignedIdentity":
            pid = r.state.get("principalId")
        if isinstance(pid, str) and pid:
            found[pid] = azure_name(r) or r.name
    for r in run.by_type("azure-native:authorization:RoleAssignment"):
        # Microsoft's own Cosmos DB app, which classic customer-managed keys need on the vault (encryption.py).
        if "-cmk-cosmos-db-" in r.name:
            found.setdefault(str(r.inputs.get("principalId")), "Azure Cosmos DB")
    return found


def _last_segment(arm_id: Any) -> str:
    return str(arm_id or "").rstrip("/").rsplit("/", 1)[-1]


def role_assignment_parts(reg: Registration, principals: dict[str, str]) -> tuple[str, str, str]:
    """(role name, principal, scope name) of a role assignment, as a person reads them."""
    role = role_name(str(reg.inputs.get("roleDefinitionId", "")))
    pid = str(reg.inputs.get("principalId", ""))
    principal = principals.get(pid) or f"{reg.inputs.get('principalType') or 'principal'} {pid}"
    return role, principal, _last_segment(reg.inputs.get("scope"))


def key_properties(reg: Registration, principals: Optional[dict[str, str]] = None,
                   region: Optional[str] = None) -> dict[str, Any]:
    """The few inputs a reviewer looks at first, per resource, most telling first.

    A role assignment's name is a GUID that tells nothing: it is shown by role, principal and
    scope instead. `location` is shown where it differs from the stack's region.
    """
    inputs = mask_secrets(reg.inputs)
    found: dict[str, Any] = {}
    if reg.type == "azure-native:authorization:RoleAssignment":
        found["role"], found["principal"], found["scope"] = role_assignment_parts(reg, principals or {})
        return found
    name = azure_name(reg)
    if name:
        found["name"] = name
    if isinstance(inputs.get("kind"), str):
        found["kind"] = inputs["kind"]
    location = inputs.get("location")
    if isinstance(location, str) and (region is None or location != region
                                      or reg.type == "azure-native:resources:ResourceGroup"):
        found["location"] = location
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


TREE_WIDTH = 120
"""Columns a tree line may take: a terminal's width, like `pulumi preview`'s."""


def elide(text: str, width: int) -> str:
    """`text` cut to `width` characters with an ellipsis in the middle, so both ends stay readable."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]


def stack_region(run: ProgramRun) -> Optional[str]:
    """The region most resources are sent to (`azure-native:location`), or None."""
    counts: dict[str, int] = {}
    for r in run.resources:
        location = r.inputs.get("location")
        if isinstance(location, str) and location != "global":
            counts[location] = counts.get(location, 0) + 1
    return max(sorted(counts), key=lambda k: counts[k], default=None)


def _wrap(items: list[str], indent: str, width: int) -> list[str]:
    """Items joined by ", " on lines of at most `width` columns, each starting with `indent`."""
    lines: list[str] = []
    current = ""
    room = max(width - len(indent), 8)
    for item in items:
        item = elide(item, room)
        candidate = f"{current}, {item}" if current else item
        if current and len(candidate) + 1 > room:
            lines.append(indent + current + ",")
            current = item
        else:
            current = candidate
    if current:
        lines.append(indent + current)
    return lines


def render_tree(run: ProgramRun, width: int = TREE_WIDTH) -> list[str]:
    """The parent-to-child tree, one resource a line, no line wider than `width`.

    Key properties follow the name when they fit; otherwise they go on the lines below it, under
    the resource. Long names and values are elided in the middle.
    """
    children = _children(run)
    roots = children.get("", [])
    principals = principal_names(run)
    region = stack_region(run)
    lines: list[str] = []

    def walk(reg: Registration, prefix: str, last: bool, top: bool) -> None:
        props = [f"{k}={elide(str(v), 48)}" for k, v in key_properties(reg, principals, region).items()]
        branch = "" if top else ("└─ " if last else "├─ ")
        kids = children.get(reg.urn, [])
        inner = prefix if top else prefix + ("   " if last else "│  ")
        head = f"{prefix}{branch}{reg.type}  "
        name = elide(reg.name, max(width - len(head), 8))
        line = head + name
        one_line = f"{line}  ({', '.join(props)})" if props else line
        if len(one_line) <= width:
            lines.append(one_line)
        else:
            lines.append(elide(line, width))
            # Under the resource: the child rail continues if it has children.
            below = inner + ("│  " if kids else "   ") + "  "
            lines.extend(_wrap(props, below, width))
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
#
# An architecture picture, not the dependency graph: resources grouped by concern in Mermaid
# subgraphs, repeated things collapsed into one node or one edge (projects beyond a few, project
# role assignments, members, DNS zones and their VNet links, private endpoints, model deployments,
# compute instances, policy assignments), so the edge count does not grow with the number of
# projects. GitHub renders Mermaid with the library's defaults, which refuse a flowchart of more
# than 500 edges (`maxEdges`) or 50,000 characters (`maxTextSize`): mermaid-js/mermaid
# packages/mermaid/src/config.schema.yaml. tests/test_diagram.py parses every diagram with the
# real parser (tools/mermaid/parse.mjs).

MAX_EDGES = 500
MAX_TEXT = 50_000
PROJECTS_SHOWN = 8
"""More projects than this are drawn as one node."""

# (subgraph id, title), in drawing order.
_CONCERNS = [
    ("governance", "Governance"),
    ("network", "Network"),
    ("data", "Data and monitoring"),
    ("access", "Identity and access"),
    ("ai", "AI"),
    ("projects", "Projects"),
]
# Resource type -> (concern, label of one, label of several). None for several: never collapsed.
_SHOWN: dict[str, tuple[str, str, Optional[str]]] = {
    "azure-native:resources:ResourceGroup": ("governance", "Resource group", None),
    "azure-native:authorization:PolicyAssignment": ("governance", "Policy assignment", "Policy assignments"),
    "azure-native:consumption:Budget": ("governance", "Budget", None),
    "azure-native:network:VirtualNetwork": ("network", "VNet", None),
    "azure-native:network:Subnet": ("network", "Subnet", None),
    "azure-native:network:PrivateEndpoint": ("network", "Private endpoint", "Private endpoints"),
    "azure-native:privatedns:PrivateZone": ("network", "Private DNS zone", "Private DNS zones"),
    "azure-native:storage:StorageAccount": ("data", "Storage", None),
    "azure-native:keyvault:Vault": ("data", "Key Vault", None),
    "azure-native:keyvault:Key": ("data", "Key", None),
    "azure-native:containerregistry:Registry": ("data", "Container Registry", None),
    "azure-native:applicationinsights:Component": ("data", "Application Insights", None),
    "azure-native:operationalinsights:Workspace": ("data", "Log Analytics", None),
    "azure-native:managedidentity:UserAssignedIdentity": ("access", "Managed identity", None),
    "azure-native:monitor:PrivateLinkScope": ("data", "Monitor private link scope", None),
    "azure-native:machinelearningservices:Workspace": ("ai", "AI hub", None),
    "azure-native:cognitiveservices:Account": ("ai", "AI provider", None),
    "azure-native:cognitiveservices:Deployment": ("ai", "Model deployment", "Model deployments"),
    "azure-native:machinelearningservices:WorkspaceConnection": ("ai", "Connection", None),
    "azure-native:machinelearningservices:Compute": ("ai", "Compute instance", "Compute instances"),
}
# Existing resources (ARM IDs the stack only points at), by resource provider namespace.
_EXISTING_CONCERN = {
    "microsoft.network": "network",
    "microsoft.storage": "data",
    "microsoft.keyvault": "data",
    "microsoft.containerregistry": "data",
    "microsoft.insights": "data",
    "microsoft.operationalinsights": "data",
    "microsoft.managedidentity": "access",
    "microsoft.cognitiveservices": "ai",
    "microsoft.machinelearningservices": "ai",
    "microsoft.search": "ai",
}
# How an input that points at another resource reads in the diagram.
_EDGE_LABELS = {
    "properties": "target",
    "privateLinkServiceConnections": "private link",
    "managedNetwork": "outbound rule",
    "encryption": "encrypted by",
    "identity": "identity",
    "hubResourceId": "on hub",
    "workspaceResourceId": "logs to",
    "subnet": "in subnet",
}
_ARM_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/([^/]+)/[^/]+/[^/]+$", re.I)
_PROJECTS = "projects"
_MEMBERS = "members"


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


def _text(label: str) -> str:
    """Text safe inside a quoted Mermaid label (no quotes, pipes or brackets to end it early)."""
    return (label.replace('"', "#quot;").replace("|", "#124;").replace("[", "#91;").replace("]", "#93;"))


def _several(title: str, names: list[str]) -> str:
    """A collapsed node's label: the count and the names, or the first and last of many."""
    names = sorted(names)
    if len(names) == 1:
        return f"{title}<br/>{names[0]}"
    shown = names if len(names) <= 4 else [names[0], "…", names[-1]]
    return f"{title} ×{len(names)}<br/>" + "<br/>".join(shown)


@dataclass
class _Node:
    id: str
    concern: str
    title: str
    names: list[str]
    shape: str = "box"
    several: Optional[str] = None

    def line(self) -> str:
        label = _text(_several(self.several, self.names) if self.several and len(self.names) > 1
                      else f"{self.title}<br/>{self.names[0]}" if self.names else self.title)
        opening, closing = {"box": ("[", "]"), "existing": ("[(", ")]"), "people": ("([", "])")}[self.shape]
        return f'    {self.id}{opening}"{label}"{closing}'


class _Diagram:
    """Nodes per concern and labelled edges, merged: one edge per (from, to, style)."""

    def __init__(self) -> None:
        self.nodes: dict[str, _Node] = {}
        self.edges: dict[tuple[str, str, str], dict[str, int]] = {}

    def node(self, key: str, concern: str, title: str, name: str, shape: str = "box",
             several: Optional[str] = None) -> str:
        node = self.nodes.get(key)
        if node is None:
            node = self.nodes[key] = _Node(_node_id(key), concern, title, [], shape, several)
        if name and name not in node.names:
            node.names.append(name)
        return node.id

    def edge(self, source: str, target: str, label: str, dotted: bool = False) -> None:
        if source == target:
            return
        labels = self.edges.setdefault((source, target, "-.->" if dotted else "-->"), {})
        labels[label] = labels.get(label, 0) + 1

    def lines(self) -> list[str]:
        lines = ["flowchart LR"]
        for concern, title in _CONCERNS:
            members = sorted((n for n in self.nodes.values() if n.concern == concern), key=lambda n: n.line())
            if concern == _PROJECTS or members:
                lines.append(f'  subgraph {concern}["{title}"]')
                lines.extend(n.line() for n in members)
                lines.append("  end")
        for (source, target, arrow), labels in sorted(self.edges.items()):
            text = "<br/>".join(f"{label} ×{n}" if n > 1 else label for label, n in sorted(labels.items()))
            lines.append(f'  {source} {arrow}|"{_text(text)}"| {target}')
        return lines


def _points_at_azure(reg: Registration, by_id: dict[str, Registration]) -> bool:
    """Whether a connection's (non-secret) properties name an Azure resource by its ARM ID."""
    from pulumi.runtime import rpc

    props = reg.inputs.get("properties")
    return not rpc.is_rpc_secret(props) and any(
        _ARM_ID.match(text) or text.lower() in by_id for text in _strings(props))


_PRINCIPAL_KINDS = {"User": ("user", "users"), "Group": ("group", "groups"),
                    "ServicePrincipal": ("service principal", "service principals")}


def mermaid(run: ProgramRun) -> list[str]:
    """The hub's architecture as a Mermaid flowchart, grouped by concern, repeated things collapsed."""
    from pulumi.runtime import rpc

    shown = [r for r in run.resources if r.type in _SHOWN]
    by_id = {r.id.lower(): r for r in shown if r.id}
    projects = [r for r in shown if r.type == "azure-native:machinelearningservices:Workspace"
                and r.inputs.get("kind") == "Project"]
    project_names = {azure_name(r) for r in projects}
    project_urns = {r.urn for r in projects}
    collapse_projects = len(projects) > PROJECTS_SHOWN
    diagram = _Diagram()
    project_summary: dict[str, dict[str, set[str]]] = {
        str(azure_name(p)): {"members": set(), "connections": set()} for p in projects}
    node_of: dict[str, str] = {}
    for r in shown:
        concern, title, several = _SHOWN[r.type]
        name = azure_name(r) or r.name
        if r.urn in project_urns:
            # Everything a project takes part in is drawn once, on the Projects subgraph.
            node_of[r.urn] = _PROJECTS
            continue
        if r.type == "azure-native:machinelearningservices:WorkspaceConnection" and \
                r.inputs.get("workspaceName") in project_names:
            project_summary[str(r.inputs["workspaceName"])]["connections"].add(name)
            node_of[r.urn] = _PROJECTS
            continue
        key = r.type if several else r.urn
        if r.type == "azure-native:machinelearningservices:WorkspaceConnection" and not _points_at_azure(r, by_id):
            # Connections to endpoints outside Azure (API keys, feeds, custom): one node for all.
            key, several = "connections:external", "Connections"
        node_of[r.urn] = diagram.node(key, concern, title, name, several=several)

    def existing(arm_id: str) -> str:
        match = _ARM_ID.match(arm_id)
        concern = _EXISTING_CONCERN.get(match.group(1).lower(), "governance") if match else "governance"
        return diagram.node("existing:" + arm_id.lower(), concern, "existing", _last_segment(arm_id), "existing")

    def target_of(text: str) -> Optional[str]:
        found = by_id.get(text.lower())
        if found is not None:
            return node_of[found.urn]
        return existing(text) if _ARM_ID.match(text) else None

    keys = {(str(r.inputs.get("vaultName")), str(r.inputs.get("keyName"))): r for r in shown
            if r.type == "azure-native:keyvault:Key"}
    vaults = {azure_name(r): r for r in shown if r.type == "azure-native:keyvault:Vault"}
    accounts = {azure_name(r): r for r in shown if r.type == "azure-native:cognitiveservices:Account"}
    workspaces = {azure_name(r): r for r in shown if r.type == "azure-native:machinelearningservices:Workspace"}
    groups = {azure_name(r): r for r in shown if r.type == "azure-native:resources:ResourceGroup"}
    for r in sorted(shown, key=lambda r: r.urn):
        if r.type == "azure-native:resources:ResourceGroup":
            continue
        source = node_of[r.urn]
        for key, value in sorted(r.inputs.items()):
            if rpc.is_rpc_secret(value):
                continue
            for text in _strings(value):
                target = target_of(text)
                if target is None:
                    continue
                label = _EDGE_LABELS.get(key, key)
                if source == _PROJECTS and r.type.endswith(":WorkspaceConnection"):
                    label = "connection"
                if key == "privateLinkServiceConnections":
                    first = value[0] if isinstance(value, list) and value and isinstance(value[0], dict) else {}
                    label += " (" + ", ".join(first.get("groupIds") or []) + ")"
                if key == "encryption" and text == get(value, "keyVaultProperties.keyVaultArmId") and any(
                        text.lower().endswith("/vaults/" + vault.lower()) for vault, _ in keys):
                    continue  # drawn to the key itself, below
                diagram.edge(source, target, label)
        if r.type == "azure-native:keyvault:Key":
            vault = vaults.get(r.inputs.get("vaultName"))
            if vault is not None:
                diagram.edge(node_of[vault.urn], source, "holds")
        if r.type == "azure-native:machinelearningservices:Workspace" and r.inputs.get("kind") == "Hub":
            group = groups.get(r.inputs.get("resourceGroupName"))
            if group is not None:
                diagram.edge(node_of[group.urn], source, "contains")
            # The key a customer-managed-key hub is encrypted with (keyIdentifier is
            # https://<vault>.vault.azure.net/keys/<name>/<version>), when the stack creates it.
            identifier = str(get(r.inputs, "encryption.keyVaultProperties.keyIdentifier") or "")
            for (vault_name, key_name), key_reg in keys.items():
                if f"//{vault_name}.vault" in identifier and f"/keys/{key_name}" in identifier:
                    diagram.edge(source, node_of[key_reg.urn], "encrypted by")
        if r.type == "azure-native:network:Subnet":
            vnet = next((v for v in shown if v.type == "azure-native:network:VirtualNetwork"
                         and azure_name(v) == r.inputs.get("virtualNetworkName")), None)
            if vnet is not None:
                diagram.edge(node_of[vnet.urn], source, "contains")
        if r.type == "azure-native:network:PrivateEndpoint":
            name = r.inputs.get("privateEndpointName")
            for group in run.by_type("azure-native:network:PrivateDnsZoneGroup"):
                if group.inputs.get("privateEndpointName") == name:
                    for config in group.inputs.get("privateDnsZoneConfigs") or []:
                        zone = target_of(str(config.get("privateDnsZoneId", "")))
                        if zone is not None:
                            diagram.edge(source, zone, "dns")
        if r.type == "azure-native:machinelearningservices:WorkspaceConnection" and source != _PROJECTS:
            owner = workspaces.get(r.inputs.get("workspaceName"))
            if owner is not None:
                diagram.edge(node_of[owner.urn], source, "connection")
        if r.type == "azure-native:machinelearningservices:Compute":
            owner = workspaces.get(r.inputs.get("workspaceName"))
            if owner is not None:
                diagram.edge(node_of[owner.urn], source, "compute")
        if r.type == "azure-native:cognitiveservices:Deployment":
            account = accounts.get(r.inputs.get("accountName"))
            if account is not None:
                diagram.edge(node_of[account.urn], source, "serves")
    for link in run.by_type("azure-native:privatedns:VirtualNetworkLink"):
        zone = next((z for z in shown if z.type == "azure-native:privatedns:PrivateZone"
                     and z.inputs.get("privateZoneName") == link.inputs.get("privateZoneName")), None)
        vnet = target_of(str((link.inputs.get("virtualNetwork") or {}).get("id", "")))
        if zone is not None and vnet is not None:
            diagram.edge(node_of[zone.urn], vnet, "linked", dotted=True)

    principals = {}
    for r in shown:
        identity = r.state.get("identity")
        pid = identity.get("principalId") if isinstance(identity, dict) else None
        if r.type == "azure-native:managedidentity:UserAssignedIdentity":
            pid = r.state.get("principalId")
        if isinstance(pid, str) and pid:
            principals[pid] = node_of[r.urn]
    member_kinds: dict[str, str] = {}
    for r in run.by_type("azure-native:authorization:RoleAssignment"):
        pid = str(r.inputs.get("principalId"))
        principal = principals.get(pid)
        if principal is None and "-cmk-cosmos-db-" in r.name:
            # Microsoft's own Cosmos DB app, which classic customer-managed keys need on the vault.
            principal = diagram.node("principal:cosmos-db", "access", "Azure Cosmos DB", "first-party app", "people")
        if principal is None:
            # A person, group or app from Entra ID: project members, drawn as one node.
            member_kinds[pid] = str(r.inputs.get("principalType") or "User")
            principal = _MEMBERS
        scope = str(r.inputs.get("scope", ""))
        scope_node = target_of(scope) or existing(scope)
        if scope_node == _PROJECTS and principal == _MEMBERS and _last_segment(scope) in project_summary:
            project_summary[_last_segment(scope)]["members"].add(pid)
        diagram.edge(principal, scope_node, role_name(str(r.inputs.get("roleDefinitionId", ""))), dotted=True)
    if member_kinds:
        kinds: dict[str, int] = {}
        for kind in member_kinds.values():
            kinds[kind] = kinds.get(kind, 0) + 1
        summary = ", ".join(f"{n} {_PRINCIPAL_KINDS.get(kind, (kind, kind))[n > 1]}"
                            for kind, n in sorted(kinds.items()))
        members_id = diagram.node(_MEMBERS, "access", "Project members", summary, "people")
        for key in list(diagram.edges):
            if _MEMBERS in key[:2]:
                new = tuple(members_id if part == _MEMBERS else part for part in key[:2]) + (key[2],)
                diagram.edges[new] = diagram.edges.pop(key)  # type: ignore[index]

    def about(name: str) -> str:
        facts = project_summary.get(name, {})
        parts = [f"{len(facts['members'])} member(s)"] if facts.get("members") else []
        if facts.get("connections"):
            parts.append("connections: " + elide(", ".join(sorted(facts["connections"])), 40))
        return "<br/>".join([name, *parts])

    if collapse_projects:
        names = sorted(str(n) for n in project_names)
        members = set().union(*(f["members"] for f in project_summary.values()))
        connections = sum(len(f["connections"]) for f in project_summary.values())
        diagram.node("project:all", _PROJECTS, f"Projects ×{len(names)}",
                     f"{names[0]} … {names[-1]}<br/>{len(members)} member(s), {connections} connection(s)")
    else:
        for project in projects:
            diagram.node(project.urn, _PROJECTS, "Project", about(str(azure_name(project))))
    return diagram.lines()


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
            # Sorted: of equally long chains, the same one on every run (set order varies).
            best = max((chain(d) for d in sorted(requires[urn])), key=len, default=[])
            longest[urn] = best + [urn]
        return longest[urn]

    best = max((chain(urn) for urn in sorted(custom)), key=len, default=[])
    return [custom[urn] for urn in best]


def describe(reg: Registration, principals: dict[str, str]) -> str:
    """One resource as a person names it; a role assignment by its role, principal and scope."""
    kind = reg.type.rsplit(":", 1)[-1]
    if reg.type == "azure-native:authorization:RoleAssignment":
        role, principal, scope = role_assignment_parts(reg, principals)
        return f"{kind} {role} for {principal} on {scope}"
    return f"{kind} {azure_name(reg) or reg.name}"


def describe_path(path: list[Registration], principals: Optional[dict[str, str]] = None) -> list[str]:
    """The critical path, one step a line, each at most TREE_WIDTH columns."""
    return [elide(f"  {i}. {describe(r, principals or {})}", TREE_WIDTH) for i, r in enumerate(path, 1)]


def _cell(value: Any) -> str:
    """A value as JSON in a Markdown table cell (pipes escaped so they don't end the cell)."""
    return "`" + json.dumps(value, sort_keys=True).replace("|", "\\|") + "`"


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


def markdown(run: ProgramRun, stack: str, checked: Optional[Review] = None,
             policies: Optional[PolicyCheck] = None) -> str:
    counts: dict[str, int] = {}
    for r in run.resources:
        counts[r.type] = counts.get(r.type, 0) + 1
    rows = "\n".join(f"| `{t}` | {n} |" for t, n in sorted(counts.items()))
    outputs = "\n".join(
        f"| `{k}` | {_cell(SECRET_MASK if k in run.secret_outputs else v)} |" for k, v in sorted(run.outputs.items())
    )
    tree = "\n".join(render_tree(run))
    diagram = "\n".join(mermaid(run))
    path = critical_path(run)
    principals = principal_names(run)
    steps = "\n".join(f"{i}. `{r.type}` {describe(r, principals).split(' ', 1)[1]}" for i, r in enumerate(path, 1))
    region = stack_region(run)
    checked = checked or review(run, [])
    hazards = "".join(f"- {h.removeprefix('hazard: ')}\n" for h in checked.hazards) or "None.\n"
    return (
        f"# Offline plan: stack `{stack}`\n\n"
        f"{len(run.resources)} resources in `{region or 'no region'}`, rendered under Pulumi mocks (no Azure, no CLI). "
        "IDs and endpoints are placeholders; names and inputs are what `pulumi up` sends.\n\n"
        f"## Diagram\n\n```mermaid\n{diagram}\n```\n\n"
        f"## Hazards\n\nChanges since the previous plan that Azure can't apply in place, or that lose data:\n\n"
        f"{hazards}\n"
        + _baseline_section(checked)
        + policy_section(policies or check_policy_assignments(run))
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

    print(f"Offline plan of stack {args.stack} (project {found.project}): {len(run.resources)} resources to create")
    print(f"Region: {stack_region(run) or 'none'} (azure-native:location)\n")
    print("\n".join(render_tree(run)))
    path = critical_path(run)
    print(f"\nCritical path ({len(path)} resources one after another):")
    print("\n".join(describe_path(path, principal_names(run))))
    for warning in run.warnings:
        print(f"\nwarning: {warning}")
    # A violation stops the run with a ConfigError above, before anything is registered.
    print(f"\nDeploy rules: {len(DEPLOY_RULES)} checked ({', '.join(r.id for r in DEPLOY_RULES)}), none violated")
    print(f"\nSecurity baseline: {len(checked.open)} finding(s), "
          f"{len(checked.findings) - len(checked.open)} waived")
    for f in checked.findings:
        status = f"waived ({f.waived})" if f.waived else "FINDING"
        print(f"  {f.rule} {f.resource}: {f.message} [{status}]")
    for w in checked.unused_waivers:
        print(f"  unused waiver for {w.rule}: {w.reason}")
    policies = check_policy_assignments(run)
    print("\n" + "\n".join(policy_lines(policies)))
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
        plan = {**plan_json(run, args.stack, checked), "policySelfCheck": policy_json(policies)}
        json_path.write_text(json.dumps(plan, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        md_path.write_text(markdown(run, args.stack, checked, policies), encoding="utf-8")
    except OSError as err:
        print(f"error: can't write the plan to {out}: {err.strerror or err}", file=sys.stderr)
        return 2
    print(f"\nWrote {json_path} and {md_path}")
    for error in run.errors:
        print(f"\nerror: {error}", file=sys.stderr)
    if policies.errors:
        # Regardless of --strict: Azure itself would refuse these, so the deploy can't succeed.
        print(f"\npolicy: {len(policies.errors)} resource(s) or assignment(s) the stack's own policy assignments "
              "would refuse:", file=sys.stderr)
        for r in policies.errors:
            print(f"  assignment {r.assignment} ({r.policy}, effect {r.effect or '-'}) {r.status}"
                  f"{' ' + r.resource if r.resource else ''}: {r.message}", file=sys.stderr)
    if args.strict and checked.open:
        print(f"\nstrict: {len(checked.open)} baseline finding(s) not waived", file=sys.stderr)
        return 1
    # `pulumi up` fails on an error the program logs, and Azure on a Deny.
    return 1 if policies.errors or run.errors else 0


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
