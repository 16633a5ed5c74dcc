"""Alarms, dashboard, image repository: what an operator relies on after the deploy."""

from __future__ import annotations

import json

import terraform_model


def _alarms(stack) -> dict[str, dict]:
    """Every alarm, as its metric_alarm module call (metrics, expression, threshold, topic)."""
    return {
        call["name"]: call
        for call in stack.raw["module"]
        if str(call.get("source", "")).endswith("metric_alarm")
    }


def _topic_id(stack):
    (topic,) = stack.raw["aws_sns_topic"]
    return topic["id"]


def test_the_http_api_alarms_on_5xx_above_the_environment_threshold(stack):
    alarm = _alarms(stack)[f"qrstack-{stack.workspace}-http-api-5xx"]
    (api,) = [a for a in stack.raw["aws_apigatewayv2_api"] if a["protocol_type"] == "HTTP"]
    (metric,) = alarm["metrics"].values()

    assert (metric["namespace"], metric["metric_name"], metric["stat"]) == (
        "AWS/ApiGateway",
        "5xx",
        "Sum",
    )
    assert metric["dimensions"] == {"ApiId": api["id"], "Stage": "$default"}
    assert alarm["threshold"] == stack.settings["http_5xx_threshold"]
    assert alarm["topic_arn"] == _topic_id(stack)


def test_every_table_alarms_on_throttled_requests(stack):
    alarms = _alarms(stack)

    for table in stack.tables:
        alarm = alarms[f"{table}-throttled-requests"]
        metrics = {m["metric_name"] for m in alarm["metrics"].values()}
        assert metrics == {"ReadThrottleEvents", "WriteThrottleEvents"}
        assert alarm["expression"] == "reads + writes"
        assert alarm["topic_arn"] == _topic_id(stack)


def test_every_alarm_of_the_stack_is_one_metric_alarm_notifying_the_one_topic(stack):
    alarms = _alarms(stack)
    (resources,) = {len(stack.raw["aws_cloudwatch_metric_alarm"])}

    # 3 per function, the HTTP API's 5xx, 1 per table, 2 per queue with a dead-letter queue.
    queues = sum(1 for q in stack.queues.values() if q.dead_letter_queue)
    assert len(alarms) == resources == 3 * len(stack.functions) + 1 + len(stack.tables) + 2 * queues
    assert {alarm["topic_arn"] for alarm in alarms.values()} == {_topic_id(stack)}


def test_one_dashboard_shows_every_alarm(stack):
    (dashboard,) = stack.raw["aws_cloudwatch_dashboard"]
    widgets = json.loads(dashboard["dashboard_body"])["widgets"]
    (alarm_widget,) = [w for w in widgets if w["type"] == "alarm"]
    alarm_ids = {a["id"] for a in stack.raw["aws_cloudwatch_metric_alarm"]}

    assert dashboard["dashboard_name"] == f"qrstack-{stack.workspace}-{stack.region}"
    assert set(alarm_widget["properties"]["alarms"]) == alarm_ids


def test_alarm_email_is_optional():
    without = terraform_model.load("dev").raw
    with_email = terraform_model.load("dev", variables={"alarm_email": "ops@example.com"}).raw

    assert "aws_sns_topic_subscription" not in without
    (subscription,) = with_email["aws_sns_topic_subscription"]
    assert (subscription["protocol"], subscription["endpoint"]) == ("email", "ops@example.com")


def test_the_image_repository_is_immutable_scanned_and_encrypted(stack):
    (repository,) = stack.raw["aws_ecr_repository"]

    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert repository["image_scanning_configuration"]["scan_on_push"] is True
    assert repository["encryption_configuration"]["encryption_type"] == "KMS"


def test_old_untagged_images_expire_and_the_last_20_tags_are_kept(stack):
    (policy,) = stack.raw["aws_ecr_lifecycle_policy"]
    rules = {
        r["selection"]["tagStatus"]: r["selection"] for r in json.loads(policy["policy"])["rules"]
    }

    assert rules["untagged"]["countType"] == "sinceImagePushed"
    assert rules["untagged"]["countNumber"] <= 7
    assert rules["tagged"] == {
        "tagStatus": "tagged",
        "tagPatternList": ["*"],
        "countType": "imageCountMoreThan",
        "countNumber": 20,
    }
