"""make perf-aws's events change nothing: each function answers them without a write or a 5xx."""

from __future__ import annotations

import json

import pytest

from buildtools.aws_performance import EVENTS
from handlers.core.clock import FakeClock
from tests.conftest import dynamodb
from tests.support.tables import RATE_LIMITS, SESSIONS, create_counters_table


def _items(table: str) -> list[dict]:
    return dynamodb().scan(TableName=table)["Items"]


def test_sessions_answers_404_for_the_unknown_session(moto, monkeypatch) -> None:
    from handlers.sessions.app import app
    from tests.sessions.conftest import configure, provision

    configure(monkeypatch)
    provision()
    app.reset()

    response = app.lambda_handler(EVENTS["sessions"], None)

    assert response["statusCode"] == 404
    assert _items(SESSIONS) == []


def test_realtime_disconnects_the_unknown_connection_quietly(moto, monkeypatch) -> None:
    from tests.realtime.conftest import configured

    app = configured(monkeypatch, FakeClock(1_700_000_000))

    assert app.lambda_handler(EVENTS["realtime"], None)["statusCode"] == 200
    assert _items(SESSIONS) == []


def test_counter_answers_the_health_check(moto, monkeypatch) -> None:
    from handlers.counter.app import app
    from tests.support.tables import COUNTERS

    monkeypatch.setenv("COUNTERS_TABLE_NAME", COUNTERS)
    create_counters_table(dynamodb())
    app.reset()

    assert app.lambda_handler(EVENTS["counter"], None)["statusCode"] in (200, 503)
    assert _items(COUNTERS) == []


def test_scanner_refuses_the_keyless_scan_before_scanning(moto, monkeypatch) -> None:
    from handlers.scanner import app
    from tests.scanner.conftest import configure_api
    from tests.support.tables import create_rate_limit_table, create_scan_cache_table

    configure_api(monkeypatch)
    create_rate_limit_table(dynamodb())
    create_scan_cache_table(dynamodb())
    app.app.reset()

    response = app.lambda_handler(EVENTS["scanner"], None)

    assert response["statusCode"] == 401
    assert "error" in json.loads(response["body"])
    # The attempt counts against its address, as every unauthenticated attempt does.
    assert len(_items(RATE_LIMITS)) <= 1


@pytest.mark.parametrize("service", sorted(EVENTS))
def test_every_event_is_json(service: str) -> None:
    assert json.loads(json.dumps(EVENTS[service])) == EVENTS[service]
