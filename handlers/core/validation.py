"""Small input validators that raise 400s with messages fit for a client."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from handlers.core import errors

MAX_JSON_DEPTH = 32
UUID_SCHEMA = {
    "type": "string",
    "format": "uuid",
    "description": "A UUID, e.g. from POST /sessions.",
}

# `\A...\Z` (fullmatch): `$` would also match before a trailing newline.
_CORRELATION_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# A JSON string: everything between quotes, escapes included, so brackets inside are skipped.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[][{}]")


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
    if value and _CORRELATION_ID.fullmatch(value):
        return value
    return None


def json_depth(raw: bytes, stop_above: int = MAX_JSON_DEPTH) -> int:
    """How deeply arrays and objects nest in `raw`, counted without recursion.

    Stops counting once past `stop_above`, so a hostile body costs one linear scan at most.
    """
    depth = deepest = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', raw)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_above:
                    break
        else:
            depth -= 1
    return deepest


def json_document(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a JSON body; a 400 when it is empty, not JSON, or nests deeper than `max_depth`."""
    if not raw.strip():
        raise errors.BadRequest("Request body must be a JSON object")
    # json.loads recurses once per level: checked first, so no body can exhaust the stack.
    if json_depth(raw, max_depth) > max_depth:
        raise errors.BadRequest(f"Request body nests deeper than {max_depth} levels")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise errors.BadRequest("Request body is not valid JSON") from exc
