# Two commands matter: `make run` (serve the module) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: run test lint screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: requirements are reinstalled only when their file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	@echo "Installing requirements into $(VENV) ..."
	$(BIN)/pip install --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements-test.txt package.json $(VENV)/.installed
	@echo "Installing test requirements into $(VENV) ..."
	$(BIN)/pip install --disable-pip-version-check -r requirements-test.txt
	@# The HTML checker comes from npm and runs on Java; without them its test skips (not in CI).
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
		else echo "npm not found: the HTML validity test will skip"; fi
	@touch $@

run: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) load_module
	$(MANAGE) ensure_admin
	@echo "Serving the module at http://127.0.0.1:$(PORT)/ (admin at /admin/). Ctrl-C stops it."
	@# The scheduler publishes pages whose go-live date has come; it stops with the server.
	$(MANAGE) run_scheduler & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=tpmsite.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=tpmsite.settings.test $(MANAGE) makemigrations --check --dry-run

test: lint
	$(BIN)/pytest

# The README's screenshots, taken from a running site (start it with `make run` first).
screenshots: $(VENV)/.installed-test
	$(BIN)/python scripts/screenshots.py
