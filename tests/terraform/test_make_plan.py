"""The Terraform make targets: what they refuse before terraform runs, and the commands they run.

Each test copies the minimum of the repo into a temporary directory and runs make there with
TF pointing at a fake terraform that records its arguments, so nothing reaches AWS.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("Makefile", "build.py", "buildtools", "handlers", "pyproject.toml")
# Records its arguments; `plan -out=FILE` writes FILE (in the -chdir directory) as terraform does.
FAKE_TERRAFORM = """#!/bin/sh
echo "$@" >> "$(dirname "$0")/terraform.calls"
for a in "$@"; do case "$a" in -chdir=*) cd "${a#-chdir=}";; -out=*) touch "${a#-out=}";; esac; done
exit 0
"""
BOOTSTRAP = [
    "-target=terraform_data.workspace_guard",
    "-target=module.ecr",
    "-target=aws_ssm_parameter.scanner_image_tag",
    "-target=aws_ssm_parameter.scanner_api_key",
]


class Repo:
    """A throwaway copy of the repo with a fake terraform beside it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.terraform = path / "fake-terraform"
        self.terraform.write_text(FAKE_TERRAFORM)
        self.terraform.chmod(0o755)

    def make(
        self, *args: str, tf: str | None = None, stdin: str = ""
    ) -> subprocess.CompletedProcess[str]:
        # A parent make (make test) must not leak its variables or jobserver into this one.
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        env["AWS_REGION"] = "eu-west-1"
        # build.py's AWS calls meet a closed local port, never a real endpoint.
        env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
        return subprocess.run(
            ["make", "--no-print-directory", *args, f"TF={tf or self.terraform}"],
            cwd=self.path,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def build(self) -> None:
        result = self.make("build")
        assert result.returncode == 0, result.stderr

    def initialise(self) -> None:
        """What `make init` leaves: the backend's settings in terraform/.terraform."""
        (self.path / "terraform" / ".terraform").mkdir(parents=True)
        (self.path / "terraform" / ".terraform" / "terraform.tfstate").write_text("{}")

    def terraform_calls(self) -> list[list[str]]:
        calls = self.terraform.parent / "terraform.calls"
        return [line.split() for line in calls.read_text().splitlines()] if calls.exists() else []


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    (tmp_path / "terraform").mkdir()
    shutil.copy2(ROOT / "terraform" / "versions.tf", tmp_path / "terraform" / "versions.tf")
    return Repo(tmp_path)


@pytest.fixture
def ready(repo: Repo) -> Repo:
    """Initialised, with fresh artifacts."""
    repo.initialise()
    repo.build()
    return repo


@pytest.mark.parametrize("target", ["plan", "apply", "deploy TAG=v1.0.0"])
def test_a_missing_manifest_is_refused_before_terraform_runs(repo, target):
    repo.initialise()

    result = repo.make(*target.split(), "ENV=dev")

    assert result.returncode == 2
    assert "dist/manifest.json is missing: run make build" in result.stderr
    assert repo.terraform_calls() == []


@pytest.mark.parametrize("target", ["plan", "apply"])
def test_artifacts_older_than_the_sources_are_refused(ready, target):
    with (ready.path / "handlers" / "counter" / "app.py").open("a") as source:
        source.write("# changed after the build\n")

    result = ready.make(target, "ENV=dev")

    assert result.returncode == 2
    assert "dist/ is older than the sources: run make build" in result.stderr
    assert ready.terraform_calls() == []


def test_a_missing_terraform_is_refused_with_where_to_install_it(ready):
    result = ready.make("plan", "ENV=dev", tf="/nonexistent/terraform")

    assert result.returncode == 2
    assert "terraform is not installed (>= 1.6)" in result.stderr
    # The recipe's own exit code (2) tells "no terraform" apart from the other refusals (1).
    assert "Error 2" in result.stderr


def test_an_uninitialised_root_is_refused_with_the_init_command(repo):
    repo.build()

    result = repo.make("plan", "ENV=dev")

    assert result.returncode == 2
    assert "terraform is not initialised" in result.stderr
    assert "make init" in result.stderr
    assert repo.terraform_calls() == []


def test_init_needs_the_backend_file(repo):
    result = repo.make("init")

    assert result.returncode == 2
    assert "terraform/backend.hcl is missing: cp terraform/backend.hcl.example" in result.stderr
    assert repo.terraform_calls() == []


def test_init_uses_the_backend_file(repo):
    (repo.path / "terraform" / "backend.hcl").write_text('bucket = "state"\n')

    result = repo.make("init")

    assert result.returncode == 0, result.stderr
    assert repo.terraform_calls() == [
        ["-chdir=terraform", "init", "-input=false", "-backend-config=backend.hcl"]
    ]


def test_plan_saves_the_plan_of_the_environment_workspace(ready):
    result = ready.make("plan", "ENV=staging")

    assert result.returncode == 0, result.stderr
    select, plan = ready.terraform_calls()
    assert select == ["-chdir=terraform", "workspace", "select", "-or-create", "staging"]
    # No absolute artifacts_dir: the state must not depend on where the checkout lives.
    assert plan == [
        "-chdir=terraform", "plan", "-input=false", "-var", "region=eu-west-1",
        "-out=staging.tfplan",
    ]  # fmt: skip


def test_an_environment_tfvars_file_is_passed_when_it_exists(ready):
    (ready.path / "terraform" / "prod.tfvars").write_text("lambda_concurrency_limit = 1000\n")

    ready.make("plan", "ENV=prod", "PREFIX=alice-", "REGION=us-east-2")

    plan = ready.terraform_calls()[-1]
    assert plan[3:9] == [
        "-var-file=prod.tfvars", "-var", "name_prefix=alice-", "-var", "region=us-east-2",
        "-out=prod.tfplan",
    ]  # fmt: skip


def test_apply_without_a_saved_plan_is_refused(ready):
    result = ready.make("apply", "ENV=dev", "AUTO_APPROVE=1")

    assert result.returncode == 2
    assert "no saved plan for dev: run make plan ENV=dev first" in result.stderr
    assert ready.terraform_calls()[-1][1:3] == ["workspace", "select"]


def test_apply_applies_exactly_the_saved_plan_and_uses_it_up(ready):
    ready.make("plan", "ENV=dev")

    result = ready.make("apply", "ENV=dev", "AUTO_APPROVE=1")

    assert result.returncode == 0, result.stderr
    assert ready.terraform_calls()[-1] == [
        "-chdir=terraform",
        "apply",
        "-input=false",
        "dev.tfplan",
    ]
    assert not (ready.path / "terraform" / "dev.tfplan").exists()


def test_apply_asks_first_and_applies_nothing_without_yes(ready):
    ready.make("plan", "ENV=dev")

    result = ready.make("apply", "ENV=dev", stdin="no\n")

    assert result.returncode == 2
    assert "not applied; make apply ENV=dev applies it later" in result.stderr
    assert ready.terraform_calls()[-1][1] == "workspace"
    assert (ready.path / "terraform" / "dev.tfplan").exists()


def test_deploy_needs_a_tag(ready):
    result = ready.make("deploy", "ENV=dev")

    assert result.returncode == 2
    assert "TAG is required: make deploy ENV=dev TAG=v1.0.0" in result.stderr
    assert ready.terraform_calls() == []


def test_deploy_creates_the_repository_and_parameters_before_the_image(ready):
    result = ready.make("deploy", "ENV=dev", "TAG=v1.0.0", "AUTO_APPROVE=1")

    # The fake terraform created no repository (and AWS is a closed port): the image step fails.
    assert result.returncode == 2
    select, bootstrap = ready.terraform_calls()
    assert select[1:] == ["workspace", "select", "-or-create", "dev"]
    assert bootstrap == [
        "-chdir=terraform", "apply", "-input=false", "-auto-approve", "-var", "region=eu-west-1",
        *BOOTSTRAP,
    ]  # fmt: skip
    assert "build.py release --env dev --region eu-west-1 --tag v1.0.0" in " ".join(
        result.stdout.split()
    )


def test_validate_is_skipped_with_its_reason_without_terraform(repo):
    result = repo.make("validate", tf="/nonexistent/terraform")

    assert result.returncode == 0
    assert "terraform not installed: validate skipped" in result.stdout
