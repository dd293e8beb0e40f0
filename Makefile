# microcred: `make demo` runs the walk-through, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test lint typecheck unit bench interop-deps system-deps clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m microcred.cli.demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks conftest.py
	$(BIN)/ruff format --check src tests benchmarks conftest.py

typecheck: $(STAMP)
	MICROCRED_ENV=test $(BIN)/mypy

# The independent Node verifier from ../shared/interop, installed from the npm registry
# (exact versions from its package-lock.json) when node is present; tests skip it otherwise.
interop-deps:
	@if command -v node >/dev/null && command -v npm >/dev/null && [ -d $(SHARED)/interop ]; then \
	  if [ ! -d build/interop/node_modules ]; then \
	    rm -rf build/interop && mkdir -p build && cp -r $(SHARED)/interop build/interop && \
	    chmod -R u+w build/interop && \
	    (cd build/interop && npm ci --no-audit --no-fund --loglevel=error); \
	  fi; \
	fi

# Debian packages from apt-packages.txt (chromium for the page tests), installed when missing.
system-deps:
	@missing=$$(for p in $$(grep -v '^#' apt-packages.txt); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing $$missing (apt)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "please install: sudo apt-get install -y $$missing"; fi; \
	fi

# Every test on SQLite; then the storage tests again on PostgreSQL when CI (.ci/run) names one.
unit: $(STAMP) interop-deps system-deps
	$(BIN)/python -m pytest -n 2 --dist loadgroup
	@if [ -n "$$MICROCRED_TEST_DATABASE_URL" ]; then \
	  echo "storage tests on PostgreSQL ($$MICROCRED_TEST_DATABASE_URL)"; \
	  MICROCRED_DATABASE_URL="$$MICROCRED_TEST_DATABASE_URL" $(BIN)/python -m pytest -n 2 -m storage; \
	fi

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_proofs.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
