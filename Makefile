# Two commands set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: site test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Test tools from the npm registry, pinned by package-lock.json (the Nu HTML checker).
$(NODE_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $(NODE_STAMP)

site: $(STAMP)
	$(BIN)/timeline build

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf site .site.new-* .site.old-* $(VENV) node_modules .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
