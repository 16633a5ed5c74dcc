"""GET /counter is one atomic ADD; GET /health reads without changing anything."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from handlers.counter.app import app as counter_app
from tests.conftest import dynamodb
from tests.support.events import body_of, http_v2
from tests.support.tables import COUNTERS, create_counters_table


@pytest.fixture
def app(moto, monkeypatch):
    monkeypatch.setenv("COUNTERS_TABLE_NAME", COUNTERS)
    create_counters_table(dynamodb())
    counter_app.reset()
    yield counter_app
    counter_app.reset()


def _count(app) -> dict:
    return app.lambda_handler(http_v2("GET", "/counter"), None)


def _health(app) -> dict:
    return app.lambda_handler(http_v2("GET", "/health"), None)


def test_first_visit_counts_one(app):
    response = _count(app)
    assert response["statusCode"] == 200
    assert body_of(response) == {"count": 1}


def test_each_visit_adds_one(app):
    _count(app)
    assert body_of(_count(app)) == {"count": 2}


def test_health_is_healthy_and_reports_the_count(app):
    _count(app)
    response = _health(app)
    assert response["statusCode"] == 200
    body = body_of(response)
    assert body["status"] == "healthy"
    assert body["database"] == "connected"
    assert body["counter_value"] == 1
    assert body["service"] == "visitor-counter"


def test_health_does_not_change_the_count(app):
    _count(app)
    _health(app)
    _health(app)
    assert body_of(_count(app)) == {"count": 2}


def test_health_before_any_visit_reports_zero_and_creates_nothing(app):
    assert body_of(_health(app))["counter_value"] == 0
    assert dynamodb().scan(TableName=COUNTERS)["Count"] == 0


def test_health_is_503_without_internal_error_text(app, monkeypatch):
    monkeypatch.setenv("COUNTERS_TABLE_NAME", "no-such-table")
    app.reset()
    response = _health(app)
    assert response["statusCode"] == 503
    body = body_of(response)
    assert body["status"] == "unhealthy"
    assert body["database"] == "error"
    assert "no-such-table" not in response["body"]
    assert "ResourceNotFound" not in response["body"]


def test_counter_answers_500_when_the_table_is_missing(app, monkeypatch):
    monkeypatch.setenv("COUNTERS_TABLE_NAME", "no-such-table")
    app.reset()
    response = _count(app)
    assert response["statusCode"] == 500
    assert body_of(response) == {"error": "Internal error", "requestId": "req-1"}


def test_fifty_concurrent_visits_count_exactly_fifty(server_aws, monkeypatch):
    monkeypatch.setenv("COUNTERS_TABLE_NAME", COUNTERS)
    create_counters_table(dynamodb())
    counter_app.reset()
    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(lambda _: _count(counter_app), range(50)))
    assert all(r["statusCode"] == 200 for r in responses)
    assert sorted(body_of(r)["count"] for r in responses) == list(range(1, 51))
    assert body_of(_health(counter_app))["counter_value"] == 50
    counter_app.reset()
