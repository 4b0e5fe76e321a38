"""azure-ai-hub security baseline as a Pulumi policy pack.

    pulumi preview --policy-pack policy --policy-pack-config out/policy-config-<stack>.json

The engine runs this file from the pack's folder (`python -m pulumi.policy`,
which `runpy`s the folder), so `pack` and `aihub_baseline` import from here.
PolicyPack serves the pack to the engine and never returns: the policies are
built in pack.py, the rules live in aihub_baseline/rules.py.
"""

from pack import DESCRIPTION, NAME, build_policies
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name=NAME,
    description=DESCRIPTION,
    # Each policy sets its own level; a policy that didn't would block.
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=build_policies(),
)
