"""JSON-lines logging with per-request context, and redaction of what must never be logged."""

from __future__ import annotations

import contextvars
import hashlib
import json
import sys
import time
import traceback
from typing import Any, TextIO

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}
USER_AGENT_LIMIT = 100
# Any string a client could have chosen (a path, a header, a report field) is cut to this, so
# a request cannot make a log line of its own size.
TEXT_LIMIT = 256
# Fields allowed to be longer: a browser report's message, stack and page, our own tracebacks.
LONG_TEXT_LIMITS = {"message": 1000, "stack": 4000, "url": 500, "traceback": 8000}
DIGEST_LENGTH = 12

# Keys whose values are never written: client addresses, credentials, presigned URLs, bodies.
_REDACTED_KEYS = frozenset(
    {
        "ip",
        "sourceip",
        "source_ip",
        "clientip",
        "x-api-key",
        "apikey",
        "api_key",
        "authorization",
        "cookie",
        "cookies",
        "password",
        "secret",
        "token",
        "uploadurl",
        "downloadurl",
        "presignedurl",
        "fields",
        "body",
        "rawbody",
    }
)
_SIGNATURE_MARKERS = ("x-amz-signature", "x-amz-credential", "signature=")

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "log_context", default=None
)


_USER_AGENT_KEYS = frozenset({"useragent", "user_agent", "user-agent"})
# Credentials that are fine to correlate but not to read: logged as a short digest.
_DIGESTED_KEYS = frozenset({"sessionid"})
_key_kinds: dict[str, str] = {}


def digest(value: str) -> str:
    """A short, stable SHA-256 digest: the same id always logs the same way."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_LENGTH]


def _key_kind(key: str) -> str:
    """'redact', 'digest', 'agent' or 'plain'; memoised, since lines reuse a few key names."""
    kind = _key_kinds.get(key)
    if kind is None:
        lowered = key.lower()
        if lowered in _REDACTED_KEYS:
            kind = "redact"
        elif lowered in _DIGESTED_KEYS:
            kind = "digest"
        elif lowered in _USER_AGENT_KEYS:
            kind = "agent"
        else:
            kind = "plain"
        _key_kinds[key] = kind
    return kind


def _scrub(key: str, value: Any) -> Any:
    kind = _key_kind(key)
    if kind == "redact":
        return "[redacted]"
    if isinstance(value, str):
        if kind == "digest":
            return digest(value)
        if kind == "agent":
            return value[:USER_AGENT_LIMIT]
        # Presigned URLs are long; short strings cannot hold a signature.
        if len(value) > 40 and any(m in value.lower() for m in _SIGNATURE_MARKERS):
            return "[redacted]"
        return value[: LONG_TEXT_LIMITS.get(key, TEXT_LIMIT)]
    if isinstance(value, dict):
        return {str(k)[:TEXT_LIMIT]: _scrub(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(key, v) for v in value]
    return value


class JsonLogger:
    """Writes one JSON object per line to stdout, where Lambda ships it to CloudWatch."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self.level = LEVELS["INFO"]
        self.function = ""

    def configure(self, level: str = "INFO", function: str = "") -> None:
        """Set the minimum level and the function name carried on every line."""
        self.level = LEVELS.get(str(level).upper(), LEVELS["INFO"])
        if function:
            self.function = function

    def bind(self, **fields: Any) -> contextvars.Token:
        """Add fields to every line until `unbind` is called with the returned token."""
        merged = {**(_context.get() or {}), **fields}
        return _context.set(merged)

    def unbind(self, token: contextvars.Token) -> None:
        _context.reset(token)

    def enabled(self, level: str) -> bool:
        return LEVELS[level] >= self.level

    def log(self, level: str, message: str, **fields: Any) -> None:
        if not self.enabled(level):
            return
        now = time.time()
        record: dict[str, Any] = {
            "level": level,
            "message": message,
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
            + f".{int(now % 1 * 1000):03d}Z",
            "function": self.function,
        }
        for key, value in {**(_context.get() or {}), **fields}.items():
            record[key] = _scrub(key, value)
        stream = self._stream or sys.stdout
        stream.write(json.dumps(record, default=str, separators=(",", ":")) + "\n")

    def debug(self, message: str, **fields: Any) -> None:
        self.log("DEBUG", message, **fields)

    def info(self, message: str, **fields: Any) -> None:
        self.log("INFO", message, **fields)

    def warning(self, message: str, **fields: Any) -> None:
        self.log("WARNING", message, **fields)

    def error(self, message: str, **fields: Any) -> None:
        self.log("ERROR", message, **fields)

    def exception(self, message: str, exc: BaseException, **fields: Any) -> None:
        """Log an error with its traceback; the traceback goes to the log only."""
        self.log(
            "ERROR",
            message,
            errorType=type(exc).__name__,
            traceback="".join(traceback.format_exception(exc)),
            **fields,
        )


logger = JsonLogger()
