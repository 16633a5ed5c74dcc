# Every workflow of the stack. `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
ENV ?= dev
TAG ?=

.DEFAULT_GOAL := help
.PHONY: help install chromium test lint fmt bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY) chromium ## create .venv with the pinned tools, and a Chromium for the browser tests
	$(PY) -m pip install -q -e ".[dev]"

chromium: ## make sure a Chromium exists (Debian's package, or $$CHROMIUM_PATH)
	@bash .ci/ensure-chromium

test: ## run the whole test suite
	$(PY) -m pytest -q

lint: ## ruff, plus terraform fmt/validate when terraform is installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: ## format Python
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: ## print the benchmarks (numbers, never assertions)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done
