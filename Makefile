# pakg — two commands do all the set-up: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RUNTIME := $(VENV)/.runtime-stamp
# make serve HOST=0.0.0.0 PORT=8080; unset, pakg serve takes PAKG_HOST / PAKG_PORT, else 127.0.0.1:8000
HOST   ?=
PORT   ?=

WEB_STAMP := web/node_modules/.installed-stamp

.PHONY: install runtime web browser build validate serve test lint wheel bench compare picture clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { $(PYTHON) -m pip install --quiet virtualenv && $(PYTHON) -m virtualenv $(VENV); }

# the service's own dependencies (make serve); the test extra only for make test
$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP) $(RUNTIME)

runtime: $(RUNTIME)

install: $(STAMP)

# the explorer's libraries, from the npm registry (served by the API; no CDN at run time)
$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $(WEB_STAMP)

web: $(WEB_STAMP)

# Debian's Chromium and a CJK font for the browser tests, and libseccomp (the query workers' network
# confinement, graph/sandbox.py), installed when missing
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wqy \
	   && ldconfig -p 2>/dev/null | grep -q libseccomp.so.2; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei libseccomp2; }

build: runtime
	$(BIN)/pakg build

validate: runtime
	$(BIN)/pakg validate

serve: build web
	$(BIN)/pakg serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# lint, format and types first (seconds), then the tests
test: install web browser lint
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check graph api pakg
	$(BIN)/ruff format --check graph api pakg
	$(BIN)/mypy

# a wheel that serves the whole product anywhere: the ontology, the data and the explorer's files inside
wheel: web
	$(PYTHON) -m pip wheel --no-deps --quiet -w dist .
	@ls dist/pakg-*.whl

clean:
	rm -rf $(VENV) data/build test-output .pytest_cache web/node_modules build dist

bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'rdflib-endpoint>=0.5'
	$(BIN)/python bench/network_bench.py
	$(BIN)/python bench/engines_bench.py
	$(BIN)/python bench/load_bench.py

# the same answers from two versions (git revisions, or . for the working tree): curated and 100k synthetic data
BASE ?= 934f046
HEAD ?= .
compare: install
	$(BIN)/python bench/compare_answers.py $(BASE) $(HEAD)

picture: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'matplotlib>=3.8'
	$(BIN)/python tools/draw_network.py docs/support-network.png
