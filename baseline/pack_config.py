"""Write a stack's waivers as the policy pack's config.

    python -m baseline.pack_config --stack dev          # or: make policy-config STACK=dev
    pulumi preview --policy-pack policy --policy-pack-config out/policy-config-dev.json

The stack file's `azure-ai-hub:waivers`, checked by the stack config
(config/stack.py), become the `waivers` of each rule's policy
(policy/aihub_baseline/pack_config.py). The same JSON can be pasted into a
policy group's config in Pulumi Cloud, where the pack is enforced after
`pulumi policy publish`.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Optional

from policy.aihub_baseline.pack_config import pack_config

ROOT = Path(__file__).resolve().parent.parent


def config_path(out: Path, stack: str) -> Path:
    return out / f"policy-config-{stack}.json"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m baseline.pack_config",
                                     description="Write a stack's waivers as the policy pack's config (JSON).")
    parser.add_argument("--stack", default="dev", help="stack name: reads Pulumi.<stack>.yaml (default dev)")
    parser.add_argument("--out", default=str(ROOT / "out"), help="folder for policy-config-<stack>.json")
    parser.add_argument("--root", default=str(ROOT), help="the Pulumi project folder")
    args = parser.parse_args(argv)

    from config import ConfigError, parse
    from offline.engine import StackFileError, load_stack_config

    try:
        _, config, secret_keys = load_stack_config(Path(args.root), args.stack)
        waivers = parse(config, secret_keys).parsed_waivers
    except (FileNotFoundError, StackFileError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ConfigError as err:
        print(err.report(args.stack), file=sys.stderr)
        return 2
    out_path = config_path(Path(args.out), args.stack)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(pack_config(waivers), indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out_path}: {len(waivers)} waiver(s) of stack {args.stack} as the policy pack's config")
    return 0


if __name__ == "__main__":
    sys.exit(main())
