"""The Azure resource types the components create: one registry, read wherever a type is named.

Per type: its Pulumi type token, its ARM resource type with the input that names each
segment of its resource ID, where it sits (a resource group, or the scope an input
holds), and how a person reads it (a label, a plural label where the plan's diagram
draws several as one, and the diagram's group, its concern).

Readers: the offline mock state builds resource IDs from the segments
(offline/azure_state.py), the plan's diagram draws and labels by it
(offline/diagram.py), azpolicy/requests.py maps wire inputs to ARM requests with it,
and the tests name types by its constants. The policy pack keeps its own copy of the
tokens its rules judge (`pulumi policy publish` uploads policy/ alone);
tests/unit/test_resource_types.py holds the copy equal to this registry.

Pure data: no Pulumi import.

Sources of the ARM types and their path parameters: the request path of each resource's
create operation in Azure/azure-rest-api-specs, whose parameters azure-native takes as
inputs of the same name; e.g. WorkspaceConnections_Create is `PUT /subscriptions/
{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/
workspaces/{workspaceName}/connections/{connectionName}`. Extension resources (role and
policy assignments, locks, budgets, diagnostic settings) live under the ID of the
resource their scope input names (Learn, "Extension resource types"):
`{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}`.
"""

from dataclasses import dataclass
from typing import Optional

RESOURCE_GROUP_SCOPE = "resourceGroup"
"""`scope` of a resource inside a resource group (its ID starts with the group's)."""
SUBSCRIPTION_SCOPE = "subscription"
"""`scope` of a resource group itself."""


@dataclass(frozen=True)
class ResourceType:
    """One resource type the components create."""

    token: str
    """The Pulumi type token (`azure-native:<module>:<Resource>`), as the engine receives it."""
    segments: tuple[tuple[str, str], ...]
    """The resource ID below its scope: (ARM type segment, the wire input naming it) per level,
    the top-level type first (`Microsoft.Storage/storageAccounts`), then each child type (`blobServices`)."""
    scope: str
    """RESOURCE_GROUP_SCOPE, SUBSCRIPTION_SCOPE, or the input holding the ID of the resource it extends."""
    label: str
    """What a person calls one of them (the plan's diagram titles its nodes with it)."""
    plural: Optional[str] = None
    """What several are called, where the diagram draws all of them as one node; None: one node each."""
    concern: Optional[str] = None
    """The diagram's group (offline/diagram.py CONCERNS) it is drawn in; None: not drawn as a node."""

    @property
    def arm_type(self) -> str:
        """The full ARM resource type: `Microsoft.Storage/storageAccounts/blobServices`."""
        return "/".join(segment for segment, _ in self.segments)

    @property
    def name_input(self) -> str:
        """The wire input that names the resource itself (the last segment of its ID)."""
        return self.segments[-1][1]

    @property
    def path_inputs(self) -> tuple[str, ...]:
        """The inputs that are parameters of the resource's ARM URL, not members of its body."""
        names = tuple(name for _, name in self.segments)
        if self.scope == SUBSCRIPTION_SCOPE:
            return names
        if self.scope == RESOURCE_GROUP_SCOPE:
            return ("resourceGroupName", *names)
        return (self.scope, *names)

    @property
    def namespace(self) -> str:
        """The resource provider namespace: `Microsoft.Storage`."""
        return self.arm_type.split("/", 1)[0]


_RG = RESOURCE_GROUP_SCOPE
TYPES: dict[str, ResourceType] = {}


def _add(token: str, segments: tuple[tuple[str, str], ...], label: str, *, scope: str = _RG,
         plural: Optional[str] = None, concern: Optional[str] = None) -> str:
    if token in TYPES:
        raise ValueError(f"{token} is registered twice")
    TYPES[token] = ResourceType(token, segments, scope, label, plural, concern)
    return token


# Governance
RESOURCE_GROUP = _add("azure-native:resources:ResourceGroup", (("Microsoft.Resources/resourceGroups",
                      "resourceGroupName"),), "Resource group", scope=SUBSCRIPTION_SCOPE, concern="governance")
POLICY_ASSIGNMENT = _add("azure-native:authorization:PolicyAssignment", (("Microsoft.Authorization/policyAssignments",
                         "policyAssignmentName"),), "Policy assignment", scope="scope", plural="Policy assignments",
                         concern="governance")
BUDGET = _add("azure-native:consumption:Budget", (("Microsoft.Consumption/budgets", "budgetName"),), "Budget",
              scope="scope", concern="governance")
LOCK = _add("azure-native:authorization:ManagementLockByScope", (("Microsoft.Authorization/locks", "lockName"),),
            "Lock", scope="scope")
ROLE = _add("azure-native:authorization:RoleAssignment", (("Microsoft.Authorization/roleAssignments",
            "roleAssignmentName"),), "Role assignment", scope="scope")
DIAGNOSTIC_SETTING = _add("azure-native:monitor:DiagnosticSetting", (("Microsoft.Insights/diagnosticSettings",
                          "name"),), "Diagnostic setting", scope="resourceUri")

# Network
VNET = _add("azure-native:network:VirtualNetwork", (("Microsoft.Network/virtualNetworks", "virtualNetworkName"),),
            "VNet", concern="network")
SUBNET = _add("azure-native:network:Subnet", (("Microsoft.Network/virtualNetworks", "virtualNetworkName"),
              ("subnets", "subnetName")), "Subnet", concern="network")
ENDPOINT = _add("azure-native:network:PrivateEndpoint", (("Microsoft.Network/privateEndpoints",
                "privateEndpointName"),), "Private endpoint", plural="Private endpoints", concern="network")
DNS_ZONE_GROUP = _add("azure-native:network:PrivateDnsZoneGroup", (("Microsoft.Network/privateEndpoints",
                      "privateEndpointName"), ("privateDnsZoneGroups", "privateDnsZoneGroupName")),
                      "Private DNS zone group")
DNS_ZONE = _add("azure-native:privatedns:PrivateZone", (("Microsoft.Network/privateDnsZones", "privateZoneName"),),
                "Private DNS zone", plural="Private DNS zones", concern="network")
VNET_LINK = _add("azure-native:privatedns:VirtualNetworkLink", (("Microsoft.Network/privateDnsZones",
                 "privateZoneName"), ("virtualNetworkLinks", "virtualNetworkLinkName")), "VNet link")

# Data and monitoring
STORAGE = _add("azure-native:storage:StorageAccount", (("Microsoft.Storage/storageAccounts", "accountName"),),
               "Storage", concern="data")
BLOB_SERVICE = _add("azure-native:storage:BlobServiceProperties", (("Microsoft.Storage/storageAccounts",
                    "accountName"), ("blobServices", "blobServicesName")), "Blob service")
VAULT = _add("azure-native:keyvault:Vault", (("Microsoft.KeyVault/vaults", "vaultName"),), "Key Vault",
             concern="data")
KEY = _add("azure-native:keyvault:Key", (("Microsoft.KeyVault/vaults", "vaultName"), ("keys", "keyName")), "Key",
           concern="data")
REGISTRY = _add("azure-native:containerregistry:Registry", (("Microsoft.ContainerRegistry/registries",
                "registryName"),), "Container Registry", concern="data")
INSIGHTS = _add("azure-native:applicationinsights:Component", (("Microsoft.Insights/components", "resourceName"),),
                "Application Insights", concern="data")
LOGS = _add("azure-native:operationalinsights:Workspace", (("Microsoft.OperationalInsights/workspaces",
            "workspaceName"),), "Log Analytics", concern="data")
LINK_SCOPE = _add("azure-native:monitor:PrivateLinkScope", (("Microsoft.Insights/privateLinkScopes", "scopeName"),),
                  "Monitor private link scope", concern="data")
SCOPED_RESOURCE = _add("azure-native:monitor:PrivateLinkScopedResource", (("Microsoft.Insights/privateLinkScopes",
                       "scopeName"), ("scopedResources", "name")), "Private link scoped resource")

# Identity and access
IDENTITY = _add("azure-native:managedidentity:UserAssignedIdentity", (("Microsoft.ManagedIdentity/"
                "userAssignedIdentities", "resourceName"),), "Managed identity", concern="access")

# AI
WORKSPACE = _add("azure-native:machinelearningservices:Workspace", (("Microsoft.MachineLearningServices/workspaces",
                 "workspaceName"),), "AI hub", concern="ai")
ACCOUNT = _add("azure-native:cognitiveservices:Account", (("Microsoft.CognitiveServices/accounts", "accountName"),),
               "AI provider", concern="ai")
DEPLOYMENT = _add("azure-native:cognitiveservices:Deployment", (("Microsoft.CognitiveServices/accounts",
                  "accountName"), ("deployments", "deploymentName")), "Model deployment",
                  plural="Model deployments", concern="ai")
CONNECTION = _add("azure-native:machinelearningservices:WorkspaceConnection", (("Microsoft.MachineLearningServices/"
                  "workspaces", "workspaceName"), ("connections", "connectionName")), "Connection", concern="ai")
COMPUTE = _add("azure-native:machinelearningservices:Compute", (("Microsoft.MachineLearningServices/workspaces",
               "workspaceName"), ("computes", "computeName")), "Compute instance", plural="Compute instances",
               concern="ai")

# Foundry (the Foundry resource platform). The diagram draws Foundry projects, and their connections and capability
# hosts, on its Projects subgraph as it draws hub projects (offline/diagram.py), whatever their concern; AI Search and
# Cosmos DB are the agents' data stores, drawn with the other data. REST specs cognitiveservices/resource-manager
# 2025-06-01 (Projects_Create `.../accounts/{accountName}/projects/{projectName}`, AccountConnections,
# ProjectConnections, ProjectCapabilityHosts), cosmos-db (DatabaseAccounts_CreateOrUpdate,
# SqlResources_CreateUpdateSqlRoleAssignment), search (Services).
PROJECT_ACCOUNT = _add("azure-native:cognitiveservices:Project", (("Microsoft.CognitiveServices/accounts",
                       "accountName"), ("projects", "projectName")), "Foundry project", concern="ai")
ACCOUNT_CONNECTION = _add("azure-native:cognitiveservices:AccountConnection", (("Microsoft.CognitiveServices/"
                          "accounts", "accountName"), ("connections", "connectionName")), "Account connection",
                          concern="ai")
PROJECT_CONNECTION = _add("azure-native:cognitiveservices:ProjectConnection", (("Microsoft.CognitiveServices/"
                          "accounts", "accountName"), ("projects", "projectName"), ("connections", "connectionName")),
                          "Project connection", concern="ai")
ACCOUNT_CAPABILITY_HOST = _add("azure-native:cognitiveservices:AccountCapabilityHost", (("Microsoft."
                               "CognitiveServices/accounts", "accountName"), ("capabilityHosts",
                               "capabilityHostName")), "Account capability host", concern="ai")
#: A project's capability host is the one generic ARM resource the components create: azure-native's typed
#: ProjectCapabilityHost can't send `capabilityHostKind` (components/foundry_project.py). Its ID is built from the
#: generic inputs (resourceProviderNamespace/parentResourcePath/resourceType/resourceName), its name is
#: `resourceName`; the ARM type is what it always is here.
PROJECT_CAPABILITY_HOST = _add("azure-native:resources:Resource", (("Microsoft.CognitiveServices/accounts/projects/"
                               "capabilityHosts", "resourceName"),), "Capability host")
COSMOS = _add("azure-native:cosmosdb:DatabaseAccount", (("Microsoft.DocumentDB/databaseAccounts", "accountName"),),
              "Cosmos DB", concern="data")
COSMOS_ROLE = _add("azure-native:cosmosdb:SqlResourceSqlRoleAssignment", (("Microsoft.DocumentDB/databaseAccounts",
                   "accountName"), ("sqlRoleAssignments", "roleAssignmentId")), "Cosmos DB role assignment")
SEARCH = _add("azure-native:search:Service", (("Microsoft.Search/searchServices", "searchServiceName"),),
              "AI Search", concern="data")
