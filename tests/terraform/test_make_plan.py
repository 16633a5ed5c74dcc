"""`make plan` / `make apply` refuse to run terraform on missing or stale artifacts (tf-artifacts).

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
FAKE_TERRAFORM = '#!/bin/sh\necho "$@" >> "$(dirname "$0")/terraform.calls"\nexit 0\n'


class Repo:
    """A throwaway copy of the repo with a fake terraform beside it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.terraform = path / "fake-terraform"
        self.terraform.write_text(FAKE_TERRAFORM)
        self.terraform.chmod(0o755)

    def make(self, *args: str, tf: str | None = None) -> subprocess.CompletedProcess[str]:
        # A parent make (make test) must not leak its variables or jobserver into this one.
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        return subprocess.run(
            ["make", "--no-print-directory", *args, f"TF={tf or self.terraform}"],
            cwd=self.path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def build(self) -> None:
        result = self.make("build")
        assert result.returncode == 0, result.stderr

    def initialise(self) -> None:
        (self.path / "terraform" / ".terraform").mkdir(parents=True)

    def terraform_calls(self) -> list[str]:
        calls = self.terraform.parent / "terraform.calls"
        return calls.read_text().splitlines() if calls.exists() else []


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
    return Repo(tmp_path)


@pytest.mark.parametrize("target", ["plan", "apply"])
def test_a_missing_manifest_is_refused_before_terraform_runs(repo, target):
    repo.initialise()

    result = repo.make(target, "ENV=dev")

    assert result.returncode == 2
    assert "dist/manifest.json is missing: run make build" in result.stderr
    assert repo.terraform_calls() == []


@pytest.mark.parametrize("target", ["plan", "apply"])
def test_artifacts_older_than_the_sources_are_refused(repo, target):
    repo.initialise()
    repo.build()
    with (repo.path / "handlers" / "counter" / "app.py").open("a") as source:
        source.write("# changed after the build\n")

    result = repo.make(target, "ENV=dev")

    assert result.returncode == 2
    assert "dist/ is older than the sources: run make build" in result.stderr
    assert repo.terraform_calls() == []


def test_a_missing_terraform_is_refused_with_where_to_install_it(repo):
    repo.initialise()
    repo.build()

    result = repo.make("plan", "ENV=dev", tf="/nonexistent/terraform")

    assert result.returncode == 2
    assert "terraform is not installed (>= 1.6)" in result.stderr
    # The recipe's own exit code (2) tells "no terraform" apart from the other refusals (1).
    assert "Error 2" in result.stderr


def test_an_uninitialised_root_is_refused_with_the_init_command(repo):
    repo.build()

    result = repo.make("plan", "ENV=dev")

    assert result.returncode == 2
    assert "terraform is not initialised" in result.stderr
    assert "terraform -chdir=terraform init -backend-config=backend.hcl" in result.stderr
    assert repo.terraform_calls() == []


def test_fresh_artifacts_plan_in_the_environment_workspace_with_dist(repo):
    repo.initialise()
    repo.build()

    result = repo.make("plan", "ENV=staging")

    assert result.returncode == 0, result.stderr
    select, plan = repo.terraform_calls()
    assert select == "-chdir=terraform workspace select -or-create staging"
    assert plan.split() == [
        "-chdir=terraform",
        "plan",
        "-var",
        f"artifacts_dir={repo.path}/dist",
        "-out=staging.tfplan",
    ]
