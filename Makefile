# Two commands for a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
# The web console (console/): its packages, and its build into console/dist served at /.
CONSOLE_NPM_STAMP := console/node_modules/.installed
CONSOLE_BUILT := console/dist/.built
CONSOLE_SOURCES := $(shell find console/src -type f 2>/dev/null) console/index.html \
	console/vite.config.ts console/package.json console/package-lock.json
# The browser tests drive Debian's Chromium (Playwright's own download is not used).
CHROMIUM := /usr/bin/chromium
CHROMIUM_PACKAGES := chromium fonts-noto-cjk
# docs/audit.md's check of an export with standard tools is run by the tests: it needs jq.
JQ := /usr/bin/jq

.PHONY: install run test lint typecheck pytest clean console chromium jq screenshots

install: $(STAMP) $(NPM_STAMP) $(CONSOLE_BUILT)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The Neo4j Cypher lint runs on node with Neo4j's own Cypher front end.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

$(CONSOLE_NPM_STAMP): console/package.json console/package-lock.json
	cd console && npm ci --no-audit --no-fund --loglevel=error
	touch $(CONSOLE_NPM_STAMP)

$(CONSOLE_BUILT): $(CONSOLE_NPM_STAMP) $(CONSOLE_SOURCES)
	cd console && npm run --silent build
	touch $(CONSOLE_BUILT)

console: $(CONSOLE_BUILT)

# Installs Chromium with apt when it is missing and this runs as root on Debian (as CI
# does); otherwise stops and says the one command to run.
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
		echo "installing Debian's Chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $(CHROMIUM_PACKAGES) >/dev/null; \
	else \
		echo "The browser tests need Debian's Chromium at $(CHROMIUM). Run:"; \
		echo "  sudo apt-get install --no-install-recommends $(CHROMIUM_PACKAGES)"; \
		exit 1; \
	fi

# Installs jq as `chromium` installs Chromium (apt as root on Debian; otherwise says how).
jq:
	@if [ -x $(JQ) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
		echo "installing jq for the audit export tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends jq >/dev/null; \
	else \
		echo "The audit export tests need jq at $(JQ). Run:"; \
		echo "  sudo apt-get install --no-install-recommends jq"; \
		exit 1; \
	fi

# The console's screenshots and measurements in docs/console/ (see docs/console.md).
screenshots: install chromium
	HUB_CONSOLE_SCREENSHOTS=docs/console $(BIN)/pytest -q -s tests/console

# `make run PORT=8001` for another port. The data directory is ./var here (HUB_DATA_DIR).
run: install  # hub serve prints the console's address and how to make the first account
	$(BIN)/hub serve --demo --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo

typecheck: install
	$(BIN)/mypy $(wildcard hub connectors seed schema tests bench)

pytest: install chromium jq
	$(BIN)/pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) node_modules console/node_modules console/dist .mypy_cache .pytest_cache .ruff_cache
