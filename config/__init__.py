"""Stack config: read from Pulumi, validated with pydantic, turned into component args.

The only package that knows the `azure-ai-hub:*` config keys. Components take
typed args and never read `pulumi.Config` themselves, so other programs can
reuse them without our config layer.

Every problem is reported at once, each with its key path and reason, before
any resource is registered, as a `pulumi.RunError` (shown without a traceback).

Its modules mirror the components: `hub`, `network`, `projects` and `governance`
hold the sections' models, `foundry` the platform, the agents and the keys each
platform refuses, `stack` the whole config, `reading` the raw keys,
`messages` the problems' key paths and reasons, `args` the mapping to the
components' Args. This module is its public face.
"""

from typing import Iterable, Mapping, Optional

from pydantic import ValidationError

from components.deploy_rules import DeployContext

from .args import deploy_rule_problems, foundry_problems
from .messages import ConfigError, arg_key_path, describe
from .projects import connection_keys, match_keys
from .reading import KEYS, LOCATION_KEY, NAMESPACE, SECRET_KEY, decode, deploy_context, raw_config
from .stack import StackConfig

__all__ = [
    "KEYS", "LOCATION_KEY", "NAMESPACE", "SECRET_KEY", "ConfigError", "StackConfig", "arg_key_path",
    "deploy_context", "load", "parse", "raw_config",
]


def parse(
    raw: Mapping[str, str], secret_keys: Iterable[str] = (), context: Optional[DeployContext] = None
) -> StackConfig:
    """Validate raw config (fully qualified keys, string or JSON values) into a StackConfig.

    Then the deploy rules (components/deploy_rules.py) judge what the config
    would send to Azure, with what `context` knows of the deployment.

    `secret_keys` are the keys stored encrypted (`pulumi config set --secret`):
    only `connectionKeys` may be one (config/reading.py decode).

    Raises ConfigError with every problem found.
    """
    data, problems = decode(raw, secret_keys)
    keys, key_problems = connection_keys(raw.get(f"{NAMESPACE}:{SECRET_KEY}"))
    problems.extend(key_problems)
    try:
        config = StackConfig.model_validate(data)
    except ValidationError as err:
        for error in err.errors():
            problems.extend(describe(error, StackConfig))
        raise ConfigError(problems) from None
    problems.extend(match_keys(config.all_connections(), keys))
    context = context or DeployContext()
    problems.extend(deploy_rule_problems(config, context))
    problems.extend(foundry_problems(config, context))
    if problems:
        raise ConfigError(problems)
    return config.model_copy(update={"connection_keys": keys})


def load() -> StackConfig:
    """The validated config of the running stack; raises ConfigError."""
    values, secret_keys = raw_config()
    return parse(values, secret_keys, deploy_context())
