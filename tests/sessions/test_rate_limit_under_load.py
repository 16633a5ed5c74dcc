"""A burst of POST /sessions against a moto server behaving like DynamoDB under contention."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from handlers.core import aws
from handlers.core.clock import FakeClock
from handlers.sessions.app import app as sessions_app
from tests.sessions.conftest import configure, provision
from tests.support.dynamodb_contention import Contention
from tests.support.events import http_v2

BURST = 200
GLOBAL_LIMIT = 150


@pytest.fixture
def contended(server_aws, monkeypatch):
    configure(monkeypatch)
    monkeypatch.setenv("GLOBAL_LIMIT", str(GLOBAL_LIMIT))
    provision()
    sessions_app.reset()
    monkeypatch.setattr(sessions_app, "clock", FakeClock(1_700_000_000))
    contention = Contention(aws.client("dynamodb"))
    contention.install(monkeypatch)
    yield contention
    sessions_app.reset()


def test_200_concurrent_requests_get_only_200s_and_429s(contended):
    def create(n: int) -> int:
        event = http_v2("POST", "/sessions", source_ip=f"198.51.100.{n % 250}", request_id=f"r{n}")
        return sessions_app.lambda_handler(event, None)["statusCode"]

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        statuses = Counter(pool.map(create, range(BURST)))
    assert set(statuses) == {200, 429}
    assert statuses[200] == GLOBAL_LIMIT
    assert contended.conflicts == 0
