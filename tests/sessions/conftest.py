"""The sessions function against moto, with a clock and ids the tests control."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import boto3
import pytest

from handlers.core.clock import FakeClock
from handlers.sessions.app import app as sessions_app
from tests.conftest import REGION, dynamodb
from tests.support.tables import (
    BUCKET,
    RATE_LIMITS,
    SESSIONS,
    create_rate_limit_table,
    create_sessions_table,
    create_uploads_bucket,
)

SESSION_IDS = (f"00000000-0000-4000-8000-{n:012d}" for n in itertools.count(1))


def configure(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "SESSIONS_TABLE_NAME": SESSIONS,
        "UPLOAD_BUCKET_NAME": BUCKET,
        "RATE_LIMIT_TABLE_NAME": RATE_LIMITS,
        "IP_LIMIT": "3",
        "GLOBAL_LIMIT": "1000",
        "IP_WHITELIST": "192.0.2.99",
        "MAX_UPLOAD_BYTES": "1024",
    }.items():
        monkeypatch.setenv(name, value)


def provision() -> None:
    create_sessions_table(dynamodb())
    create_rate_limit_table(dynamodb())
    create_uploads_bucket(boto3.client("s3", region_name=REGION))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_700_000_000)


@pytest.fixture
def app(moto, monkeypatch, clock) -> Iterator:
    configure(monkeypatch)
    provision()
    sessions_app.reset()
    monkeypatch.setattr(sessions_app, "clock", clock)
    monkeypatch.setattr(sessions_app, "new_id", lambda: next(SESSION_IDS))
    yield sessions_app
    sessions_app.reset()


def put_session(session_id: str, status: str, created: int, **extra: object) -> None:
    """Arrange a session item directly, as another function would have left it."""
    item = {
        "sessionId": {"S": session_id},
        "status": {"S": status},
        "createdAt": {"N": str(created)},
        "expiresAt": {"N": str(created + 1800)},
    }
    item.update({k: {"S": str(v)} for k, v in extra.items()})
    dynamodb().put_item(TableName=SESSIONS, Item=item)


def get_session(session_id: str) -> dict:
    return dynamodb().get_item(TableName=SESSIONS, Key={"sessionId": {"S": session_id}})["Item"]
