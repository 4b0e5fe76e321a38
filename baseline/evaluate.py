"""Evaluation with waivers: re-exported from its one source, policy/aihub_baseline/evaluate.py."""

from policy.aihub_baseline.evaluate import *  # noqa: F403
from policy.aihub_baseline.evaluate import __all__  # noqa: F401
