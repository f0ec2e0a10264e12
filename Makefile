# The two front doors: `make run` and `make test`. Each sets up everything it needs first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
HTTPS ?=

.PHONY: run test setup setup-dev system-deps system-deps-test clean

$(VENV)/.stamp-run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-run requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

system-deps:
	scripts/system-deps.sh run

system-deps-test:
	scripts/system-deps.sh test

setup: system-deps $(VENV)/.stamp-run

setup-dev: system-deps-test $(VENV)/.stamp-dev

run: setup
	$(FLASK) bootstrap
	HTTPS=$(HTTPS) $(PY) -m server

test: setup-dev
	$(PY) -m pytest -ra --strict-markers $(or $(PYTEST_ARGS),tests)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
