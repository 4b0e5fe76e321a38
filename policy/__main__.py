"""azure-ai-hub security baseline as a Pulumi policy pack.

    pulumi preview --policy-pack policy

Serves the pack to the Pulumi engine (PolicyPack never returns), so nothing
else belongs here: the policies are built in pack.py, the rules live in
baseline/rules.py.
"""

from pack import build_policies
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name="azure-ai-hub-baseline",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=build_policies(),
)
