"""The S3 keys the upload flow writes: `session-uploads/{uuid}/image-{epoch_ms}`."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

_KEY = re.compile(
    r"^session-uploads/"
    r"(?P<session>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"/image-[0-9]{1,16}$"
)


def session_of(raw_key: str) -> tuple[str, str] | None:
    """(session id, decoded key) for a well-formed upload key from an S3 event, else None."""
    key = unquote_plus(raw_key)
    found = _KEY.match(key)
    return (found.group("session"), key) if found else None
