# The two commands of the README, and the steps they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-browser lint format migrate load static clean bench loadtest

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 13), f"Python 3.13 is needed, not {sys.version.split()[0]}"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# A development .env: a fresh random key and DEBUG on. Never used by the tests.
.env:
	@echo "Writing a development .env (DEBUG on, random SECRET_KEY)"
	@printf 'DEBUG=on\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

migrate: install .env
	$(BIN)/python manage.py migrate --noinput

# Loads fixtures/ into an empty or unedited database only: never over an editor's changes.
load: migrate
	$(BIN)/python manage.py load_content

static: install .env
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: load static
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	tests/setup.sh
	ENV_FILE= SECRET_KEY=makemigrations-check-only-0123456789abcdef-0123456789abcdef \
		$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Throughput and latency under gunicorn with production settings (see bench/run.py),
# over demo content of ROUTES routes: `make bench ROUTES=10000`.
ROUTES ?= 1000
bench: install
	$(BIN)/python bench/run.py --routes $(ROUTES)

# 64 connections for 60 s over the main pages: zero errors, memory steady (bench/loadtest.py).
loadtest: install
	$(BIN)/python bench/loadtest.py

# Only the browser tests (Chromium, axe-core, the Nu HTML Checker); screenshots in screenshots/.
test-browser: install
	tests/setup.sh
	$(BIN)/pytest -m browser

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
