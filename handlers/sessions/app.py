"""qr-upload-http-api: create sessions, hand out presigned uploads, report status, take logs."""

from __future__ import annotations

from typing import Any

from handlers.core import errors, metrics
from handlers.core.app import LambdaApp
from handlers.core.http import Request, Response
from handlers.core.log import logger
from handlers.core.ratelimit import HOUR, RateLimiter
from handlers.core.spec import Param, Reply, too_many_requests
from handlers.core.validation import UUID_SCHEMA
from handlers.core.validation import session_id as valid_session_id
from handlers.sessions import uploads
from handlers.sessions.error_reports import MAX_REPORT_BYTES, REPORT_SCHEMA, parse_report
from handlers.sessions.settings import FUNCTION_NAME, SETTINGS
from handlers.sessions.store import COMPLETED, SessionStore

LOG_REPORTS_PER_IP_PER_HOUR = 60
LOG_REPORTS_PER_HOUR = 2000

app = LambdaApp(FUNCTION_NAME, SETTINGS)

SESSION_ID = Param("sessionId", "The session's id.", UUID_SCHEMA, valid_session_id, required=True)
CONTENT_TYPE = Param(
    "contentType", "The photo's type.", uploads.CONTENT_TYPE_SCHEMA, uploads.content_type
)
STATUSES = ["AWAITING_SCAN", "UPLOAD_REQUESTED", "COMPLETED", "EXPIRED"]
EXPIRES_AT = {"type": "integer", "description": "Epoch seconds; 30 minutes after creation."}
NOT_FOUND = Reply(404, "No such session.")
DEPENDENCY_FAILED = Reply(500, "DynamoDB or S3 failed; the request changed nothing.")


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


@app.route(
    "POST",
    "/sessions",
    summary="Create an upload session (the desktop, before showing its QR code)",
    replies=(
        Reply(
            200,
            "The new session.",
            {
                "type": "object",
                "required": ["sessionId", "expiresAt"],
                "properties": {"sessionId": UUID_SCHEMA, "expiresAt": EXPIRES_AT},
            },
        ),
        too_many_requests("Over IP_LIMIT sessions per address per day or GLOBAL_LIMIT per hour."),
        DEPENDENCY_FAILED,
    ),
)
def create_session(request: Request) -> dict[str, Any]:
    session_limiter().check(request.source_ip)
    session = store().create(app.new_id(), _now())
    metrics.emit({"SessionCreated": (1, "Count")})
    logger.info("session created", sessionId=session["sessionId"])
    return {"sessionId": session["sessionId"], "expiresAt": session["expiresAt"]}


@app.route(
    "GET",
    "/upload-url",
    summary="A presigned POST the phone sends its photo with, straight to S3",
    query=(SESSION_ID, CONTENT_TYPE),
    replies=(
        Reply(
            200,
            "Send `fields`, then the file last, as multipart/form-data to `uploadUrl`.",
            {
                "type": "object",
                "required": ["uploadUrl", "uploadKey", "fields", "method", "expiresIn"],
                "properties": {
                    "uploadUrl": {"type": "string"},
                    "uploadKey": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    "method": {"const": "POST"},
                    "expiresIn": {"type": "integer"},
                    "maxBytes": {"type": "integer"},
                },
            },
        ),
        Reply(
            400,
            "Missing or malformed sessionId, an expired or completed session, "
            "or an unsupported contentType.",
        ),
        NOT_FOUND,
        DEPENDENCY_FAILED,
    ),
)
def upload_url(request: Request) -> dict[str, Any]:
    session_id, content_type = request.params["sessionId"], request.params["contentType"]
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


@app.route(
    "GET",
    "/sessions/{sessionId}",
    summary="A session's status; once COMPLETED, a short-lived download URL of the photo",
    path_params=(SESSION_ID,),
    replies=(
        Reply(
            200,
            "The session.",
            {
                "type": "object",
                "required": ["sessionId", "status", "expiresAt"],
                "properties": {
                    "sessionId": UUID_SCHEMA,
                    "status": {"type": "string", "enum": STATUSES},
                    "expiresAt": EXPIRES_AT,
                    "uploadKey": {"type": "string"},
                    "downloadUrl": {"type": "string"},
                },
            },
        ),
        Reply(400, "Malformed sessionId."),
        NOT_FOUND,
        DEPENDENCY_FAILED,
    ),
)
def session_status(request: Request) -> dict[str, Any]:
    session_id = request.params["sessionId"]
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


@app.route(
    "POST",
    "/log",
    max_body=MAX_REPORT_BYTES,
    summary="A browser error report, logged with the page's correlation id",
    body=REPORT_SCHEMA,
    replies=(
        Reply(
            202,
            "Logged.",
            {
                "type": "object",
                "required": ["accepted"],
                "properties": {"accepted": {"const": True}},
            },
        ),
        Reply(
            400,
            "Not JSON, nested too deeply, no message, a bad level or a field of the wrong type.",
        ),
        too_many_requests(
            f"Over {LOG_REPORTS_PER_IP_PER_HOUR} reports per address or "
            f"{LOG_REPORTS_PER_HOUR} in all per hour."
        ),
    ),
)
def browser_log(request: Request) -> Response:
    # Limited before the body is even parsed: a flood of reports costs one counter write each.
    log_limiter().check(request.source_ip)
    report = parse_report(request.json_object())
    level = {"error": "ERROR", "warn": "WARNING", "info": "INFO"}[report.pop("level")]
    logger.log(level, "browser report", source="browser", report=report)
    return Response(202, {"accepted": True})


lambda_handler = app.lambda_handler
