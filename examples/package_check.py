"""What `make package-check` asserts about the installed package, run with the fresh environment's Python.

    venv/bin/python ../examples/package_check.py <mypy executable>

From a folder outside the repository: the package is imported by its name,
`azure_ai_hub`, from site-packages; the hub-with-project and defaults examples
run under the mocks of Pulumi's unit-testing guide (private-hub-cmk can't: see
tests/components/test_examples.py); mypy, reading the package's `py.typed`, catches the
misused Args of examples/consumer/misuses_args.py and accepts every example.
"""

import importlib.metadata
import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED_ERRORS = [
    # (line, a phrase of mypy's message)
    (13, '"diagnostics" has type "bool"'),
    (20, 'Extra key "role_name" for TypedDict "ProjectMemberArgs"'),
]


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"package check failed: {message}")
    print(f"ok: {message}")


def main(mypy: str) -> None:
    import azure_ai_hub

    location = Path(azure_ai_hub.__file__).resolve()
    check("site-packages" in location.parts, f"azure_ai_hub is imported from the installed wheel ({location.parent})")
    check(importlib.util.find_spec("components") is None, "no top-level `components` package is installed")
    check(azure_ai_hub.__version__ == importlib.metadata.version("azure-ai-hub"),
          f"one version: the module's and the distribution's are both {azure_ai_hub.__version__}")
    check((location.parent / "py.typed").is_file(), "the package ships py.typed")
    files = importlib.metadata.files("azure-ai-hub") or []
    check(any(f.name == "LICENSE" for f in files), "the distribution carries its LICENSE")
    check(set(azure_ai_hub.__all__) >= {"AIHub", "AIProject", "SharedConnection", "PrivateNetwork"},
          "the four components are exported")

    sys.path.insert(0, str(HERE))
    import run_under_mocks

    check(run_under_mocks.main(str(HERE / "hub-with-project"), "aihub:index:AIProject") == 0,
          "the example runs under the unit-testing guide's mocks")
    check(run_under_mocks.main(str(HERE / "defaults")) == 0,
          "the defaults example runs under the unit-testing guide's mocks")

    misuse = HERE / "consumer" / "misuses_args.py"
    result = subprocess.run([mypy, "--python-executable", sys.executable, "--cache-dir", ".mypy_cache",
                             "--no-error-summary", str(misuse)], capture_output=True, text=True)
    print(result.stdout, end="")
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    check(result.returncode == 1, "mypy refuses the misused Args")
    for line, phrase in EXPECTED_ERRORS:
        found = any(f"misuses_args.py:{line}:" in e and phrase in e for e in errors)
        check(found, f"mypy reports line {line}: {phrase}")
    check(len(errors) == len(EXPECTED_ERRORS), f"and nothing else ({len(errors)} errors)")

    # One at a time: each is a `__main__` module.
    for name in ("hub-with-project", "defaults", "private-hub-cmk", "foundry-agents"):
        example = HERE / name / "__main__.py"
        result = subprocess.run([mypy, "--python-executable", sys.executable, "--cache-dir", ".mypy_cache",
                                 str(example)], capture_output=True, text=True)
        print(result.stdout, end="")
        check(result.returncode == 0, f"mypy accepts the example {name}")


if __name__ == "__main__":
    main(sys.argv[1])
