"""Azure Policy aliases the shipped definitions use: alias -> (the resource type it belongs to, its ARM path).

Each row is the alias's default path as `Get-AzPolicyAlias` reports it, read from the dump in
maciejporebski/azure-policy-aliases (commit 92a03715147c, `aliases/<namespace>/<type>.md`). Learn, "Azure Policy
definition structure aliases": an alias maps to a path per API version; the dump lists the default path, which
holds unless an alias declares another for the request's API version. An alias not listed here is reported as
not evaluable, never guessed from its name: some do not map to `properties.<name>` (`sku.name`; the compute
instance's `properties.properties.idleTimeBeforeShutdown`). Rows added for the Foundry platform's definitions
are read from later commits of the same dump: Microsoft.DocumentDB/databaseAccounts.md and
Microsoft.CognitiveServices/accounts.md at c08d1aca4cc3, Microsoft.Search/searchServices.md at 006f8a7fbcae.
"""

ALIAS_PATHS: dict[str, tuple[str, str]] = {
    "Microsoft.CognitiveServices/accounts/disableLocalAuth": ("Microsoft.CognitiveServices/accounts",
        "properties.disableLocalAuth"),
    "Microsoft.CognitiveServices/accounts/networkAcls.defaultAction": ("Microsoft.CognitiveServices/accounts",
        "properties.networkAcls.defaultAction"),
    "Microsoft.CognitiveServices/accounts/publicNetworkAccess": ("Microsoft.CognitiveServices/accounts",
        "properties.publicNetworkAccess"),
    "Microsoft.CognitiveServices/accounts/privateEndpointConnections[*]": ("Microsoft.CognitiveServices/accounts",
        "properties.privateEndpointConnections[*]"),
    "Microsoft.CognitiveServices/accounts/privateEndpointConnections[*].privateLinkServiceConnectionState.status": (
        "Microsoft.CognitiveServices/accounts",
        "properties.privateEndpointConnections[*].properties.privateLinkServiceConnectionState.status"),
    "Microsoft.ContainerRegistry/registries/adminUserEnabled": ("Microsoft.ContainerRegistry/registries",
        "properties.adminUserEnabled"),
    "Microsoft.ContainerRegistry/registries/anonymousPullEnabled": ("Microsoft.ContainerRegistry/registries",
        "properties.anonymousPullEnabled"),
    "Microsoft.ContainerRegistry/registries/policies.exportPolicy.status": ("Microsoft.ContainerRegistry/registries",
        "properties.policies.exportPolicy.status"),
    "Microsoft.ContainerRegistry/registries/publicNetworkAccess": ("Microsoft.ContainerRegistry/registries",
        "properties.publicNetworkAccess"),
    "Microsoft.ContainerRegistry/registries/sku.name": ("Microsoft.ContainerRegistry/registries",
        "sku.name"),
    "Microsoft.DocumentDB/databaseAccounts/disableKeyBasedMetadataWriteAccess": (
        "Microsoft.DocumentDB/databaseAccounts",
        "properties.disableKeyBasedMetadataWriteAccess"),
    "Microsoft.DocumentDB/databaseAccounts/disableLocalAuth": ("Microsoft.DocumentDB/databaseAccounts",
        "properties.disableLocalAuth"),
    "Microsoft.DocumentDB/databaseAccounts/publicNetworkAccess": ("Microsoft.DocumentDB/databaseAccounts",
        "properties.publicNetworkAccess"),
    "Microsoft.Insights/components/WorkspaceResourceId": ("Microsoft.Insights/components",
        "properties.WorkspaceResourceId"),
    "Microsoft.KeyVault/vaults/createMode": ("Microsoft.KeyVault/vaults",
        "properties.createMode"),
    "Microsoft.KeyVault/vaults/enablePurgeProtection": ("Microsoft.KeyVault/vaults",
        "properties.enablePurgeProtection"),
    "Microsoft.KeyVault/vaults/enableRbacAuthorization": ("Microsoft.KeyVault/vaults",
        "properties.enableRbacAuthorization"),
    "Microsoft.KeyVault/vaults/enableSoftDelete": ("Microsoft.KeyVault/vaults",
        "properties.enableSoftDelete"),
    "Microsoft.KeyVault/vaults/networkAcls.defaultAction": ("Microsoft.KeyVault/vaults",
        "properties.networkAcls.defaultAction"),
    "Microsoft.KeyVault/vaults/networkAcls.ipRules[*]": ("Microsoft.KeyVault/vaults",
        "properties.networkAcls.ipRules[*]"),
    "Microsoft.KeyVault/vaults/publicNetworkAccess": ("Microsoft.KeyVault/vaults",
        "properties.publicNetworkAccess"),
    "Microsoft.MachineLearningServices/workspaces/computes/computeType": (
        "Microsoft.MachineLearningServices/workspaces/computes",
        "properties.computeType"),
    "Microsoft.MachineLearningServices/workspaces/computes/disableLocalAuth": (
        "Microsoft.MachineLearningServices/workspaces/computes",
        "properties.disableLocalAuth"),
    "Microsoft.MachineLearningServices/workspaces/computes/idleTimeBeforeShutdown": (
        "Microsoft.MachineLearningServices/workspaces/computes",
        "properties.properties.idleTimeBeforeShutdown"),
    "Microsoft.MachineLearningServices/workspaces/encryption.status": ("Microsoft.MachineLearningServices/workspaces",
        "properties.encryption.status"),
    "Microsoft.MachineLearningServices/workspaces/managedNetwork.isolationMode": (
        "Microsoft.MachineLearningServices/workspaces",
        "properties.managedNetwork.isolationMode"),
    "Microsoft.MachineLearningServices/workspaces/publicNetworkAccess": ("Microsoft.MachineLearningServices/workspaces",
        "properties.publicNetworkAccess"),
    "Microsoft.OperationalInsights/workspaces/features.disableLocalAuth": ("Microsoft.OperationalInsights/workspaces",
        "properties.features.disableLocalAuth"),
    "Microsoft.Search/searchServices/disableLocalAuth": ("Microsoft.Search/searchServices",
        "properties.disableLocalAuth"),
    "Microsoft.Search/searchServices/networkRuleSet.ipRules[*].value": ("Microsoft.Search/searchServices",
        "properties.networkRuleSet.ipRules[*].value"),
    "Microsoft.Search/searchServices/privateEndpointConnections[*]": ("Microsoft.Search/searchServices",
        "properties.privateEndpointConnections[*]"),
    "Microsoft.Search/searchServices/privateEndpointConnections[*].privateLinkServiceConnectionState.status": (
        "Microsoft.Search/searchServices",
        "properties.privateEndpointConnections[*].properties.privateLinkServiceConnectionState.status"),
    "Microsoft.Search/searchServices/publicNetworkAccess": ("Microsoft.Search/searchServices",
        "properties.publicNetworkAccess"),
    "Microsoft.Storage/storageAccounts/allowBlobPublicAccess": ("Microsoft.Storage/storageAccounts",
        "properties.allowBlobPublicAccess"),
    "Microsoft.Storage/storageAccounts/allowCrossTenantReplication": ("Microsoft.Storage/storageAccounts",
        "properties.allowCrossTenantReplication"),
    "Microsoft.Storage/storageAccounts/allowSharedKeyAccess": ("Microsoft.Storage/storageAccounts",
        "properties.allowSharedKeyAccess"),
    "Microsoft.Storage/storageAccounts/encryption.requireInfrastructureEncryption": (
        "Microsoft.Storage/storageAccounts",
        "properties.encryption.requireInfrastructureEncryption"),
    "Microsoft.Storage/storageAccounts/minimumTlsVersion": ("Microsoft.Storage/storageAccounts",
        "properties.minimumTlsVersion"),
    "Microsoft.Storage/storageAccounts/networkAcls.defaultAction": ("Microsoft.Storage/storageAccounts",
        "properties.networkAcls.defaultAction"),
    "Microsoft.Storage/storageAccounts/publicNetworkAccess": ("Microsoft.Storage/storageAccounts",
        "properties.publicNetworkAccess"),
    "Microsoft.Storage/storageAccounts/sku.name": ("Microsoft.Storage/storageAccounts",
        "sku.name"),
    "Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly": ("Microsoft.Storage/storageAccounts",
        "properties.supportsHttpsTrafficOnly"),
}

# Aliases of properties Azure fills in (the private endpoint connections a private endpoint creates on its
# target): never in a create request, so a condition on them reads an absent property (Learn, "Azure Policy
# definitions deny effect": a create is judged on its request); the SDK has no input for them.
STATE_ONLY = frozenset({
    "Microsoft.CognitiveServices/accounts/privateEndpointConnections[*]",
    "Microsoft.CognitiveServices/accounts/privateEndpointConnections[*].privateLinkServiceConnectionState.status",
    "Microsoft.Search/searchServices/privateEndpointConnections[*]",
    "Microsoft.Search/searchServices/privateEndpointConnections[*].privateLinkServiceConnectionState.status",
})

# Lookups ignore case, as Azure Policy does for aliases.
ALIASES: dict[str, str] = {alias.lower(): path for alias, (_, path) in ALIAS_PATHS.items()}
OWNERS: dict[str, str] = {alias.lower(): owner.lower() for alias, (owner, _) in ALIAS_PATHS.items()}
