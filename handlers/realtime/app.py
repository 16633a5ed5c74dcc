"""qr-upload-websocket-event: WebSocket $connect/$disconnect and S3 upload completion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.core import errors, metrics
from handlers.core.app import LambdaApp, WebSocketEvent
from handlers.core.clock import remaining_seconds
from handlers.core.events import s3_object_key
from handlers.core.http import INVALID_EVENT, Response
from handlers.core.log import logger
from handlers.core.validation import session_id as valid_session_id
from handlers.realtime.notifier import Delivery, Notifier, Push
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


# Left of the invocation once the pushes are done (or given up): the summary and its log line.
PUSH_RESERVE_SECONDS = 5
# The push budget without a Lambda context (direct calls, tests).
DEFAULT_PUSH_SECONDS = 10


@dataclass
class _Handled:
    """What one record led to, and the message its desktop should get, if any."""

    outcome: str
    session: dict[str, Any] | None = None
    message: dict[str, Any] | None = None


def _complete(raw_key: str) -> _Handled:
    """Handle one uploaded object: every write here is conditional, so redelivery is harmless."""
    parsed = session_of(raw_key)
    if parsed is None:
        logger.warning("skipped object outside the upload layout", keyLength=len(raw_key))
        return _Handled("skipped")
    session_id, key = parsed
    session = store().get(session_id)
    if session is None:
        logger.warning("upload for unknown session", sessionId=session_id)
        return _Handled("skipped")
    if session["status"] == COMPLETED:
        logger.info("duplicate upload event", sessionId=session_id)
        return _Handled("duplicate")
    now = _now()
    if now >= session["expiresAt"]:
        logger.warning("upload after expiry", sessionId=session_id)
        reported = store().mark_expiry_reported(session_id, now)
        if reported is None:
            return _Handled("expired")
        error = {"action": "ERROR", "sessionId": session_id, "message": "Session expired"}
        return _Handled("expired", reported, error)
    completed = store().complete(session_id, key, now)
    if completed is None:
        logger.info("duplicate upload event", sessionId=session_id)
        return _Handled("duplicate")
    metrics.emit(
        {
            "UploadCompleted": (1, "Count"),
            "SessionDuration": (now - int(completed.get("createdAt", now)), "Seconds"),
        }
    )
    done = {"action": "UPLOAD_COMPLETED", "sessionId": session_id, "uploadKey": key}
    return _Handled("completed", completed, {**done, "timestamp": now})


def _notify(handled: list[_Handled], context: Any) -> None:
    """Push every message under one deadline; a push that fails leaves its session as it is."""
    waiting = [h for h in handled if h.message and h.session and h.session.get("wsConnectionId")]
    for h in handled:
        if h.message and h not in waiting:
            logger.info("nobody to notify", sessionId=h.session["sessionId"], outcome=h.outcome)
    budget = remaining_seconds(context, DEFAULT_PUSH_SECONDS + PUSH_RESERVE_SECONDS)
    deadline = notifier().clock() + max(0.0, budget - PUSH_RESERVE_SECONDS)
    pushes = [Push(h.session["wsConnectionId"], h.message) for h in waiting]
    for h, push, delivery in zip(
        waiting, pushes, notifier().send_all(pushes, deadline), strict=True
    ):
        session_id = h.session["sessionId"]
        if delivery is Delivery.GONE:
            store().detach(session_id, push.connection_id)
        elif delivery is Delivery.FAILED:
            logger.warning("notification failed", sessionId=session_id, outcome=h.outcome)
        logger.info(
            "desktop notified", sessionId=session_id, outcome=h.outcome, delivery=delivery.value
        )


@app.s3
def uploads(records: list[dict[str, Any]], context: Any) -> dict[str, Any]:
    keys = [s3_object_key(record) for record in records]
    if all(key is None for key in keys):
        raise errors.BadRequest(INVALID_EVENT)
    handled = [_Handled("skipped") if key is None else _complete(key) for key in keys]
    # Completions first, pushes after: a slow endpoint can no longer keep a record from completing.
    _notify(handled, context)
    outcomes: dict[str, int] = {}
    for h in handled:
        outcomes[h.outcome] = outcomes.get(h.outcome, 0) + 1
    return {"records": len(records), **outcomes}


lambda_handler = app.lambda_handler
