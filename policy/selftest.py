"""Run the real policy pack's policies (pulumi_policy objects) over an offline plan.

    policy/venv/bin/python policy/selftest.py out/plan-prod.json

Each policy validates every resource of the plan, as `pulumi preview
--policy-pack` would; a violation fails the run. A resource that breaks the
baseline is checked first, so a pack that reports nothing can't pass.
"""

import json
import sys
from pathlib import Path

from pack import build_policies
from pulumi_policy import ResourceValidationArgs


def violations(policies, resource_type, props, urn, name):  # type: ignore[no-untyped-def]
    found: list[str] = []
    for policy in policies:
        args = ResourceValidationArgs(resource_type, props, urn, name, None, None)
        policy.validate(args, lambda message, urn=None, policy=policy: found.append(f"{policy.name}: {message}"))
    return found


def main(plan_path: str) -> int:
    policies = build_policies()
    bad = violations(policies, "azure-native:storage:StorageAccount", {"allowBlobPublicAccess": True},
                     "urn:pulumi:selftest::azure-ai-hub::azure-native:storage:StorageAccount::st", "st")
    if not any(v.startswith("aihub-st-01:") for v in bad):
        print("selftest: the pack did not report public blob access", file=sys.stderr)
        return 1
    plan = json.loads(Path(plan_path).read_text())
    found: list[str] = []
    for resource in plan["resources"]:
        if resource["custom"]:
            found += violations(policies, resource["type"], resource["inputs"], resource["urn"], resource["name"])
    print(f"{len(policies)} policies, {sum(r['custom'] for r in plan['resources'])} resources of stack "
          f"{plan['stack']}: {len(found)} violation(s)")
    for line in found:
        print(f"  {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
