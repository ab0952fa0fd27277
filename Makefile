# vnkg: `make run` builds the sample corpus into output/, `make test` runs the suite.
# Both set up the virtual environment on a fresh machine first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup system-deps wheel clean

setup: $(STAMP)

$(STAMP): pyproject.toml kg/serve/web/package-lock.json kg/viz/web/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(BIN)/pip install --quiet -e '.[dev,viz]'
	cd kg/serve/web && npm ci --no-audit --no-fund --loglevel=error
	cd kg/viz/web && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/pip install --quiet -e '.[spark]'
	$(BIN)/python -m compileall -q kg
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg build data/articles --out output

# The suite drives a browser, Virtuoso and Spark for real: their Debian packages are installed
# first (as root or with sudo; otherwise this stops and prints the command to run).
test: $(STAMP) system-deps
	$(BIN)/pytest -q

system-deps:
	@bash scripts/install-system-deps.sh

# The installable package: ontology/, queries/ and the built web assets inside, no npm needed to install it.
wheel: $(STAMP)
	$(BIN)/pip wheel --no-deps --quiet -w dist .

clean:
	rm -rf $(VENV) .pytest_cache build dist
