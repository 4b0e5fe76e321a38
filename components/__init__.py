"""Pulumi components for Azure AI hubs: import them without our stack config."""

from .ai_hub import AIHub, AIHubArgs
from .ai_project import AIProject, AIProjectArgs, ProjectMemberArgs
from .private_network import PrivateEndpointTargetArgs, PrivateNetwork, PrivateNetworkArgs
from .provider import ModelDeploymentArgs, ProviderMode
from .shared_connection import ConnectionArgs, SharedConnection, SharedConnectionArgs

__all__ = [
    "AIHub",
    "AIHubArgs",
    "AIProject",
    "AIProjectArgs",
    "ConnectionArgs",
    "ModelDeploymentArgs",
    "PrivateEndpointTargetArgs",
    "PrivateNetwork",
    "PrivateNetworkArgs",
    "ProjectMemberArgs",
    "ProviderMode",
    "SharedConnection",
    "SharedConnectionArgs",
]
