# Two commands for a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: install run test lint typecheck pytest clean

install: $(STAMP) $(NPM_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The Neo4j Cypher lint runs on node with Neo4j's own Cypher front end.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

# `make run PORT=8001` for another port. The data directory is ./var here (HUB_DATA_DIR).
run: install
	$(BIN)/hub serve --demo --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy $(wildcard hub connectors seed schema tests bench)

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) node_modules .mypy_cache .pytest_cache .ruff_cache
