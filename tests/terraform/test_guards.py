"""Fresh-account guards: what AWS would refuse halfway through an apply stops the plan instead."""

from __future__ import annotations

import pytest

import terraform_model
from tests.terraform.conftest import WORKSPACES

# The longest name_prefix and project the variables accept.
LONGEST = {"name_prefix": "abcdefghijklmno-", "project": "p" * 21}


def _errors(workspace: str = "staging", **variables) -> str:
    return " ".join(terraform_model.load(workspace, variables=variables).guard_errors)


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_the_default_names_and_settings_pass_every_guard(workspace):
    assert terraform_model.load(workspace).guard_errors == ()


def test_the_longest_prefix_and_project_are_refused_at_plan_where_bucket_names_pass_63():
    errors = _errors("staging", **LONGEST, region="ap-southeast-2")

    uploads = f"{LONGEST['name_prefix']}{LONGEST['project']}-staging-uploads-"
    assert f'S3 bucket name "{uploads}' in errors
    assert "at most 63" in errors
    assert "Shorten name_prefix or project" in errors


def test_names_that_fit_at_the_limit_pass():
    # 63 characters exactly: "a-" + 8 + "-staging-uploads-" + account + "-eu-west-1"
    errors = _errors(name_prefix="a-", project="p" * 8, region="eu-west-1")

    assert errors == ""


def test_a_bucket_name_starting_with_xn_dashes_is_refused():
    errors = _errors(project="xn--qrstack")

    assert 'S3 bucket name "xn--qrstack-staging-uploads-' in errors
    assert "not a form AWS accepts" in errors


def test_an_iam_role_name_over_64_characters_is_refused():
    errors = _errors("staging", name_prefix="abcdefghijklmno-", region="ap-southeast-10")

    assert 'IAM role name "abcdefghijklmno-qr-upload-websocket-event-staging-ap-southeast-10"' in (
        errors
    )


def _account_wide_names(stack) -> set[str]:
    (dashboard,) = stack.raw["aws_cloudwatch_dashboard"]
    (control,) = stack.raw["aws_cloudfront_origin_access_control"]
    roles = {function.role for function in stack.functions.values()}
    return {*stack.buckets, *roles, control["name"], dashboard["dashboard_name"]}


def test_a_second_region_of_the_same_environment_shares_no_account_wide_name():
    ireland = terraform_model.load("prod", variables={"region": "eu-west-1"})
    virginia = terraform_model.load("prod", variables={"region": "us-east-1"})

    # 3 buckets, 4 roles, the dashboard; the origin access control carries the web bucket's name.
    assert len(_account_wide_names(ireland)) == 8
    assert _account_wide_names(ireland) & _account_wide_names(virginia) == set()


@pytest.mark.parametrize("workspace", ["staging", "prod"])
def test_without_the_accounts_limit_no_function_reserves_concurrency(workspace):
    stack = terraform_model.load(workspace)

    assert {f.applied_reserved_concurrency for f in stack.functions.values()} == {-1}


def test_the_model_keeps_the_environments_reservation_for_the_local_worker_pools():
    staging = terraform_model.load("staging")
    reserved = {service: f.reserved_concurrency for service, f in staging.functions.items()}

    assert reserved == {"sessions": 10, "realtime": 10, "counter": 5, "scanner": 2}


def test_a_fresh_accounts_limit_of_10_refuses_reservations_saying_how_to_ask_for_more():
    errors = _errors("staging", lambda_concurrency_limit=10)

    assert "The reserved concurrency of staging (27 executions) does not fit" in errors
    assert "Lambda keeps 100 executions unreserved, so at most 0 can be reserved" in errors
    assert "aws service-quotas request-service-quota-increase" in errors
    assert "--quota-code L-B99A9384" in errors


def test_prods_reservations_must_leave_100_unreserved():
    assert "(130 executions) does not fit" in _errors("prod", lambda_concurrency_limit=229)
    assert _errors("prod", lambda_concurrency_limit=230) == ""


def test_with_the_accounts_limit_the_environments_reservations_apply():
    stack = terraform_model.load("staging", variables={"lambda_concurrency_limit": 1000})
    applied = {service: f.applied_reserved_concurrency for service, f in stack.functions.items()}

    assert stack.guard_errors == ()
    assert applied == {"sessions": 10, "realtime": 10, "counter": 5, "scanner": 2}


def test_dev_reserves_nothing_even_with_the_accounts_limit():
    stack = terraform_model.load("dev", variables={"lambda_concurrency_limit": 1000})

    assert {f.applied_reserved_concurrency for f in stack.functions.values()} == {-1}


@pytest.mark.parametrize("limit", [0.5, -1])
def test_the_limit_must_be_a_whole_number_of_executions(limit):
    stack = terraform_model.load("staging", variables={"lambda_concurrency_limit": limit})

    assert len(stack.variable_errors) == 1
    assert "lambda_concurrency_limit must be a whole number" in stack.variable_errors[0]
