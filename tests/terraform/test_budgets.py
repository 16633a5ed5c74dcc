"""One monthly cost budget per environment, alerting the alarm topic at 80 % and 100 % of an
amount from the environment map (or var.monthly_budget_usd), which the topic lets Budgets
publish to. moto's server lacks calls the provider makes for budgets; the live suite's server
adds them (tests/terraform/live/moto_budgets.py), and these check the plan's contract offline."""

from __future__ import annotations

import json

import pytest

import terraform_model

DEFAULT_AMOUNTS = {"dev": "5.00", "staging": "10.00", "prod": "50.00"}


def _budget(stack: terraform_model.Stack) -> dict:
    (budget,) = stack.raw["aws_budgets_budget"]
    return budget


def _topic(stack: terraform_model.Stack) -> dict:
    (topic,) = stack.raw["aws_sns_topic"]
    return topic


def test_each_environment_has_one_monthly_cost_budget_in_usd(stack):
    budget = _budget(stack)

    assert budget["name"] == f"qrstack-{stack.workspace}-monthly-{stack.region}"
    assert (budget["budget_type"], budget["time_unit"], budget["limit_unit"]) == (
        "COST",
        "MONTHLY",
        "USD",
    )


def test_the_amount_is_the_environments_default(stack):
    assert _budget(stack)["limit_amount"] == DEFAULT_AMOUNTS[stack.workspace]


def test_monthly_budget_usd_overrides_the_default():
    stack = terraform_model.load("prod", variables={"monthly_budget_usd": 12.5})
    assert _budget(stack)["limit_amount"] == "12.50"


@pytest.mark.parametrize("amount", [0, -3])
def test_an_amount_that_is_not_positive_is_refused(amount):
    stack = terraform_model.load("dev", variables={"monthly_budget_usd": amount})
    assert any("monthly_budget_usd must be a positive" in e for e in stack.variable_errors)


def test_alerts_go_to_the_alarm_topic_at_80_and_100_percent_of_actual_cost(stack):
    notifications = _budget(stack)["notification"]
    topic = _topic(stack)

    assert sorted(n["threshold"] for n in notifications) == [80, 100]
    for notification in notifications:
        assert notification["threshold_type"] == "PERCENTAGE"
        assert notification["notification_type"] == "ACTUAL"
        assert notification["comparison_operator"] == "GREATER_THAN"
        assert notification["subscriber_sns_topic_arns"] == [topic["id"]]


def test_the_topic_lets_budgets_of_this_account_publish(stack):
    (policy,) = stack.raw["aws_sns_topic_policy"]
    statements = {s["Sid"]: s for s in json.loads(policy["policy"])["Statement"]}
    budgets = statements["BudgetsPublish"]

    assert policy["arn"] == _topic(stack)["id"]
    assert budgets["Principal"] == {"Service": "budgets.amazonaws.com"}
    assert budgets["Action"] == "SNS:Publish"
    assert budgets["Condition"]["StringEquals"] == {"aws:SourceAccount": stack.account_id}
    assert budgets["Condition"]["ArnLike"] == {
        "aws:SourceArn": f"arn:aws:budgets::{stack.account_id}:*"
    }


def test_the_topic_still_lets_this_accounts_alarms_publish(stack):
    (policy,) = stack.raw["aws_sns_topic_policy"]
    statements = {s["Sid"]: s for s in json.loads(policy["policy"])["Statement"]}
    alarms = statements["CloudWatchAlarmsPublish"]

    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert alarms["Condition"]["ArnLike"]["aws:SourceArn"] == (
        f"arn:aws:cloudwatch:{stack.region}:{stack.account_id}:alarm:*"
    )


def test_the_whole_account_is_counted_unless_the_environment_tag_is_asked_for(stack):
    assert not _budget(stack).get("cost_filter")


def test_the_environment_tag_scopes_the_budget_when_asked_for():
    stack = terraform_model.load("staging", variables={"budget_by_environment_tag": True})
    cost_filter = _budget(stack)["cost_filter"]
    (cost_filter,) = cost_filter if isinstance(cost_filter, list) else [cost_filter]
    assert cost_filter["name"] == "TagKeyValue"
    assert cost_filter["values"] == ["user:Environment$staging"]
