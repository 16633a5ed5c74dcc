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
