"""Offline plan: render a stack without Azure or the Pulumi CLI.

    python -m offline.plan --stack dev [--out out]

Runs the program for `Pulumi.<stack>.yaml` under mocks, prints the resource
tree as `pulumi preview` would, judges every resource against the security
baseline (with the stack's waivers), and writes `<out>/plan-<stack>.json`
(every resource: inputs with secrets masked, parent, dependencies, options;
findings; hazards) and `<out>/plan-<stack>.md` (a report with a Mermaid
diagram). A bad config prints every problem with its key path and exits with
status 2; `--strict` exits with status 1 on any finding not waived. A resource
the stack's own policy assignments would deny (offline/policy_check.py) exits
with status 1 with or without `--strict`.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Optional

from components.deploy_rules import DEPLOY_RULES, FOUNDRY, HUB
from components.resource_types import PROJECT_ACCOUNT, WORKSPACE

from .critical_path import critical_path, describe_path
from .describe import principal_names, stack_region
from .engine import SECRET_MASK, StackFileError, quiet_grpc, read_stack_config, run_program
from .inputs import PlanInputError, output_folder_problem, read_previous
from .policy_check import check_policy_assignments, policy_json, policy_lines
from .recorder import mask_secrets as mask_secrets  # tests/stack/test_golden.py, the refactors' guard, reads it here
from .report import markdown, plan_json
from .review import review
from .tree import render_tree

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline.plan", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", default="dev", help="stack name: reads Pulumi.<stack>.yaml (default dev)")
    parser.add_argument("--out", default=str(ROOT / "out"), help="folder for the JSON and Markdown files")
    parser.add_argument("--root", default=str(ROOT), help="the Pulumi project folder")
    parser.add_argument("--stack-file", help="read this file instead of Pulumi.<stack>.yaml (a scenario)")
    parser.add_argument("--strict", action="store_true", help="fail (status 1) on any baseline finding not waived")
    parser.add_argument("--previous", help="a previous plan's JSON: call out hazardous changes since then")
    args = parser.parse_args(argv)
    quiet_grpc()
    root = Path(args.root)

    from config import ConfigError, parse

    try:
        stack_file = Path(args.stack_file) if args.stack_file else None
        found = read_stack_config(root, args.stack, stack_file)
        previous = read_previous(Path(args.previous), args.stack) if args.previous else None
        out_problem = output_folder_problem(Path(args.out))
        if out_problem:
            raise PlanInputError(f"--out {args.out}: {out_problem}")
        # The stack file's problems and the config's, all at once.
        problems = list(found.problems)
        try:
            waivers = parse(found.config, found.secret_keys).parsed_waivers
        except ConfigError as err:
            problems += [p for p in err.problems if p[0] not in {q for q, _ in problems}]
        if problems:
            raise ConfigError(problems)
        for note in found.notes:
            print(f"warning: {note}", file=sys.stderr)
        run = run_program(root / "__main__.py", found.config, project=found.project, stack=args.stack,
                          secret_keys=found.secret_keys, previous_outputs=previous)
        checked = review(run, waivers)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (StackFileError, PlanInputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ConfigError as err:
        print(err.report(args.stack), file=sys.stderr)
        return 2

    print(f"Offline plan of stack {args.stack} (project {found.project}): {len(run.resources)} resources to create")
    print(f"Region: {stack_region(run) or 'none'} (azure-native:location)\n")
    print("\n".join(render_tree(run)))
    chain = critical_path(run)
    print(f"\nCritical path ({len(chain)} resources one after another):")
    print("\n".join(describe_path(chain, principal_names(run))))
    for warning in run.warnings:
        print(f"\nwarning: {warning}")
    # A violation stops the run with a ConfigError above, before anything is registered.
    # The rules of the platforms the stack runs: a hub's for a hub, a Foundry resource's for its projects.
    platforms = {HUB for r in run.registrations if r.type == WORKSPACE and r.inputs.get("kind") == "Hub"}
    platforms |= {FOUNDRY for r in run.registrations
                  if r.type == PROJECT_ACCOUNT or r.type.endswith(":FoundryResource")}
    checked_rules = [r for r in DEPLOY_RULES if platforms & set(r.platforms)]
    print(f"\nDeploy rules: {len(checked_rules)} checked ({', '.join(r.id for r in checked_rules)}), none violated")
    print(f"\nSecurity baseline: {len(checked.open)} finding(s), "
          f"{len(checked.findings) - len(checked.open)} waived")
    for f in checked.findings:
        status = f"waived ({f.waived})" if f.waived else "FINDING"
        print(f"  {f.rule} {f.resource}: {f.message} [{status}]")
    for w in checked.unused_waivers:
        print(f"  unused waiver for {w.rule}: {w.reason}")
    policies = check_policy_assignments(run)
    print("\n" + "\n".join(policy_lines(policies)))
    print("\nOutputs:")
    for key, value in sorted(run.outputs.items()):
        shown = SECRET_MASK if key in run.secret_outputs else value
        text = json.dumps(shown, indent=4).replace("\n", "\n  ") if isinstance(shown, (dict, list)) else shown
        print(f"  {key}: {text}")
    out = Path(args.out)
    json_path = out / f"plan-{args.stack}.json"
    md_path = out / f"plan-{args.stack}.md"
    try:
        out.mkdir(parents=True, exist_ok=True)
        plan = {**plan_json(run, args.stack, checked), "policySelfCheck": policy_json(policies)}
        json_path.write_text(json.dumps(plan, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        md_path.write_text(markdown(run, args.stack, checked, policies), encoding="utf-8")
    except OSError as err:
        print(f"error: can't write the plan to {out}: {err.strerror or err}", file=sys.stderr)
        return 2
    print(f"\nWrote {json_path} and {md_path}")
    for error in run.errors:
        print(f"\nerror: {error}", file=sys.stderr)
    if policies.errors:
        # Regardless of --strict: Azure itself would refuse these, so the deploy can't succeed.
        print(f"\npolicy: {len(policies.errors)} resource(s) or assignment(s) the stack's own policy assignments "
              "would refuse:", file=sys.stderr)
        for r in policies.errors:
            print(f"  assignment {r.assignment} ({r.policy}, effect {r.effect or '-'}) {r.status}"
                  f"{' ' + r.resource if r.resource else ''}: {r.message}", file=sys.stderr)
    if args.strict and checked.open:
        print(f"\nstrict: {len(checked.open)} baseline finding(s) not waived", file=sys.stderr)
        return 1
    # `pulumi up` fails on an error the program logs, and Azure on a Deny.
    return 1 if policies.errors or run.errors else 0


def close_event_loop() -> None:
    """Finish and close the event loop the Pulumi runtime ran on, as asyncio.run does on its way out.

    Left to the garbage collector at interpreter exit, the loop's __del__ can find its self-pipe
    already closed and print "Exception ignored in: <function BaseEventLoop.__del__ ...>
    ValueError: Invalid file descriptor: -1" after a successful plan.
    """
    import asyncio
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            return
    if loop.is_closed() or loop.is_running():
        return
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


if __name__ == "__main__":
    try:
        status = main()
        close_event_loop()
        sys.exit(status)
    except BrokenPipeError:
        # The reader went away (`make plan | head`). Python docs, "Note on SIGPIPE": point stdout at
        # devnull so the interpreter's flush at exit doesn't print "Exception ignored ... BrokenPipeError".
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)

