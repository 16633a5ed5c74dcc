"""Pushes fit in the invocation: one deadline per S3 event, a hung endpoint costs no record its
completion or another connection its message, and an upload after expiry is reported once."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import dynamodb
from tests.realtime.conftest import configured
from tests.support.events import LambdaContext, s3_created
from tests.support.tables import SESSIONS

HUNG = "conn-hung"
SESSIONS_OF_EVENT = [f"6666666{n}-6666-4666-8666-666666666666" for n in range(4)]


class ManagementApi:
    """A WebSocket management endpoint on 127.0.0.1 that records pushes and can hang."""

    def __init__(self, hang_all: bool = False) -> None:
        self.received: list[tuple[str, dict]] = []
        self.hang_all = hang_all
        self.release = threading.Event()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                return

            def do_POST(self) -> None:
                connection = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if api.hang_all or connection == HUNG:
                    api.release.wait(30)  # a hung endpoint: no answer until the test ends
                    return
                api.received.append((connection, json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/dev"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def management(server_aws) -> Iterator[ManagementApi]:
    api = ManagementApi()
    yield api
    api.close()


@pytest.fixture
def hung(server_aws) -> Iterator[ManagementApi]:
    api = ManagementApi(hang_all=True)
    yield api
    api.close()


def put(session_id: str, created: int, connection: str | None = None) -> None:
    item = {
        "sessionId": {"S": session_id},
        "status": {"S": "UPLOAD_REQUESTED"},
        "createdAt": {"N": str(created)},
        "expiresAt": {"N": str(created + 1800)},
    }
    if connection:
        item["wsConnectionId"] = {"S": connection}
    dynamodb().put_item(TableName=SESSIONS, Item=item)


def event_for(*session_ids: str) -> dict:
    return s3_created(*(f"session-uploads/{s}/image-1700000000000" for s in session_ids))


def status(session_id: str) -> str:
    item = dynamodb().get_item(TableName=SESSIONS, Key={"sessionId": {"S": session_id}})["Item"]
    return item["status"]["S"]


def test_one_deadline_covers_every_push_of_an_event(hung, monkeypatch, clock):
    app = configured(monkeypatch, clock, hung.url)
    for n, session_id in enumerate(SESSIONS_OF_EVENT):
        put(session_id, int(clock()), connection=f"conn-{n}")
    started = time.monotonic()
    result = app.lambda_handler(event_for(*SESSIONS_OF_EVENT), LambdaContext(remaining_ms=9_000))
    took = time.monotonic() - started
    assert result["completed"] == 4
    # 9 s left, 5 s kept in reserve: the pushes get 4 s together, however many records.
    assert took < 9.0
    assert [status(s) for s in SESSIONS_OF_EVENT] == ["COMPLETED"] * 4


def test_a_hung_connection_costs_the_other_records_nothing(management, monkeypatch, clock):
    app = configured(monkeypatch, clock, management.url)
    connections = [HUNG, "conn-1", "conn-2", "conn-3"]
    for session_id, connection in zip(SESSIONS_OF_EVENT, connections, strict=True):
        put(session_id, int(clock()), connection=connection)
    result = app.lambda_handler(event_for(*SESSIONS_OF_EVENT), LambdaContext(remaining_ms=12_000))
    assert result["completed"] == 4
    told = {connection: message["action"] for connection, message in management.received}
    assert told == {
        "conn-1": "UPLOAD_COMPLETED",
        "conn-2": "UPLOAD_COMPLETED",
        "conn-3": "UPLOAD_COMPLETED",
    }


def test_an_upload_after_expiry_delivered_ten_times_pushes_one_error(
    management, monkeypatch, clock
):
    app = configured(monkeypatch, clock, management.url)
    session_id = SESSIONS_OF_EVENT[0]
    put(session_id, int(clock()), connection="conn-1")
    clock.advance(1801)
    outcomes = [
        app.lambda_handler(event_for(session_id), LambdaContext())["expired"] for _ in range(10)
    ]
    assert outcomes == [1] * 10
    assert management.received == [
        ("conn-1", {"action": "ERROR", "sessionId": session_id, "message": "Session expired"})
    ]
    assert status(session_id) == "UPLOAD_REQUESTED"
