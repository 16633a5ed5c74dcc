"""The realtime function against moto, with a stubbed management API to count pushes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.stub import Stubber

from handlers.core import aws
from handlers.core.clock import FakeClock
from handlers.realtime.app import app as realtime_app
from tests.conftest import dynamodb
from tests.support.tables import SESSIONS, create_sessions_table

WS_ENDPOINT = "https://abc123.execute-api.us-east-1.amazonaws.com/dev"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_700_000_000)


def configured(monkeypatch: pytest.MonkeyPatch, clock: FakeClock, endpoint: str = WS_ENDPOINT):
    """The realtime app on a fresh sessions table, pushing to `endpoint`."""
    monkeypatch.setenv("SESSIONS_TABLE_NAME", SESSIONS)
    monkeypatch.setenv("WS_API_ENDPOINT", endpoint)
    create_sessions_table(dynamodb())
    realtime_app.reset()
    monkeypatch.setattr(realtime_app, "clock", clock)
    return realtime_app


@pytest.fixture
def app(moto, monkeypatch, clock) -> Iterator:
    yield configured(monkeypatch, clock)
    realtime_app.reset()


@pytest.fixture
def pushes(app) -> Iterator[Stubber]:
    """A Stubber on the very client the notifier uses; unexpected pushes fail the test.

    moto's post_to_connection always succeeds, so only a stub can say 410 Gone.
    """
    client = aws.client("apigatewaymanagementapi", endpoint_url=WS_ENDPOINT)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def put_session(session_id: str, status: str, created: int, **extra: str) -> None:
    item = {
        "sessionId": {"S": session_id},
        "status": {"S": status},
        "createdAt": {"N": str(created)},
        "expiresAt": {"N": str(created + 1800)},
    }
    item.update({k: {"S": v} for k, v in extra.items()})
    dynamodb().put_item(TableName=SESSIONS, Item=item)


def get_session(session_id: str) -> dict:
    return dynamodb().get_item(TableName=SESSIONS, Key={"sessionId": {"S": session_id}})["Item"]
