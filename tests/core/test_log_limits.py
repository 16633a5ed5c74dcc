"""What a client sends can neither bloat a log line nor be read back from it."""

from __future__ import annotations

import json

from handlers.core.log import DIGEST_LENGTH, TEXT_LIMIT, JsonLogger, digest
from tests.support.events import http_v2


def _lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]


def test_a_correlation_id_with_a_trailing_newline_is_not_echoed(app, capsys):
    event = http_v2("GET", "/items/1", headers={"x-correlation-id": "abc-123\n"})
    response = app.lambda_handler(event, None)
    assert response["headers"]["X-Correlation-Id"] != "abc-123\n"
    assert "abc-123" not in response["headers"]["X-Correlation-Id"]
    assert all(line.get("correlationId") != "abc-123\n" for line in _lines(capsys))


def test_a_refused_method_logs_no_route_and_not_the_20_kb_path(app, capsys):
    path = "/items/" + "x" * 20_000
    assert app.lambda_handler(http_v2("OPTIONS", path), None)["statusCode"] == 405
    raw = capsys.readouterr().out
    line = next(json.loads(x) for x in raw.splitlines() if '"message":"request"' in x)
    assert line["route"] == "-"
    assert len(raw) < 2_000


def test_every_client_string_in_a_log_line_is_truncated(capsys):
    JsonLogger().info("x", path="/" + "p" * 5000, nested={"header": "h" * 5000})
    line = _lines(capsys)[0]
    assert len(line["path"]) == TEXT_LIMIT
    assert len(line["nested"]["header"]) == TEXT_LIMIT


def test_a_session_id_is_logged_as_a_short_stable_digest(capsys):
    session_id = "11111111-1111-4111-8111-111111111111"
    JsonLogger().info("x", sessionId=session_id)
    line = _lines(capsys)[0]
    assert line["sessionId"] == digest(session_id)
    assert len(line["sessionId"]) == DIGEST_LENGTH
    assert session_id not in json.dumps(line)
