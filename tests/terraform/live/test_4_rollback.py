"""`make rollback` to a second image, and the next plan keeps it."""

from __future__ import annotations

import pytest

from tests.build.aws_fixtures import put_image
from tests.terraform.live.deployment import changes
from tests.terraform.live.moto_gaps import READ_BACK_GAPS

pytestmark = pytest.mark.terraform_live


@pytest.fixture(scope="module")
def rolled(deployed, checkout):
    """v1.1.0 pushed straight to ECR, then `make rollback ENV=dev TAG=v1.1.0`."""
    digest = put_image(checkout.client("ecr"), "pixel-detector-dev", "v1.1.0")
    result = checkout.make("rollback", "ENV=dev", "TAG=v1.1.0")
    return digest, result


def test_rollback_moves_alias_live_to_the_second_image(rolled, checkout):
    digest, result = rolled
    scanner = checkout.client("lambda").get_function(
        FunctionName="pixel-detector-dev", Qualifier="live"
    )

    assert scanner["Code"]["ImageUri"].endswith(f"@{digest}")
    assert "after:  pixel-detector-dev runs v1.1.0" in result.stdout


def test_the_next_plan_keeps_the_rolled_back_image(rolled, deployed):
    plan = deployed.terraform.plan()

    unexplained = [c for c in changes(plan) if (c[1], c[3]) not in READ_BACK_GAPS]
    assert unexplained == []
    assert not [c for c in changes(plan) if c[3] == "image_uri"]


COUNTER = "visitor-counter-dev"


def _live(checkout) -> dict:
    """Version and code of what alias live of the counter serves."""
    config = checkout.client("lambda").get_function_configuration(
        FunctionName=COUNTER, Qualifier="live"
    )
    return {"version": config["Version"], "code": config["CodeSha256"]}


def _new_artifact(checkout, note: str) -> None:
    """A code change to the counter, built as a user builds it."""
    app = checkout.root / "handlers" / "counter" / "app.py"
    app.write_text(app.read_text() + f"# {note}\n")
    checkout.make("build")


def _apply(checkout) -> None:
    checkout.make("plan", "ENV=dev")
    checkout.make("apply", "ENV=dev", "AUTO_APPROVE=1")


@pytest.fixture(scope="module")
def zip_rolled(rolled, checkout):
    """A second release of the counter applied (a second published version), then
    `make rollback ENV=dev FUNCTION=visitor-counter`, then the same checkout applied again."""
    first = _live(checkout)
    _new_artifact(checkout, "release 2")
    _apply(checkout)
    second = _live(checkout)
    result = checkout.make("rollback", "ENV=dev", "FUNCTION=visitor-counter")
    rolled_back = _live(checkout)
    _apply(checkout)
    return {
        "first": first,
        "second": second,
        "rolled_back": rolled_back,
        "reapplied": _live(checkout),
        "output": result.stdout,
    }


def test_a_second_release_is_published_and_served_by_alias_live(zip_rolled):
    assert zip_rolled["second"]["code"] != zip_rolled["first"]["code"]
    assert int(zip_rolled["second"]["version"]) > int(zip_rolled["first"]["version"])


def test_make_rollback_function_moves_alias_live_to_the_previous_version(zip_rolled):
    previous = int(zip_rolled["second"]["version"]) - 1

    assert zip_rolled["rolled_back"] == {
        "version": str(previous),
        "code": zip_rolled["first"]["code"],
    }
    assert f"after:  {COUNTER} alias live -> version {previous}" in zip_rolled["output"]


def test_the_next_apply_keeps_the_rolled_back_version(zip_rolled):
    assert zip_rolled["reapplied"] == zip_rolled["rolled_back"]


def test_a_new_artifact_releases_the_pin(zip_rolled, checkout, deployed):
    _new_artifact(checkout, "release 3: the fix")
    plan = deployed.terraform.plan()

    (alias,) = [
        c
        for c in plan["resource_changes"]
        if c["address"] == 'module.function["counter"].aws_lambda_alias.this[0]'
    ]
    assert alias["change"]["after_unknown"].get("function_version") is True
