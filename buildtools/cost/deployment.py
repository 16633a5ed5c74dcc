"""What one Terraform workspace deploys that costs money, read from the offline Terraform model."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import terraform_model


class UnknownEnvironment(ValueError):
    """The environment is not a workspace the Terraform accepts."""


@dataclass(frozen=True)
class FunctionSize:
    """The billed size of one function: its memory and CPU architecture."""

    name: str
    memory_mb: int
    architecture: str


@dataclass(frozen=True)
class Deployment:
    """The priced facts of one environment: function sizes, retention, alarms, lifecycles."""

    environment: str
    region: str
    functions: dict[str, FunctionSize]  # by handlers/ service folder
    log_retention_days: int
    alarms: int
    alarm_metrics: int  # what CloudWatch bills: every metric an alarm evaluates
    dashboards: int
    uploads_expire_after_days: int | None
    ecr_tagged_images_kept: int
    point_in_time_recovery: bool
    static_site: bool


def load(environment: str) -> Deployment:
    """What workspace `environment` deploys; UnknownEnvironment when there is no such workspace."""
    allowed = terraform_model.allowed_workspaces()
    if environment not in allowed:
        raise UnknownEnvironment(
            f"unknown environment {environment!r}: use one of {', '.join(allowed)}"
        )
    stack = terraform_model.load(environment)
    raw = stack.raw
    architectures = {
        block.get("function_name"): (block.get("architectures") or ["x86_64"])[0]
        for block in raw.get("aws_lambda_function", [])
    }
    alarms = raw.get("aws_cloudwatch_metric_alarm", [])
    return Deployment(
        environment=environment,
        region=stack.region,
        functions={
            service: FunctionSize(
                name=f.name,
                memory_mb=int(f.memory_mb),
                architecture=architectures.get(f.name, "x86_64"),
            )
            for service, f in stack.functions.items()
        },
        log_retention_days=int(stack.settings["log_retention_days"]),
        alarms=len(alarms),
        alarm_metrics=sum(_metrics_of(alarm) for alarm in alarms),
        dashboards=len(raw.get("aws_cloudwatch_dashboard", [])),
        uploads_expire_after_days=_upload_expiry(stack),
        ecr_tagged_images_kept=_tagged_images_kept(raw),
        point_in_time_recovery=any(t.point_in_time_recovery for t in stack.tables.values()),
        static_site=bool(raw.get("aws_cloudfront_distribution")),
    )


def _metrics_of(alarm: dict[str, Any]) -> int:
    queries = alarm.get("metric_query")
    if not isinstance(queries, list):
        return 1
    return max(1, sum(1 for query in queries if query.get("metric")))


def _upload_expiry(stack: terraform_model.Stack) -> int | None:
    prefix = _root_local(stack.raw, "upload_prefix")
    for bucket in stack.buckets.values():
        for rule in bucket.lifecycle_rules:
            days = (rule.get("expiration") or {}).get("days")
            if days and (rule.get("filter") or {}).get("prefix") == prefix:
                return int(days)
    return None


def _root_local(raw: dict[str, Any], name: str) -> Any:
    for block in raw.get("locals", []):
        if name in block:
            return block[name]
    return None


def _tagged_images_kept(raw: dict[str, Any]) -> int:
    # One image when the repository keeps no count: the one the function runs.
    kept = 1
    for block in raw.get("aws_ecr_lifecycle_policy", []):
        for rule in json.loads(block.get("policy") or "{}").get("rules", []):
            selection = rule.get("selection", {})
            if (
                selection.get("tagStatus") == "tagged"
                and selection.get("countType") == "imageCountMoreThan"
            ):
                kept = max(kept, int(selection["countNumber"]))
    return kept
