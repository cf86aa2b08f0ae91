# Two commands set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: site test clean serve check bench-serve bench bench-peers

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

# Preview at http://127.0.0.1:8000/ (or under base_url's path), rebuilt and reloaded on every save.
serve: $(STAMP)
	$(BIN)/timeline serve

# Content, every internal link and fragment; warnings are errors, as in CI.
check: $(STAMP)
	$(BIN)/timeline check --strict

# Save-to-reload time of `make serve` on this repository's content (BENCH_SOURCE=DIR for another).
BENCH_SOURCE ?= .
bench-serve: $(STAMP)
	$(BIN)/python bench/serve_reload.py --source $(BENCH_SOURCE)

# Build times at N = 100, 1,000, 10,000 synthetic events (BENCH_NS="100 1000", BENCH_RUNS=5 to choose;
# BENCH_NS=100000 BENCH_RUNS=1 for the large run, never by default: a clean build alone takes minutes).
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Ours beside Hugo and Hugo + Pagefind on the peers' corpus, timed in one run, with peaks and ratios (BENCH_NS, RUNS).
# Pagefind alone, one index against shards: $(BIN)/python bench/search.py --peers ../shared/bench/peers
bench-peers: $(STAMP)
	bash bench/peers.sh

# On every core (pytest-xdist): the suite is over 600 tests, many of them whole builds and browser sessions.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n auto --dist worksteal

clean:
	rm -rf site .site.new-* .site.old-* .timeline-cache $(VENV) node_modules .pytest_cache build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
