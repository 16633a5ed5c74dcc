"""GET /sessions/{sessionId}: the status, and a 5-minute download URL once completed."""

from __future__ import annotations

from tests.sessions.conftest import put_session
from tests.support.events import body_of, http_v2

SID = "22222222-2222-4222-8222-222222222222"


def _status(app, session_id=SID):
    return app.lambda_handler(http_v2("GET", f"/sessions/{session_id}"), None)


def test_malformed_id_is_a_400(app):
    response = _status(app, "nope")
    assert response["statusCode"] == 400
    assert body_of(response) == {"error": "Invalid sessionId format", "requestId": "req-1"}


def test_unknown_session_is_a_404(app):
    response = _status(app)
    assert response["statusCode"] == 404
    assert body_of(response) == {"error": "Session not found", "requestId": "req-1"}


def test_waiting_session_reports_its_status(app, clock):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    assert body_of(_status(app)) == {
        "sessionId": SID,
        "status": "AWAITING_SCAN",
        "expiresAt": int(clock()) + 1800,
    }


def test_session_past_expiry_reports_expired(app, clock):
    put_session(SID, "UPLOAD_REQUESTED", int(clock()), uploadKey="k")
    clock.advance(1801)
    assert body_of(_status(app))["status"] == "EXPIRED"


def test_completed_session_has_a_download_url_valid_five_minutes(app, clock):
    key = f"session-uploads/{SID}/image-1"
    put_session(SID, "COMPLETED", int(clock()), uploadKey=key)
    body = body_of(_status(app))
    assert body["status"] == "COMPLETED"
    assert body["uploadKey"] == key
    assert "X-Amz-Expires=300" in body["downloadUrl"]
