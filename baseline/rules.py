"""The baseline's rules: re-exported from their one source, policy/aihub_baseline/rules.py."""

from policy.aihub_baseline.rules import *  # noqa: F403
from policy.aihub_baseline.rules import __all__  # noqa: F401
