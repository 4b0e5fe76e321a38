"""The offline plan of a Foundry resource: mock state, diagram, tree, critical path and review.

The Foundry components are built elsewhere; this program registers what they create by hand with the SDK, so the
plan's readers are tested on the resource types and wire inputs Azure takes (REST specs cognitiveservices
2025-06-01, cosmos-db, search), not on a component's choices.
"""

import pulumi
import pulumi_azure_native as azure
import pytest
from harness import run_component
from test_diagram import parse

from components.resource_types import ACCOUNT, COSMOS, COSMOS_ROLE, PROJECT_ACCOUNT, SEARCH
from offline.critical_path import critical_path, describe_path
from offline.describe import principal_names
from offline.diagram import mermaid
from offline.review import review
from offline.tree import render_tree

RG = "rg-foundry"
SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-foundry/providers"
SUBNET = f"{SUB}/Microsoft.Network/virtualNetworks/vnet-x/subnets/snet-agent"
CONTRIBUTOR_DATA = "00000000-0000-0000-0000-000000000002"
COSMOS_OPERATOR = "230815da-be43-4aae-9cb4-875f7bd000aa"


def foundry():
    cs = azure.cognitiveservices
    account = cs.Account(
        "contoso-ai-ais", account_name="ais-contoso-ai", resource_group_name=RG, kind="AIServices",
        sku=cs.SkuArgs(name="S0"), identity=cs.IdentityArgs(type="SystemAssigned"),
        properties=cs.AccountPropertiesArgs(
            custom_sub_domain_name="ais-contoso-ai-x1", allow_project_management=True, disable_local_auth=True,
            public_network_access="Disabled",
            network_injections=[cs.NetworkInjectionArgs(scenario="agent", subnet_arm_id=SUBNET,
                                                        use_microsoft_managed_network=False)]),
        tags={"env": "test"})
    cosmos = azure.cosmosdb.DatabaseAccount(
        "contoso-ai-cosmos", account_name="cosmos-contoso-ai", resource_group_name=RG, kind="GlobalDocumentDB",
        database_account_offer_type="Standard", disable_local_auth=True, public_network_access="Enabled",
        locations=[azure.cosmosdb.LocationArgs(location_name="swedencentral", failover_priority=0)])
    search = azure.search.Service("contoso-ai-search", search_service_name="srch-contoso-ai", resource_group_name=RG,
                                  sku=azure.search.SkuArgs(name="standard"), disable_local_auth=True,
                                  public_network_access="disabled")
    project = cs.Project("contoso-ai-chat", account_name=account.name, project_name="proj-chat",
                         resource_group_name=RG, identity=cs.IdentityArgs(type="SystemAssigned"),
                         properties=cs.ProjectPropertiesArgs(display_name="Chat"))
    connection = cs.ProjectConnection(
        "contoso-ai-chat-cosmos", account_name=account.name, project_name="proj-chat", connection_name="chat-cosmos",
        resource_group_name=RG,
        properties=cs.AADAuthTypeConnectionPropertiesArgs(
            auth_type="AAD", category="CosmosDb", target=cosmos.document_endpoint,
            metadata={"ApiType": "Azure", "ResourceId": cosmos.id}))
    cs.AccountConnection(
        "contoso-ai-weather", account_name=account.name, connection_name="weather", resource_group_name=RG,
        properties=cs.NoneAuthTypeConnectionPropertiesArgs(auth_type="None", category="CustomKeys",
                                                           target="https://weather.example.com"))
    cs.AccountCapabilityHost(
        "contoso-ai-caphost", account_name=account.name, capability_host_name="caphost-account", resource_group_name=RG,
        capability_host_properties=cs.CapabilityHostArgs(capability_host_kind="Agents"))
    principal = project.identity.apply(lambda i: i.principal_id if i else "")
    operator = azure.authorization.RoleAssignment(
        "contoso-ai-chat-cosmos-operator", principal_id=principal, principal_type="ServicePrincipal", scope=cosmos.id,
        role_definition_id=f"/providers/Microsoft.Authorization/roleDefinitions/{COSMOS_OPERATOR}")
    # As FoundryProject sends it: the generic resource (azure-native's typed class can't send capabilityHostKind).
    host = azure.resources.Resource(
        "contoso-ai-chat-caphost", resource_provider_namespace="Microsoft.CognitiveServices",
        parent_resource_path=account.name.apply(lambda a: f"accounts/{a}/projects/proj-chat"),
        resource_type="capabilityHosts", resource_name_="caphost-chat", resource_group_name=RG,
        api_version="2025-06-01",
        properties={"capabilityHostKind": "Agents", "threadStorageConnections": ["chat-cosmos"],
                    "vectorStoreConnections": ["chat-search"], "storageConnections": ["chat-storage"]},
        opts=pulumi.ResourceOptions(depends_on=[connection, operator]))
    azure.cosmosdb.SqlResourceSqlRoleAssignment(
        "contoso-ai-chat-cosmos-data", account_name=cosmos.name, resource_group_name=RG, principal_id=principal,
        role_assignment_id="5a4b0e4c-0000-4000-8000-000000000001",
        role_definition_id=cosmos.id.apply(lambda i: f"{i}/sqlRoleDefinitions/{CONTRIBUTOR_DATA}"),
        scope=cosmos.id.apply(lambda i: f"{i}/dbs/enterprise_memory"), opts=pulumi.ResourceOptions(depends_on=[host]))
    pulumi.export("projectEndpoint", project.properties.apply(lambda p: p.endpoints["AI Foundry API"]))
    pulumi.export("accountEndpoints", account.properties.apply(lambda p: p.endpoints))
    pulumi.export("cosmosEndpoint", cosmos.document_endpoint)
    pulumi.export("searchEndpoint", search.endpoint)


@pytest.fixture(scope="module")
def run():
    return run_component(foundry, {"azure-native:location": "swedencentral"})


def test_the_mock_answers_with_azures_ids_and_endpoints(run):
    assert run.error is None
    assert run.outputs["projectEndpoint"] == "https://ais-contoso-ai-x1.services.ai.azure.com/api/projects/proj-chat"
    assert run.outputs["accountEndpoints"]["AI Foundry API"] == "https://ais-contoso-ai-x1.services.ai.azure.com/"
    assert run.outputs["cosmosEndpoint"] == "https://cosmos-contoso-ai.documents.azure.com:443/"
    assert run.outputs["searchEndpoint"] == "https://srch-contoso-ai.search.windows.net"
    assert run.one(PROJECT_ACCOUNT).id == f"{SUB}/Microsoft.CognitiveServices/accounts/ais-contoso-ai/projects/proj-chat"
    assert run.one(COSMOS_ROLE).id == (f"{SUB}/Microsoft.DocumentDB/databaseAccounts/cosmos-contoso-ai/"
                                       "sqlRoleAssignments/5a4b0e4c-0000-4000-8000-000000000001")
    assert run.one(SEARCH).id == f"{SUB}/Microsoft.Search/searchServices/srch-contoso-ai"
    # The project's identity is a principal the plan names.
    assert "proj-chat" in principal_names(run).values()


def test_the_diagram_draws_foundry_projects_on_the_projects_subgraph(run):
    lines = mermaid(run)
    text = "\n".join(lines)
    (parsed,) = parse([text])
    assert parsed["ok"], parsed
    groups = {s["id"]: s for s in parsed["subgraphs"]}
    label = {v["id"]: v["text"] for v in parsed["vertices"]}
    (project,) = [label[n] for n in groups["projects"]["nodes"]]
    assert project.startswith("Foundry project<br>proj-chat<br>")
    assert "connections: chat-cosmos" in project and "agents: caphost-chat" in project
    data = " ".join(label[n] for n in groups["data"]["nodes"])
    assert "Cosmos DB<br>cosmos-contoso-ai" in data and "AI Search<br>srch-contoso-ai" in data
    ai = " ".join(label[n] for n in groups["ai"]["nodes"])
    assert "Account capability host<br>caphost-account" in ai and "Account connection<br>weather" in ai
    assert 'projects -->|"on account"|' in text and '-->|"agents"|' in text
    assert '"connection"|' in text  # the project's connection to Cosmos DB
    assert "Cosmos DB Built-in Data Contributor" in text
    # By its name once components/roles.py knows it, by its GUID until then.
    assert "Cosmos DB Operator" in text or COSMOS_OPERATOR in text


def test_the_tree_and_critical_path_read_the_foundry_types(run):
    tree = "\n".join(render_tree(run))
    assert "projectManagement=True" in tree and "agentSubnet=snet-agent" in tree
    assert "capabilityHostKind=Agents" in tree
    assert "threads=chat-cosmos, vectors=chat-search, files=chat-storage" in tree
    assert "account=ais-contoso-ai" in tree
    steps = "\n".join(describe_path(critical_path(run), principal_names(run)))
    assert "SqlResourceSqlRoleAssignment Cosmos DB Built-in Data Contributor for proj-chat on enterprise_memory" in steps
    assert steps.index("Resource caphost-chat") < steps.index("SqlResourceSqlRoleAssignment")


def test_the_review_judges_the_foundry_types(run):
    found = {(f.rule, f.resource) for f in review(run, []).findings}
    assert ("CDB-02", "contoso-ai-cosmos") in found and ("CDB-03", "contoso-ai-cosmos") in found
    assert ("CDB-01", "contoso-ai-cosmos") not in found
    assert not {r for r, name in found if name == "contoso-ai-ais" and r in ("CS-01", "CS-02", "CS-05")}
    assert ("TAG-01", "contoso-ai-chat") in found  # a Foundry project is tagged like the rest


def test_waivers_cover_the_new_rules(run):
    from baseline.evaluate import Waiver

    checked = review(run, [Waiver("CDB-02", "dev reaches the thread store publicly", ("cosmos-contoso-ai",))])
    waived = [f for f in checked.findings if f.rule == "CDB-02"]
    assert waived and all(f.waived == "dev reaches the thread store publicly" for f in waived)
    assert checked.unused_waivers == []
    assert {r.type for r in run.resources} >= {ACCOUNT, COSMOS}


def test_a_hub_stacks_plan_lists_the_hubs_deploy_rules(tmp_path, capsys):
    from offline import plan

    assert plan.main(["--stack", "dev", "--out", str(tmp_path)]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("Deploy rules:")]
    assert "DR-06" in line and "DR-08" not in line
