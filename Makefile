# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: install run test lint clean

$(BIN)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,fast]'
	touch $@

install: $(BIN)/.installed

index/CURRENT: | $(BIN)/.installed
	$(BIN)/bilingual-search index seeds --index index

run: install index/CURRENT
	$(BIN)/bilingual-search search "переговоры о гарантиях безопасности"
	$(BIN)/bilingual-search search "Lavrov Makei NATO"

lint: install
	$(BIN)/ruff check search tests

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) index/CURRENT index/gen-* .pytest_cache
