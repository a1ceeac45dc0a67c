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

.PHONY: install runtime web system nginx build validate serve replicas test lint wheel bench compare picture clean

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

# Debian's packages the tests use, installed when missing: Chromium and a CJK font (the browser tests),
# libseccomp (the query workers' network confinement, graph/sandbox.py), Virtuoso Open Source 7 (an engine
# of the same-answers tests, tests/engines.py) and nginx (the replicas, tools/replicas.py)
SUDO = $$( [ "$$(id -u)" = 0 ] || echo sudo )
APT  = $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq
system:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wqy \
	   && ldconfig -p 2>/dev/null | grep -q libseccomp.so.2 \
	   && [ -x /usr/bin/virtuoso-t ] && [ -x /usr/sbin/nginx ]; } || { \
	  $(APT) chromium fonts-wqy-microhei libseccomp2 \
	  && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends virtuoso-opensource nginx; }

nginx:
	@[ -x /usr/sbin/nginx ] || { $(APT) --no-install-recommends nginx; }

build: runtime
	$(BIN)/pakg build

validate: runtime
	$(BIN)/pakg validate

serve: build web
	$(BIN)/pakg serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# N replicas of the service on one on-disk store, behind Debian's nginx (/usr/sbin/nginx) on HOST:PORT
# (127.0.0.1:8080 unless given): make replicas N=2 PORT=8080 HOST=127.0.0.1. The store is built first;
# `$(BIN)/pakg build --store $(STORE)` publishes a new version to the running replicas
N      ?= 2
STORE  ?= data/build/store
replicas: runtime web nginx
	$(BIN)/pakg build --store $(STORE)
	$(BIN)/python tools/replicas.py --store $(STORE) --replicas $(N) $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# lint, format and types first (seconds), then the tests
test: install web system lint
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
	$(BIN)/python bench/replicas_bench.py

# the same answers from two versions (git revisions, or . for the working tree): curated and 100k synthetic data
BASE ?= 934f046
HEAD ?= .
compare: install
	$(BIN)/python bench/compare_answers.py $(BASE) $(HEAD)

picture: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'matplotlib>=3.8'
	$(BIN)/python tools/draw_network.py docs/support-network.png
