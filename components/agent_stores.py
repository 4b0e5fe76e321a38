"""The standard agent setup's stores: Cosmos DB (threads), AI Search (vectors), Storage (files), created or brought.

Plain functions, not a component: they register under the FoundryResource that calls them. Each store not
brought is created secure by default, reached with Entra ID only, public access as the stack's stance is, and
becomes a private-endpoint target. The settings follow Microsoft's standard agent setup templates
(microsoft-foundry/foundry-samples infrastructure-setup-bicep/15-private-network-standard-agent-setup
modules-network-secured/standard-dependent-resources.bicep, "the 15 template" below) and Azure Verified Modules'
Foundry pattern (Azure/bicep-registry-modules avm/ptn/ai-ml/ai-foundry modules/cosmosDb.bicep, aiSearch.bicep,
storageAccount.bicep, "AVM" below). Learn, foundry agents/concepts/standard-agent-setup, "Cosmos DB throughput
requirements": the setup provisions three containers of 1000 RU/s each per project in the account, provisioned
or serverless; so the account is created with no throughput of its own and no total-throughput limit. Learn,
agents/how-to/virtual-networks: all of them in the region of the VNet (the component's `location`).
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

import pulumi
from pulumi_azure_native import cosmosdb, search, storage

from .arm import STORAGE_ACCOUNT, name_and_group, parse_resource_id
from .dependencies import Placement, secure_storage_account
from .naming import HubNames
from .validation import result_field

if TYPE_CHECKING:
    from .private_network import PrivateEndpointTargetArgs

COSMOS_DB_ACCOUNT = "Microsoft.DocumentDB/databaseAccounts"
SEARCH_SERVICE = "Microsoft.Search/searchServices"

#: Of the ZRS default: "Some regions doesn't support Standard Zone-Redundant storage" (the 15 template, which
#: falls back to GRS there); a stack in such a region sets storage_sku.
DEFAULT_AGENT_STORAGE_SKU = storage.SkuName.STANDARD_ZRS.value
#: Search `standard`: the tier the templates create (the 15 template, AVM `sku = 'standard'`); one replica as the
#: 15 template (AVM defaults to 3, for the 99.9% read-write SLA; a stack that needs it raises it in Azure).
SEARCH_SKU = search.SkuName.STANDARD.value
SEARCH_REPLICAS = 1

#: Private-endpoint target names of the stores, also the suffixes of their diagnostic settings. Not a hub's
#: target names (`storage-blob`): a Foundry network that takes over a hub's keeps these apart from the hub's.
COSMOS_TARGET, SEARCH_TARGET, STORAGE_TARGET = "agent-cosmos", "agent-search", "agent-storage-blob"


@dataclass
class AgentStores:
    """The three stores of the standard setup, created or brought."""

    cosmos_db_account_id: pulumi.Output[str]
    cosmos_db_endpoint: pulumi.Output[str]
    search_service_id: pulumi.Output[str]
    search_endpoint: pulumi.Output[str]
    storage_account_id: pulumi.Output[str]
    storage_blob_endpoint: pulumi.Output[str]
    targets: "list[PrivateEndpointTargetArgs]" = field(default_factory=list)
    """The stores created here, as private-endpoint targets (a brought store's network is its owner's)."""
    created: list[tuple[str, pulumi.Output[str]]] = field(default_factory=list)
    """(target name, resource ID) of the stores created here: diagnostics sources and lock scopes."""


def create_cosmos_db(names: HubNames, at: Placement) -> cosmosdb.DatabaseAccount:
    """Cosmos DB for NoSQL: keys off for data and metadata writes, Session consistency, one region."""
    return cosmosdb.DatabaseAccount(
        f"{names.base}-agent-cosmos",
        account_name=names.cosmos_db_account,
        resource_group_name=at.resource_group_name,
        location=at.location,
        # NoSQL API (the 15 template, AVM): the Agent Service keeps threads in a SQL database.
        kind=cosmosdb.DatabaseAccountKind.GLOBAL_DOCUMENT_DB,
        database_account_offer_type=cosmosdb.DatabaseAccountOfferType.STANDARD,
        consistency_policy=cosmosdb.ConsistencyPolicyArgs(
            default_consistency_level=cosmosdb.DefaultConsistencyLevel.SESSION,
        ),
        locations=[cosmosdb.LocationArgs(location_name=at.location, failover_priority=0, is_zone_redundant=False)],
        # Entra ID only (the 15 template and AVM: disableLocalAuth true); AVM also stops key-based metadata writes.
        disable_local_auth=True,
        disable_key_based_metadata_write_access=True,
        minimal_tls_version=cosmosdb.MinimalTlsVersion.TLS12,
        public_network_access=at.public_network_access,
        # AVM: networkAclBypass AzureServices.
        network_acl_bypass=cosmosdb.NetworkAclBypass.AZURE_SERVICES,
        tags=dict(at.tags),
        opts=at.data_store(),
    )


def create_search(names: HubNames, at: Placement) -> search.Service:
    """AI Search `standard` with a system identity, Entra ID only.

    AVM turns API keys off (`disableLocalAuth: true`, no `authOptions`) when private and keeps them with
    `aadOrApiKey` / `http401WithBearerChallenge` when public; the 15 template keeps keys. The Agent Service reaches
    the index with the project's identity (Search Index Data Contributor and Search Service Contributor: Learn,
    standard-agent-setup), so keys are off here whatever the network: Entra ID over keys. Azure takes no
    `authOptions` beside it: "This cannot be set to true if 'dataPlaneAuthOptions' are defined" (REST spec search
    2025-05-01, SearchServiceProperties.disableLocalAuth, as azure-native's Service documents it).
    """
    return search.Service(
        f"{names.base}-agent-search",
        search_service_name=names.search_service,
        resource_group_name=at.resource_group_name,
        location=at.location,
        sku=search.SkuArgs(name=SEARCH_SKU),
        identity=search.IdentityArgs(type=search.IdentityType.SYSTEM_ASSIGNED),
        replica_count=SEARCH_REPLICAS,
        partition_count=1,
        hosting_mode=search.HostingMode.DEFAULT,
        disable_local_auth=True,
        public_network_access=at.public_network_access,
        tags=dict(at.tags),
        opts=at.data_store(),
    )


def create_agent_storage(names: HubNames, at: Placement, sku: str) -> storage.StorageAccount:
    """StorageV2 for agent files, as secure as the hub's (dependencies.secure_storage_account): no shared keys, no
    public blobs, TLS 1.2 (the 15 template, AVM); blob only, which the Agent Service uses."""
    return secure_storage_account(f"{names.base}-agent-storage", names.agent_storage_account, at, sku, ("blob",))


def search_endpoint(name: str) -> str:
    """A search service's endpoint: `https://<service name>.search.windows.net` (Learn, search REST API)."""
    return f"https://{name}.search.windows.net"


def create_agent_stores(
    names: HubNames, at: Placement, brought: Mapping[str, Any], storage_sku: str,
    provider_for: Any = None,
) -> AgentStores:
    """Each store brought by ID is looked up for its endpoint; each other one is created.

    `provider_for(resource_id)`: the azure-native provider of a brought store's subscription (subscriptions.py).
    """
    def invoke(resource_id: pulumi.Input[str]) -> pulumi.InvokeOutputOptions:
        return pulumi.InvokeOutputOptions(parent=at.parent, provider=provider_for(resource_id) if provider_for
                                          else None)

    targets: list[PrivateEndpointTargetArgs] = []
    created: list[tuple[str, pulumi.Output[str]]] = []

    cosmos_id = brought.get("cosmos_db_account_id")
    if cosmos_id:
        name, rg = name_and_group(cosmos_id, COSMOS_DB_ACCOUNT)
        found = cosmosdb.get_database_account_output(account_name=name, resource_group_name=rg,
                                                     opts=invoke(cosmos_id))
        cosmos_out = pulumi.Output.from_input(cosmos_id)
        cosmos_endpoint = found.apply(lambda r: result_field(r, "document_endpoint") or "")
    else:
        cosmos = create_cosmos_db(names, at)
        cosmos_out, cosmos_endpoint = cosmos.id, cosmos.document_endpoint
        targets.append({"name": COSMOS_TARGET, "resource_id": cosmos.id, "group_id": "Sql"})
        created.append((COSMOS_TARGET, cosmos.id))

    search_id = brought.get("search_service_id")
    if search_id:
        search_out = pulumi.Output.from_input(search_id)
        found_endpoint = search_out.apply(lambda rid: search_endpoint(parse_resource_id(rid, SEARCH_SERVICE).name))
    else:
        service = create_search(names, at)
        search_out = service.id
        found_endpoint = service.name.apply(search_endpoint)
        targets.append({"name": SEARCH_TARGET, "resource_id": service.id, "group_id": "searchService"})
        created.append((SEARCH_TARGET, service.id))

    storage_id = brought.get("storage_account_id")
    if storage_id:
        name, rg = name_and_group(storage_id, STORAGE_ACCOUNT)
        found_storage = storage.get_storage_account_output(account_name=name, resource_group_name=rg,
                                                           opts=invoke(storage_id))
        storage_out = pulumi.Output.from_input(storage_id)
        blob_endpoint = found_storage.apply(lambda r: result_field(result_field(r, "primary_endpoints"), "blob") or "")
    else:
        account = create_agent_storage(names, at, storage_sku)
        storage_out = account.id
        blob_endpoint = account.primary_endpoints.apply(lambda e: result_field(e, "blob") or "")
        targets.append({"name": STORAGE_TARGET, "resource_id": account.id, "group_id": "blob"})
        created.append((STORAGE_TARGET, account.id))

    return AgentStores(cosmos_out, cosmos_endpoint, search_out, found_endpoint, storage_out, blob_endpoint,
                       targets, created)
