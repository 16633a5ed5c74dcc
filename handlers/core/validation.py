"""Small input validators that raise 400s with messages fit for a client."""

from __future__ import annotations

import re
import uuid

from handlers.core import errors

_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def session_id(value: str | None, name: str = "sessionId") -> str:
    """A canonical lower-case UUID; 400 when missing or malformed."""
    if value is None or not str(value).strip():
        raise errors.BadRequest(f"{name} is required")
    try:
        parsed = uuid.UUID(str(value).strip())
    except ValueError as exc:
        raise errors.BadRequest(f"Invalid {name} format") from exc
    if str(parsed) != str(value).strip().lower():
        raise errors.BadRequest(f"Invalid {name} format")
    return str(parsed)


def correlation_id(value: str | None) -> str | None:
    """The caller's correlation id when it is safe to echo and log, else None."""
    if value and _CORRELATION_ID.match(value):
        return value
    return None
