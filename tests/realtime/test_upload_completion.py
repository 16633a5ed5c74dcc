"""S3 ObjectCreated completes the session once and tells the desktop once."""

from __future__ import annotations

import json

from handlers.core import aws
from tests.realtime.conftest import get_session, put_session
from tests.support.events import s3_created

SID = "44444444-4444-4444-8444-444444444444"
OTHER = "55555555-5555-4555-8555-555555555555"
KEY = f"session-uploads/{SID}/image-1700000000123"


def _completed_message(clock, key=KEY, session=SID) -> dict:
    data = {"action": "UPLOAD_COMPLETED", "sessionId": session, "uploadKey": key}
    return {
        "ConnectionId": "conn-1",
        "Data": json.dumps({**data, "timestamp": int(clock())}).encode(),
    }


def _expect_push(pushes, clock, **kwargs):
    pushes.add_response("post_to_connection", {}, _completed_message(clock, **kwargs))


def test_upload_completes_the_session(app, clock, pushes):
    put_session(SID, "UPLOAD_REQUESTED", int(clock()), wsConnectionId="conn-1")
    _expect_push(pushes, clock)
    result = app.lambda_handler(s3_created(KEY), None)
    assert result == {"statusCode": 200, "records": 1, "completed": 1}
    item = get_session(SID)
    assert item["status"] == {"S": "COMPLETED"}
    assert item["uploadKey"] == {"S": KEY}
    assert item["completedAt"] == {"N": str(int(clock()))}


def test_duplicated_event_notifies_exactly_once(app, clock, pushes):
    put_session(SID, "UPLOAD_REQUESTED", int(clock()), wsConnectionId="conn-1")
    _expect_push(pushes, clock)
    app.lambda_handler(s3_created(KEY), None)
    second = app.lambda_handler(s3_created(KEY), None)
    assert second == {"statusCode": 200, "records": 1, "duplicate": 1}


def test_every_record_of_the_event_is_handled(app, clock, pushes):
    other_key = f"session-uploads/{OTHER}/image-2"
    put_session(SID, "UPLOAD_REQUESTED", int(clock()))
    put_session(OTHER, "UPLOAD_REQUESTED", int(clock()))
    result = app.lambda_handler(s3_created(KEY, other_key), None)
    assert result["completed"] == 2
    assert get_session(OTHER)["status"] == {"S": "COMPLETED"}


def test_url_encoded_key_is_decoded(app, clock, pushes):
    put_session(SID, "UPLOAD_REQUESTED", int(clock()))
    event = s3_created(KEY, encode=False)
    event["Records"][0]["s3"]["object"]["key"] = KEY.replace("/", "%2F")
    assert app.lambda_handler(event, None)["completed"] == 1
    assert get_session(SID)["uploadKey"] == {"S": KEY}


def test_keys_outside_the_layout_are_skipped(app, clock, pushes):
    put_session(SID, "UPLOAD_REQUESTED", int(clock()))
    bad = [
        f"session-uploads/{SID}/evil.html",
        f"other/{SID}/image-1",
        "session-uploads/not-a-uuid/image-1",
        f"session-uploads/{SID}/image-1/../../x",
    ]
    result = app.lambda_handler(s3_created(*bad), None)
    assert result == {"statusCode": 200, "records": 4, "skipped": 4}
    assert get_session(SID)["status"] == {"S": "UPLOAD_REQUESTED"}


def test_upload_for_an_unknown_session_is_skipped(app, pushes):
    assert app.lambda_handler(s3_created(KEY), None)["skipped"] == 1


def test_gone_connection_is_cleared_and_the_session_stays_completed(app, clock, pushes):
    put_session(SID, "UPLOAD_REQUESTED", int(clock()), wsConnectionId="conn-1")
    pushes.add_client_error("post_to_connection", "GoneException", http_status_code=410)
    app.lambda_handler(s3_created(KEY), None)
    item = get_session(SID)
    assert "wsConnectionId" not in item
    assert item["status"] == {"S": "COMPLETED"}


def test_other_send_failure_is_logged_and_the_session_stays_completed(app, clock, pushes, capsys):
    put_session(SID, "UPLOAD_REQUESTED", int(clock()), wsConnectionId="conn-1")
    pushes.add_client_error("post_to_connection", "LimitExceededException", http_status_code=429)
    app.lambda_handler(s3_created(KEY), None)
    assert get_session(SID)["status"] == {"S": "COMPLETED"}
    assert get_session(SID)["wsConnectionId"] == {"S": "conn-1"}
    assert "notification failed" in capsys.readouterr().out


def test_upload_after_expiry_pushes_an_error_and_does_not_complete(app, clock, pushes):
    put_session(SID, "UPLOAD_REQUESTED", int(clock()), wsConnectionId="conn-1")
    clock.advance(1801)
    message = {"action": "ERROR", "sessionId": SID, "message": "Session expired"}
    pushes.add_response(
        "post_to_connection", {}, {"ConnectionId": "conn-1", "Data": json.dumps(message).encode()}
    )
    assert app.lambda_handler(s3_created(KEY), None)["expired"] == 1
    assert get_session(SID)["status"] == {"S": "UPLOAD_REQUESTED"}


def test_completion_emits_upload_and_duration_metrics(app, clock, pushes, capsys):
    put_session(SID, "UPLOAD_REQUESTED", int(clock()) - 90)
    app.lambda_handler(s3_created(KEY), None)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    metric = next(line for line in lines if "UploadCompleted" in line)
    assert metric["SessionDuration"] == 90
    assert {"Name": "SessionDuration", "Unit": "Seconds"} in (
        metric["_aws"]["CloudWatchMetrics"][0]["Metrics"]
    )


def test_http_event_to_the_realtime_function_is_a_400(app):
    from tests.support.events import body_of, http_v2

    response = app.lambda_handler(http_v2("GET", "/"), None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid Lambda event format"


def test_unreachable_management_endpoint_is_logged_and_the_session_stays_completed(
    app, clock, monkeypatch, capsys
):
    from botocore.exceptions import EndpointConnectionError

    from tests.realtime.conftest import WS_ENDPOINT

    put_session(SID, "UPLOAD_REQUESTED", int(clock()), wsConnectionId="conn-1")
    client = aws.client("apigatewaymanagementapi", endpoint_url=WS_ENDPOINT)

    def unreachable(**kwargs):
        raise EndpointConnectionError(endpoint_url=WS_ENDPOINT)

    monkeypatch.setattr(client, "post_to_connection", unreachable)
    assert app.lambda_handler(s3_created(KEY), None)["completed"] == 1
    assert get_session(SID)["status"] == {"S": "COMPLETED"}
    assert "notification failed" in capsys.readouterr().out


def test_completion_is_a_conditional_write_even_after_a_stale_read(app, clock, pushes, monkeypatch):
    """Two deliveries racing: both read UPLOAD_REQUESTED, only one write may win and notify."""
    from handlers.realtime.app import store

    put_session(SID, "COMPLETED", int(clock()), wsConnectionId="conn-1", uploadKey=KEY)
    stale = {"sessionId": SID, "status": "UPLOAD_REQUESTED", "expiresAt": int(clock()) + 60}
    monkeypatch.setattr(store(), "get", lambda session_id: stale)
    result = app.lambda_handler(s3_created(KEY), None)
    assert result == {"statusCode": 200, "records": 1, "duplicate": 1}
