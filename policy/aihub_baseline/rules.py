"""The security baseline as code: one pure function per rule.

Each rule takes a resource's inputs as the engine sends them (camelCase wire
names) and returns what is wrong, or None. The inputs are any `Mapping`, and a
list any `Sequence`: plain dicts and lists in the offline plan, read-only
proxies under `pulumi preview --policy-pack` (pulumi-policy wraps every object
in a `Mapping` proxy and every list in a `Sequence` proxy that raise on values
unknown during preview: pulumi_policy/proxy.py, `unknown_checking_proxy`).

A rule's ID is stable; its docstring cites the Azure Policy built-in
definition (by its GUID name, Azure/azure-policy) or the PSRule for Azure rule
(Azure/PSRule.Rules.Azure) it stands for. Each rule also carries a severity,
an enforcement level (the policy pack's `mandatory` blocks a deployment,
`advisory` warns) and the steps that fix a violation.

Rules judge what the program sends. A property left out counts as not set:
Azure's defaults have changed over API versions, so a secure setting must be
explicit to pass.

This module is plain Python with no imports outside the standard library: the
policy pack (this folder is what `pulumi policy publish` uploads) and the
offline plan (through `baseline/`) both run it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable, Optional

WORKSPACE = "azure-native:machinelearningservices:Workspace"
CONNECTION = "azure-native:machinelearningservices:WorkspaceConnection"
ACCOUNT = "azure-native:cognitiveservices:Account"
DEPLOYMENT = "azure-native:cognitiveservices:Deployment"
STORAGE = "azure-native:storage:StorageAccount"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
VAULT = "azure-native:keyvault:Vault"
KEY = "azure-native:keyvault:Key"
REGISTRY = "azure-native:containerregistry:Registry"
INSIGHTS = "azure-native:applicationinsights:Component"
LOGS = "azure-native:operationalinsights:Workspace"
ENDPOINT = "azure-native:network:PrivateEndpoint"
DNS_ZONE = "azure-native:privatedns:PrivateZone"
VNET_LINK = "azure-native:privatedns:VirtualNetworkLink"
ROLE = "azure-native:authorization:RoleAssignment"
RESOURCE_GROUP = "azure-native:resources:ResourceGroup"
VNET = "azure-native:network:VirtualNetwork"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
# The Foundry resource platform.
PROJECT_ACCOUNT = "azure-native:cognitiveservices:Project"
ACCOUNT_CONNECTION = "azure-native:cognitiveservices:AccountConnection"
PROJECT_CONNECTION = "azure-native:cognitiveservices:ProjectConnection"
COSMOS = "azure-native:cosmosdb:DatabaseAccount"

Props = Mapping[str, Any]
Check = Callable[[Props], Optional[str]]

# Severity: critical for privilege escalation; high for exposure to the internet, anonymous or key-based
# access and lost keys; medium for defence in depth and recoverability; low for hygiene. Cost, reliability
# and hygiene rules are advisory, security rules mandatory.
SEVERITIES = ("low", "medium", "high", "critical")
ENFORCEMENT_LEVELS = ("advisory", "mandatory")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    types: tuple[str, ...]
    check: Check
    applies: Callable[[Props], bool]
    severity: str
    enforcement: str
    remediation: str
    """What to change so the resource passes, in the resource's own input names."""

    @property
    def source(self) -> str:
        return (self.check.__doc__ or "").strip()


RULES: list[Rule] = []


def rule(
    rule_id: str, title: str, *types: str, severity: str, remediation: str, enforcement: str = "mandatory",
    applies: Callable[[Props], bool] = lambda _: True,
) -> Callable[[Check], Check]:
    """Register a check function as rule `rule_id` for resources of `types`."""
    if severity not in SEVERITIES or enforcement not in ENFORCEMENT_LEVELS:
        raise ValueError(f"rule {rule_id}: severity {severity!r} or enforcement {enforcement!r} is unknown")

    def register(check: Check) -> Check:
        if any(r.id == rule_id for r in RULES):
            raise ValueError(f"rule {rule_id} is defined twice")
        RULES.append(Rule(rule_id, title, types, check, applies, severity, enforcement, remediation))
        return check

    return register


def get(props: Any, path: str) -> Any:
    """A nested input by dotted path; None when any part is missing."""
    for part in path.split("."):
        if not isinstance(props, Mapping):
            return None
        props = props.get(part)
    return props


def items(value: Any) -> list[Any]:
    """The elements of a list input (any Sequence but a string); [] for anything else."""
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else []


def expect(props: Props, path: str, wanted: Any) -> Optional[str]:
    found = get(props, path)
    if found == wanted:
        return None
    return f"{path} is {'not set' if found is None else repr(found)}; must be {wanted!r}"


def is_hub(props: Props) -> bool:
    return props.get("kind") == "Hub"


def is_project(props: Props) -> bool:
    return props.get("kind") == "Project"


# -- Machine Learning workspaces: the hub --------------------------------------------------


@rule("ML-01", "Hub: public network access disabled", WORKSPACE, applies=is_hub, severity="high",
      remediation="Set publicNetworkAccess to Disabled on the hub workspace; people and services reach it through "
                  "its private endpoint.")
def hub_public_access(props: Props) -> Optional[str]:
    """Azure Policy 438c38d2-3772-465a-a9cc-7a6666a275ce (Azure Machine Learning Workspaces should disable
    public network access); PSRule Azure.ML.PublicAccess."""
    return expect(props, "publicNetworkAccess", "Disabled")


@rule("ML-02", "Hub: no public access when behind a VNet", WORKSPACE, applies=is_hub, severity="high",
      remediation="Leave allowPublicAccessWhenBehindVnet unset on the hub workspace.")
def hub_public_behind_vnet(props: Props) -> Optional[str]:
    """PSRule Azure.ML.PublicAccess: `allowPublicAccessWhenBehindVnet` must not be true."""
    if props.get("allowPublicAccessWhenBehindVnet") is True:
        return "allowPublicAccessWhenBehindVnet is true; leave it unset"
    return None


@rule("ML-03", "Hub: managed network allows only approved outbound", WORKSPACE, applies=is_hub, severity="high",
      remediation="Set managedNetwork.isolationMode to AllowOnlyApprovedOutbound and add an outbound rule for each "
                  "target the hub needs.")
def hub_isolation(props: Props) -> Optional[str]:
    """Azure Policy 6ddb1705-c8cf-450e-aa4b-19ad6703c440 (Azure Machine Learning Workspaces should use a
    managed virtual network with isolation mode AllowOnlyApprovedOutbound); WAF service guide for Azure
    Machine Learning."""
    return expect(props, "managedNetwork.isolationMode", "AllowOnlyApprovedOutbound")


@rule("ML-04", "Hub: system datastores use identity, not keys", WORKSPACE, applies=is_hub, severity="medium",
      remediation="Set systemDatastoresAuthMode to Identity, so the hub's datastores use its managed identity "
                  "instead of storage keys.")
def hub_identity_datastores(props: Props) -> Optional[str]:
    """Learn, "Disable shared-key access for your hub's storage account" (azure-ai-docs
    how-to/disable-local-auth); Azure Verified Modules ML workspace waf-aligned scenario."""
    return expect(props, "systemDatastoresAuthMode", "Identity")


@rule("ML-05", "Hub: encrypted with a customer-managed key", WORKSPACE, applies=is_hub, severity="medium",
      remediation="Set encryption.status to Enabled with a Key Vault key (encryption.keyVaultProperties) and an "
                  "identity that may use it.")
def hub_cmk(props: Props) -> Optional[str]:
    """Azure Policy ba769a63-b8cc-4b2d-abf6-ac33c7204be8 (Azure Machine Learning workspaces should be
    encrypted with a customer-managed key)."""
    return expect(props, "encryption.status", "Enabled")


# -- Projects -----------------------------------------------------------------------------


@rule("PRJ-01", "Project: tied to a hub", WORKSPACE, applies=is_project, severity="high",
      remediation="Set hubResourceId to the hub workspace's resource ID.")
def project_hub(props: Props) -> Optional[str]:
    """Learn, "Manage, collaborate, and organize with hubs": a project is created from a hub, whose
    security settings and connections it inherits (`hubResourceId`)."""
    return None if props.get("hubResourceId") else "hubResourceId is not set"


@rule("PRJ-02", "Project: no network, storage or encryption of its own", WORKSPACE, applies=is_project,
      severity="medium",
      remediation="Leave managedNetwork, storageAccount, keyVault and encryption unset on the project; set them on "
                  "its hub.")
def project_inherits(props: Props) -> Optional[str]:
    """Azure rejects hub-only settings on projects ("Project workspace shouldn't define its own managed
    network properties", Azure-Samples/ai-studio-in-a-box#5); they inherit the hub's. Not
    `publicNetworkAccess`: a project carries the hub's (azure-quickstart-templates
    aifoundry-networking-aoao modules/project.bicep), or a Deny policy on public workspaces rejects it."""
    own = [k for k in ("managedNetwork", "storageAccount", "keyVault", "encryption")
           if props.get(k) is not None]
    return f"sets {', '.join(own)}, which a project inherits from its hub" if own else None


# -- Compute instances ----------------------------------------------------------------------

COMPUTE = "azure-native:machinelearningservices:Compute"


@rule("CMP-01", "Compute: local authentication disabled", COMPUTE, severity="high",
      remediation="Set properties.disableLocalAuth to true on the compute; users sign in with Entra ID.")
def compute_local_auth(props: Props) -> Optional[str]:
    """Azure Policy e96a9a5f-07ca-471b-9bc5-6a0f33cbd68f (Azure Machine Learning Computes should have local
    authentication methods disabled); PSRule Azure.ML.DisableLocalAuth."""
    return expect(props, "properties.disableLocalAuth", True)


@rule("CMP-02", "Compute: idle shutdown", COMPUTE,
      applies=lambda p: get(p, "properties.computeType") == "ComputeInstance", severity="low", enforcement="advisory",
      remediation="Set properties.properties.idleTimeBeforeShutdown on the compute instance (an ISO 8601 duration "
                  "such as PT60M).")
def compute_idle_shutdown(props: Props) -> Optional[str]:
    """Azure Policy 679ddf89-ab8f-48a5-9029-e76054077449 (Azure Machine Learning Compute Instance should have
    idle shutdown); PSRule Azure.ML.ComputeIdleShutdown."""
    found = get(props, "properties.properties.idleTimeBeforeShutdown")
    return None if found else "properties.properties.idleTimeBeforeShutdown is not set"


# -- Connections ---------------------------------------------------------------------------


@rule("CON-01", "Connection: Azure targets use Entra ID", CONNECTION, ACCOUNT_CONNECTION, PROJECT_CONNECTION,
      severity="high",
      remediation="Set properties.authType to AAD on a connection to an Azure resource, and grant the hub's (or the "
                  "Foundry account's or project's) identity a data-plane role on the target.")
def connection_entra(props: Props) -> Optional[str]:
    """Derived from Azure Policy 71ef260a-8f18-47b7-abcb-62d0673d94dc (Azure AI Services resources should
    have key access disabled): a key-based connection to an Azure resource stops working once keys are
    off, and exposes a key that Entra ID makes unnecessary. Foundry account and project connections carry
    the same `properties` (`metadata.ApiType: Azure`, foundry-samples 41-standard-agent-setup)."""
    properties = props.get("properties") or {}
    if get(properties, "metadata.ApiType") == "Azure" and properties.get("authType") != "AAD":
        return f"authType is {properties.get('authType')!r} for an Azure resource; use AAD"
    return None


# -- Cognitive Services accounts -------------------------------------------------------------


@rule("CS-01", "AI provider: key (local) authentication disabled", ACCOUNT, severity="high",
      remediation="Set properties.disableLocalAuth to true on the account; callers use Entra ID.")
def account_local_auth(props: Props) -> Optional[str]:
    """Azure Policy 71ef260a-8f18-47b7-abcb-62d0673d94dc (Azure AI Services resources should have key
    access disabled); PSRule Azure.AI.DisableLocalAuth."""
    return expect(props, "properties.disableLocalAuth", True)


@rule("CS-02", "AI provider: network access restricted", ACCOUNT, severity="high",
      remediation="Set properties.publicNetworkAccess to Disabled and reach the account through a private endpoint, "
                  "or set properties.networkAcls.defaultAction to Deny with the networks allowed.")
def account_network(props: Props) -> Optional[str]:
    """Azure Policy 037eea7a-bd0a-46c5-9a66-03aea78705d3 (Azure AI Services resources should restrict
    network access); PSRule Azure.AI.PublicAccess: public access Disabled, or network ACLs that deny."""
    if get(props, "properties.publicNetworkAccess") == "Disabled":
        return None
    if get(props, "properties.networkAcls.defaultAction") == "Deny":
        return None
    return "public network access is on and the network ACLs allow all"


@rule("CS-03", "AI provider: custom subdomain set", ACCOUNT, severity="medium",
      remediation="Set properties.customSubDomainName to a globally unique name when the account is created.")
def account_subdomain(props: Props) -> Optional[str]:
    """Learn, "Custom subdomain names for Azure AI services": Entra ID authentication and private
    endpoints need one, and it can't be added later without replacing the endpoint."""
    return None if get(props, "properties.customSubDomainName") else "properties.customSubDomainName is not set"


@rule("CS-04", "AI provider: managed identity", ACCOUNT, severity="medium",
      remediation="Set identity.type to SystemAssigned (or UserAssigned, with the identities).")
def account_identity(props: Props) -> Optional[str]:
    """Azure Policy fe3fd216-4f83-4fc1-8984-2bbec80a3418 (Azure AI Services accounts should use a managed
    identity); PSRule Azure.AI.ManagedIdentity."""
    kind = get(props, "identity.type")
    return None if kind and kind != "None" else "identity.type is not set; use SystemAssigned"


def manages_projects(props: Props) -> bool:
    return get(props, "properties.allowProjectManagement") is True


@rule("CS-05", "Foundry resource: no API keys on an account that hosts projects", ACCOUNT, applies=manages_projects,
      severity="critical",
      remediation="Set properties.disableLocalAuth to true on an account with properties.allowProjectManagement; "
                  "people and agents use Entra ID with Foundry roles on each project.")
def foundry_local_auth(props: Props) -> Optional[str]:
    """Learn, "Authentication and authorization in Microsoft Foundry" (API keys give coarse-grained access with
    no per-user traceability; use Entra ID for production): an account's key reaches every project, agent and
    model deployment on it, past each project's role assignments. Azure Policy
    71ef260a-8f18-47b7-abcb-62d0673d94dc (Azure AI Services resources should have key access disabled).
    Unlike CS-01, a waiver of CS-01 for a plain provider account doesn't cover a Foundry resource."""
    return expect(props, "properties.disableLocalAuth", True)


# -- Storage -----------------------------------------------------------------------------


@rule("ST-01", "Storage: no anonymous blob access", STORAGE, severity="high",
      remediation="Set allowBlobPublicAccess to false.")
def storage_blob_public(props: Props) -> Optional[str]:
    """Azure Policy 4fa4b6c0-31ca-4c0d-b10d-24b96f62a751 (Storage account public access should be
    disallowed); PSRule Azure.Storage.BlobPublicAccess."""
    return expect(props, "allowBlobPublicAccess", False)


@rule("ST-02", "Storage: shared key access disabled", STORAGE, severity="high",
      remediation="Set allowSharedKeyAccess to false; give identities Storage Blob Data roles instead of keys.")
def storage_shared_key(props: Props) -> Optional[str]:
    """Azure Policy 8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54 (Storage accounts should prevent shared key
    access); PSRule Azure.Storage.LocalAuth."""
    return expect(props, "allowSharedKeyAccess", False)


@rule("ST-03", "Storage: TLS 1.2 or later", STORAGE, severity="high",
      remediation="Set minimumTlsVersion to TLS1_2 (or TLS1_3).")
def storage_tls(props: Props) -> Optional[str]:
    """Azure Policy fe83a0eb-a853-422d-aac2-1bffd182c5d0 (Storage accounts should have the specified
    minimum TLS version); PSRule Azure.Storage.MinTLS."""
    found = props.get("minimumTlsVersion")
    return None if found in ("TLS1_2", "TLS1_3") else f"minimumTlsVersion is {found!r}; must be TLS1_2 or later"


@rule("ST-04", "Storage: HTTPS only", STORAGE, severity="high",
      remediation="Set enableHttpsTrafficOnly to true.")
def storage_https(props: Props) -> Optional[str]:
    """Azure Policy 404c3081-a854-4457-ae30-26a93ef643f9 (Secure transfer to storage accounts should be
    enabled); PSRule Azure.Storage.SecureTransfer."""
    return expect(props, "enableHttpsTrafficOnly", True)


@rule("ST-05", "Storage: public network access disabled", STORAGE, severity="high",
      remediation="Set publicNetworkAccess to Disabled and reach the account through private endpoints.")
def storage_public(props: Props) -> Optional[str]:
    """Azure Policy b2982f36-99f2-4db5-8eff-283140c09693 (Storage accounts should disable public network
    access)."""
    return expect(props, "publicNetworkAccess", "Disabled")


@rule("ST-06", "Storage: firewall denies by default, trusted services bypass", STORAGE, severity="medium",
      remediation="Set networkRuleSet.defaultAction to Deny and networkRuleSet.bypass to AzureServices.")
def storage_firewall(props: Props) -> Optional[str]:
    """Azure Policy 34c877ad-507e-4c82-993e-3452a6e0ad3c (Storage accounts should restrict network
    access); PSRule Azure.Storage.Firewall."""
    return expect(props, "networkRuleSet.defaultAction", "Deny") or (
        None if "AzureServices" in str(get(props, "networkRuleSet.bypass") or "")
        else "networkRuleSet.bypass must include AzureServices"
    )


@rule("ST-07", "Storage: no cross-tenant object replication", STORAGE, severity="medium",
      remediation="Set allowCrossTenantReplication to false.")
def storage_cross_tenant(props: Props) -> Optional[str]:
    """Azure Policy 92a89a79-6c52-4a7e-a03f-61306fc49312 (Storage accounts should prevent cross tenant
    object replication)."""
    return expect(props, "allowCrossTenantReplication", False)


@rule("ST-08", "Storage: infrastructure (double) encryption", STORAGE, severity="medium",
      remediation="Set encryption.requireInfrastructureEncryption to true; only a new account can get it.")
def storage_infrastructure_encryption(props: Props) -> Optional[str]:
    """Azure Policy 4733ea7b-a883-42fe-8cac-97454c2a9e4a (Storage accounts should have infrastructure
    encryption)."""
    return expect(props, "encryption.requireInfrastructureEncryption", True)


@rule("ST-09", "Storage: zone- or geo-redundant", STORAGE, severity="medium", enforcement="advisory",
      remediation="Choose a zone- or geo-redundant SKU for sku.name, such as Standard_ZRS or Standard_GRS.")
def storage_redundancy(props: Props) -> Optional[str]:
    """Azure Policy bf045164-79ba-4215-8f95-f8048dc1780b (Geo-redundant storage should be enabled for
    Storage Accounts); PSRule Azure.Storage.UseReplication."""
    sku = str(get(props, "sku.name") or "")
    return None if sku.endswith(("ZRS", "GRS")) else f"sku.name is {sku!r}; use a ZRS or GRS SKU"


@rule("ST-10", "Storage: blob soft delete", BLOB_SERVICE, severity="medium",
      remediation="Set deleteRetentionPolicy.enabled to true, with its days, on the blob service.")
def blob_soft_delete(props: Props) -> Optional[str]:
    """PSRule Azure.Storage.SoftDelete: deleted blobs stay recoverable."""
    return expect(props, "deleteRetentionPolicy.enabled", True)


@rule("ST-11", "Storage: container soft delete", BLOB_SERVICE, severity="medium",
      remediation="Set containerDeleteRetentionPolicy.enabled to true, with its days, on the blob service.")
def container_soft_delete(props: Props) -> Optional[str]:
    """PSRule Azure.Storage.ContainerSoftDelete: deleted containers stay recoverable."""
    return expect(props, "containerDeleteRetentionPolicy.enabled", True)


# -- Key Vault -----------------------------------------------------------------------------


@rule("KV-01", "Key Vault: purge protection", VAULT, severity="high",
      remediation="Set properties.enablePurgeProtection to true (it can't be turned off afterwards).")
def vault_purge_protection(props: Props) -> Optional[str]:
    """Azure Policy 0b60c0b2-2dc2-4e1c-b5c9-abbed971de53 (Key vaults should have deletion protection
    enabled); PSRule Azure.KeyVault.PurgeProtect. Customer-managed keys need it."""
    return expect(props, "properties.enablePurgeProtection", True)


@rule("KV-02", "Key Vault: soft delete", VAULT, severity="high",
      remediation="Set properties.enableSoftDelete to true.")
def vault_soft_delete(props: Props) -> Optional[str]:
    """Azure Policy 1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d (Key vaults should have soft delete enabled);
    PSRule Azure.KeyVault.SoftDelete."""
    return expect(props, "properties.enableSoftDelete", True)


@rule("KV-03", "Key Vault: RBAC permission model", VAULT, severity="high",
      remediation="Set properties.enableRbacAuthorization to true and grant Key Vault roles instead of access "
                  "policies.")
def vault_rbac(props: Props) -> Optional[str]:
    """Azure Policy 12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5 (Azure Key Vault should use RBAC permission
    model); PSRule Azure.KeyVault.RBAC."""
    return expect(props, "properties.enableRbacAuthorization", True)


@rule("KV-04", "Key Vault: public network access disabled", VAULT, severity="high",
      remediation="Set properties.publicNetworkAccess to Disabled and properties.networkAcls.defaultAction to Deny; "
                  "reach the vault through its private endpoint.")
def vault_network(props: Props) -> Optional[str]:
    """Azure Policy 405c5871-3e91-4644-8a63-58e19d68ff5b (Azure Key Vault should disable public network
    access) and 55615ac9-af46-4a59-874e-391cc3dfb490 (firewall enabled); PSRule Azure.KeyVault.Firewall."""
    return expect(props, "properties.publicNetworkAccess", "Disabled") or expect(
        props, "properties.networkAcls.defaultAction", "Deny"
    )


@rule("KV-05", "Key Vault key: RSA keys of at least 2048 bits", KEY, severity="high",
      remediation="Set properties.keySize to 2048 or more on an RSA key.")
def key_size(props: Props) -> Optional[str]:
    """Azure Policy 82067dbb-e53b-4e06-b631-546d197452d9 (Keys using RSA cryptography should have a
    specified minimum key size)."""
    if str(get(props, "properties.kty") or "").startswith("RSA"):
        size = get(props, "properties.keySize")
        if not isinstance(size, (int, float)) or size < 2048:
            return f"properties.keySize is {size!r}; an RSA key needs at least 2048 bits"
    return None


# -- Container Registry ----------------------------------------------------------------------


@rule("CR-01", "Registry: admin user disabled", REGISTRY, severity="high",
      remediation="Set adminUserEnabled to false; identities pull and push with AcrPull and AcrPush roles.")
def registry_admin(props: Props) -> Optional[str]:
    """Azure Policy dc921057-6b28-4fbe-9b83-f7bec05db6c2 (Container registries should have local admin
    account disabled); PSRule Azure.ACR.AdminUser."""
    return expect(props, "adminUserEnabled", False)


@rule("CR-02", "Registry: anonymous pull disabled", REGISTRY, severity="high",
      remediation="Set anonymousPullEnabled to false.")
def registry_anonymous(props: Props) -> Optional[str]:
    """Azure Policy 9f2dea28-e834-476c-99c5-3507b4728395 (Container registries should have anonymous
    authentication disabled); PSRule Azure.ACR.AnonymousAccess."""
    return expect(props, "anonymousPullEnabled", False)


@rule("CR-03", "Registry: Premium SKU", REGISTRY, severity="medium",
      remediation="Set sku.name to Premium.")
def registry_sku(props: Props) -> Optional[str]:
    """Azure Policy bd560fc0-3c69-498a-ae9f-aa8eb7de0e13 (Container registries should have SKUs that
    support Private Links); PSRule Azure.ACR.MinSku."""
    return expect(props, "sku.name", "Premium")


@rule("CR-04", "Registry: public network access disabled", REGISTRY, severity="high",
      remediation="Set publicNetworkAccess to Disabled and reach the registry through its private endpoint.")
def registry_public(props: Props) -> Optional[str]:
    """Azure Policy 0fdf0491-d080-4575-b627-ad0e843cba0f (Public network access should be disabled for
    Container registries); PSRule Azure.ACR.Firewall."""
    return expect(props, "publicNetworkAccess", "Disabled")


@rule("CR-05", "Registry: exports disabled", REGISTRY, severity="medium",
      remediation="Set policies.exportPolicy.status to disabled.")
def registry_exports(props: Props) -> Optional[str]:
    """Azure Policy 524b0254-c285-4903-bee6-bb8126cde579 (Container registries should have exports
    disabled)."""
    return expect(props, "policies.exportPolicy.status", "disabled")


# -- AI Search (a connection target; the rules judge one a program adds beside the hub) -------

SEARCH = "azure-native:search:Service"


@rule("SR-01", "AI Search: key authentication disabled", SEARCH, severity="high",
      remediation="Set disableLocalAuth to true; callers use Entra ID.")
def search_local_auth(props: Props) -> Optional[str]:
    """Azure Policy 6300012e-e9a4-4649-b41f-a85f5c43be91 (Azure AI Search services should have local
    authentication methods disabled)."""
    return expect(props, "disableLocalAuth", True)


@rule("SR-02", "AI Search: public network access disabled", SEARCH, severity="high",
      remediation="Set publicNetworkAccess to disabled and reach the service through a private endpoint.")
def search_public(props: Props) -> Optional[str]:
    """Azure Policy ee980b6d-0eca-4501-8d54-f6290fd512c3 (Azure AI Search services should disable public
    network access)."""
    found = str(props.get("publicNetworkAccess") or "")
    return None if found.lower() == "disabled" else f"publicNetworkAccess is {found or 'not set'!r}; must be disabled"


@rule("SR-03", "AI Search: managed identity", SEARCH, severity="medium",
      remediation="Set identity.type to SystemAssigned.")
def search_identity(props: Props) -> Optional[str]:
    """PSRule Azure.Search.ManagedIdentity: the service reaches data sources and AI skills with Entra ID."""
    kind = get(props, "identity.type")
    return None if kind and kind != "None" else "identity.type is not set; use SystemAssigned"


@rule("SR-04", "AI Search: Entra ID accepted", SEARCH, severity="high",
      remediation="Set disableLocalAuth to true, or keep keys beside Entra ID with authOptions.aadOrApiKey."
                  "aadAuthFailureMode http401WithBearerChallenge.")
def search_entra(props: Props) -> Optional[str]:
    """Learn, "Enable or disable role-based access control in Azure AI Search" (apiKeyOnly, the default, refuses
    Entra ID tokens; aadOrApiKey takes both); foundry-samples deployment-tools/preflight README (the agent
    setup fails when an AI Search service has neither disableLocalAuth nor aadOrApiKey) and
    15-private-network-standard-agent-setup (aadAuthFailureMode http401WithBearerChallenge). The Agent
    Service and the projects' connections reach the vector stores with Entra ID only."""
    if props.get("disableLocalAuth") is True:
        return None
    if isinstance(get(props, "authOptions.aadOrApiKey"), Mapping):
        return None
    return "neither disableLocalAuth is true nor authOptions.aadOrApiKey is set: the service takes API keys only"


# -- Cosmos DB (the standard agent setup's thread store) ---------------------------------------


@rule("CDB-01", "Cosmos DB: local (key) authentication disabled", COSMOS, severity="high",
      remediation="Set disableLocalAuth to true; identities use Cosmos DB data-plane roles (sqlRoleAssignments).")
def cosmos_local_auth(props: Props) -> Optional[str]:
    """Azure Policy 5450f5bd-9c72-4390-a9c4-a7aba4edfdd2 (Cosmos DB database accounts should have local
    authentication methods disabled); foundry-samples 15-private-network-standard-agent-setup creates the
    agent store with disableLocalAuth true."""
    return expect(props, "disableLocalAuth", True)


@rule("CDB-02", "Cosmos DB: public network access disabled", COSMOS, severity="high",
      remediation="Set publicNetworkAccess to Disabled and reach the account through its private endpoint (Sql).")
def cosmos_public(props: Props) -> Optional[str]:
    """Azure Policy 797b37f7-06b8-444c-b1ad-fc62867f335a (Azure Cosmos DB should disable public network
    access)."""
    return expect(props, "publicNetworkAccess", "Disabled")


@rule("CDB-03", "Cosmos DB: no key-based metadata writes", COSMOS, severity="medium",
      remediation="Set disableKeyBasedMetadataWriteAccess to true, so databases and containers change through Azure "
                  "Resource Manager only.")
def cosmos_metadata_writes(props: Props) -> Optional[str]:
    """Azure Policy 4750c32b-89c0-46af-bfcb-2e4541a818d5 (Azure Cosmos DB key based metadata write access
    should be disabled)."""
    return expect(props, "disableKeyBasedMetadataWriteAccess", True)


# -- Monitoring ------------------------------------------------------------------------------


@rule("AI-01", "Application Insights: workspace-based", INSIGHTS, severity="medium",
      remediation="Set workspaceResourceId to the Log Analytics workspace's resource ID.")
def insights_workspace(props: Props) -> Optional[str]:
    """Azure Policy d550e854-df1a-4de9-bf44-cd894b39a95e (Azure Monitor Logs for Application Insights
    should be linked to a Log Analytics workspace); PSRule Azure.AppInsights.Workspace."""
    return None if props.get("workspaceResourceId") else "workspaceResourceId is not set"


@rule("LA-01", "Log Analytics: Entra ID-only ingestion", LOGS, severity="medium",
      remediation="Set features.disableLocalAuth to true.")
def logs_local_auth(props: Props) -> Optional[str]:
    """Azure Policy e15effd4-2278-4c65-a0da-4d6f6d1890e2 (Log Analytics Workspaces should block non-Azure
    Active Directory based ingestion)."""
    return expect(props, "features.disableLocalAuth", True)


# -- Private endpoints and DNS ----------------------------------------------------------------

# Learn, "Azure Private Endpoint private DNS zone values" (Azure public cloud): the zones of the sub-resources
# a hub's endpoints target, namely amlworkspace, account (AI Services answers on all three), blob, file,
# vault, registry, searchService and azuremonitor. The pack can't import components.network (publish uploads this folder
# alone), so the list is written here; tests/delivery/test_policy_pack.py holds it equal to components.network's.
PRIVATE_LINK_ZONES = frozenset({
    "privatelink.api.azureml.ms",
    "privatelink.notebooks.azure.net",
    "privatelink.cognitiveservices.azure.com",
    "privatelink.openai.azure.com",
    "privatelink.services.ai.azure.com",
    "privatelink.blob.core.windows.net",
    "privatelink.file.core.windows.net",
    "privatelink.vaultcore.azure.net",
    "privatelink.azurecr.io",
    "privatelink.search.windows.net",
    # Cosmos DB for NoSQL, group Sql (a Foundry resource's agent threads store).
    "privatelink.documents.azure.com",
    # Azure Monitor private link scope (Learn, azure-monitor/logs/private-link-configure).
    "privatelink.monitor.azure.com",
    "privatelink.oms.opinsights.azure.com",
    "privatelink.ods.opinsights.azure.com",
    "privatelink.agentsvc.azure-automation.net",
})


@rule("PE-01", "Private endpoint: one target with a group ID", ENDPOINT, severity="high",
      remediation="Give each entry of privateLinkServiceConnections the target's privateLinkServiceId and its "
                  "groupIds.")
def endpoint_target(props: Props) -> Optional[str]:
    """Learn, "What is a private endpoint?": an automatically approved connection names the target
    (`privateLinkServiceId`) and its sub-resource (`groupIds`)."""
    links = items(props.get("privateLinkServiceConnections"))
    if not links or not all(
        isinstance(link, Mapping) and link.get("privateLinkServiceId") and items(link.get("groupIds"))
        for link in links
    ):
        return "privateLinkServiceConnections must name a privateLinkServiceId and groupIds"
    return None


@rule("PE-02", "Private DNS: Microsoft's zone names", DNS_ZONE, severity="high",
      remediation="Name the zone as Microsoft lists it for the endpoint's sub-resource, such as "
                  "privatelink.api.azureml.ms and privatelink.notebooks.azure.net for a hub.")
def zone_name(props: Props) -> Optional[str]:
    """Learn, "Azure Private Endpoint private DNS zone values": records in any other zone don't resolve.
    Catches `privatelink.notebooks.azureml.net`, a zone some hub samples create by mistake."""
    name = props.get("privateZoneName")
    return None if name in PRIVATE_LINK_ZONES else f"{name!r} is not a private-link zone the hub's endpoints use"


@rule("PE-03", "Private DNS: VNet links don't auto-register", VNET_LINK, severity="medium",
      remediation="Set registrationEnabled to false on the virtual network link.")
def link_registration(props: Props) -> Optional[str]:
    """Learn, "What is a virtual network link?": auto-registration is for VM records in a zone you own,
    never for privatelink zones."""
    return expect(props, "registrationEnabled", False)


# -- Access -------------------------------------------------------------------------------

# Owner, Contributor, User Access Administrator, Role Based Access Control Administrator.
PRIVILEGED_ROLES = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
}


@rule("RA-01", "Role assignment: principal type given", ROLE, severity="low", enforcement="advisory",
      remediation="Set principalType (ServicePrincipal, User or Group) on the role assignment.")
def assignment_principal_type(props: Props) -> Optional[str]:
    """Learn, "Assign Azure roles using ARM templates" (principalType): without it an assignment to a
    just-created identity can fail on replication delay."""
    return None if props.get("principalType") else "principalType is not set"


@rule("RA-02", "Role assignment: no privileged roles", ROLE, severity="critical",
      remediation="Grant a narrower built-in role (a data-plane or service role) instead of Owner, Contributor, User "
                  "Access Administrator or Role Based Access Control Administrator.")
def assignment_least_privilege(props: Props) -> Optional[str]:
    """Well-Architected Framework, Azure Machine Learning service guide: least privilege. Owner,
    Contributor and the role-assignment roles are never needed by a hub's identities or members."""
    guid = str(props.get("roleDefinitionId") or "").rsplit("/", 1)[-1].lower()
    return f"grants privileged role {guid}" if guid in PRIVILEGED_ROLES else None


TAGGABLE = (RESOURCE_GROUP, WORKSPACE, ACCOUNT, DEPLOYMENT, STORAGE, VAULT, KEY, REGISTRY, INSIGHTS, LOGS,
            ENDPOINT, DNS_ZONE, VNET_LINK, VNET, IDENTITY, COMPUTE, SEARCH, PROJECT_ACCOUNT, COSMOS)


@rule("TAG-01", "Tags for cost and ownership", *TAGGABLE, severity="low", enforcement="advisory",
      remediation="Give the resource the stack's cost and ownership tags.")
def tagged(props: Props) -> Optional[str]:
    """Azure Policy 871b6d14-10aa-478d-b590-94f262ecfa99 (Require a tag on resources); Cloud Adoption
    Framework tagging: every resource carries its cost and ownership tags."""
    return None if props.get("tags") else "has no tags"


def rules_for(resource_type: str, props: Props) -> list[Rule]:
    """The rules that judge a resource of this type with these inputs."""
    return [r for r in RULES if resource_type in r.types and r.applies(props)]


RULE_IDS = frozenset(r.id for r in RULES)

__all__ = [
    "ACCOUNT", "ACCOUNT_CONNECTION", "BLOB_SERVICE", "COMPUTE", "CONNECTION", "COSMOS", "DEPLOYMENT", "DNS_ZONE",
    "ENDPOINT", "ENFORCEMENT_LEVELS", "IDENTITY", "INSIGHTS", "KEY", "LOGS", "PRIVATE_LINK_ZONES", "PRIVILEGED_ROLES",
    "PROJECT_ACCOUNT", "PROJECT_CONNECTION", "REGISTRY", "RESOURCE_GROUP", "ROLE", "RULES", "RULE_IDS", "SEARCH",
    "SEVERITIES", "STORAGE", "TAGGABLE", "VAULT", "VNET", "VNET_LINK", "WORKSPACE", "Props", "Rule", "expect",
    "get", "is_hub", "is_project", "items", "manages_projects", "rule", "rules_for",
]
