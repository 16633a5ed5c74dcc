"""qr-upload-websocket-event: WebSocket $connect/$disconnect and S3 upload completion."""

from __future__ import annotations

from typing import Any

from handlers.core import errors, metrics
from handlers.core.app import INVALID_EVENT, LambdaApp, WebSocketEvent
from handlers.core.events import s3_object_key
from handlers.core.http import Response
from handlers.core.log import logger
from handlers.core.validation import session_id as valid_session_id
from handlers.realtime.notifier import Delivery, Notifier
from handlers.realtime.settings import FUNCTION_NAME, SETTINGS
from handlers.realtime.store import COMPLETED, ConnectionStore
from handlers.realtime.upload_keys import session_of

app = LambdaApp(FUNCTION_NAME, SETTINGS)


@app.resource
def store() -> ConnectionStore:
    return ConnectionStore(app.config["SESSIONS_TABLE_NAME"])


@app.resource
def notifier() -> Notifier:
    return Notifier(app.config["WS_API_ENDPOINT"])


def _now() -> int:
    return int(app.clock())


@app.websocket("$connect")
def connect(event: WebSocketEvent) -> Response:
    try:
        session_id = valid_session_id(event.query.get("sessionId"))
        session = store().get(session_id)
        if session is None:
            raise errors.NotFound("Session not found")
        if _now() >= session["expiresAt"]:
            raise errors.BadRequest("Session expired")
        if not store().attach(session_id, event.connection_id, _now()):
            raise errors.BadRequest("Session expired")
    except Exception:
        metrics.emit({"WebSocketConnectFailure": (1, "Count")})
        raise
    logger.info("websocket connected", sessionId=session_id)
    return Response(200, {"message": "Connected"})


@app.websocket("$disconnect")
def disconnect(event: WebSocketEvent) -> Response:
    # Always 200: API Gateway ignores the answer, and the connection is gone either way.
    try:
        for session_id in store().sessions_of(event.connection_id):
            store().detach(session_id, event.connection_id)
            logger.info("websocket disconnected", sessionId=session_id)
    except Exception as exc:
        logger.exception("disconnect cleanup failed", exc)
    return Response(200, {"message": "Disconnected"})


def _push(session: dict[str, Any], message: dict[str, Any]) -> str:
    connection = session.get("wsConnectionId")
    if not connection:
        return "no-connection"
    delivery = notifier().send(connection, message)
    if delivery is Delivery.GONE:
        store().detach(session["sessionId"], connection)
    elif delivery is Delivery.FAILED:
        logger.warning("notification failed", sessionId=session["sessionId"])
    return delivery.value


def _complete(raw_key: str) -> str:
    """Handle one uploaded object; returns what happened, for the summary."""
    parsed = session_of(raw_key)
    if parsed is None:
        logger.warning("skipped object outside the upload layout", keyLength=len(raw_key))
        return "skipped"
    session_id, key = parsed
    session = store().get(session_id)
    if session is None:
        logger.warning("upload for unknown session", sessionId=session_id)
        return "skipped"
    if session["status"] == COMPLETED:
        logger.info("duplicate upload event", sessionId=session_id)
        return "duplicate"
    now = _now()
    if now >= session["expiresAt"]:
        _push(session, {"action": "ERROR", "sessionId": session_id, "message": "Session expired"})
        logger.warning("upload after expiry", sessionId=session_id)
        return "expired"
    completed = store().complete(session_id, key, now)
    if completed is None:
        logger.info("duplicate upload event", sessionId=session_id)
        return "duplicate"
    metrics.emit(
        {
            "UploadCompleted": (1, "Count"),
            "SessionDuration": (now - int(completed.get("createdAt", now)), "Seconds"),
        }
    )
    delivery = _push(
        completed,
        {"action": "UPLOAD_COMPLETED", "sessionId": session_id, "uploadKey": key, "timestamp": now},
    )
    logger.info("upload completed", sessionId=session_id, delivery=delivery)
    return "completed"


@app.s3
def uploads(records: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [s3_object_key(record) for record in records]
    if all(key is None for key in keys):
        raise errors.BadRequest(INVALID_EVENT)
    outcomes: dict[str, int] = {}
    for raw_key in keys:
        outcome = "skipped" if raw_key is None else _complete(raw_key)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return {"records": len(records), **outcomes}


lambda_handler = app.lambda_handler
