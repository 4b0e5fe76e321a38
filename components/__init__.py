"""Pulumi components for Azure AI hubs: import them without our stack config.

Installed (pip), this package is `azure_ai_hub`; in the repository it is the
`components/` folder, which the stack program imports as `components`. Its
modules import each other relatively, so both names work.

Names load on first use, so the pure helpers (`components.naming`,
`components.network`, `components.deploy_rules`, ...) import without loading
pulumi-azure-native.
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

_EXPORTS = {
    "AIHub": ".ai_hub",
    "AIHubArgs": ".ai_hub",
    "AIProject": ".ai_project",
    "AIProjectArgs": ".ai_project",
    "ArgsError": ".validation",
    "ProjectMemberArgs": ".ai_project",
    "ConnectionArgs": ".shared_connection",
    "SharedConnection": ".shared_connection",
    "SharedConnectionArgs": ".shared_connection",
    "PrivateEndpointTargetArgs": ".private_network",
    "PrivateNetwork": ".private_network",
    "PrivateNetworkArgs": ".private_network",
    "DeploymentSku": ".provider",
    "ModelDeploymentArgs": ".provider",
    "ProviderMode": ".provider",
    "ServiceTagProtocol": ".managed_network",
    "AgentSetup": ".foundry_resource",
    "AgentStoresArgs": ".foundry_resource",
    "AgentSubnetArgs": ".foundry_resource",
    "FoundryResource": ".foundry_resource",
    "FoundryResourceArgs": ".foundry_resource",
    "AgentStoreRefsArgs": ".foundry_project",
    "FoundryMemberArgs": ".foundry_project",
    "FoundryProject": ".foundry_project",
    "FoundryProjectArgs": ".foundry_project",
}
__all__ = [
    "__version__", "AIHub", "AIHubArgs", "AIProject", "AIProjectArgs", "AgentSetup", "AgentStoreRefsArgs",
    "AgentStoresArgs", "AgentSubnetArgs", "ArgsError", "ConnectionArgs", "FoundryMemberArgs", "FoundryProject",
    "FoundryProjectArgs", "FoundryResource", "FoundryResourceArgs",
    "DeploymentSku", "ModelDeploymentArgs", "PrivateEndpointTargetArgs", "PrivateNetwork", "PrivateNetworkArgs",
    "ProjectMemberArgs", "ProviderMode", "ServiceTagProtocol", "SharedConnection", "SharedConnectionArgs",
]

if TYPE_CHECKING:
    from .ai_hub import AIHub, AIHubArgs
    from .ai_project import AIProject, AIProjectArgs, ProjectMemberArgs
    from .foundry_project import AgentStoreRefsArgs, FoundryMemberArgs, FoundryProject, FoundryProjectArgs
    from .foundry_resource import AgentSetup, AgentStoresArgs, AgentSubnetArgs, FoundryResource, FoundryResourceArgs
    from .managed_network import ServiceTagProtocol
    from .private_network import PrivateEndpointTargetArgs, PrivateNetwork, PrivateNetworkArgs
    from .provider import DeploymentSku, ModelDeploymentArgs, ProviderMode
    from .shared_connection import ConnectionArgs, SharedConnection, SharedConnectionArgs
    from .validation import ArgsError


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
