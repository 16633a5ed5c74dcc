"""Browser error reports (POST /log): validated, trimmed, then logged with the correlation id."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from handlers.core import errors

MAX_REPORT_BYTES = 8 * 1024
LEVELS = ("error", "warn", "info")
_LIMITS = {"message": 1000, "stack": 4000, "url": 500, "source": 100}
# What parse_report accepts, for the OpenAPI document; longer texts are accepted and cut.
REPORT_SCHEMA = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "level": {"type": "string", "enum": list(LEVELS), "default": "error"},
        "message": {"type": "string", "pattern": "\\S", "description": "Kept to 1000 chars."},
        "stack": {"type": ["string", "null"], "description": "Kept to 4000 characters."},
        "url": {"type": ["string", "null"], "description": "The page, without query or fragment."},
        "source": {"type": ["string", "null"], "description": "Kept to 100 characters."},
        "correlationId": {"type": "string", "description": "Ignored: the header is used."},
    },
}


def parse_report(body: dict[str, Any]) -> dict[str, Any]:
    """The fields of a report worth logging; 400 when it is not a report."""
    level = body.get("level", "error")
    if level not in LEVELS:
        raise errors.BadRequest(f"level must be one of {', '.join(LEVELS)}")
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        raise errors.BadRequest("message is required")
    report: dict[str, Any] = {"level": level, "message": message[: _LIMITS["message"]]}
    for name in ("stack", "url", "source"):
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise errors.BadRequest(f"{name} must be a string")
        report[name] = value[: _LIMITS[name]]
    if "url" in report:
        # Query strings and fragments can carry ids and tokens; the path is enough to debug.
        try:
            parts = urlsplit(report["url"])
            report["url"] = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        except ValueError as exc:  # e.g. "http://[::1": no browser reports such a page URL
            raise errors.BadRequest("url is not a valid URL") from exc
    return report
