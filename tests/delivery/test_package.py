"""The package as pyproject.toml builds it: its import name, typing marker, one version, licence.

`make package-check` builds the wheel and installs it into a fresh environment;
these are the fast checks of what it is built from.
"""

import ast
import tomllib

from harness import ROOT

import components
from components._version import __version__

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_installed_under_a_distinctive_name_from_the_components_folder():
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert setuptools["packages"] == ["azure_ai_hub"]
    assert setuptools["package-dir"] == {"azure_ai_hub": "components"}
    assert setuptools["package-data"] == {"azure_ai_hub": ["py.typed"]}
    assert (ROOT / "components" / "py.typed").is_file()


def test_components_import_each_other_relatively():
    # Installed as azure_ai_hub, an absolute `components.x` import would fail.
    absolute = []
    for module in sorted((ROOT / "components").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("components"):
                absolute.append(f"{module.name}: from {node.module}")
            if isinstance(node, ast.Import) and any(a.name.startswith("components") for a in node.names):
                absolute.append(f"{module.name}: import components")
    assert absolute == []


def test_one_version():
    assert PYPROJECT["project"]["dynamic"] == ["version"] and "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "azure_ai_hub._version.__version__"}
    assert components.__version__ == __version__
    assert "VERSION = " not in (ROOT / "provider" / "__main__.py").read_text()


def test_apache_license_matches_pyproject():
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text


def test_example_requirements_install_the_package_from_its_folder():
    lines = [line.strip() for line in (ROOT / "examples" / "hub-with-project" / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines == ["../.."]
    assert ((ROOT / "examples" / "hub-with-project" / lines[0]).resolve() / "pyproject.toml").is_file()
