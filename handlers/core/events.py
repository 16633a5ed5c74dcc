"""Tell which kind of Lambda event arrived, without ever raising on malformed input."""

from __future__ import annotations

from enum import Enum
from typing import Any


class EventKind(Enum):
    HTTP_V2 = "http-v2"
    HTTP_V1 = "http-v1"
    WEBSOCKET = "websocket"
    S3 = "s3"
    SQS = "sqs"
    UNKNOWN = "unknown"


def classify(event: Any) -> EventKind:
    """The kind of `event`; UNKNOWN for anything malformed or unrecognised."""
    if not isinstance(event, dict):
        return EventKind.UNKNOWN
    records = event.get("Records")
    if isinstance(records, list):
        if records and all(_is_s3_record(r) for r in records):
            return EventKind.S3
        if records and all(_is_sqs_record(r) for r in records):
            return EventKind.SQS
        return EventKind.UNKNOWN
    context = event.get("requestContext")
    if not isinstance(context, dict):
        return EventKind.HTTP_V1 if _looks_like_rest(event) else EventKind.UNKNOWN
    if context.get("connectionId") and str(context.get("routeKey", "")).startswith("$"):
        return EventKind.WEBSOCKET
    event_type = context.get("eventType")
    if isinstance(event_type, str) and event_type in {"CONNECT", "DISCONNECT", "MESSAGE"}:
        return EventKind.WEBSOCKET
    if event.get("version") == "2.0" and isinstance(context.get("http"), dict):
        return EventKind.HTTP_V2
    if _looks_like_rest(event):
        return EventKind.HTTP_V1
    return EventKind.UNKNOWN


def _looks_like_rest(event: dict[str, Any]) -> bool:
    return isinstance(event.get("httpMethod"), str) and isinstance(event.get("path"), str)


def _is_s3_record(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and isinstance(record.get("s3"), dict)
        and str(record.get("eventSource", "aws:s3")) == "aws:s3"
    )


def _is_sqs_record(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and record.get("eventSource") == "aws:sqs"
        and isinstance(record.get("messageId"), str)
    )


def s3_object_key(record: dict[str, Any]) -> str | None:
    """The (still URL-encoded) object key of an S3 record, or None when it has none."""
    obj = record["s3"].get("object")
    key = obj.get("key") if isinstance(obj, dict) else None
    return key if isinstance(key, str) else None
