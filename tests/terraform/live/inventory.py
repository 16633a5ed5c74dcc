"""Everything of a kind the stack creates that the moto server holds, by kind, as names."""

from __future__ import annotations

from typing import Any

from tests.terraform.live.deployment import STATE_BUCKET, Checkout


def _names(pages: Any, key: str, field: str) -> list[str]:
    return [item[field] for page in pages for item in page.get(key, [])]


def resources(checkout: Checkout) -> dict[str, list[str]]:
    """Names per kind; the test's own state bucket is not part of the stack and left out."""
    client = checkout.client

    def paged(service: str, operation: str, key: str, field: str, **kwargs: Any) -> list[str]:
        paginator = client(service).get_paginator(operation)
        return _names(paginator.paginate(**kwargs), key, field)

    distributions = client("cloudfront").list_distributions()["DistributionList"]
    controls = client("cloudfront").list_origin_access_controls()["OriginAccessControlList"]
    found = {
        "lambda functions": paged("lambda", "list_functions", "Functions", "FunctionName"),
        "dynamodb tables": client("dynamodb").list_tables()["TableNames"],
        "s3 buckets": [
            b["Name"] for b in client("s3").list_buckets()["Buckets"] if b["Name"] != STATE_BUCKET
        ],
        "iam roles": paged("iam", "list_roles", "Roles", "RoleName"),
        "log groups": paged("logs", "describe_log_groups", "logGroups", "logGroupName"),
        "apis": [api["Name"] for api in client("apigatewayv2").get_apis()["Items"]],
        "ecr repositories": paged("ecr", "describe_repositories", "repositories", "repositoryName"),
        "ssm parameters": paged("ssm", "describe_parameters", "Parameters", "Name"),
        "sns topics": paged("sns", "list_topics", "Topics", "TopicArn"),
        "alarms": paged("cloudwatch", "describe_alarms", "MetricAlarms", "AlarmName"),
        "dashboards": paged("cloudwatch", "list_dashboards", "DashboardEntries", "DashboardName"),
        "sqs queues": [
            url.rsplit("/", 1)[-1] for url in client("sqs").list_queues().get("QueueUrls", [])
        ],
        "event source mappings": [
            f"{m['EventSourceArn'].rsplit(':', 1)[-1]} -> {m['FunctionArn'].split(':function:')[1]}"
            for m in client("lambda").list_event_source_mappings()["EventSourceMappings"]
        ],
        "cloudfront distributions": [d["Comment"] for d in distributions.get("Items", [])],
        "origin access controls": [c["Name"] for c in controls.get("Items", [])],
    }
    return {kind: sorted(names) for kind, names in found.items() if names}


def of(checkout: Checkout, fragment: str) -> dict[str, list[str]]:
    """resources() whose name contains `fragment`, e.g. "staging"."""
    matching = {
        kind: [name for name in names if fragment in name]
        for kind, names in resources(checkout).items()
    }
    return {kind: names for kind, names in matching.items() if names}
