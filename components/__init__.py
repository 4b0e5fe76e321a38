"""Pulumi components for Azure AI hubs: import them without our stack config.

Names load on first use, so the pure helpers (`components.naming`,
`components.network`, ...) import without pulumi-azure-native: the policy pack
uses them in an environment of its own.
"""

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "AIHub": ".ai_hub",
    "AIHubArgs": ".ai_hub",
    "AIProject": ".ai_project",
    "AIProjectArgs": ".ai_project",
    "ProjectMemberArgs": ".ai_project",
    "ConnectionArgs": ".shared_connection",
    "SharedConnection": ".shared_connection",
    "SharedConnectionArgs": ".shared_connection",
    "PrivateEndpointTargetArgs": ".private_network",
    "PrivateNetwork": ".private_network",
    "PrivateNetworkArgs": ".private_network",
    "ModelDeploymentArgs": ".provider",
    "ProviderMode": ".provider",
}
__all__ = [
    "AIHub", "AIHubArgs", "AIProject", "AIProjectArgs", "ConnectionArgs", "ModelDeploymentArgs",
    "PrivateEndpointTargetArgs", "PrivateNetwork", "PrivateNetworkArgs", "ProjectMemberArgs", "ProviderMode",
    "SharedConnection", "SharedConnectionArgs",
]

if TYPE_CHECKING:
    from .ai_hub import AIHub, AIHubArgs
    from .ai_project import AIProject, AIProjectArgs, ProjectMemberArgs
    from .private_network import PrivateEndpointTargetArgs, PrivateNetwork, PrivateNetworkArgs
    from .provider import ModelDeploymentArgs, ProviderMode
    from .shared_connection import ConnectionArgs, SharedConnection, SharedConnectionArgs


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
