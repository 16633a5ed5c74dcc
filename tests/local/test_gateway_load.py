"""The local gateways under a crowd: a real listen backlog, and malformed framing answered."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from local.gateways.background_server import LISTEN_BACKLOG
from local.gateways.http import HttpGateway, Route, content_length

CROWD = 300


def answer(function: str, event: dict, request_id: str) -> object:
    return {"statusCode": 200, "body": json.dumps({"ok": True})}


@pytest.fixture
def idle_gateway() -> Iterator[HttpGateway]:
    """A gateway that is bound and listening but not yet accepting (busy, as under a burst)."""
    gateway = HttpGateway(
        "127.0.0.1",
        0,
        [Route("GET /health", "counter")],
        answer,
        documents={"/openapi.json": lambda: {"openapi": "3.1.0"}},
    )
    yield gateway
    gateway.stop()


def test_a_crowd_connecting_at_once_is_queued_not_reset(idle_gateway):
    sockets = []
    try:
        for _ in range(CROWD):
            # With the default backlog of 5 these connects time out once the queue is full.
            sockets.append(socket.create_connection(("127.0.0.1", idle_gateway.port), timeout=2))
        idle_gateway.start()
        for sock in sockets:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answers = [sock.recv(64) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    assert LISTEN_BACKLOG >= CROWD
    assert all(a.startswith(b"HTTP/1.1 200") for a in answers)


def raw(gateway: HttpGateway, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as sock:
        sock.sendall(request)
        time.sleep(0.05)
        return sock.recv(4096)


@pytest.mark.parametrize("length", [b"abc", b"-1", b"1e3", "\u0661".encode()])
def test_a_content_length_that_is_not_a_number_is_a_400(idle_gateway, length):
    idle_gateway.start()
    answer_ = raw(idle_gateway, b"POST /health HTTP/1.1\r\nContent-Length: " + length + b"\r\n\r\n")
    assert answer_.startswith(b"HTTP/1.1 400")


def test_content_length_parsing():
    assert [content_length(v) for v in (None, "", " 12 ", "0")] == [0, 0, 12, 0]
    assert [content_length(v) for v in ("x", "-1", "+5", "\u0661")] == [None] * 4


def test_the_gateway_serves_its_documents(idle_gateway):
    idle_gateway.start()
    answer_ = raw(
        idle_gateway, b"GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    head, _, body = answer_.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"content-type: application/json" in head.lower()
    assert json.loads(body) == {"openapi": "3.1.0"}
