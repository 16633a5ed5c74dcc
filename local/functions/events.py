"""Events as AWS delivers them: HTTP API payload 2.0, WebSocket API, S3 notifications."""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from email.utils import formatdate
from urllib.parse import parse_qsl, quote_plus

ACCOUNT_ID = "123456789012"
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/x-www-form-urlencoded",
    "+json",
    "+xml",
)


def _request_time(now: float) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now))


def is_text(content_type: str) -> bool:
    """Whether API Gateway passes a body of this type as text rather than base64."""
    lowered = content_type.lower()
    return any(marker in lowered for marker in TEXT_TYPES)


def http_event(
    *,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    route_key: str,
    path_parameters: dict[str, str],
    source_ip: str,
    api_id: str,
    domain_name: str,
    request_id: str | None = None,
    stage: str = "$default",
) -> dict:
    """An HTTP API payload format 2.0 event for one request."""
    now = time.time()
    merged: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
            continue
        merged[key] = f"{merged[key]},{value}" if key in merged else value
    merged.setdefault("x-forwarded-for", source_ip)
    merged.setdefault("x-forwarded-proto", "http")
    merged.setdefault("x-amzn-trace-id", f"Root=1-{int(now):08x}-{secrets.token_hex(12)}")
    query: dict[str, str] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    request_id = request_id or api_request_id()
    event: dict = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": merged,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": api_id,
            "domainName": domain_name,
            "domainPrefix": domain_name.split(".")[0],
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": merged.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": route_key,
            "stage": stage,
            "time": _request_time(now),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body:
        if is_text(merged.get("content-type", "")):
            try:
                event["body"] = body.decode("utf-8")
            except UnicodeDecodeError:
                event["body"] = base64.b64encode(body).decode("ascii")
                event["isBase64Encoded"] = True
        else:
            event["body"] = base64.b64encode(body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def api_request_id() -> str:
    # API Gateway's ids look like "JKJaXmPLvHcESHA=": 14 base64 characters and padding.
    return base64.b64encode(secrets.token_bytes(10)).decode("ascii")


def new_connection_id() -> str:
    """A connectionId shaped like API Gateway's (base64, ends with '=')."""
    return base64.b64encode(secrets.token_bytes(10)).decode("ascii")


def http_response(result: object) -> tuple[int, list[tuple[str, str]], bytes]:
    """Translate a payload 2.0 Lambda result into (status, headers, body), as HTTP API does."""
    if not (isinstance(result, dict) and "statusCode" in result):
        # A result without statusCode is taken as a 200 JSON body.
        body = result if isinstance(result, str) else json.dumps(result)
        return 200, [("content-type", "application/json")], body.encode("utf-8")
    status = int(result["statusCode"])
    headers = [(str(k), str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((str(name), str(v)) for v in values)
    headers.extend(("set-cookie", c) for c in result.get("cookies") or [])
    raw = result.get("body") or ""
    if result.get("isBase64Encoded"):
        body = base64.b64decode(raw)
    else:
        body = raw.encode("utf-8") if isinstance(raw, str) else json.dumps(raw).encode("utf-8")
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("content-type", "application/json"))
    return status, headers, body


def websocket_event(
    *,
    route_key: str,
    connection_id: str,
    api_id: str,
    domain_name: str,
    stage: str,
    source_ip: str,
    user_agent: str,
    connected_at_ms: int,
    headers: dict[str, str] | None = None,
    raw_query: str = "",
    body: str | None = None,
    disconnect_status: int | None = None,
    disconnect_reason: str = "",
) -> dict:
    """A WebSocket API event for $connect, $disconnect or a message route."""
    now = time.time()
    event_type = {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route_key, "MESSAGE")
    context: dict = {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": api_request_id(),
        "requestTime": _request_time(now),
        "messageDirection": "IN",
        "stage": stage,
        "connectedAt": connected_at_ms,
        "requestTimeEpoch": int(now * 1000),
        "identity": {"sourceIp": source_ip, "userAgent": user_agent},
        "requestId": api_request_id(),
        "domainName": domain_name,
        "connectionId": connection_id,
        "apiId": api_id,
    }
    event: dict = {"requestContext": context, "isBase64Encoded": False}
    if event_type == "CONNECT":
        event["headers"] = dict(headers or {})
        event["multiValueHeaders"] = {k: [v] for k, v in (headers or {}).items()}
        pairs = parse_qsl(raw_query, keep_blank_values=True)
        if pairs:
            single: dict[str, str] = {}
            multi: dict[str, list[str]] = {}
            for key, value in pairs:
                single[key] = value
                multi.setdefault(key, []).append(value)
            event["queryStringParameters"] = single
            event["multiValueQueryStringParameters"] = multi
    elif event_type == "DISCONNECT":
        event["headers"] = {"Host": domain_name, "x-api-key": "", "x-restapi": ""}
        context["disconnectStatusCode"] = disconnect_status or 1005
        context["disconnectReason"] = disconnect_reason
    else:
        context["messageId"] = api_request_id()
        event["body"] = body or ""
    return event


def s3_object_created(
    *,
    bucket: str,
    key: str,
    size: int,
    etag: str,
    event_name: str = "ObjectCreated:Post",
    region: str = "us-east-1",
    configuration_id: str = "local",
    version_id: str | None = None,
    source_ip: str = "127.0.0.1",
    sequencer: str | None = None,
) -> dict:
    """An S3 ObjectCreated notification with the documented record structure (event version 2.1)."""
    now = time.time()
    obj: dict = {
        "key": quote_plus(key, safe="/"),
        "size": size,
        "eTag": etag.strip('"'),
        "sequencer": sequencer or f"{time.time_ns():016X}",
    }
    if version_id and version_id != "null":
        obj["versionId"] = version_id
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region,
                "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
                + f".{int(now * 1000) % 1000:03d}Z",
                "eventName": event_name,
                "userIdentity": {"principalId": "AWS:LOCALUPLOADER"},
                "requestParameters": {"sourceIPAddress": source_ip},
                "responseElements": {
                    "x-amz-request-id": uuid.uuid4().hex[:16].upper(),
                    "x-amz-id-2": base64.b64encode(secrets.token_bytes(48)).decode("ascii"),
                },
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": configuration_id,
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "LOCALOWNER"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": obj,
                },
            }
        ]
    }


def http_date() -> str:
    """The current time as an HTTP Date header."""
    return formatdate(usegmt=True)
