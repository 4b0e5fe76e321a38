# Two commands for a fresh machine: `make plan` and `make test`.
# Each creates the virtual environment it needs (./venv, as Pulumi.yaml names it).

PYTHON ?= python3
VENV ?= venv
PY := $(VENV)/bin/python
STACK ?= dev
POLICY_VENV := policy/venv

LINT_VENV := .lint-venv
PYTHON_SOURCES := components config.py __main__.py offline baseline policy bench examples provider tests

.PHONY: plan test bench policy-check lint package-check clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

## Render a stack offline (no Azure, no Pulumi CLI): make plan [STACK=dev] [STRICT=1] [PREVIOUS=out/plan-dev.json]
plan: $(VENV)/.installed
	$(PY) -m offline.plan --stack $(STACK) $(if $(STRICT),--strict) $(if $(PREVIOUS),--previous $(PREVIOUS))

## Run the test suite under Pulumi mocks
test: $(VENV)/.installed
	$(PY) -m pytest -q

## Render hubs with 1, 10 and 100 projects and print time and memory per size
bench: $(VENV)/.installed
	$(PY) -m bench.render

# The policy pack has its own environment: pulumi-policy pins an older protobuf.
$(POLICY_VENV)/.installed: policy/requirements.txt
	$(PYTHON) -m venv $(POLICY_VENV)
	$(POLICY_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(POLICY_VENV)/bin/python -m pip install --quiet -r policy/requirements.txt
	@touch $@

## Run the real policy pack over the dev and prod plans
policy-check: $(POLICY_VENV)/.installed $(VENV)/.installed
	$(PY) -m offline.plan --stack dev --out out > /dev/null
	$(PY) -m offline.plan --stack prod --out out > /dev/null
	cd policy && venv/bin/python selftest.py ../out/plan-dev.json
	cd policy && venv/bin/python selftest.py ../out/plan-prod.json

$(LINT_VENV)/.installed: requirements-lint.txt
	$(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/python -m pip install --quiet -r requirements-lint.txt
	@touch $@

## ruff over the code, mypy --strict over the components, and the GitHub workflows linted offline
lint: $(LINT_VENV)/.installed $(VENV)/.installed
	$(LINT_VENV)/bin/ruff check $(PYTHON_SOURCES)
	$(LINT_VENV)/bin/mypy --python-executable $(PY) --strict components
	$(LINT_VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(LINT_VENV)/bin/zizmor --offline .github/workflows

## As a consumer: build the wheel, install it into a fresh environment, import it as azure_ai_hub from elsewhere,
## run the example under the unit-testing guide's mocks, and see mypy catch misused Args
package-check: $(LINT_VENV)/.installed
	rm -rf .package-check && $(PYTHON) -m venv .package-check/venv
	.package-check/venv/bin/python -m pip install --quiet --upgrade pip
	.package-check/venv/bin/python -m pip wheel --quiet --no-deps --wheel-dir .package-check/dist .
	.package-check/venv/bin/python -m pip install --quiet .package-check/dist/azure_ai_hub-*.whl
	cd .package-check && venv/bin/python ../examples/package_check.py $(CURDIR)/$(LINT_VENV)/bin/mypy
	# The example's requirements line installs with pip from the example's folder.
	cd examples/hub-with-project && ../../.package-check/venv/bin/python -m pip install --quiet --dry-run \
		--no-deps --report - -r requirements.txt | grep -q '"name": "azure-ai-hub"'

clean:
	rm -rf $(VENV) $(POLICY_VENV) $(LINT_VENV) .package-check out .pytest_cache
