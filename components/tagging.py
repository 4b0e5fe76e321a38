"""Stack-wide tags: one transform tags every taggable resource, instead of each resource passing them."""

import importlib
import inspect
from functools import cache
from typing import Any, Mapping, Optional, cast

import pulumi

#: The generic ARM resource takes `tags` whatever it is; the one the components create (a project's capability
#: host, components/foundry_project.py) has none (REST spec cognitiveservices 2025-06-01 ProjectCapabilityHost: no
#: `tags`), and can't be updated, so a tag change would replace it.
GENERIC_RESOURCE = "azure-native:resources:Resource"


@cache
def is_taggable(type_token: str) -> bool:
    """Whether an azure-native resource type takes `tags`, read from its SDK arguments class."""
    if type_token == GENERIC_RESOURCE:
        return False
    parts = type_token.split(":")
    if len(parts) != 3 or parts[0] != "azure-native":
        return False
    try:
        module = importlib.import_module(f"pulumi_azure_native.{parts[1]}")
        args_class = getattr(module, f"{parts[2]}Args")
    except (ImportError, AttributeError):
        return False
    return "tags" in inspect.signature(args_class.__init__).parameters


def tag_transform(tags: Mapping[str, str]) -> pulumi.ResourceTransform:
    """A transform that adds `tags` to every taggable resource; a resource's own tags win."""
    stack_tags = dict(tags)

    def transform(args: pulumi.ResourceTransformArgs) -> Optional[pulumi.ResourceTransformResult]:
        if not args.custom or not is_taggable(args.type_):
            return None
        # Tags a resource sets itself are plain in this program, never an Output.
        own: dict[str, Any] = dict(cast(Mapping[str, Any], args.props.get("tags") or {}))
        return pulumi.ResourceTransformResult(props={**args.props, "tags": {**stack_tags, **own}}, opts=args.opts)

    return transform


def tag_everything(tags: Mapping[str, str]) -> None:
    """Tag every taggable resource the stack declares from here on."""
    if tags:
        pulumi.runtime.register_resource_transform(tag_transform(tags))
