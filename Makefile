# Every target does its own set-up: a virtual environment with the Python packages, the npm
# packages of web/, and Debian's chromium for the browser tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := web/node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test bench lint chromium

serve: $(PY_STAMP)
	$(BIN)/trialgraph serve --host $(HOST) --port $(PORT)

test: $(PY_STAMP) $(NPM_STAMP) chromium
	$(BIN)/python -m pytest

bench: $(PY_STAMP)
	$(BIN)/python -m bench

lint: $(PY_STAMP)
	$(BIN)/ruff check graph schema server tests bench
	$(BIN)/ruff format --check graph schema server tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(NPM_STAMP): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
