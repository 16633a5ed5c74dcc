# Every workflow of the stack. `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
ENV ?= dev
TAG ?=
FUNCTION ?=
VERSION ?=

.DEFAULT_GOAL := help
.PHONY: help install chromium test lint fmt bench cost perf-aws build check image push rollback up smoke init validate plan apply deploy deploy-tag destroy checkov tf-installed tf-artifacts

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

lint: ## ruff, bandit (0 high findings in handlers/), pip-audit of the dev pins, terraform fmt + validate
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m bandit -c pyproject.toml -r handlers -q --severity-level high && echo "bandit: no high-severity finding in handlers/"
	$(PY) -m buildtools.audit
	@if ! command -v $(TF) >/dev/null; then echo "terraform not installed: fmt/validate skipped"; \
	elif ! $(TF) fmt -check -recursive $(TF_DIR); then echo "terraform fmt: run terraform fmt -recursive $(TF_DIR)" >&2; exit 1; \
	else $(MAKE) --no-print-directory validate; fi

fmt: ## format Python
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: ## print the benchmarks (numbers, never assertions)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

PROFILE ?= medium
cost: ## monthly AWS estimate per service: make cost ENV=prod [PROFILE=small|medium|large]
	@$(PY) -m buildtools.cost --env $(ENV) --profile $(PROFILE)

N ?= 20
PARALLEL ?= 1
perf-aws: ## cold/warm p50/p95 of each deployed function from its REPORT lines: make perf-aws ENV=dev [N=20] [PARALLEL=5]
	@$(PY) -m buildtools.aws_performance --env $(ENV) --region $(REGION) $(if $(PREFIX),--prefix $(PREFIX)) -n $(N) --parallel $(PARALLEL)

# -- artifacts (build.py) ------------------------------------------------------------------------
PREFIX ?=
# One region for Terraform and build.py alike: REGION=, else the AWS CLI's, else eu-west-1.
REGION ?= $(or $(AWS_REGION),$(AWS_DEFAULT_REGION),eu-west-1)
DRY_RUN ?=
BUILD_AWS = --env $(ENV) $(if $(PREFIX),--prefix $(PREFIX)) --region $(REGION)
NEED_TAG = $(if $(TAG),,$(error TAG is required, e.g. make $@ TAG=v1.2.3))

build: ## reproducible Lambda ZIPs + dist/manifest.json (unchanged ZIPs are not rewritten)
	$(PY) build.py

check: ## exit 1 when dist/ does not match the sources
	$(PY) build.py --check

image: ## build the scanner image pixel-detector:TAG (+ :<git-sha>): make image TAG=v1.2.3
	$(NEED_TAG)$(PY) build.py image --tag $(TAG)

push: ## push pixel-detector:TAG to ECR and set the SSM image tag: make push ENV=prod TAG=v1.2.3
	$(NEED_TAG)$(PY) build.py push $(BUILD_AWS) --tag $(TAG)

rollback: ## instant rollback: make rollback ENV=prod TAG=v1.2.3 (scanner) or FUNCTION=qr-upload-http-api [VERSION=N]; alone it lists tags and versions [DRY_RUN=1]
	$(PY) build.py rollback $(BUILD_AWS) $(if $(TAG),--tag $(TAG)) $(if $(FUNCTION),--function $(FUNCTION)) $(if $(VERSION),--version $(VERSION)) $(if $(DRY_RUN),--dry-run)

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
	$(PY) -m smoke $(if $(API),--api $(API)) $(if $(WS),--ws $(WS))

# -- Terraform (terraform/) ----------------------------------------------------------------------
TF ?= terraform
TF_DIR := terraform
CHECKOV_VENV ?= .checkov-venv
AUTO_APPROVE ?=
# Every terraform command goes through buildtools/terraform.py: with a local provider mirror
# (TF_PROVIDER_MIRROR, Terraform's plugin directories, or one on this machine) it installs from
# there and never downloads; without one, the registry as usual.
TERRAFORM = $(PY) -m buildtools.terraform --bin $(TF) run
# terraform/<env>.tfvars, when it exists, holds that environment's variables (account_id,
# lambda_concurrency_limit, static_site, ...). artifacts_dir stays ../dist, relative, so the
# state does not depend on where the checkout lives.
TF_VARS = $(if $(wildcard $(TF_DIR)/$(ENV).tfvars),-var-file=$(ENV).tfvars) $(if $(PREFIX),-var name_prefix=$(PREFIX)) -var region=$(REGION)
# What has to exist before the scanner function can: its image repository and SSM parameters.
BOOTSTRAP = -target=terraform_data.workspace_guard -target=module.ecr -target=aws_ssm_parameter.scanner_image_tag -target=aws_ssm_parameter.scanner_api_key

tf-installed:
	@command -v $(TF) >/dev/null || { echo "terraform is not installed (>= 1.6): https://developer.hashicorp.com/terraform/install" >&2; exit 2; }

tf-artifacts: tf-installed
	@test -f dist/manifest.json || { echo "dist/manifest.json is missing: run make build before make plan/apply" >&2; exit 1; }
	@$(PY) build.py --check || { echo "dist/ is older than the sources: run make build, then plan again" >&2; exit 1; }
	@test -f $(TF_DIR)/.terraform/terraform.tfstate || { echo "$(TF_DIR) is not initialised: cp $(TF_DIR)/backend.hcl.example $(TF_DIR)/backend.hcl, edit it, then make init" >&2; exit 1; }
	$(TERRAFORM) -chdir=$(TF_DIR) workspace select -or-create $(ENV)

init: tf-installed ## terraform init with the S3 backend of terraform/backend.hcl (from backend.hcl.example)
	@test -f $(TF_DIR)/backend.hcl || { echo "$(TF_DIR)/backend.hcl is missing: cp $(TF_DIR)/backend.hcl.example $(TF_DIR)/backend.hcl and set bucket and region" >&2; exit 1; }
	$(TERRAFORM) -chdir=$(TF_DIR) init -input=false -backend-config=backend.hcl

validate: ## terraform init -backend=false + validate on a scratch copy (skipped without terraform)
	@if ! command -v $(TF) >/dev/null; then echo "terraform not installed: validate skipped"; \
	else $(PY) -m buildtools.terraform --bin $(TF) validate $(TF_DIR); fi

# Applies $(TF_DIR)/$(ENV).tfplan, asking first unless AUTO_APPROVE=1; the plan is used up either way.
define apply_saved_plan
	@test -f $(TF_DIR)/$(ENV).tfplan || { echo "no saved plan for $(ENV): run make plan ENV=$(ENV) first" >&2; exit 1; }
	@if [ -z "$(AUTO_APPROVE)" ]; then \
	  read -r -p "Apply $(TF_DIR)/$(ENV).tfplan (shown above) to $(ENV)? Only 'yes' applies: " answer; \
	  [ "$$answer" = yes ] || { echo "not applied; make apply ENV=$(ENV) applies it later" >&2; exit 1; }; fi
	@$(TERRAFORM) -chdir=$(TF_DIR) apply -input=false $(ENV).tfplan; status=$$?; rm -f $(TF_DIR)/$(ENV).tfplan; exit $$status
endef

plan: tf-artifacts ## terraform plan of workspace ENV (dev|staging|prod), saved for make apply: make plan ENV=dev
	$(TERRAFORM) -chdir=$(TF_DIR) plan -input=false $(TF_VARS) -out=$(ENV).tfplan

apply: tf-artifacts ## apply the plan make plan saved (asks first; AUTO_APPROVE=1 does not): make apply ENV=dev
	$(apply_saved_plan)

deploy-tag:
	@test -n "$(TAG)" || { echo "TAG is required: make deploy ENV=$(ENV) TAG=v1.0.0" >&2; exit 2; }

deploy: deploy-tag tf-artifacts ## first deploy of ENV in one command, safe to re-run after a failure: make deploy ENV=dev TAG=v1.0.0
	$(TERRAFORM) -chdir=$(TF_DIR) apply -input=false -auto-approve $(TF_VARS) $(BOOTSTRAP)
	$(PY) build.py release $(BUILD_AWS) --tag $(TAG)
	$(TERRAFORM) -chdir=$(TF_DIR) plan -input=false $(TF_VARS) -out=$(ENV).tfplan
	$(apply_saved_plan)

destroy: tf-artifacts ## terraform destroy of workspace ENV (asks first; AUTO_APPROVE=1 does not)
	$(TERRAFORM) -chdir=$(TF_DIR) destroy -input=false $(TF_VARS) $(if $(AUTO_APPROVE),-auto-approve)

checkov: ## security scan of terraform/ (0 failed checks; every skip is inline with its reason)
	@test -x $(CHECKOV_VENV)/bin/checkov || { echo "checkov is not installed: run make install" >&2; exit 2; }
	BC_SKIP_MAPPING=TRUE $(CHECKOV_VENV)/bin/checkov -d $(TF_DIR) --framework terraform --compact --quiet --skip-download
