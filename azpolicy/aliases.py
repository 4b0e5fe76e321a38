"""Azure Policy aliases the shipped definitions use: alias -> (the resource type it belongs to, its ARM path).

Each row is the alias's default path as `Get-AzPolicyAlias` reports it, read from the dump in
maciejporebski/azure-policy-aliases (commit 92a03715147c, `aliases/<namespace>/<type>.md`). Learn, "Azure Policy
definition structure aliases": an alias maps to a path per API version; the dump lists the default path, which
holds unless an alias declares another for the request's API version. An alias not listed here is reported as
not evaluable, never guessed from its name: some do not map to `properties.<name>` (`sku.name`; the compute
instance's `properties.properties.idleTimeBeforeShutdown`).
"""

ALIAS_PATHS: dict[str, tuple[str, str]] = {
    "Microsoft.CognitiveServices/accounts/disableLocalAuth": ("Microsoft.CognitiveServices/accounts",
        "properties.disableLocalAuth"),
    "Microsoft.CognitiveServices/accounts/networkAcls.defaultAction": ("Microsoft.CognitiveServices/accounts",
        "properties.networkAcls.defaultAction"),
    "Microsoft.CognitiveServices/accounts/publicNetworkAccess": ("Microsoft.CognitiveServices/accounts",
        "properties.publicNetworkAccess"),
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

# Lookups ignore case, as Azure Policy does for aliases.
ALIASES: dict[str, str] = {alias.lower(): path for alias, (_, path) in ALIAS_PATHS.items()}
OWNERS: dict[str, str] = {alias.lower(): owner.lower() for alias, (owner, _) in ALIAS_PATHS.items()}
