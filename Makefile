# The two commands of the README: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCALE_PO := $(wildcard src/waardig/locale/*/LC_MESSAGES/django.po)
LOCALE_MO := $(LOCALE_PO:.po=.mo)

.PHONY: demo test setup serve lint format messages clean

demo: setup
	$(BIN)/waardig demo

test: setup
	scripts/test

setup: $(VENV)/.installed node_modules/.installed $(LOCALE_MO)

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

%.mo: %.po
	msgfmt --check -o $@ $<

serve: setup
	$(BIN)/waardig serve

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format:
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Refresh the translation catalogues after changing user-facing text.
messages:
	cd src/waardig && ../../$(BIN)/django-admin makemessages -l en --no-obsolete --settings=waardig.settings

clean:
	rm -rf $(VENV) node_modules var/static
