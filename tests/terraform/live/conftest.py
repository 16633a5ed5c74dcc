"""The live suite: the real Terraform, applied with docs/deploy.md's commands to a moto of its own.

One deployment serves the whole suite, in the order a user lives it, one module per stage
(numbered): a fresh account refuses plain plans and applies; `make deploy`, interrupted once and
re-run, deploys dev; the deployed stack is checked; a rollback; destroy. It runs wherever
terraform and a local hashicorp/aws provider exist (it never downloads one) and is skipped,
with the reason, elsewhere.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from buildtools.errors import BuildError
from buildtools.terraform import find_mirror
from tests.terraform.live import inventory
from tests.terraform.live.deployment import Checkout, LiveTerraform
from tests.terraform.live.moto_tls import MotoServer, moto_over_tls

TAG = "v1.0.0"


def why_not_live() -> str | None:
    """Why the live suite cannot run here, or None."""
    if shutil.which("terraform") is None:
        return "terraform is not installed"
    try:
        mirror = find_mirror()
    except BuildError as exc:
        return str(exc)
    if mirror is None:
        return (
            "no local hashicorp/aws provider (TF_PROVIDER_MIRROR, Terraform's plugin directories "
            "or this machine) and the live suite never downloads one: see docs/deploy.md's "
            "'Live tests' to make a mirror"
        )
    return None


@pytest.fixture(scope="session")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """A moto server of the suite's own (its own state, behind TLS)."""
    reason = why_not_live()
    if reason:
        pytest.skip(reason)
    with moto_over_tls(tmp_path_factory.mktemp("moto")) as server:
        yield server


@pytest.fixture(scope="session")
def checkout(aws: MotoServer, tmp_path_factory: pytest.TempPathFactory) -> Checkout:
    """docs/deploy.md steps 1-3 done: state bucket, backend.hcl, `make build`, `make init`."""
    checkout = Checkout(tmp_path_factory.mktemp("live") / "checkout", aws)
    checkout.configure()
    checkout.make("build")
    checkout.make("init")
    return checkout


@dataclass
class Attempt:
    """A make command and what of an environment it left in moto."""

    result: subprocess.CompletedProcess
    left: dict[str, list[str]]


@dataclass
class Deployment:
    """dev after `make deploy`: the interrupted first attempt, the re-run, its terraform and
    outputs."""

    interrupted: Attempt
    completed: subprocess.CompletedProcess
    terraform: LiveTerraform
    outputs: dict


@pytest.fixture(scope="session")
def fresh_dev_plan(checkout: Checkout) -> Attempt:
    """`make plan ENV=dev` before anything of dev exists."""
    result = checkout.make("plan", "ENV=dev", check=False)
    return Attempt(result, inventory.of(checkout, "dev"))


def _deploy(checkout: Checkout) -> Deployment:
    deploy = ("deploy", "ENV=dev", f"TAG={TAG}", "AUTO_APPROVE=1")
    interrupted = checkout.make(*deploy, check=False, FAKE_DOCKER_FAIL="push")
    left = inventory.of(checkout, "dev")
    completed = checkout.make(*deploy)
    terraform = checkout.terraform("dev")
    return Deployment(Attempt(interrupted, left), completed, terraform, terraform.outputs())


@pytest.fixture(scope="session")
def deploying(checkout: Checkout, fresh_dev_plan: Attempt) -> Iterator[Future[Deployment]]:
    """`make deploy ENV=dev TAG=v1.0.0` losing its registry connection, then run again, in a
    thread: the apply mostly waits on moto, so the other environments' tests run meanwhile."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="deploy-dev") as pool:
        yield pool.submit(_deploy, checkout)


@pytest.fixture(scope="session")
def deployed(deploying: Future[Deployment]) -> Deployment:
    """dev, deployed."""
    return deploying.result(timeout=600)
