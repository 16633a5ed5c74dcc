"""A tiny deployment, profile and price list in round numbers: every cost checkable by hand."""

from __future__ import annotations

import pytest

from buildtools.cost import profile as profile_module
from buildtools.cost.deployment import Deployment, FunctionSize
from buildtools.cost.prices import Prices
from buildtools.cost.profile import Profile


@pytest.fixture
def deployment() -> Deployment:
    return Deployment(
        environment="prod",
        region="eu-west-1",
        functions={
            "sessions": FunctionSize("qr-upload-http-api-prod", 1024, "x86_64"),
            "realtime": FunctionSize("qr-upload-websocket-event-prod", 512, "arm64"),
            "counter": FunctionSize("visitor-counter-prod", 1024, "x86_64"),
            "scanner": FunctionSize("pixel-detector-prod", 2048, "x86_64"),
        },
        log_retention_days=60,
        alarms=3,
        alarm_metrics=4,
        dashboards=2,
        uploads_expire_after_days=3,
        ecr_tagged_images_kept=2,
        point_in_time_recovery=True,
        static_site=True,
    )


@pytest.fixture
def profile() -> Profile:
    shape = profile_module.load("small").shape
    shape = {key: dict(value) for key, value in shape.items()}
    shape["session"].update(
        http_requests=3, sessions_invocations=2, realtime_invocations=4, websocket_messages=1,
        websocket_connection_minutes=5, dynamodb_writes=2, dynamodb_reads=1, s3_puts=1,
        s3_gets=2, upload_mb=1024, page_views=1, page_requests=10, page_kb=1024 * 1024,
    )  # fmt: skip
    shape["visit"].update(
        http_requests=1, counter_invocations=1, dynamodb_writes=1, dynamodb_reads=0
    )
    shape["health_check"].update(http_requests=1, counter_invocations=1, dynamodb_reads=1)
    shape["scan"].update(
        http_requests=1, scanner_invocations=1, dynamodb_writes_hit=2, dynamodb_writes_miss=3,
        dynamodb_reads=1, result_kb=1024 * 1024,
    )  # fmt: skip
    shape["duration_ms"].update(
        sessions=1000, realtime=2000, counter=1000, scanner_hit=1000, scanner_miss=10000
    )
    shape["log_bytes"].update(
        sessions=1024**3, realtime=0, counter=0, scanner=0, http_access=0
    )  # fmt: skip
    shape["image"].update(compressed_gb=3)
    return Profile(
        name="tiny",
        description="round numbers",
        sessions=1_000_000,
        visits=1_000_000,
        health_checks=1_000_000,
        scans=10,
        scan_cache_hit_ratio=0.5,
        shape=shape,
    )


@pytest.fixture
def prices() -> Prices:
    return Prices(
        region="eu-west-1",
        read_on="2026-01-01",
        source="test",
        lambda_={"request_per_million": 1.0, "gb_second": {"x86_64": 0.01, "arm64": 0.001}},
        apigateway={
            "http_request_per_million": 2.0,
            "websocket_message_per_million": 3.0,
            "websocket_connection_minute_per_million": 4.0,
        },
        dynamodb={
            "write_request_unit_per_million": 5.0,
            "read_request_unit_per_million": 6.0,
            "storage_gb_month": 7.0,
            "point_in_time_recovery_gb_month": 8.0,
        },
        s3={"storage_gb_month": 1.0, "put_per_thousand": 0.001, "get_per_thousand": 0.002},
        cloudfront={"transfer_out_gb": 0.5, "https_request_per_ten_thousand": 0.01},
        cloudwatch={
            "log_ingest_gb": 1.0,
            "log_storage_gb_month": 0.5,
            "alarm_metric_month": 0.25,
            "dashboard_month": 3.0,
        },
        ecr={"storage_gb_month": 0.1},
        free_tier={
            "lambda_requests": 1_000_000,
            "lambda_gb_seconds": 400_000,
            "dynamodb_storage_gb": 25,
            "cloudfront_transfer_out_gb": 1024,
            "cloudfront_https_requests": 10_000_000,
            "cloudwatch_log_gb": 5,
            "cloudwatch_alarm_metrics": 10,
            "cloudwatch_dashboards": 3,
        },
    )
