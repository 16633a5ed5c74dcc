"""Each service's line items: quantity from the profile and deployment, cost at the unit price."""

from __future__ import annotations

import pytest

from buildtools.cost.estimate import estimate


def lines_of(result, service: str) -> dict[tuple[str, str], tuple[float, float]]:
    return {
        (line.item, line.resource): (line.quantity, line.cost)
        for line in result.lines
        if line.service == service
    }


def test_upload_sessions_are_priced_per_session(deployment, profile, prices) -> None:
    lines = lines_of(estimate(deployment, profile, prices), "upload sessions")

    assert lines[("Lambda requests", "qr-upload-http-api-prod")] == (2e6, pytest.approx(2.0))
    # 2M invocations x 1 s x 1 GB at 0.01; the realtime function is arm64: 4M x 2 s x 0.5 GB.
    assert lines[("Lambda compute (x86_64)", "qr-upload-http-api-prod")] == (
        pytest.approx(2e6),
        pytest.approx(20_000.0),
    )
    assert lines[("Lambda compute (arm64)", "qr-upload-websocket-event-prod")] == (
        pytest.approx(4e6),
        pytest.approx(4_000.0),
    )
    assert lines[("HTTP API requests", "")] == (3e6, pytest.approx(6.0))
    assert lines[("WebSocket messages", "")] == (1e6, pytest.approx(3.0))
    assert lines[("WebSocket connection minutes", "")] == (5e6, pytest.approx(20.0))
    assert lines[("DynamoDB write units", "")] == (2e6, pytest.approx(10.0))
    assert lines[("DynamoDB read units", "")] == (1e6, pytest.approx(6.0))
    assert lines[("S3 PUT requests", "")] == (1e6, pytest.approx(1.0))
    assert lines[("S3 GET requests", "")] == (2e6, pytest.approx(4.0))
    # 1M uploads of 1 GB kept 3 days of 30.
    assert lines[("S3 storage", "")] == (pytest.approx(100_000.0), pytest.approx(100_000.0))
    assert lines[("CloudFront HTTPS requests", "")] == (1e7, pytest.approx(10.0))
    assert lines[("CloudFront transfer out", "")] == (pytest.approx(1e6), pytest.approx(5e5))


def test_logs_are_stored_for_the_retention_period(deployment, profile, prices) -> None:
    lines = lines_of(estimate(deployment, profile, prices), "upload sessions")

    # 2M sessions-function invocations logging 1 GB each; kept 60 days = two months stored.
    assert lines[("CloudWatch Logs ingestion", "")] == (pytest.approx(2e6), pytest.approx(2e6))
    assert lines[("CloudWatch Logs storage", "")] == (pytest.approx(4e6), pytest.approx(2e6))


def test_visitor_counter_counts_visits_and_health_checks(deployment, profile, prices) -> None:
    lines = lines_of(estimate(deployment, profile, prices), "visitor counter")

    assert lines[("Lambda requests", "visitor-counter-prod")] == (2e6, pytest.approx(2.0))
    assert lines[("HTTP API requests", "")] == (2e6, pytest.approx(4.0))
    assert lines[("DynamoDB write units", "")] == (1e6, pytest.approx(5.0))
    assert lines[("DynamoDB read units", "")] == (1e6, pytest.approx(6.0))


def test_pixel_detector_prices_cache_hits_and_misses_apart(deployment, profile, prices) -> None:
    lines = lines_of(estimate(deployment, profile, prices), "pixel detector")

    # 5 hits of 1 s and 5 misses of 10 s at 2 GB.
    assert lines[("Lambda compute (x86_64)", "pixel-detector-prod")] == (
        pytest.approx(110.0),
        pytest.approx(1.1),
    )
    assert lines[("DynamoDB write units", "")][0] == 5 * 2 + 5 * 3
    # Each miss caches 1 GB; point-in-time recovery is on, so it is billed twice.
    assert lines[("DynamoDB storage", "")] == (pytest.approx(5.0), pytest.approx(35.0))
    assert lines[("DynamoDB point-in-time recovery", "")] == (
        pytest.approx(5.0),
        pytest.approx(40.0),
    )
    assert lines[("ECR storage", "")] == (pytest.approx(6.0), pytest.approx(0.6))


def test_alarms_and_dashboards_are_shared(deployment, profile, prices) -> None:
    lines = lines_of(estimate(deployment, profile, prices), "shared")

    assert lines == {
        ("CloudWatch alarm metrics", ""): (4, pytest.approx(1.0)),
        ("CloudWatch dashboards", ""): (2, pytest.approx(6.0)),
    }


def test_no_cloudfront_without_the_static_site(deployment, profile, prices) -> None:
    from dataclasses import replace

    result = estimate(replace(deployment, static_site=False), profile, prices)

    assert not [line for line in result.lines if line.item.startswith("CloudFront")]


def test_services_add_up_to_the_total(deployment, profile, prices) -> None:
    result = estimate(deployment, profile, prices)

    assert sum(result.by_service().values()) == pytest.approx(result.total)
