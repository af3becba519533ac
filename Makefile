# Two commands do everything on a fresh machine: `make run` (serves http://127.0.0.1:5000/) and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PORT ?= 5000

.PHONY: install index run test lint types bench loadtest clean

$(BIN)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,fast,cluster]'
	touch $@

install: $(BIN)/.installed

# Builds the seed index, updates it when seeds/ changed, and rebuilds one it cannot open (an older version's).
index: install
	$(BIN)/bilingual-search index seeds --index index --rebuild-if-unreadable

run: index
	$(BIN)/bilingual-search search --limit 3 "переговоры о гарантиях безопасности"
	$(BIN)/bilingual-search serve --index index --host 127.0.0.1 --port $(PORT)

lint: install
	$(BIN)/ruff check search web tests bench scripts

types: install
	$(BIN)/mypy

# Lint, types, then every test on every core (pytest-xdist).
test: lint types
	$(BIN)/python -m pytest -n auto

# The benchmarks against the peer engines; PostgreSQL's server comes from Debian (apt-get install postgresql).
bench: install
	$(BIN)/python -m pip install --quiet -e '.[test,fast,bench]'
	$(BIN)/python -m bench

# Load on loopback against a served index (LOADTEST_INDEX, default index/), bounded in time; see bench/loadtest.py.
LOADTEST_INDEX ?= index
loadtest: install
	$(BIN)/python -m bench.loadtest --index $(LOADTEST_INDEX) --concurrency 8 --seconds 60

clean:
	rm -rf $(VENV) index/CURRENT index/gen-* .pytest_cache
