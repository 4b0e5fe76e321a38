"""The plan's Mermaid diagram: the hub's architecture, grouped by concern.

An architecture picture, not the dependency graph: resources grouped by concern in Mermaid
subgraphs, repeated things collapsed into one node or one edge (projects beyond a few, project
role assignments, members, DNS zones and their VNet links, private endpoints, model deployments,
compute instances, policy assignments), so the edge count does not grow with the number of
projects. GitHub renders Mermaid with the library's defaults, which refuse a flowchart of more
than 500 edges (`maxEdges`) or 50,000 characters (`maxTextSize`): mermaid-js/mermaid
packages/mermaid/src/config.schema.yaml. tests/stack/test_diagram.py parses every diagram with the
real parser (tools/mermaid/parse.mjs).
"""

import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from baseline.rules import get
from components.resource_types import (
    ACCOUNT,
    ACCOUNT_CAPABILITY_HOST,
    ACCOUNT_CONNECTION,
    COMPUTE,
    CONNECTION,
    COSMOS,
    COSMOS_ROLE,
    DEPLOYMENT,
    DNS_ZONE,
    DNS_ZONE_GROUP,
    ENDPOINT,
    IDENTITY,
    KEY,
    PROJECT_ACCOUNT,
    PROJECT_CAPABILITY_HOST,
    PROJECT_CONNECTION,
    RESOURCE_GROUP,
    ROLE,
    SUBNET,
    TYPES,
    VAULT,
    VNET,
    VNET_LINK,
    WORKSPACE,
)

from .describe import azure_name, cosmos_role_name, last_segment, role_name
from .engine import ProgramRun
from .recorder import Registration
from .tree import elide

MAX_EDGES = 500
MAX_TEXT = 50_000
PROJECTS_SHOWN = 8
"""More projects than this are drawn as one node."""

# (subgraph id, title), in drawing order; a registered type's `concern` names its subgraph.
CONCERNS = [
    ("governance", "Governance"),
    ("network", "Network"),
    ("data", "Data and monitoring"),
    ("access", "Identity and access"),
    ("ai", "AI"),
    ("projects", "Projects"),
]
# The registered types drawn as nodes (components/resource_types.py: concern, label, plural label).
SHOWN = {token: kind for token, kind in TYPES.items() if kind.concern is not None}
# Existing resources (ARM IDs the stack only points at) by resource provider namespace: in the concern of the
# types the stack creates there (an AI Search service a hub connects to with the agents' stores, in Data), anything
# else in Governance.
EXISTING_CONCERN = {kind.namespace.lower(): str(kind.concern) for kind in SHOWN.values()}
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
# Connections to Azure or elsewhere, of a hub (workspace) or a Foundry resource (account).
_OWNED_CONNECTIONS = (CONNECTION, ACCOUNT_CONNECTION)


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
        for concern, title in CONCERNS:
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

    shown = [r for r in run.resources if r.type in SHOWN]
    by_id = {r.id.lower(): r for r in shown if r.id}
    # Hub projects and Foundry projects alike: one subgraph, their connections and members summarized on them.
    projects = [r for r in shown if (r.type == WORKSPACE and r.inputs.get("kind") == "Project")
                or r.type == PROJECT_ACCOUNT]
    project_names = {azure_name(r) for r in projects}
    project_urns = {r.urn for r in projects}
    collapse_projects = len(projects) > PROJECTS_SHOWN
    diagram = _Diagram()
    project_summary: dict[str, dict[str, set[str]]] = {
        str(azure_name(p)): {"members": set(), "connections": set(), "agents": set()} for p in projects}
    for host in run.by_type(PROJECT_CAPABILITY_HOST):
        # A generic resource: its project is the last segment of `accounts/<account>/projects/<project>`.
        facts = project_summary.get(str(host.inputs.get("parentResourcePath", "")).rstrip("/").rsplit("/", 1)[-1])
        if facts is not None:
            facts["agents"].add(str(azure_name(host) or host.name))
    node_of: dict[str, str] = {}
    for r in shown:
        kind = SHOWN[r.type]
        concern, title, several = str(kind.concern), kind.label, kind.plural
        name = azure_name(r) or r.name
        if r.urn in project_urns:
            # Everything a project takes part in is drawn once, on the Projects subgraph.
            node_of[r.urn] = _PROJECTS
            continue
        owner = r.inputs.get("projectName") if r.type == PROJECT_CONNECTION else r.inputs.get("workspaceName")
        if r.type in (CONNECTION, PROJECT_CONNECTION) and owner in project_names:
            project_summary[str(owner)]["connections"].add(name)
            node_of[r.urn] = _PROJECTS
            continue
        key = r.type if several else r.urn
        if r.type in _OWNED_CONNECTIONS and not _points_at_azure(r, by_id):
            # Connections to endpoints outside Azure (API keys, feeds, custom): one node for all.
            key, several = "connections:external", "Connections"
        node_of[r.urn] = diagram.node(key, concern, title, name, several=several)

    def existing(arm_id: str) -> str:
        match = _ARM_ID.match(arm_id)
        concern = EXISTING_CONCERN.get(match.group(1).lower(), "governance") if match else "governance"
        return diagram.node("existing:" + arm_id.lower(), concern, "existing", last_segment(arm_id), "existing")

    def target_of(text: str) -> Optional[str]:
        found = by_id.get(text.lower())
        if found is not None:
            return node_of[found.urn]
        return existing(text) if _ARM_ID.match(text) else None

    keys = {(str(r.inputs.get("vaultName")), str(r.inputs.get("keyName"))): r for r in shown
            if r.type == KEY}
    vaults = {azure_name(r): r for r in shown if r.type == VAULT}
    accounts = {azure_name(r): r for r in shown if r.type == ACCOUNT}
    workspaces = {azure_name(r): r for r in shown if r.type == WORKSPACE}
    groups = {azure_name(r): r for r in shown if r.type == RESOURCE_GROUP}
    for r in sorted(shown, key=lambda r: r.urn):
        if r.type == RESOURCE_GROUP:
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
                if source == _PROJECTS and r.type in (CONNECTION, PROJECT_CONNECTION):
                    label = "connection"
                if key == "privateLinkServiceConnections":
                    first = value[0] if isinstance(value, list) and value and isinstance(value[0], dict) else {}
                    label += " (" + ", ".join(first.get("groupIds") or []) + ")"
                if key == "encryption" and text == get(value, "keyVaultProperties.keyVaultArmId") and any(
                        text.lower().endswith("/vaults/" + vault.lower()) for vault, _ in keys):
                    continue  # drawn to the key itself, below
                diagram.edge(source, target, label)
        if r.type == KEY:
            vault = vaults.get(r.inputs.get("vaultName"))
            if vault is not None:
                diagram.edge(node_of[vault.urn], source, "holds")
        if r.type == WORKSPACE and r.inputs.get("kind") == "Hub":
            group = groups.get(r.inputs.get("resourceGroupName"))
            if group is not None:
                diagram.edge(node_of[group.urn], source, "contains")
            # The key a customer-managed-key hub is encrypted with (keyIdentifier is
            # https://<vault>.vault.azure.net/keys/<name>/<version>), when the stack creates it.
            identifier = str(get(r.inputs, "encryption.keyVaultProperties.keyIdentifier") or "")
            for (vault_name, key_name), key_reg in keys.items():
                if f"//{vault_name}.vault" in identifier and f"/keys/{key_name}" in identifier:
                    diagram.edge(source, node_of[key_reg.urn], "encrypted by")
        if r.type == SUBNET:
            vnet = next((v for v in shown if v.type == VNET
                         and azure_name(v) == r.inputs.get("virtualNetworkName")), None)
            if vnet is not None:
                diagram.edge(node_of[vnet.urn], source, "contains")
        if r.type == ENDPOINT:
            endpoint_name = r.inputs.get("privateEndpointName")
            for group in run.by_type(DNS_ZONE_GROUP):
                if group.inputs.get("privateEndpointName") == endpoint_name:
                    for config in group.inputs.get("privateDnsZoneConfigs") or []:
                        zone = target_of(str(config.get("privateDnsZoneId", "")))
                        if zone is not None:
                            diagram.edge(source, zone, "dns")
        if r.type in _OWNED_CONNECTIONS and source != _PROJECTS:
            owner = (workspaces if r.type == CONNECTION else accounts).get(
                r.inputs.get("workspaceName" if r.type == CONNECTION else "accountName"))
            if owner is not None:
                diagram.edge(node_of[owner.urn], source, "connection")
        if r.type == PROJECT_ACCOUNT:
            account = accounts.get(r.inputs.get("accountName"))
            if account is not None:
                diagram.edge(source, node_of[account.urn], "on account")
        if r.type == ACCOUNT_CAPABILITY_HOST:
            account = accounts.get(r.inputs.get("accountName"))
            if account is not None:
                diagram.edge(node_of[account.urn], source, "agents")
        if r.type == COMPUTE:
            owner = workspaces.get(r.inputs.get("workspaceName"))
            if owner is not None:
                diagram.edge(node_of[owner.urn], source, "compute")
        if r.type == DEPLOYMENT:
            account = accounts.get(r.inputs.get("accountName"))
            if account is not None:
                diagram.edge(node_of[account.urn], source, "serves")
    for link in run.by_type(VNET_LINK):
        dns_zone = next((z for z in shown if z.type == DNS_ZONE
                         and z.inputs.get("privateZoneName") == link.inputs.get("privateZoneName")), None)
        vnet_node = target_of(str((link.inputs.get("virtualNetwork") or {}).get("id", "")))
        if dns_zone is not None and vnet_node is not None:
            diagram.edge(node_of[dns_zone.urn], vnet_node, "linked", dotted=True)

    principals = {}
    for r in shown:
        identity = r.state.get("identity")
        pid = identity.get("principalId") if isinstance(identity, dict) else None
        if r.type == IDENTITY:
            pid = r.state.get("principalId")
        if isinstance(pid, str) and pid:
            principals[pid] = node_of[r.urn]
    member_kinds: dict[str, str] = {}
    cosmos_accounts = {azure_name(r): r for r in shown if r.type == COSMOS}
    for r in run.by_type(COSMOS_ROLE):
        # A Cosmos DB data-plane role: on the account (its scope is a path inside it, such as a database).
        principal = principals.get(str(r.inputs.get("principalId")))
        cosmos = cosmos_accounts.get(r.inputs.get("accountName"))
        if principal is not None and cosmos is not None:
            diagram.edge(principal, node_of[cosmos.urn], cosmos_role_name(str(r.inputs.get("roleDefinitionId", ""))),
                         dotted=True)
    for r in run.by_type(ROLE):
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
        if scope_node == _PROJECTS and principal == _MEMBERS and last_segment(scope) in project_summary:
            project_summary[last_segment(scope)]["members"].add(pid)
        diagram.edge(principal, scope_node, role_name(str(r.inputs.get("roleDefinitionId", ""))), dotted=True)
    if member_kinds:
        kinds: dict[str, int] = {}
        for principal_kind in member_kinds.values():
            kinds[principal_kind] = kinds.get(principal_kind, 0) + 1
        summary = ", ".join(f"{n} {_PRINCIPAL_KINDS.get(principal_kind, (principal_kind, principal_kind))[n > 1]}"
                            for principal_kind, n in sorted(kinds.items()))
        members_id = diagram.node(_MEMBERS, "access", "Project members", summary, "people")
        for edge in list(diagram.edges):
            tail, head, arrow = edge
            if _MEMBERS in (tail, head):
                new = (members_id if tail == _MEMBERS else tail, members_id if head == _MEMBERS else head, arrow)
                diagram.edges[new] = diagram.edges.pop(edge)

    def about(name: str) -> str:
        facts = project_summary.get(name, {})
        parts = [f"{len(facts['members'])} member(s)"] if facts.get("members") else []
        if facts.get("connections"):
            parts.append("connections: " + elide(", ".join(sorted(facts["connections"])), 40))
        if facts.get("agents"):
            parts.append("agents: " + elide(", ".join(sorted(facts["agents"])), 40))
        return "<br/>".join([name, *parts])

    if collapse_projects:
        names = sorted(str(n) for n in project_names)
        members = set().union(*(f["members"] for f in project_summary.values()))
        connections = sum(len(f["connections"]) for f in project_summary.values())
        diagram.node("project:all", _PROJECTS, f"Projects ×{len(names)}",
                     f"{names[0]} … {names[-1]}<br/>{len(members)} member(s), {connections} connection(s)")
    else:
        for project in projects:
            title = SHOWN[PROJECT_ACCOUNT].label if project.type == PROJECT_ACCOUNT else "Project"
            diagram.node(project.urn, _PROJECTS, title, about(str(azure_name(project))))
    return diagram.lines()

