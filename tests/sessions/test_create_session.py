"""POST /sessions creates an AWAITING_SCAN session that expires in 30 minutes."""

from __future__ import annotations

import json

from tests.sessions.conftest import get_session
from tests.support.events import body_of, http_v2


def test_create_returns_the_id_and_expiry(app, clock):
    response = app.lambda_handler(http_v2("POST", "/sessions"), None)
    assert response["statusCode"] == 200
    body = body_of(response)
    assert body["expiresAt"] == int(clock()) + 1800
    assert set(body) == {"sessionId", "expiresAt"}


def test_create_stores_the_session_with_ttl(app, clock):
    session_id = body_of(app.lambda_handler(http_v2("POST", "/sessions"), None))["sessionId"]
    item = get_session(session_id)
    assert item["status"] == {"S": "AWAITING_SCAN"}
    assert item["createdAt"] == {"N": str(int(clock()))}
    assert item["expiresAt"] == {"N": str(int(clock()) + 1800)}
    assert "wsConnectionId" not in item


def test_create_emits_the_session_created_metric(app, capsys):
    app.lambda_handler(http_v2("POST", "/sessions"), None)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    metric = next(line for line in lines if "_aws" in line)
    assert metric["SessionCreated"] == 1
    assert metric["Function"] == "qr-upload-http-api"


def test_create_is_rate_limited_per_address(app):
    for _ in range(3):
        assert app.lambda_handler(http_v2("POST", "/sessions"), None)["statusCode"] == 200
    response = app.lambda_handler(http_v2("POST", "/sessions"), None)
    assert response["statusCode"] == 429
    assert body_of(response) == {
        "error": "Too many requests from this address",
        "requestId": "req-1",
    }
    assert int(response["headers"]["Retry-After"]) > 0


def test_whitelisted_address_is_never_rate_limited(app):
    for _ in range(5):
        event = http_v2("POST", "/sessions", source_ip="192.0.2.99")
        assert app.lambda_handler(event, None)["statusCode"] == 200


def test_create_answers_500_when_the_table_is_missing(app, monkeypatch):
    monkeypatch.setenv("SESSIONS_TABLE_NAME", "no-such-table")
    app.reset()
    response = app.lambda_handler(http_v2("POST", "/sessions"), None)
    assert response["statusCode"] == 500
    assert body_of(response) == {"error": "Internal error", "requestId": "req-1"}
