"""Bad input to the sessions function: 4xx with a reason, rate limits first, ids never logged."""

from __future__ import annotations

import json

from handlers.core.log import digest
from handlers.sessions.app import LOG_REPORTS_PER_IP_PER_HOUR
from tests.support.events import body_of, http_v2


def _log(app, body, **kwargs):
    return app.lambda_handler(http_v2("POST", "/log", body=body, **kwargs), None)


def test_a_deeply_nested_report_is_a_400_not_a_500(app):
    response = _log(app, "[" * 4000 + "]" * 4000)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Request body nests deeper than 32 levels"


def test_reports_are_rate_limited_before_their_body_is_parsed(app):
    for _ in range(LOG_REPORTS_PER_IP_PER_HOUR):
        assert _log(app, {"message": "x"})["statusCode"] == 202
    for body in ("{not json", "[" * 4000 + "]" * 4000):
        response = _log(app, body)
        assert response["statusCode"] == 429
        assert body_of(response)["error"] == "Too many requests from this address"


def test_a_report_url_that_does_not_parse_is_a_400(app):
    response = _log(app, {"message": "boom", "url": "http://[::1"})
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "url is not a valid URL"


def test_the_session_id_is_logged_only_as_a_digest(app, capsys):
    created = body_of(app.lambda_handler(http_v2("POST", "/sessions"), None))
    session_id = created["sessionId"]
    app.lambda_handler(http_v2("GET", f"/sessions/{session_id}"), None)
    out = capsys.readouterr().out
    assert session_id not in out
    lines = [json.loads(line) for line in out.splitlines()]
    assert any(line.get("sessionId") == digest(session_id) for line in lines)


def test_declared_query_parameters_are_validated_before_the_handler(app):
    response = app.lambda_handler(http_v2("GET", "/upload-url", query={"sessionId": "x"}), None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid sessionId format"
