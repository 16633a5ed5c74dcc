"""POST /log takes browser error reports: validated, size- and rate-limited, logged."""

from __future__ import annotations

import json

import pytest

from handlers.sessions.app import LOG_REPORTS_PER_IP_PER_HOUR
from tests.support.events import body_of, http_v2


def _post(app, body, **kwargs):
    return app.lambda_handler(http_v2("POST", "/log", body=body, **kwargs), None)


def test_valid_report_is_accepted_with_202(app):
    response = _post(app, {"level": "error", "message": "boom"})
    assert response["statusCode"] == 202
    assert body_of(response) == {"accepted": True}


def test_report_is_logged_with_the_correlation_id(app, capsys):
    _post(
        app,
        {"message": "boom", "url": "https://x.example/p?sessionId=secret#frag"},
        headers={"x-correlation-id": "corr-9"},
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    report = next(line for line in lines if line["message"] == "browser report")
    assert report["correlationId"] == "corr-9"
    assert report["report"]["url"] == "https://x.example/p"
    assert report["level"] == "ERROR"


def test_invalid_json_is_a_400(app):
    response = _post(app, "{oops")
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Request body is not valid JSON"


def test_missing_message_is_a_400(app):
    response = _post(app, {"level": "error"})
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "message is required"


def test_unknown_level_is_a_400(app):
    response = _post(app, {"level": "fatal", "message": "x"})
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "level must be one of error, warn, info"


def test_non_string_field_is_a_400(app):
    response = _post(app, {"message": "x", "stack": ["a"]})
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "stack must be a string"


def test_oversized_report_is_a_413(app):
    response = _post(app, {"message": "x" * 9000})
    assert response["statusCode"] == 413
    assert body_of(response)["error"] == "Request body exceeds 8192 bytes"


def test_reports_are_rate_limited_per_address(app):
    for _ in range(LOG_REPORTS_PER_IP_PER_HOUR):
        assert _post(app, {"message": "x"})["statusCode"] == 202
    response = _post(app, {"message": "x"})
    assert response["statusCode"] == 429
    assert body_of(response)["error"] == "Too many requests from this address"


@pytest.mark.parametrize("level", ["warn", "info"])
def test_lower_levels_are_accepted(app, level):
    assert _post(app, {"level": level, "message": "x"})["statusCode"] == 202
