# Two commands for a fresh machine: `make plan` and `make test`.
# Each creates the virtual environment it needs (./venv, as Pulumi.yaml names it).

PYTHON ?= python3
VENV ?= venv
PY := $(VENV)/bin/python
STACK ?= dev
POLICY_VENV := policy/venv

LINT_VENV := .lint-venv
# The real Mermaid parser (npm), for tests/stack/test_diagram.py: exact versions and integrity hashes
# from package-lock.json; no install scripts run.
MERMAID := tools/mermaid
PYTHON_SOURCES := components config __main__.py offline baseline azpolicy policy bench examples provider tests \
	tools/refdocs.py

.PHONY: plan test bench docs policy-check policy-config lint package-check lock clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

## Render a stack offline (no Azure, no Pulumi CLI): make plan [STACK=dev] [STRICT=1] [PREVIOUS=out/plan-dev.json]
plan: $(VENV)/.installed
	$(PY) -m offline.plan --stack $(STACK) $(if $(STRICT),--strict) $(if $(PREVIOUS),--previous $(PREVIOUS))

$(MERMAID)/node_modules/.installed: $(MERMAID)/package.json $(MERMAID)/package-lock.json
	cd $(MERMAID) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

## Run the test suite under Pulumi mocks (the policy pack's tests run the pack in its own environment, the plan's
## diagrams go through the real Mermaid parser)
test: $(VENV)/.installed $(POLICY_VENV)/.installed $(MERMAID)/node_modules/.installed
	$(PY) -m pytest -q

## Write the reference generated from the code into docs/: the stack config (the config package), the components (the
## hosted schema), the rules, and the stack file's JSON Schema. tests/delivery/test_docs.py fails when they are stale.
docs: $(VENV)/.installed
	$(PY) tools/refdocs.py --out docs

## Render hubs with 1, 10 and 100 projects and print time and memory per size
bench: $(VENV)/.installed
	$(PY) -m bench.render

# The policy pack has its own environment: pulumi-policy pins an older protobuf. Its checks
# (tests/pack_analyzer.py) add a JSON Schema validator to what the pack needs.
$(POLICY_VENV)/.installed: policy/requirements.txt tests/requirements-policy.txt
	$(PYTHON) -m venv $(POLICY_VENV)
	$(POLICY_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(POLICY_VENV)/bin/python -m pip install --quiet -r tests/requirements-policy.txt
	@touch $@

## Write a stack's waivers as the policy pack's config: make policy-config [STACK=dev] -> out/policy-config-<stack>.json
policy-config: $(VENV)/.installed
	$(PY) -m baseline.pack_config --stack $(STACK) --out out

## Run the real policy pack (a copy of its folder, started as the Pulumi CLI starts it) over the dev and prod plans
policy-check: $(POLICY_VENV)/.installed $(VENV)/.installed
	$(PY) -m offline.plan --stack dev --out out > /dev/null
	$(PY) -m offline.plan --stack prod --out out > /dev/null
	$(PY) -m baseline.pack_config --stack dev --out out > /dev/null
	$(PY) -m baseline.pack_config --stack prod --out out > /dev/null
	$(POLICY_VENV)/bin/python tests/pack_analyzer.py out/plan-dev.json --config out/policy-config-dev.json
	$(POLICY_VENV)/bin/python tests/pack_analyzer.py out/plan-prod.json --config out/policy-config-prod.json

$(LINT_VENV)/.installed: requirements-lint.txt
	$(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/python -m pip install --quiet -r requirements-lint.txt
	@touch $@

## ruff over the code, mypy --strict over the components, the stack config, the baseline, the Azure Policy
## evaluator and the offline engine and plan, and the GitHub workflows linted offline
lint: $(LINT_VENV)/.installed $(VENV)/.installed
	$(LINT_VENV)/bin/ruff check $(PYTHON_SOURCES)
	$(LINT_VENV)/bin/mypy --python-executable $(PY) --strict components config baseline azpolicy offline
	$(LINT_VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(LINT_VENV)/bin/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(LINT_VENV)/bin/zizmor --offline .github

# pip-compile options of both locks: exact versions with every file's sha256, pip and
# setuptools included (--allow-unsafe), nothing of this machine's pip configuration
# (indexes, find-links) written into them.
LOCK := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(abspath $(LINT_VENV))/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

## Re-resolve the hash-pinned locks deploys install from (needs PyPI); after any change to a requirements file
lock: $(LINT_VENV)/.installed
	$(LOCK) --output-file requirements.lock requirements.txt
	cd policy && $(LOCK) --output-file requirements.lock requirements.txt

## As a consumer: build the wheel, install it into a fresh environment, import it as azure_ai_hub from elsewhere,
## run the example under the unit-testing guide's mocks, and see mypy catch misused Args
package-check: $(LINT_VENV)/.installed
	rm -rf .package-check build *.egg-info && $(PYTHON) -m venv .package-check/venv
	.package-check/venv/bin/python -m pip install --quiet --upgrade pip
	.package-check/venv/bin/python -m pip wheel --quiet --no-deps --wheel-dir .package-check/dist .
	.package-check/venv/bin/python -m pip install --quiet .package-check/dist/azure_ai_hub-*.whl
	cd .package-check && venv/bin/python ../examples/package_check.py $(CURDIR)/$(LINT_VENV)/bin/mypy
	# The example's requirements line installs with pip from the example's folder.
	cd examples/hub-with-project && ../../.package-check/venv/bin/python -m pip install --quiet --dry-run \
		--no-deps --report - -r requirements.txt | grep -q '"name": "azure-ai-hub"'

clean:
	rm -rf $(VENV) $(POLICY_VENV) $(LINT_VENV) .package-check out .pytest_cache build *.egg-info $(MERMAID)/node_modules
