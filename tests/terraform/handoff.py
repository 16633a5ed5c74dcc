"""The last steps of a QR hand-off through the real handlers, shared by the contract test (on
the tables the model declares) and the live suite (on what apply created)."""

from __future__ import annotations

from typing import Any

from botocore.stub import ANY, Stubber

from handlers.core import aws
from handlers.realtime.app import app as realtime_app
from handlers.sessions.app import app as sessions_app
from tests.support.events import body_of, http_v2, s3_created


def deliver_upload_event(endpoint: str, upload_key: str, bucket: str, context: Any) -> None:
    """The upload's S3 event to the realtime handler, which must push UPLOAD_COMPLETED to the
    desktop's connection desk-1 through the management API at `endpoint` (stubbed)."""
    management = aws.client("apigatewaymanagementapi", endpoint_url=endpoint)
    with Stubber(management) as pushes:
        pushes.add_response("post_to_connection", {}, {"ConnectionId": "desk-1", "Data": ANY})
        realtime_app.lambda_handler(s3_created(upload_key, bucket=bucket), context)
        pushes.assert_no_pending_responses()


def session_of(session_id: str, context: Any) -> dict[str, Any]:
    """GET /sessions/{sessionId} through the sessions handler: status code and body."""
    event = http_v2("GET", f"/sessions/{session_id}")
    event["pathParameters"] = {"sessionId": session_id}
    response = sessions_app.lambda_handler(event, context)
    return {"statusCode": response["statusCode"], **body_of(response)}
