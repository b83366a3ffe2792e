# The two commands: `make run` and `make test`. Both create .venv on first use.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run worker mailbox test lint page-tools migrate seed-demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

## Serve on http://127.0.0.1:5000 with a worker for reminders (SQLite in instance/ unless
## DATABASE_URL is set; the job queue too, unless REDIS_URL is set). Ctrl-C stops both.
run: $(VENV)/.installed
	APP_ENV=development $(BIN)/flask db upgrade
	APP_ENV=development PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho -f Procfile.dev start

## The worker alone (a second one, say, or next to a web server started another way).
worker: $(VENV)/.installed
	APP_ENV=development $(BIN)/huey_consumer manifest.worker.huey --workers 1 --worker-type thread

## A local SMTP server printing every email it gets; run `make run` with MAIL_SERVER=127.0.0.1 MAIL_PORT=8025.
mailbox: $(VENV)/.dev-installed
	$(BIN)/python -m aiosmtpd --nosetuid --listen 127.0.0.1:8025

## The whole suite; TEST_DATABASE_URL=postgresql://... runs it on PostgreSQL.
test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

## The checkers the browser tests run over every page (axe-core, the Nu HTML Checker): the Node
## packages pinned in .ci/package-lock.json. Needs node and npm; the checker also needs java.
## Without them tests/browser/test_page_checks.py skips (and fails under CI=true).
page-tools: .ci/node_modules/.installed

# vnu-jar's install script fetches a Java runtime from elsewhere; the machine's own java is used.
.ci/node_modules/.installed: .ci/package.json .ci/package-lock.json
	npm ci --prefix .ci --ignore-scripts --no-audit --no-fund
	touch $@

migrate: $(VENV)/.installed
	APP_ENV=development $(BIN)/flask db upgrade

## A demo account (demo@example.com / demo-password-123) with a year of history.
seed-demo: migrate
	APP_ENV=development $(BIN)/flask seed-demo

## Throughput and latency under gunicorn; needs DATABASE_URL=postgresql://... (see README).
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
