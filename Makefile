# Two commands for a newcomer: `make run` and `make test` (README.md). Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core; `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto

.PHONY: run test install lint format lock worker beat check-ci clean

# The installer: uv (a wheel from PyPI, ten times faster than pip on a fresh clone) when it installs, else pip.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv || echo "uv unavailable: installing with pip"

INSTALL = if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install --quiet --python $(BIN)/python -r $(1); \
	else $(BIN)/python -m pip install --quiet -r $(1); fi

# `make run` needs the runtime lock only; `make test` adds the development lock. Reinstall when a lock changes.
$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(call INSTALL,requirements/base.txt)
	touch $@

$(VENV)/.installed: requirements/dev.txt | $(BIN)/python
	$(call INSTALL,requirements/dev.txt)
	touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed

run: $(VENV)/.installed-base
	$(BIN)/python manage.py demo --migrate
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a worker and beat for the scheduled jobs (stop with Ctrl-C)"
	PORT=$(PORT) $(BIN)/python scripts/run_all.py

test: install
	$(BIN)/python manage.py compiletranslations
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the lock files from pyproject.toml (with uv, installed into the virtualenv).
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --quiet --python-version 3.11 -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --quiet --python-version 3.11 --extra dev -o requirements/dev.txt

worker: install
	$(BIN)/celery -A halalmsi worker --loglevel=INFO --queues=default,mail,pdf,reports,dashboard

beat: install
	$(BIN)/celery -A halalmsi beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
