"""Pulumi components for Azure AI hubs: import them without our stack config."""

from .ai_hub import AIHub, AIHubArgs
from .provider import ModelDeploymentArgs, ProviderMode

__all__ = ["AIHub", "AIHubArgs", "ModelDeploymentArgs", "ProviderMode"]
