# Set-up and everyday commands. `make demo` and `make test` are the two README commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_ALLOW_ASYNC_UNSAFE := true

.PHONY: demo install install-dev assets system-deps migrate demo-data test test-fast lint format messages fullstack clean

## demo: install, create the demo data and serve http://127.0.0.1:8000 on SQLite, with a Celery
## worker and beat beside the web server on kombu's file-system broker (no Redis needed)
DEMO_ENV := CELERY_BROKER_URL=filesystem:// PORT=$(PORT)
demo: install assets
	mkdir -p var/broker/queue var/broker/processed var/broker/control
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(DEMO_ENV) $(BIN)/python manage.py demo_data
	$(DEMO_ENV) $(BIN)/honcho -f Procfile.demo start

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## assets: Bootstrap and icons from the npm registry (exact versions in package-lock.json)
assets: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## system-deps: Debian's Chromium and a CJK font for the browser tests (installed when missing)
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || [ ! -x /usr/bin/pdftoppm ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei gettext poppler-utils; \
	fi

migrate: install
	$(BIN)/python manage.py migrate --noinput -v0

demo-data: migrate
	$(BIN)/python manage.py demo_data

## test: install everything and run the whole suite (SQLite unless DATABASE_URL is exported)
test: install-dev assets system-deps
	$(BIN)/pytest -rs $(PYTEST_ARGS)

## test-fast: everything but the browser tests
test-fast: install-dev
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the Chinese catalogue, then compile it (the .mo is committed)
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location --ignore=node_modules --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=node_modules --ignore=.venv

## fullstack: PostgreSQL + Redis + web on :$(PORT) + Celery worker + beat (see README). honcho
## would otherwise give the web process its own default port, 5000.
fullstack: install assets
	$(BIN)/python manage.py migrate --noinput -v0
	PORT=$(PORT) $(BIN)/honcho start

clean:
	rm -rf $(VENV) node_modules staticfiles
