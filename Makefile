# Every workflow of the stack. `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
ENV ?= dev
TAG ?=

.DEFAULT_GOAL := help
.PHONY: help install chromium test lint fmt bench build check image push rollback up smoke

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

# -- artifacts (build.py) ------------------------------------------------------------------------
PREFIX ?=
REGION ?=
DRY_RUN ?=
BUILD_AWS = --env $(ENV) $(if $(PREFIX),--prefix $(PREFIX)) $(if $(REGION),--region $(REGION))
NEED_TAG = $(if $(TAG),,$(error TAG is required, e.g. make $@ TAG=v1.2.3))

build: ## reproducible Lambda ZIPs + dist/manifest.json (unchanged ZIPs are not rewritten)
	$(PY) build.py

check: ## exit 1 when dist/ does not match the sources
	$(PY) build.py --check

image: ## build the scanner image pixel-detector:TAG (+ :<git-sha>): make image TAG=v1.2.3
	$(NEED_TAG)$(PY) build.py image --tag $(TAG)

push: ## push pixel-detector:TAG to ECR and set the SSM image tag: make push ENV=prod TAG=v1.2.3
	$(NEED_TAG)$(PY) build.py push $(BUILD_AWS) --tag $(TAG)

rollback: ## pin the scanner to a tag: make rollback ENV=prod TAG=v1.2.3 [DRY_RUN=1]; no TAG lists tags
	$(PY) build.py rollback $(BUILD_AWS) $(if $(TAG),--tag $(TAG)) $(if $(DRY_RUN),--dry-run)

# -- the local stack (local/) --------------------------------------------------------------------
PORT ?=
API ?=
WS ?=

# `make install` once per pyproject.toml change, so a second `make up` starts in seconds.
$(VENV)/.installed: pyproject.toml
	$(MAKE) install
	@touch $@

up: $(VENV)/.installed ## the whole stack on 127.0.0.1 from dist/*.zip; open the printed QR demo URL
	$(PY) build.py
	$(PY) -m local $(if $(PORT),--port $(PORT))

smoke: ## post-deploy checks: make smoke API=https://... WS=wss://.../dev (no args: the running make up)
	$(PY) -m local.smoke $(if $(API),--api $(API)) $(if $(WS),--ws $(WS))
