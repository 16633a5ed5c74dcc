"""A user's checkout, deployed to moto with docs/deploy.md's commands, and ways to look at it.

`Checkout` is a fresh copy of the repository (what `git clone` gives, plus a commit so the image
can be tagged) whose make targets and terraform point at the live suite's moto server. Terraform
commands the tests run themselves go through pytest-terraform's runner, in a data directory of
their own per workspace.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
from pytest_terraform.tf import TerraformRunner

from buildtools import terraform as terraform_cli
from tests.terraform.live.moto_tls import MotoServer

ROOT = Path(__file__).resolve().parents[3]
REGION = "eu-west-1"
# moto's account: the provider's allowed_account_ids check passes against moto's STS.
ACCOUNT_ID = "123456789012"
STATE_BUCKET = "live-suite-terraform-state"
# What the S3 backend and the provider cannot learn from the environment about moto: it answers
# every bucket at one host, so S3 requests must be path-style.
BACKEND = """bucket               = "{bucket}"
key                  = "qrstack/terraform.tfstate"
workspace_key_prefix = "qrstack-env"
region               = "{region}"
encrypt              = true
use_lockfile         = true
use_path_style       = true
"""
PATH_STYLE_OVERRIDE = 'provider "aws" {\n  s3_use_path_style = true\n}\n'
_LEAKY = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "AWS_PROFILE", "AWS_SESSION_TOKEN", "TF_WORKSPACE")


class CommandFailed(AssertionError):
    """A command of the deployment exited non-zero; the message holds its output."""


def _source_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [name for name in listed.stdout.decode().split("\0") if name and (ROOT / name).is_file()]


class Checkout:
    """A copy of the repository as a user clones it, configured for the moto server `aws`."""

    def __init__(self, root: Path, aws: MotoServer) -> None:
        self.root = root
        self.aws = aws
        for name in _source_files():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        (root / ".venv").symlink_to(ROOT / ".venv")
        git = ["git", "-c", "user.name=live suite", "-c", "user.email=live@localhost"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "checkout under test"]):
            subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
        self.env = self._environment()

    def _environment(self) -> dict[str, str]:
        bin_dir = self.root.parent / "bin"
        bin_dir.mkdir(exist_ok=True)
        docker = bin_dir / "docker"
        docker.write_text(
            f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" '
            '-m tests.terraform.live.fake_docker "$@"\n'
        )
        docker.chmod(0o755)
        env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
        env.update(
            {
                "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_ENDPOINT_URL": self.aws.endpoint,
                # boto3 trusts AWS_CA_BUNDLE; Go (terraform, the provider), OpenSSL SSL_CERT_FILE.
                "AWS_CA_BUNDLE": str(self.aws.ca_bundle),
                "SSL_CERT_FILE": str(self.aws.ca_bundle),
                "FAKE_DOCKER_STATE": str(self.root.parent / "docker-images"),
                "TF_IN_AUTOMATION": "1",
                **{
                    f"TF_CLI_ARGS_{command}": "-no-color"
                    for command in ("plan", "apply", "destroy")
                },
            }
        )
        return env

    def client(self, service: str) -> Any:
        """A boto3 client of the moto server, as an operator's CLI would be (its own session:
        the deployment runs in a thread of its own while other tests look at moto)."""
        return boto3.session.Session().client(
            service,
            region_name=REGION,
            endpoint_url=self.aws.endpoint,
            verify=str(self.aws.ca_bundle),
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def configure(self) -> None:
        """docs/deploy.md steps 1-2: a state bucket, backend.hcl, the account in tfvars."""
        self.client("s3").create_bucket(
            Bucket=STATE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        terraform = self.root / "terraform"
        (terraform / "backend.hcl").write_text(BACKEND.format(bucket=STATE_BUCKET, region=REGION))
        (terraform / "moto_override.tf").write_text(PATH_STYLE_OVERRIDE)
        for workspace in ("dev", "staging", "prod"):
            (terraform / f"{workspace}.tfvars").write_text(f'account_id = "{ACCOUNT_ID}"\n')

    def make(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess:
        """`make ARGS` in the checkout; CommandFailed with its output unless it succeeds."""
        result = subprocess.run(
            ["make", "--no-print-directory", *args],
            cwd=self.root,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and result.returncode != 0:
            raise CommandFailed(
                f"make {' '.join(args)}: exit {result.returncode}\n{_output(result)}"
            )
        return result

    def terraform(self, workspace: str) -> LiveTerraform:
        """Terraform in `workspace`. dev shares make's data directory; the other workspaces share
        one of their own, so the tests of those never switch the workspace under a running
        `make deploy` (and the 700 MB provider is installed twice, not once per workspace)."""
        data = self.root / "terraform" / ".terraform"
        if workspace != "dev":
            data = self.root.parent / "terraform-data"
        return LiveTerraform(self, workspace, data)


def _output(result: subprocess.CompletedProcess) -> str:
    return f"{result.stdout}\n{result.stderr}"


def message(text: str) -> str:
    """Terraform's wrapped, boxed diagnostics as one line of words."""
    return " ".join(re.sub(r"\x1b\[[0-9;]*m|[│╷╵]", " ", text).split())


class LiveTerraform(TerraformRunner):
    """pytest-terraform's runner on the checkout's root module, its S3 backend and one workspace."""

    def __init__(self, checkout: Checkout, workspace: str, data_dir: Path) -> None:
        super().__init__(
            str(data_dir), module_dir=str(checkout.root / "terraform"), tf_bin="terraform"
        )
        self.state_path = None  # the S3 backend holds the state, not a -state file
        self.checkout = checkout
        self.workspace = workspace
        self.cli_dir = Path(checkout.root.parent) / f"cli-{workspace}"
        self.cli_dir.mkdir(parents=True, exist_ok=True)
        self.env = terraform_cli.environment(self.cli_dir, checkout.env, data_dir)
        if not (data_dir / "terraform.tfstate").exists():
            self._run_cmd(
                ["terraform", "init", "-input=false", "-no-color", "-backend-config=backend.hcl"]
            )
        self._run_cmd(["terraform", "workspace", "select", "-or-create", "-no-color", workspace])

    def _run_cmd(self, args: list[str], output: bool = False, check: bool = True) -> Any:
        """pytest-terraform's command runner, with this deployment's environment."""
        env = {**self.env, "TF_DATA_DIR": self.work_dir, "TF_IN_AUTOMATION": "yes"}
        result = subprocess.run(
            args, cwd=self.module_dir, env=env, capture_output=True, text=True, timeout=600
        )
        if check and result.returncode != 0:
            raise CommandFailed(f"{' '.join(args)}: exit {result.returncode}\n{_output(result)}")
        return result.stdout.encode() if output else result

    def command(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """`terraform ARGS`, with -var-file=<workspace>.tfvars as make passes it."""
        extra = []
        if args[0] in ("plan", "apply", "destroy"):
            extra = ["-input=false"]
            if (Path(self.module_dir) / f"{self.workspace}.tfvars").exists():
                extra.append(f"-var-file={self.workspace}.tfvars")
        return self._run_cmd(["terraform", *args, *extra], check=check)

    def plan(self, *args: str) -> dict[str, Any]:
        """`terraform plan` saved and shown as JSON (resource_changes, ...)."""
        plan_file = Path(self.work_dir) / f"{self.workspace}-check.tfplan"
        self.command("plan", f"-out={plan_file}", *args)
        shown = self._run_cmd(
            ["terraform", "show", "-json", "-no-color", str(plan_file)], output=True
        )
        return json.loads(shown)

    def outputs(self) -> dict[str, Any]:
        """`terraform output -json`, values only."""
        shown = self._run_cmd(["terraform", "output", "-json"], output=True)
        return {name: output["value"] for name, output in json.loads(shown).items()}


def changes(plan: Mapping[str, Any]) -> Iterator[tuple[str, str, tuple[str, ...], str]]:
    """Every change a plan makes: (address, resource type, actions, attribute path).

    An update yields one entry per attribute that differs (list indexes dropped:
    `origin.origin_access_control_id`); any other action yields the action itself once.
    """
    for change in plan.get("resource_changes", []):
        actions = tuple(change["change"]["actions"])
        if actions in (("no-op",), ("read",)):
            continue
        if actions != ("update",):
            yield change["address"], change["type"], actions, "*"
            continue
        before, after = change["change"]["before"], change["change"]["after"]
        unknown = change["change"].get("after_unknown") or {}
        for path in sorted(set(_differences(before, after, unknown))):
            yield change["address"], change["type"], actions, path


def _differences(before: Any, after: Any, unknown: Any, path: str = "") -> Iterator[str]:
    if unknown is True:
        yield path
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            sub = unknown.get(key, {}) if isinstance(unknown, dict) else {}
            yield from _differences(
                before.get(key), after.get(key), sub, f"{path}.{key}".strip(".")
            )
    elif (
        isinstance(before, list)
        and isinstance(after, list)
        and len(before) == len(after)
        and before != after
    ):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            sub = unknown[index] if isinstance(unknown, list) and index < len(unknown) else {}
            yield from _differences(old, new, sub, path)
    elif before != after:
        yield path
