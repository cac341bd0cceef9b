# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint format install install-dev migrate content demo clean

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

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install-dev
	@set -e; for script in bench/*.py; do \
		[ -e "$$script" ] || { echo "no benchmarks yet (see bench/README.md)"; break; }; \
		$(BIN)/python "$$script"; \
	done

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var artifacts
