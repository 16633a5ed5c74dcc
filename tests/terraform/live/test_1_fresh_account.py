"""A fresh account: plain plans and applies stop before anything exists; each guard says why."""

from __future__ import annotations

import pytest

from buildtools import naming
from tests.build.aws_fixtures import put_image
from tests.terraform.live import inventory
from tests.terraform.live.deployment import message

# dev deploys in the background meanwhile (conftest.deploying); these tests use other workspaces.
pytestmark = [pytest.mark.terraform_live, pytest.mark.usefixtures("deploying")]

IMAGE_GUARD = "No scanner image is recorded for staging"


def test_make_plan_without_an_image_stops_at_plan_naming_make_deploy(fresh_dev_plan):
    refusal = message(fresh_dev_plan.result.stderr)

    assert fresh_dev_plan.result.returncode != 0
    assert "No scanner image is recorded for dev" in refusal
    assert "make deploy ENV=dev TAG=v1.0.0" in refusal
    assert fresh_dev_plan.left == {}


@pytest.fixture(scope="module")
def plain_apply(checkout):
    """`terraform apply` of a fresh staging, on an account limited to 10 executions."""
    terraform = checkout.terraform("staging")
    result = terraform.command(
        "apply", "-auto-approve", "-var", "lambda_concurrency_limit=10", check=False
    )
    return result, inventory.of(checkout, "staging")


def test_a_plain_terraform_apply_without_an_image_stops_at_plan_creating_nothing(plain_apply):
    result, left = plain_apply

    assert result.returncode == 1
    assert IMAGE_GUARD in message(result.stderr)
    assert left == {}


def test_reservations_a_fresh_account_cannot_afford_are_refused_with_how_to_ask_for_more(
    plain_apply,
):
    refusal = message(plain_apply[0].stderr)

    assert "The reserved concurrency of staging (27 executions) does not fit" in refusal
    assert "--quota-code L-B99A9384" in refusal


def test_an_unknown_workspace_is_refused_at_plan_naming_the_allowed_ones(checkout):
    result = checkout.terraform("default").command("plan", check=False)

    assert result.returncode == 1
    refusal = message(result.stderr)
    assert 'Workspace "default" is not an environment of this stack' in refusal
    assert "Allowed workspaces: dev, prod, staging" in refusal
    assert "No scanner image" not in refusal


@pytest.fixture(scope="module")
def planned(checkout):
    """The plans of staging and prod, each with an image recorded as `build.py push` records
    one (pushed to ECR, its tag in SSM); removed afterwards, while dev still deploys."""
    ecr, ssm = checkout.client("ecr"), checkout.client("ssm")
    for env in ("staging", "prod"):
        ecr.create_repository(repositoryName=f"pixel-detector-{env}")
        put_image(ecr, f"pixel-detector-{env}", "v1.0.0")
        ssm.put_parameter(Name=naming.image_tag_parameter(env), Value="v1.0.0", Type="String")
    yield {
        "staging": checkout.terraform("staging").plan("-var", "lambda_concurrency_limit=1000"),
        "prod": checkout.terraform("prod").plan(),
    }
    for env in ("staging", "prod"):
        ecr.delete_repository(repositoryName=f"pixel-detector-{env}", force=True)
        ssm.delete_parameter(Name=naming.image_tag_parameter(env))


def _planned(plan, rtype):
    return {
        c["address"]: c["change"]["after"]
        for c in plan["resource_changes"]
        if c["type"] == rtype and c["change"]["actions"] == ["create"]
    }


def test_staging_plans_its_reservations_where_the_account_can_afford_them(planned):
    plan = planned["staging"]

    functions = _planned(plan, "aws_lambda_function")
    reserved = {f["function_name"]: f["reserved_concurrent_executions"] for f in functions.values()}
    assert reserved == {
        "qr-upload-http-api-staging": 10,
        "qr-upload-websocket-event-staging": 10,
        "visitor-counter-staging": 5,
        "pixel-detector-staging": 2,
    }


def test_prod_plans_with_its_protections_and_without_reservations_by_default(planned):
    plan = planned["prod"]

    tables = _planned(plan, "aws_dynamodb_table").values()
    assert {t["deletion_protection_enabled"] for t in tables} == {True}
    functions = _planned(plan, "aws_lambda_function").values()
    assert {f["reserved_concurrent_executions"] for f in functions} == {-1}
    memory = {f["function_name"]: f["memory_size"] for f in functions}
    assert memory["pixel-detector-prod"] == 3008
