"""The plan's Mermaid diagrams, parsed by the real Mermaid parser.

tools/mermaid/parse.mjs runs the `mermaid` npm package (pinned in tools/mermaid/package-lock.json)
under Node with jsdom standing in for a browser. `make test` installs it (`npm ci`) first; run
directly, pytest fails with the command to run when it is missing, rather than skipping.
GitHub renders Mermaid with the library's defaults, which refuse a flowchart of more than 500 edges
(`maxEdges`) or 50,000 characters (`maxTextSize`): mermaid-js/mermaid
packages/mermaid/src/config.schema.yaml.
"""

import json
import re
import shutil
import subprocess

import pytest
from harness import ROOT

from bench.render import config_for
from components.resource_types import WORKSPACE
from offline import plan
from offline.diagram import mermaid
from offline.engine import run_program
from offline.report import markdown
from offline.tree import TREE_WIDTH, render_tree

PARSER = ROOT / "tools" / "mermaid" / "parse.mjs"
NODE_MODULES = ROOT / "tools" / "mermaid" / "node_modules"
MERMAID_BLOCK = re.compile(r"```mermaid\n(.*?)\n```", re.S)
# Well under GitHub's 500: a hub of any size must stay a picture a person can read.
EDGE_BUDGET = 60


def parse(diagrams: list[str]) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "mermaid").is_dir():
        pytest.fail("Mermaid's parser is not installed: run `make tools/mermaid/node_modules/.installed` "
                    "(`make test` does it), which needs Node 20 and npm")
    done = subprocess.run([node, str(PARSER)], input=json.dumps(diagrams), capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def written_diagrams(report: str) -> list[str]:
    return MERMAID_BLOCK.findall(report)


@pytest.fixture(scope="module")
def big():
    """A hub with 100 projects, each with two members and a connection (the benchmark's)."""
    return run_program(ROOT / "__main__.py", config_for(100), project="azure-ai-hub", stack="bench")


@pytest.fixture(scope="module")
def reports(tmp_path_factory, big) -> dict[str, str]:
    """The Markdown report the plan writes for dev, prod, the max scenario and a 100-project hub."""
    out = tmp_path_factory.mktemp("diagrams")
    found = {}
    for stack, extra in (("dev", []), ("prod", []), ("max", ["--stack-file", str(ROOT / "tests/stacks/max.yaml")])):
        assert plan.main(["--stack", stack, "--out", str(out), *extra]) == 0
        found[stack] = (out / f"plan-{stack}.md").read_text()
    assert len(big.by_type(WORKSPACE)) == 101
    found["100 projects"] = markdown(big, "bench")
    return found


@pytest.fixture(scope="module")
def parsed(reports) -> dict[str, dict]:
    names = list(reports)
    diagrams = [written_diagrams(reports[name]) for name in names]
    assert all(len(d) == 1 for d in diagrams), "each report has one diagram"
    return dict(zip(names, parse([d[0] for d in diagrams]), strict=True))


def test_the_parser_is_real_and_refuses_what_github_refuses():
    too_many = "flowchart LR\n" + "\n".join(f"  a{i} --> b{i}" for i in range(501))
    good, broken, crowded = parse(['flowchart LR\n  a["A"] -->|"x"| b["B"]', 'flowchart LR\n  a["A" --> b',
                                   too_many])
    assert good["ok"] and good["type"] == "flowchart-v2"
    assert good["edges"] == [{"start": "a", "end": "b", "text": "x"}]
    assert not broken["ok"] and "Parse error" in broken["error"]
    assert not crowded["ok"] and "Edge limit exceeded" in crowded["error"]


@pytest.mark.parametrize("stack", ["dev", "prod", "max", "100 projects"])
def test_every_diagram_parses_small_and_named(parsed, reports, stack):
    result = parsed[stack]
    assert result["ok"], result.get("error")
    assert result["type"] == "flowchart-v2"
    assert len(result["edges"]) <= EDGE_BUDGET, len(result["edges"])
    assert len(written_diagrams(reports[stack])[0]) < 50_000 // 5
    subgraphs = {s["id"] for s in result["subgraphs"]}
    # No anonymous node: every vertex has a label of its own, except subgraphs used as edge ends.
    anonymous = [v["id"] for v in result["vertices"] if v["text"] == v["id"] and v["id"] not in subgraphs]
    assert anonymous == []
    ids = {v["id"] for v in result["vertices"]} | subgraphs
    assert all(e["start"] in ids and e["end"] in ids and e["text"] for e in result["edges"])
    # Every node outside the projects subgraph is connected (projects take part through the subgraph).
    in_projects = {n for s in result["subgraphs"] if s["id"] == "projects" for n in s["nodes"]}
    ends = {e["start"] for e in result["edges"]} | {e["end"] for e in result["edges"]}
    assert [v["text"] for v in result["vertices"] if v["id"] not in ends | in_projects] == []


def test_grouped_by_concern(parsed):
    titles = {s["id"]: s["title"] for s in parsed["prod"]["subgraphs"]}
    assert titles == {"governance": "Governance", "network": "Network", "data": "Data and monitoring",
                      "access": "Identity and access", "ai": "AI", "projects": "Projects"}
    texts = {s["id"]: [v["text"] for v in parsed["prod"]["vertices"] if v["id"] in s["nodes"]]
             for s in parsed["prod"]["subgraphs"]}
    assert any(t.startswith("AI hub<br>hub-contoso-ai") for t in texts["ai"])
    assert any(t.startswith("Key<br>cmk-contoso-ai") for t in texts["data"])
    assert any(t.startswith("Private DNS zones ×13") for t in texts["network"])
    assert any(t.startswith("Managed identity<br>id-contoso-ai-cmk") for t in texts["access"])
    assert sorted(t.split("<br>")[1] for t in texts["projects"]) == ["proj-contoso-ai-chat",
                                                                   "proj-contoso-ai-research"]


def _edges(result: dict) -> set[tuple[str, str, str]]:
    text = {v["id"]: v["text"].split("<br>")[0] for v in result["vertices"]}
    return {(text.get(e["start"], e["start"]), e["text"], text.get(e["end"], e["end"])) for e in result["edges"]}


def test_prod_the_key_is_connected_and_repeats_are_collapsed(parsed):
    edges = _edges(parsed["prod"])
    assert ("Key Vault", "holds", "Key") in edges
    assert ("AI hub", "encrypted by", "Key") in edges
    # The customer-managed key's identity is named, not drawn as an anonymous principal.
    assert ("Managed identity", "Key Vault Crypto Service Encryption User", "Key Vault") in edges
    # Nine zones linked to the VNet: one edge; six endpoints in one subnet: one edge.
    assert ("Private DNS zones ×13", "linked ×13", "VNet") in edges
    assert ("Private endpoints ×7", "in subnet ×7", "Subnet") in edges
    # Each project identity's roles: one edge per scope from the projects subgraph, with the count.
    assert ("projects", "Cognitive Services User ×2", "AI provider") in edges
    assert ("projects", "on hub ×2", "AI hub") in edges


def test_a_hundred_projects_collapse_to_one_node(parsed):
    result = parsed["100 projects"]
    projects = next(s for s in result["subgraphs"] if s["id"] == "projects")
    assert len(projects["nodes"]) == 1
    label = next(v["text"] for v in result["vertices"] if v["id"] == projects["nodes"][0])
    assert label.startswith("Projects ×100<br>proj-bench-hub-team-000 … proj-bench-hub-team-099")
    assert "200 member(s), 100 connection(s)" in label
    edges = _edges(result)
    assert ("Project members", "Azure AI Developer ×100<br>AzureML Data Scientist ×100", "projects") in edges
    assert ("projects", "on hub ×100", "AI hub") in edges
    members = next(v["text"] for v in result["vertices"] if v["text"].startswith("Project members"))
    assert members == "Project members<br>100 groups, 100 users"


def test_the_diagram_does_not_grow_with_projects(parsed):
    ten = run_program(ROOT / "__main__.py", config_for(10), project="azure-ai-hub", stack="bench")
    lines = mermaid(ten)
    assert sum(" -->|" in line or " -.->|" in line for line in lines) == len(parsed["100 projects"]["edges"])
    assert len(lines) == len(written_diagrams(parsed_report := markdown(ten, "bench"))[0].splitlines())
    assert "Projects ×10<br/>" in parsed_report


def test_the_tree_of_a_hundred_projects_fits_a_terminal(big):
    lines = render_tree(big)
    assert len(lines) > 1200 and max(len(line) for line in lines) <= TREE_WIDTH
    # Properties that don't fit beside a resource wrap onto the lines under it.
    text = " ".join(line.split("  ")[-1].strip() for line in lines)
    assert ("role=AzureML Data Scientist, principal=Group bbbbbbbb-0000-4000-8000-000000000099, "
            "scope=proj-bench-hub-team-099") in text
