"""The Request a handler reads and the Response it returns, independent of payload version."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
from dataclasses import dataclass, field, fields
from typing import Any

from handlers.core import errors
from handlers.core.validation import json_document

INVALID_EVENT = "Invalid Lambda event format"


@dataclass(frozen=True)
class HttpMessage:
    """An HTTP request as API Gateway payload 2.0 or REST payload 1.0 carries it, unrouted."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    source_ip: str = ""
    request_id: str = ""

    @property
    def user_agent(self) -> str:
        return self.headers.get("user-agent", "")


@dataclass(frozen=True)
class Request(HttpMessage):
    """An HTTP request matched to its route: what a handler reads. Built once, never changed."""

    correlation_id: str = ""
    route: str = ""  # the route key, e.g. `GET /sessions/{sessionId}`
    path_params: dict[str, str] = field(default_factory=dict)
    # Declared query and path parameters, validated and parsed by the app before the handler.
    params: dict[str, Any] = field(default_factory=dict)
    # The Lambda context (remaining time, function name) and whether this container is new.
    context: Any = None
    cold_start: bool = False

    @classmethod
    def of(cls, message: HttpMessage, **routed: Any) -> Request:
        """The Request for `message` plus what routing found (`route`, `params`, ...)."""
        return cls(**{**{name: getattr(message, name) for name in _MESSAGE_FIELDS}, **routed})

    def json(self) -> Any:
        """The body parsed as JSON; a 400 when it is empty, not JSON or nested too deeply."""
        return json_document(self.body)

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object; a 400 for any other JSON type."""
        value = self.json()
        if not isinstance(value, dict):
            raise errors.BadRequest("Request body must be a JSON object")
        return value


_MESSAGE_FIELDS = tuple(f.name for f in fields(HttpMessage))


@dataclass
class Response:
    """What a handler returns; a dict body is sent as JSON."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def to_lambda(self) -> dict[str, Any]:
        """The proxy-integration result API Gateway expects."""
        headers = dict(self.headers)
        if self.body is None:
            payload = ""
        elif isinstance(self.body, str | bytes):
            payload = self.body.decode() if isinstance(self.body, bytes) else self.body
        else:
            payload = json.dumps(self.body, separators=(",", ":"), default=str)
            headers.setdefault("Content-Type", "application/json")
        return {"statusCode": self.status, "headers": headers, "body": payload}


def lower_headers(raw: Any) -> dict[str, str]:
    """Headers with lower-case names; {} when the event's headers are not a map."""
    if not isinstance(raw, dict):
        return {}
    return {str(k).lower(): str(v) for k, v in raw.items() if v is not None}


def _decode_body(event: dict[str, Any]) -> bytes:
    body = event.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise errors.BadRequest(INVALID_EVENT)
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise errors.BadRequest("Request body is not valid base64") from exc
    try:
        return body.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: no HTTP client can have sent it
        raise errors.BadRequest(INVALID_EVENT) from exc


def _source_ip(raw: Any) -> str:
    """The client address, canonical; a 400 when the event carries something else."""
    if raw is None or raw == "":
        return ""
    try:
        return str(ipaddress.ip_address(raw if isinstance(raw, str) else str(raw)))
    except ValueError as exc:
        raise errors.BadRequest(INVALID_EVENT) from exc


def _cookie_header(raw: Any) -> str | None:
    """Payload 2.0's `cookies` list as one Cookie header; a 400 when it is not a list of text."""
    if raw is None or raw == []:
        return None
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise errors.BadRequest(INVALID_EVENT)
    return "; ".join(raw)


def text_map(raw: Any) -> dict[str, str]:
    """A string-to-string map, dropping nulls; {} when `raw` is not a map."""
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items() if v is not None}


def parse_http_v2(event: dict[str, Any]) -> HttpMessage:
    """Parse an HTTP API payload 2.0 event."""
    http = event["requestContext"]["http"]
    if not isinstance(http, dict) or not isinstance(http.get("method"), str) or not http["method"]:
        raise errors.BadRequest(INVALID_EVENT)
    headers = lower_headers(event.get("headers"))
    cookies = _cookie_header(event.get("cookies"))
    if cookies and "cookie" not in headers:
        headers["cookie"] = cookies
    return HttpMessage(
        method=str(http["method"]).upper(),
        path=str(event.get("rawPath") or http.get("path") or "/"),
        headers=headers,
        query=text_map(event.get("queryStringParameters")),
        body=_decode_body(event),
        source_ip=_source_ip(http.get("sourceIp")),
        request_id=str(event["requestContext"].get("requestId") or ""),
    )


def parse_http_v1(event: dict[str, Any]) -> HttpMessage:
    """Parse a REST API payload 1.0 event."""
    context = event.get("requestContext") if isinstance(event.get("requestContext"), dict) else {}
    identity = context.get("identity") if isinstance(context.get("identity"), dict) else {}
    return HttpMessage(
        method=str(event["httpMethod"]).upper(),
        path=str(event.get("path") or "/"),
        headers=lower_headers(event.get("headers")),
        query=text_map(event.get("queryStringParameters")),
        body=_decode_body(event),
        source_ip=_source_ip(identity.get("sourceIp")),
        request_id=str(context.get("requestId") or ""),
    )
