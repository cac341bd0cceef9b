# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint format install install-dev migrate content demo clean schema

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when pyproject.toml changes, so a second `make run` starts in seconds.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input

content: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_content

demo: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py create_demo_users

run: content demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs in PYTEST_WORKERS processes (pytest-xdist; each has its own test database and
# Redis database, tests/settings.py; the browser tests all go to one of them, tests/conftest.py).
# PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= 2
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Every bench/*.py script, then the results table (var/bench/results.md). Needs PostgreSQL and
# Redis on 127.0.0.1 and wrk (installed here with apt-get when run as root). QUICK=1: small sizes.
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null || \
			{ apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; \
		else echo "make bench needs wrk: run 'apt-get install -y wrk' as root" >&2; exit 1; fi; }
	QUICK=$(QUICK) $(BIN)/python bench/run.py

# The committed OpenAPI contract; tests/portal/test_openapi_contract.py fails when it is stale.
schema: install-dev
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py spectacular --file docs/openapi.yaml --validate

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var artifacts
