"""GET /upload-url: 400 missing, 404 unknown, 400 expired or completed session, and a presigned
POST pinned to key, type and size."""

from __future__ import annotations

import base64
import json

import pytest

from handlers.sessions.store import SessionStore
from tests.sessions.conftest import get_session, put_session
from tests.support.events import body_of, http_v2
from tests.support.tables import SESSIONS

SID = "11111111-1111-4111-8111-111111111111"


def _get(app, **query):
    return app.lambda_handler(http_v2("GET", "/upload-url", query=query or None), None)


def test_missing_session_id_is_a_400(app):
    response = _get(app)
    assert response["statusCode"] == 400
    assert body_of(response) == {"error": "sessionId is required", "requestId": "req-1"}


def test_malformed_session_id_is_a_400(app):
    response = _get(app, sessionId="not-a-uuid")
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid sessionId format"


def test_unknown_session_is_a_404(app):
    response = _get(app, sessionId=SID)
    assert response["statusCode"] == 404
    assert body_of(response)["error"] == "Session not found"


def test_expired_session_is_a_400(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    clock.advance(1800)
    response = _get(app, sessionId=SID)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Session expired"


def test_completed_session_is_a_400(app, clock):
    put_session(SID, "COMPLETED", int(clock()), uploadKey=f"session-uploads/{SID}/image-1")
    response = _get(app, sessionId=SID)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Session already completed"


def test_content_type_outside_the_allow_list_is_a_400(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    response = _get(app, sessionId=SID, contentType="application/pdf")
    assert response["statusCode"] == 400
    assert body_of(response)["error"].startswith("Unsupported contentType; allowed: image/jpeg")


def test_upload_url_is_a_presigned_post(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    body = body_of(_get(app, sessionId=SID, contentType="image/png"))
    assert body["method"] == "POST"
    assert body["expiresIn"] == 300
    assert body["uploadKey"] == f"session-uploads/{SID}/image-{int(clock()) * 1000}"
    assert body["fields"]["key"] == body["uploadKey"]
    assert body["fields"]["Content-Type"] == "image/png"
    assert body["uploadUrl"].endswith("uploads-test") or "uploads-test" in body["uploadUrl"]


def test_policy_pins_key_type_size_and_five_minute_expiry(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    fields = body_of(_get(app, sessionId=SID, contentType="image/webp"))["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert {"key": fields["key"]} in policy["conditions"]
    assert {"Content-Type": "image/webp"} in policy["conditions"]
    assert ["content-length-range", 1, 1024] in policy["conditions"]


def test_default_content_type_is_jpeg(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    assert body_of(_get(app, sessionId=SID))["fields"]["Content-Type"] == "image/jpeg"


def test_upload_url_moves_the_session_to_upload_requested(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    key = body_of(_get(app, sessionId=SID))["uploadKey"]
    item = get_session(SID)
    assert item["status"] == {"S": "UPLOAD_REQUESTED"}
    assert item["uploadKey"] == {"S": key}


def test_asking_again_while_upload_requested_issues_a_new_url(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    first = body_of(_get(app, sessionId=SID))["uploadKey"]
    clock.advance(2)
    second = body_of(_get(app, sessionId=SID))["uploadKey"]
    assert first != second


@pytest.mark.parametrize("status", ["COMPLETED"])
def test_conditional_write_refuses_a_completed_session(app, clock, status):
    put_session(SID, status, int(clock()))
    assert not SessionStore(SESSIONS).request_upload(SID, "k", int(clock()))
    assert get_session(SID)["status"] == {"S": status}


def test_conditional_write_refuses_an_expired_session(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()) - 1800)
    assert not SessionStore(SESSIONS).request_upload(SID, "k", int(clock()))
    assert "uploadKey" not in get_session(SID)


def test_presigned_url_never_reaches_the_log(app, clock, capsys):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    body = body_of(_get(app, sessionId=SID))
    out = capsys.readouterr().out
    assert body["fields"]["policy"] not in out
    assert body["fields"]["x-amz-signature"] not in out


def test_upload_url_answers_500_when_the_table_is_missing(app, monkeypatch):
    monkeypatch.setenv("SESSIONS_TABLE_NAME", "no-such-table")
    app.reset()
    response = _get(app, sessionId=SID)
    assert response["statusCode"] == 500
    assert body_of(response) == {"error": "Internal error", "requestId": "req-1"}
