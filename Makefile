# Doorstep: `make demo` runs the demo landlord on this machine, `make test` runs every test.
# Needs Python 3.11+, Node.js 20+ and npm; nothing else (no PostgreSQL, no Redis) for the demo.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

# Stamps: a second `make` skips what is already done, and redoes it when its inputs change.
PY_STAMP := $(VENV)/.doorstep-installed
NODE_STAMP := node_modules/.doorstep-installed
CSS := static/build/doorstep.css

.PHONY: help install demo test lint bench requirements clean

help:
	@echo "make demo          run the demo landlord at http://localhost:$(PORT)/ (PORT=... to change)"
	@echo "make test          run the whole test suite"
	@echo "make lint          ruff check"
	@echo "make bench         run the benchmarks in bench/"
	@echo "make install       create .venv, install Python and npm packages, build the CSS"
	@echo "make requirements  recompile requirements/base.txt and dev.txt from pyproject.toml"
	@echo "make clean         remove .venv, node_modules, built CSS, collected static files and var/"

install: $(PY_STAMP) $(NODE_STAMP) $(CSS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# uv comes from its own hashed file; it then installs the pinned, hashed development set. Not
# `uv pip sync`: that would remove uv itself, which is not in dev.txt.
$(PY_STAMP): requirements/tools.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/tools.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements/dev.txt
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(CSS): $(NODE_STAMP) $(wildcard static/scss/*.scss)
	npm run build

# The demo: SQLite and a file-system Celery broker under var/, DEBUG off, static files served by
# WhiteNoise from staticfiles/. Staff need no second factor, and every page says it is a demo.
demo: export DOORSTEP_DEMO := true
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@# Each app may add its own demo data with a `load_demo_<app>` command, run after the landlord's
	@# in the order of INSTALLED_APPS.
	@for command in $$($(BIN)/python manage.py demo_loaders); do \
		echo "$(BIN)/python manage.py $$command"; $(BIN)/python manage.py "$$command"; \
	done
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	scripts/run-demo

test: install
	$(BIN)/pytest -n auto --durations=10 tests

lint: $(PY_STAMP)
	$(BIN)/ruff check .

bench: install
	@shopt -s nullglob; scripts=(bench/*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmarks in bench/"; fi; \
	for script in "$${scripts[@]}"; do echo "== $$script"; $(BIN)/python "$$script"; done

# Recompiled exactly as they were made (see each file's first lines); uv keeps existing pins.
requirements: $(PY_STAMP)
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --quiet --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules static/build staticfiles var .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
