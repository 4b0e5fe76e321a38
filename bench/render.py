"""Benchmark: render hubs with 1, 10 and 100 projects offline and print the figures.

    python -m bench.render [--sizes 1 10 100]

Each project has two members and one connection. Every size runs in its own
process so that peak memory is that size's own. Prints, per size: resources
registered, wall time of the program run, time per resource and peak memory
(max RSS of the process, Python and the SDK included).
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def config_for(projects: int) -> dict[str, str]:
    members = lambda i: [  # noqa: E731
        {"principalId": f"aaaaaaaa-0000-4000-8000-{i:012d}"},
        {"principalId": f"bbbbbbbb-0000-4000-8000-{i:012d}", "principalType": "Group",
         "role": "AzureML Data Scientist"},
    ]
    return {
        "azure-native:location": "swedencentral",
        "azure-ai-hub:hub": json.dumps({"name": "bench-hub"}),
        "azure-ai-hub:provider": json.dumps(
            {"deployments": [{"name": "gpt-4o", "model": "gpt-4o", "version": "2024-11-20"}]}
        ),
        "azure-ai-hub:projects": json.dumps(
            [
                {
                    "name": f"team-{i:03d}",
                    "members": members(i),
                    "connections": [
                        {"name": f"feed-{i:03d}", "category": "PythonFeed", "target": "https://pypi.org/simple"}
                    ],
                }
                for i in range(projects)
            ]
        ),
    }


def child(projects: int, version_aliases: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from offline.engine import quiet_grpc, run_program

    quiet_grpc()
    config = config_for(projects)
    started = time.perf_counter()
    run = run_program(
        ROOT / "__main__.py", config, project="azure-ai-hub", stack="bench", version_aliases=version_aliases
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"projects": projects, "resources": len(run.resources), "seconds": seconds, "peak_mb": peak_mb}))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.render", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument(
        "--version-aliases", action="store_true",
        help="keep azure-native's API-version aliases, as a real `pulumi up` does (slower)",
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.version_aliases)
        return 0

    mode = "with" if args.version_aliases else "without"
    print(f"Offline render, {mode} azure-native's API-version aliases; each project: 2 members, 1 connection\n")
    print(f"{'projects':>8} {'resources':>9} {'wall s':>8} {'ms/resource':>11} {'peak MB':>8}")
    rows = []
    for size in args.sizes:
        command = [sys.executable, "-m", "bench.render", "--child", str(size)]
        done = subprocess.run(
            command + (["--version-aliases"] if args.version_aliases else []),
            cwd=ROOT, capture_output=True, text=True, check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        per = 1000 * row["seconds"] / row["resources"]
        print(f"{row['projects']:>8} {row['resources']:>9} {row['seconds']:>8.2f} {per:>11.2f} {row['peak_mb']:>8.0f}")
    # Linear growth shows as the same cost per added resource between each pair
    # of sizes; the first run's figure also holds the one-off import of the SDK.
    for small, large in zip(rows, rows[1:], strict=False):
        slope = 1000 * (large["seconds"] - small["seconds"]) / (large["resources"] - small["resources"])
        print(f"\n{small['projects']} -> {large['projects']} projects: {slope:.2f} ms per added resource", end="")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
