"""$connect attaches the desktop to a live session; $disconnect detaches it via the GSI."""

from __future__ import annotations

import json

import pytest

from tests.realtime.conftest import get_session, put_session
from tests.support.events import body_of, websocket

SID = "33333333-3333-4333-8333-333333333333"


def _connect(app, query, connection="conn-1"):
    return app.lambda_handler(websocket("$connect", connection, query), None)


def test_connect_records_the_connection_on_the_session(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    response = _connect(app, {"sessionId": SID})
    assert response["statusCode"] == 200
    assert body_of(response) == {"message": "Connected"}
    assert get_session(SID)["wsConnectionId"] == {"S": "conn-1"}


def test_connect_without_session_id_is_refused_with_400(app):
    response = _connect(app, None)
    assert response["statusCode"] == 400
    assert body_of(response) == {"error": "sessionId is required", "requestId": "ws-req-1"}


def test_connect_with_malformed_session_id_is_refused_with_400(app):
    response = _connect(app, {"sessionId": "../../etc"})
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid sessionId format"


def test_connect_to_unknown_session_is_refused_with_404(app):
    response = _connect(app, {"sessionId": SID})
    assert response["statusCode"] == 404
    assert body_of(response)["error"] == "Session not found"


def test_connect_to_expired_session_is_refused_with_400(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    clock.advance(1800)
    response = _connect(app, {"sessionId": SID})
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Session expired"
    assert "wsConnectionId" not in get_session(SID)


def test_refused_connect_emits_the_failure_metric(app, capsys):
    _connect(app, {"sessionId": SID})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any(line.get("WebSocketConnectFailure") == 1 for line in lines)


def test_connect_answers_500_when_the_table_is_missing(app, monkeypatch):
    monkeypatch.setenv("SESSIONS_TABLE_NAME", "no-such-table")
    app.reset()
    response = _connect(app, {"sessionId": SID})
    assert response["statusCode"] == 500
    assert body_of(response) == {"error": "Internal error", "requestId": "ws-req-1"}


def test_disconnect_clears_the_connection(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()), wsConnectionId="conn-1")
    response = app.lambda_handler(websocket("$disconnect", "conn-1"), None)
    assert response["statusCode"] == 200
    assert "wsConnectionId" not in get_session(SID)


def test_disconnect_leaves_a_newer_connection_alone(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()), wsConnectionId="conn-2")
    app.lambda_handler(websocket("$disconnect", "conn-1"), None)
    assert get_session(SID)["wsConnectionId"] == {"S": "conn-2"}


def test_disconnect_of_an_unknown_connection_answers_200(app):
    response = app.lambda_handler(websocket("$disconnect", "never-seen"), None)
    assert response["statusCode"] == 200


def test_disconnect_answers_200_even_when_the_table_fails(app, monkeypatch):
    monkeypatch.setenv("SESSIONS_TABLE_NAME", "no-such-table")
    app.reset()
    assert app.lambda_handler(websocket("$disconnect", "c"), None)["statusCode"] == 200


def test_disconnect_uses_the_index_not_a_scan(app, clock, monkeypatch):
    from handlers.core import aws

    put_session(SID, "AWAITING_SCAN", int(clock()), wsConnectionId="conn-1")
    client = aws.client("dynamodb")
    monkeypatch.setattr(client, "scan", lambda **kw: pytest.fail("Scan used"))
    app.lambda_handler(websocket("$disconnect", "conn-1"), None)
    assert "wsConnectionId" not in get_session(SID)


def test_unknown_websocket_route_is_a_400(app):
    response = app.lambda_handler(websocket("$default"), None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Unsupported WebSocket route '$default'"
