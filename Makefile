# Every target bootstraps .venv with this repository's test dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=
OUTPUT ?= generated

.PHONY: generate test test-fast lint cookiecutter-json benchmark benchmark-project

$(BIN)/pytest: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

generate: $(BIN)/pytest  ## Generate a project into OUTPUT (ARGS=--no-input for the defaults)
	$(BIN)/cookiecutter . --output-dir "$(OUTPUT)" $(ARGS)

test: $(BIN)/pytest  ## The whole suite: fast tier, then generated projects installed and tested (slow tier)
	$(BIN)/pytest -m "not slow" -n 2
	$(BIN)/pytest -m slow -n 2 --dist worksteal -s

test-fast: $(BIN)/pytest  ## Fast tier only
	$(BIN)/pytest -m "not slow" -n 2

lint: $(BIN)/pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

cookiecutter-json: $(BIN)/pytest  ## Rebuild cookiecutter.json after editing catalog/
	$(BIN)/python -m mlops_template.cookiecutter_json

benchmark: $(BIN)/pytest  ## Time and memory of generation (targets in benchmarks/README.md)
	$(BIN)/python benchmarks/bake.py

benchmark-project: $(BIN)/pytest  ## Generated project: make train, make test, /predict p99 under load (needs wrk)
	$(BIN)/python benchmarks/project.py
