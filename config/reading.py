"""The raw stack config: the keys of our namespace, how their string values read, and what the engine passes.

The only module that knows the `azure-ai-hub:*` config keys.
"""

import json
from typing import Any, Iterable, Mapping

from components.deploy_rules import DeployContext

NAMESPACE = "azure-ai-hub"
LOCATION_KEY = "azure-native:location"


# Keys of the `azure-ai-hub` namespace, and how the engine's string value reads:
# as it is, as JSON (objects and lists), or as a boolean.
KEYS: dict[str, str] = {
    "providerMode": "string",
    "platform": "string",
    "provider": "json",
    "hub": "json",
    "resourceGroup": "string",
    "dependencies": "json",
    "projects": "json",
    "connections": "json",
    "connectionKeys": "json",
    "network": "json",
    "encryption": "json",
    "protect": "bool",
    "retainOnDelete": "bool",
    "locks": "bool",
    "diagnostics": "json",
    "policyAssignments": "json",
    "budget": "json",
    "computeInstances": "json",
    "agents": "json",
    "hazardChecks": "bool",
    "waivers": "json",
    "tags": "json",
}
SECRET_KEY = "connectionKeys"

# Namespaces whose keys this program passes by: its providers' (azure-native reads location,
# subscriptionId and the credentials; azure and azuread for programs mixing providers) and the
# engine's own `pulumi:` keys. A key anywhere else is read by nobody, most often a typo of ours.
KNOWN_NAMESPACES = ("azure-native", "azure", "azuread", "pulumi")


def foreign_key_problems(raw: Iterable[str]) -> list[tuple[str, str]]:
    """Config keys in a namespace nothing here reads (`aihub:tags`, `azure-ai-hubs:projects`)."""
    import difflib

    problems: list[tuple[str, str]] = []
    for key in sorted(raw):
        namespace, _, name = key.partition(":")
        if namespace == NAMESPACE or namespace in KNOWN_NAMESPACES:
            continue
        close = [NAMESPACE] if name in KEYS else difflib.get_close_matches(
            namespace, [NAMESPACE, *KNOWN_NAMESPACES], n=1)
        hint = f"; did you mean {close[0]}:{name}?" if close else ""
        problems.append((key, f"is in namespace {namespace!r}, which nothing in this program reads "
                              f"(its own keys are {NAMESPACE}:*){hint}"))
    return problems


def decode(raw: Mapping[str, str], secret_keys: Iterable[str] = ()) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The stack's keys as the models read them (JSON and booleans decoded), and what is wrong with the raw keys.

    `secret_keys` are the keys stored encrypted (`pulumi config set --secret`).
    None of these keys can hold a secret: their values become names, IDs and
    tags that anyone with Reader access sees in Azure, so a secret among them
    is refused rather than silently sent in plaintext. `connectionKeys` is left
    out: it is read on its own (config/projects.py connection_keys).
    """
    problems: list[tuple[str, str]] = [
        (key, "is stored as a secret, but it becomes plain resource names, IDs or tags visible in Azure; "
              "set it without --secret")
        for key in sorted(set(secret_keys))
        if key.startswith(f"{NAMESPACE}:") and key.split(":", 1)[1] in KEYS and not key.endswith(f":{SECRET_KEY}")
    ]
    keys_key = f"{NAMESPACE}:{SECRET_KEY}"
    if raw.get(keys_key) is not None and keys_key not in set(secret_keys):
        problems.append((keys_key, "holds key material in plaintext: store it with "
                                   f"pulumi config set --secret --path {keys_key}.<connection> <key>"))
    data: dict[str, Any] = {}
    problems.extend(foreign_key_problems(raw))
    for key in sorted(raw):
        if key.startswith(f"{NAMESPACE}:") and key.split(":", 1)[1] not in KEYS:
            allowed = ", ".join(KEYS)
            problems.append((key, f"unknown key (known keys: {allowed})"))
    for key, kind in KEYS.items():
        value = raw.get(f"{NAMESPACE}:{key}")
        if value is None or key == SECRET_KEY:
            continue
        if kind == "json":
            try:
                data[key] = json.loads(value)
            except (TypeError, ValueError):
                problems.append((f"{NAMESPACE}:{key}", "must be an object or list, not a plain string"))
        elif kind == "bool":
            if str(value).lower() not in ("true", "false"):
                problems.append((f"{NAMESPACE}:{key}", f"must be true or false (got {value!r})"))
            else:
                data[key] = str(value).lower() == "true"
        else:
            data[key] = value
    if raw.get(LOCATION_KEY) is not None:
        data["location"] = raw[LOCATION_KEY]
    return data, problems


def raw_config() -> tuple[dict[str, str], set[str]]:
    """Every config value the engine passed to this program (fully qualified), and the secret keys."""
    from pulumi.runtime.config import CONFIG, get_config_env, get_config_secret_keys_env, is_config_secret

    merged: dict[str, str] = {}
    merged.update(get_config_env())
    merged.update(CONFIG.get())
    secret = {k for k in merged if is_config_secret(k)} | set(get_config_secret_keys_env())
    return merged, secret


def deploy_context() -> DeployContext:
    """What the Azure provider knows of the deployment: the subscription it deploys to."""
    from components.subscriptions import deploy_subscription

    return DeployContext(subscription_id=deploy_subscription())
