# Portfolio dashboard: common tasks.  `make` runs the tests and the linters.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: default run test lint fix browser bench build clean

default: test

# Create the virtual environment and install pinned dependencies (once).
$(BIN)/activate: requirements.txt requirements-dev.txt requirements-nodeps.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.txt
	touch $(BIN)/activate

# Set up, build the bundled portfolio and start the app on http://localhost:$(PORT)
# (`python dashboard.py` = `streamlit run dashboard.py` + the pages/ shim, see
# src/widgets/routing.py).
run: $(BIN)/activate
	$(BIN)/python -m src.cli build
	$(BIN)/python dashboard.py --server.port $(PORT) --browser.gatherUsageStats false

# Set up, lint, and run the whole test suite (unit, AppTest, browser) on every
# core (pytest-xdist; TEST_WORKERS=0 runs it in one process). A test file stays
# on one worker, so its module fixtures are built once, and the browser tests
# all on one (tests/conftest.py).
TEST_WORKERS ?= auto
test: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest --doctest-modules -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder src tests

# Lint only.
lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Apply ruff's fixes and formatting.
fix: $(BIN)/activate
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Only the real-browser test (needs Debian's chromium).
browser: $(BIN)/activate
	$(BIN)/python -m pytest -m browser tests/browser

# Print the benchmark figures (see README "Performance").
bench: $(BIN)/activate
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_iati_parse.py
	$(BIN)/python benchmarks/bench_engine.py

build: $(BIN)/activate
	$(BIN)/python -m src.cli build

clean:
	rm -rf var/cache .pytest_cache .ruff_cache
