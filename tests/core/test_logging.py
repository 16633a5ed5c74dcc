"""One JSON line per request with ids, route, status and timing; nothing sensitive."""

from __future__ import annotations

import json

from handlers.core.log import JsonLogger
from tests.support.events import body_of, http_v2


def _lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def _request_line(capsys) -> dict:
    return next(line for line in _lines(capsys) if line["message"] == "request")


def test_request_line_carries_the_required_fields(app, capsys):
    app.lambda_handler(http_v2("GET", "/items/1"), None)
    line = _request_line(capsys)
    for field in ("level", "message", "timestamp", "function", "requestId", "correlationId"):
        assert line[field]
    assert line["route"] == "GET /items/{itemId}"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["cold_start"] is True
    assert line["function"] == "demo"


def test_second_invocation_is_not_a_cold_start(app, capsys):
    app.lambda_handler(http_v2("GET", "/items/1"), None)
    capsys.readouterr()
    app.lambda_handler(http_v2("GET", "/items/1"), None)
    assert _request_line(capsys)["cold_start"] is False


def test_correlation_id_is_taken_from_the_header_and_echoed(app, capsys):
    event = http_v2("GET", "/items/1", headers={"x-correlation-id": "abc-123"})
    response = app.lambda_handler(event, None)
    assert response["headers"]["X-Correlation-Id"] == "abc-123"
    assert _request_line(capsys)["correlationId"] == "abc-123"


def test_correlation_id_is_generated_when_absent(app):
    response = app.lambda_handler(http_v2("GET", "/items/1"), None)
    assert len(response["headers"]["X-Correlation-Id"]) == 36


def test_unsafe_correlation_id_is_replaced(app):
    event = http_v2("GET", "/items/1", headers={"x-correlation-id": "a\nb<script>"})
    response = app.lambda_handler(event, None)
    assert response["headers"]["X-Correlation-Id"] != "a\nb<script>"


def test_user_agent_is_truncated_to_100_characters(app, capsys):
    app.lambda_handler(http_v2("GET", "/items/1", headers={"user-agent": "u" * 500}), None)
    assert _request_line(capsys)["userAgent"] == "u" * 100


def test_client_ip_api_key_and_body_never_reach_the_log(app, capsys):
    event = http_v2(
        "POST",
        "/items",
        body={"secret": "s3cr3t-body"},
        headers={"x-api-key": "key-abc-123"},
        source_ip="198.51.100.23",
    )
    app.lambda_handler(event, None)
    out = capsys.readouterr().out
    assert "198.51.100.23" not in out
    assert "key-abc-123" not in out
    assert "s3cr3t-body" not in out


def test_presigned_urls_and_sensitive_keys_are_redacted(capsys):
    logger = JsonLogger()
    logger.info(
        "x",
        uploadUrl="https://b.s3/x",
        note="https://bucket.s3.amazonaws.com/key?X-Amz-Signature=abc123",
        ip="198.51.100.1",
    )
    line = _lines(capsys)[0]
    assert line["uploadUrl"] == "[redacted]"
    assert line["note"] == "[redacted]"
    assert line["ip"] == "[redacted]"


def test_log_level_hides_lower_levels(app, monkeypatch, capsys):
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    app.reset()
    app.lambda_handler(http_v2("GET", "/items/1"), None)
    assert _lines(capsys) == []


def test_errors_are_logged_at_error_level(app, capsys):
    app.lambda_handler(http_v2("GET", "/boom"), None)
    assert _request_line(capsys)["level"] == "ERROR"


def test_debug_mode_logs_the_event_shape_and_flags_the_response(app, monkeypatch, capsys):
    monkeypatch.setenv("DEBUG", "true")
    app.reset()
    response = app.lambda_handler(http_v2("GET", "/items/1", source_ip="198.51.100.9"), None)
    assert response["headers"]["X-Debug-Mode"] == "true"
    lines = _lines(capsys)
    shape = next(line for line in lines if line["message"] == "event received")
    assert "requestContext" in shape["shape"]["keys"]
    assert "198.51.100.9" not in json.dumps(lines)


def test_debug_off_adds_no_debug_header(app):
    response = app.lambda_handler(http_v2("GET", "/items/1"), None)
    assert "X-Debug-Mode" not in response["headers"]
    assert body_of(response)["itemId"] == "1"
