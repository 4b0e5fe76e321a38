# Two commands for a fresh machine: `make plan` and `make test`.
# Each creates the virtual environment it needs (./venv, as Pulumi.yaml names it).

PYTHON ?= python3
VENV ?= venv
PY := $(VENV)/bin/python
STACK ?= dev

.PHONY: plan test bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

## Render a stack offline (no Azure, no Pulumi CLI): make plan [STACK=dev]
plan: $(VENV)/.installed
	$(PY) -m offline.plan --stack $(STACK)

## Run the test suite under Pulumi mocks
test: $(VENV)/.installed
	$(PY) -m pytest -q

## Render hubs with 1, 10 and 100 projects and print time and memory per size
bench: $(VENV)/.installed
	$(PY) -m bench.render

clean:
	rm -rf $(VENV) out .pytest_cache
