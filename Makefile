# Two commands for a fresh machine: `make plan` and `make test`.
# Each creates the virtual environment it needs (./venv, as Pulumi.yaml names it).

PYTHON ?= python3
VENV ?= venv
PY := $(VENV)/bin/python
STACK ?= dev
POLICY_VENV := policy/venv

.PHONY: plan test bench policy-check clean

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

clean:
	rm -rf $(VENV) $(POLICY_VENV) out .pytest_cache
