# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make demo   - installs into .venv and runs the scripted demo on the embedded defaults
#   make test   - installs into .venv and runs the test suite (SQLite; PostgreSQL too when
#                 REVIEWBOT_TEST_DATABASE_URL is set, as .ci/run does)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench install sandbox

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
	@echo "Installed. The reviewbot command is $(BIN)/reviewbot (it is not on your PATH):"
	@echo "  run it as $(BIN)/reviewbot --help, or first: . $(BIN)/activate"

demo: $(VENV)/.installed
	$(BIN)/reviewbot demo
	@echo "The reviewbot command is $(BIN)/reviewbot (not on your PATH; or first: . $(BIN)/activate)."

test: $(VENV)/.installed
	@rc=0; $(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treated as a failure" >&2; exit 1; fi; exit $$rc

lint: $(VENV)/.installed
	$(BIN)/ruff check bot tests benchmarks migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks

sandbox: $(VENV)/.installed
	$(BIN)/reviewbot sandbox --port $(or $(PORT),8080)
