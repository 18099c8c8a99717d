# Two commands matter: `make run` (serve the module) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: run serve test lint screenshots bench soak backup restore mutation

# The venv gets uv, a faster installer than pip (a fresh install's downloads and unpacking run
# in parallel), from PyPI through the venv's own pip: nothing but Python is needed. Where uv
# cannot be had (offline, say), or fails, pip installs the requirements as before.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv \
		|| echo "uv not installed: pip will install the requirements"

# Installs requirements file $(1) with uv when the venv has it, else (or when uv fails) with pip.
# --compile-bytecode as pip does: uv skips it by default, and where PYTHONDONTWRITEBYTECODE is
# set no .pyc is ever written, so every start-up would compile Django and Wagtail again.
install = if test -x $(BIN)/uv && \
		$(BIN)/uv pip install --compile-bytecode --python $(BIN)/python -r $(1); then :; \
	else $(BIN)/python -m pip install --disable-pip-version-check -r $(1); fi

# Stamp files: requirements are reinstalled only when their file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	@echo "Installing requirements into $(VENV) ..."
	$(call install,requirements.txt)
	@touch $@

$(VENV)/.installed-test: requirements-test.txt package.json $(VENV)/.installed
	@echo "Installing test requirements into $(VENV) ..."
	$(call install,requirements-test.txt)
	@# The HTML checker comes from npm and runs on Java; without them its test skips (not in CI).
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
		else echo "npm not found: the HTML validity test will skip"; fi
	@touch $@

# One Django start-up prepares the site (migrate, load the module, admin account, and the
# system checks, which runserver then skips). It serves without the autoreloader, whose parent
# process costs a Django start-up of its own and whose file scan slows the server's start by
# seconds; RELOAD=1 brings it back (restart on code and template edits) for development.
RELOAD ?= 0
run: $(VENV)/.installed
	$(MANAGE) prepare_site --port $(PORT)
	@echo "Serving the module at http://127.0.0.1:$(PORT)/ (admin at /admin/). Ctrl-C stops it."
	@# The scheduler publishes pages whose go-live date has come; it stops with the server. It
	@# starts niced: its once-a-minute work must not slow the server's start-up.
	nice $(MANAGE) run_scheduler & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver --skip-checks $(if $(filter 0,$(RELOAD)),--noreload) 127.0.0.1:$(PORT)

# Production-style: gunicorn + WhiteNoise with production settings, on SQLite unless
# DATABASE_URL / REDIS_URL are set. Plain HTTP on loopback unless HTTPS=true; a throwaway
# SECRET_KEY when none is given (sessions then end with the server). Admin e-mails link to
# this server's port unless HTTPS=true, which needs a real WAGTAILADMIN_BASE_URL.
serve: $(VENV)/.installed
	@export DJANGO_SETTINGS_MODULE=tpmsite.settings.production \
		SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" HTTPS="$${HTTPS:-false}" \
		WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-$$(test "$${HTTPS:-false}" = true || \
			echo http://127.0.0.1:$(PORT))}"; \
	$(MANAGE) prepare_site --collectstatic --no-admin && \
	echo "Serving (gunicorn, production settings) at http://127.0.0.1:$(PORT)/" && \
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py --pythonpath site tpmsite.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $${WEB_CONCURRENCY:-2} --access-logfile -

# Everything editors made, media files included, to one file under backups/ (OUTPUT=path to
# choose). Restore wants an empty database: point DATABASE_URL at a new one, or pass FORCE=1.
backup: $(VENV)/.installed
	$(MANAGE) backup $(if $(OUTPUT),--output "$(OUTPUT)")

restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/tpm-<date>-<time>.tar.gz"; exit 2; }
	$(MANAGE) migrate --noinput
	$(MANAGE) restore "$(FILE)" $(if $(FORCE),--force)

lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=tpmsite.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=tpmsite.settings.test $(MANAGE) makemigrations --check --dry-run

# One pytest worker per core (pytest-xdist); a test file stays on one worker, so a file's
# shared fixtures (the caching stack's servers) are built once. TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= auto
test: lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# The README's screenshots, taken from a running site (start it with `make run` first).
screenshots: $(VENV)/.installed-test
	$(BIN)/python scripts/screenshots.py

# Throughput, latency, render times, query counts and worker memory, written to
# docs/benchmarks.md. Needs PostgreSQL, Redis, wrk, varnishd and nginx on this machine.
bench: $(VENV)/.installed-test
	$(BIN)/python scripts/bench.py

# Five minutes of 64 connections against gunicorn on PostgreSQL + Redis while an editor
# publishes every few seconds (docs/reliability.md). SOAK_SECONDS / SOAK_CONNECTIONS adjust it.
# Worker RSS is sampled every SOAK_SAMPLE_EVERY s (30); memory passes when it grows less than
# SOAK_LATE_LIMIT % (1) over the run's last third. SOAK_SECONDS=1800 tells a plateau from a
# leak; SOAK_TRACEMALLOC=1 prints the allocation sites that grew (scripts/soak_memory.py).
soak: $(VENV)/.installed-test
	$(BIN)/python scripts/soak.py

# Mutation testing (mutmut) of the core modules, each against only the tests that cover it
# (scripts/mutation.py; docs/testing.md). MODULE=roles/visibility.py runs one. Not in `make test`.
mutation: $(VENV)/.installed-test
	$(BIN)/python scripts/mutation.py $(MODULE)
