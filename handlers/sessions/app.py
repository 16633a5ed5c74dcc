"""qr-upload-http-api: create sessions, hand out presigned uploads, report status, take logs."""

from __future__ import annotations

from typing import Any

from handlers.core import errors, metrics
from handlers.core.app import LambdaApp
from handlers.core.http import Request, Response
from handlers.core.log import logger
from handlers.core.ratelimit import HOUR, RateLimiter
from handlers.core.validation import session_id as valid_session_id
from handlers.sessions import uploads
from handlers.sessions.error_reports import MAX_REPORT_BYTES, parse_report
from handlers.sessions.settings import FUNCTION_NAME, SETTINGS
from handlers.sessions.store import COMPLETED, SessionStore

LOG_REPORTS_PER_IP_PER_HOUR = 60
LOG_REPORTS_PER_HOUR = 2000

app = LambdaApp(FUNCTION_NAME, SETTINGS)


@app.resource
def store() -> SessionStore:
    return SessionStore(app.config["SESSIONS_TABLE_NAME"])


@app.resource
def session_limiter() -> RateLimiter:
    return RateLimiter.from_config(app.config, scope="sessions", clock=lambda: app.clock())


@app.resource
def log_limiter() -> RateLimiter:
    config = app.config
    return RateLimiter(
        config["RATE_LIMIT_TABLE_NAME"],
        ip_limit=LOG_REPORTS_PER_IP_PER_HOUR,
        global_limit=LOG_REPORTS_PER_HOUR,
        whitelist=config["IP_WHITELIST"],
        scope="log",
        clock=lambda: app.clock(),
        ip_window=HOUR,
    )


def _now() -> int:
    return int(app.clock())


def _live_session(session_id: str) -> dict[str, Any]:
    """The session if it can still take an upload; the seed's 404 and 400s otherwise."""
    session = store().get(session_id)
    if session is None:
        raise errors.NotFound("Session not found")
    if session["status"] == COMPLETED:
        raise errors.BadRequest("Session already completed")
    if _now() >= session["expiresAt"]:
        raise errors.BadRequest("Session expired")
    return session


@app.route("POST", "/sessions")
def create_session(request: Request) -> dict[str, Any]:
    session_limiter().check(request.source_ip)
    session = store().create(app.new_id(), _now())
    metrics.emit({"SessionCreated": (1, "Count")})
    logger.info("session created", sessionId=session["sessionId"])
    return {"sessionId": session["sessionId"], "expiresAt": session["expiresAt"]}


@app.route("GET", "/upload-url")
def upload_url(request: Request) -> dict[str, Any]:
    session_id = valid_session_id(request.query.get("sessionId"))
    content_type = request.query.get("contentType", "image/jpeg").strip().lower()
    if content_type not in uploads.ALLOWED_CONTENT_TYPES:
        allowed = ", ".join(uploads.ALLOWED_CONTENT_TYPES)
        raise errors.BadRequest(f"Unsupported contentType; allowed: {allowed}")
    _live_session(session_id)
    key = uploads.upload_key(session_id, int(app.clock() * 1000))
    if not store().request_upload(session_id, key, _now()):
        # Completed or expired between the read and the write: report which.
        _live_session(session_id)
        raise errors.BadRequest("Session can no longer take an upload")
    post = uploads.presigned_post(
        app.config["UPLOAD_BUCKET_NAME"], key, content_type, app.config["MAX_UPLOAD_BYTES"]
    )
    logger.info("upload url issued", sessionId=session_id, contentType=content_type)
    return {
        "uploadUrl": post["url"],
        "uploadKey": key,
        "fields": post["fields"],
        "method": "POST",
        "expiresIn": uploads.UPLOAD_URL_SECONDS,
        "maxBytes": app.config["MAX_UPLOAD_BYTES"],
    }


@app.route("GET", "/sessions/{sessionId}")
def session_status(request: Request) -> dict[str, Any]:
    session_id = valid_session_id(request.path_params.get("sessionId"))
    session = store().get(session_id)
    if session is None:
        raise errors.NotFound("Session not found")
    status = session["status"]
    if status != COMPLETED and _now() >= session["expiresAt"]:
        status = "EXPIRED"
    body: dict[str, Any] = {
        "sessionId": session_id,
        "status": status,
        "expiresAt": session["expiresAt"],
    }
    if session.get("uploadKey"):
        body["uploadKey"] = session["uploadKey"]
    if status == COMPLETED:
        body["downloadUrl"] = uploads.presigned_get(
            app.config["UPLOAD_BUCKET_NAME"], session["uploadKey"]
        )
    return body


@app.route("POST", "/log", max_body=MAX_REPORT_BYTES)
def browser_log(request: Request) -> Response:
    report = parse_report(request.json_object())
    log_limiter().check(request.source_ip)
    level = {"error": "ERROR", "warn": "WARNING", "info": "INFO"}[report.pop("level")]
    logger.log(level, "browser report", source="browser", report=report)
    return Response(202, {"accepted": True})


lambda_handler = app.lambda_handler
