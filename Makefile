# WPW — two commands: `make run` (app with demo data) and `make test` (everything).
# Both work on a fresh Debian machine with Python 3.11+; `make test` as root also
# installs Debian's chromium when it is missing. No browser is ever downloaded.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app

.PHONY: chromium run test lint translations extract-messages test-postgres clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d wpw/translations

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k translated_pattern -o wpw/translations/messages.pot --no-location --sort-output wpw templates templates/_macros
	$(BIN)/pybabel update -i wpw/translations/messages.pot -d wpw/translations --no-fuzzy-matching --ignore-obsolete

run: $(VENV)/.installed translations
	$(BIN)/flask wpw init
	if $(BIN)/flask wpw is-empty; then $(BIN)/flask wpw demo; fi
	$(BIN)/flask run --host 127.0.0.1 --port 5000

chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (the browser tests will fail without it)."; \
	  fi; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

# The SQLite suite (browser tests included) and the PostgreSQL run go side by side;
# the PostgreSQL output is shown when both have finished.
test: $(VENV)/.installed-dev node_modules/.installed translations chromium lint
	@log="$$(mktemp)"; \
	$(MAKE) --no-print-directory test-postgres >"$$log" 2>&1 & pg=$$!; \
	$(BIN)/python -m pytest; sqlite=$$?; \
	wait $$pg; postgres=$$?; \
	echo "----- PostgreSQL run -----"; cat "$$log"; rm -f "$$log"; \
	echo "SQLite suite exit $$sqlite, PostgreSQL suite exit $$postgres"; \
	test $$sqlite -eq 0 && test $$postgres -eq 0

# The suite (less the browser tests, which add nothing database-specific) on
# PostgreSQL: a throwaway local database made by .ci/postgres.sh, or the one named
# by WPW_TEST_DATABASE_URL. Every test empties that database.
test-postgres: $(VENV)/.installed-dev translations
	@url="$${WPW_TEST_DATABASE_URL:-$$(bash .ci/postgres.sh)}" && \
	  echo "PostgreSQL run on $${url%%@*}@…" && \
	  WPW_TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest -m "not browser" -q

clean:
	rm -rf $(VENV) node_modules
