# vnkg: `make run` builds the sample corpus into output/, `make test` runs the suite.
# Both set up the virtual environment on a fresh machine first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml kg/serve/web/package-lock.json kg/viz/web/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(BIN)/pip install --quiet -e '.[dev,viz]'
	cd kg/serve/web && npm ci --no-audit --no-fund --loglevel=error
	cd kg/viz/web && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/pip install --quiet -e '.[spark]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kg build data/articles --out output

test: $(STAMP)
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .pytest_cache
