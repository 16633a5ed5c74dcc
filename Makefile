# Every workflow of the stack. `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
ENV ?= dev
TAG ?=

.DEFAULT_GOAL := help
.PHONY: help install chromium test lint fmt bench build check image push rollback up smoke plan apply checkov tf-artifacts

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY) chromium ## create .venv with the pinned tools, and a Chromium for the browser tests
	$(PY) -m pip install -q -e ".[dev]"
	@# checkov pins libraries that clash with pytest 9, so it lives in its own venv (pin: the security extra)
	test -x $(CHECKOV_VENV)/bin/python || python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install -q $$($(PY) -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["security"]))')

chromium: ## make sure a Chromium exists (Debian's package, or $$CHROMIUM_PATH)
	@bash .ci/ensure-chromium

test: ## run the whole test suite
	$(PY) -m pytest -q

lint: ## ruff, plus terraform fmt/validate when terraform is installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	@if ! command -v $(TF) >/dev/null; then echo "terraform not installed: fmt/validate skipped"; \
	elif ! $(TF) fmt -check -recursive $(TF_DIR); then echo "terraform fmt: run terraform fmt -recursive $(TF_DIR)" >&2; exit 1; \
	elif [ ! -d $(TF_DIR)/.terraform ]; then echo "terraform validate skipped: $(TF_DIR) is not initialised (terraform -chdir=$(TF_DIR) init -backend-config=backend.hcl)"; \
	else $(TF) -chdir=$(TF_DIR) validate; fi

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
# Space-separated FUNCTION:VAR=VALUE, e.g. make up OVERRIDE=sessions:LOG_LEVEL=INFO
OVERRIDE ?=

# `make install` once per pyproject.toml change, so a second `make up` starts in seconds.
$(VENV)/.installed: pyproject.toml
	$(MAKE) install
	@touch $@

up: $(VENV)/.installed ## the whole stack on 127.0.0.1 from dist/*.zip [OVERRIDE=fn:VAR=value]; open the printed QR demo URL
	$(PY) build.py
	$(PY) -m local $(if $(PORT),--port $(PORT)) $(foreach o,$(OVERRIDE),--override $(o))

smoke: ## post-deploy checks: make smoke API=https://... WS=wss://.../dev (no args: the running make up)
	$(PY) -m local.smoke $(if $(API),--api $(API)) $(if $(WS),--ws $(WS))

# -- Terraform (terraform/) ----------------------------------------------------------------------
TF ?= terraform
TF_DIR := terraform
CHECKOV_VENV ?= .checkov-venv
AUTO_APPROVE ?=
TF_VARS = -var artifacts_dir=$(CURDIR)/dist $(if $(PREFIX),-var name_prefix=$(PREFIX)) $(if $(REGION),-var region=$(REGION)) $(if $(TAG),-var scanner_image_tag=$(TAG))

tf-artifacts:
	@command -v $(TF) >/dev/null || { echo "terraform is not installed (>= 1.6): https://developer.hashicorp.com/terraform/install" >&2; exit 2; }
	@test -f dist/manifest.json || { echo "dist/manifest.json is missing: run make build before make plan/apply" >&2; exit 1; }
	@$(PY) build.py --check || { echo "dist/ is older than the sources: run make build, then plan again" >&2; exit 1; }
	@test -d $(TF_DIR)/.terraform || { echo "$(TF_DIR) is not initialised: cp $(TF_DIR)/backend.hcl.example $(TF_DIR)/backend.hcl, edit it, then terraform -chdir=$(TF_DIR) init -backend-config=backend.hcl" >&2; exit 1; }
	$(TF) -chdir=$(TF_DIR) workspace select -or-create $(ENV)

plan: tf-artifacts ## terraform plan of workspace ENV (dev|staging|prod) with the ZIPs in dist/: make plan ENV=dev
	$(TF) -chdir=$(TF_DIR) plan $(TF_VARS) -out=$(ENV).tfplan

apply: tf-artifacts ## terraform apply of workspace ENV (asks to confirm; AUTO_APPROVE=1 does not): make apply ENV=dev
	$(TF) -chdir=$(TF_DIR) apply $(TF_VARS) $(if $(AUTO_APPROVE),-auto-approve)

checkov: ## security scan of terraform/ (0 failed checks; every skip is inline with its reason)
	@test -x $(CHECKOV_VENV)/bin/checkov || { echo "checkov is not installed: run make install" >&2; exit 2; }
	BC_SKIP_MAPPING=TRUE $(CHECKOV_VENV)/bin/checkov -d $(TF_DIR) --framework terraform --compact --quiet --skip-download
