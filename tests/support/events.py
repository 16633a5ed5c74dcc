"""Builders of the Lambda events API Gateway and S3 send, for tests."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote_plus, urlencode

TEST_IP = "203.0.113.7"


def http_v2(
    method: str,
    path: str,
    query: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    source_ip: str = TEST_IP,
    base64_body: bool = False,
    request_id: str = "req-1",
) -> dict[str, Any]:
    """An HTTP API payload 2.0 event."""
    raw_body = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
    if isinstance(raw_body, bytes) or (base64_body and raw_body is not None):
        data = raw_body if isinstance(raw_body, bytes) else raw_body.encode()
        raw_body, base64_body = base64.b64encode(data).decode(), True
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": {"user-agent": "pytest", **(headers or {})},
        "queryStringParameters": query,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": source_ip},
            "requestId": request_id,
            "stage": "$default",
        },
        "body": raw_body,
        "isBase64Encoded": base64_body,
    }


def http_v1(
    method: str,
    path: str,
    query: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    source_ip: str = TEST_IP,
) -> dict[str, Any]:
    """A REST API payload 1.0 event."""
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": headers or {},
        "queryStringParameters": query,
        "requestContext": {"requestId": "req-v1", "identity": {"sourceIp": source_ip}},
        "body": None if body is None else (body if isinstance(body, str) else json.dumps(body)),
        "isBase64Encoded": False,
    }


def websocket(
    route_key: str, connection_id: str = "conn-1", query: dict[str, str] | None = None
) -> dict[str, Any]:
    """A WebSocket API $connect/$disconnect event."""
    event_type = {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route_key, "MESSAGE")
    return {
        "headers": {"Host": "ws.example"},
        "queryStringParameters": query,
        "requestContext": {
            "routeKey": route_key,
            "eventType": event_type,
            "connectionId": connection_id,
            "requestId": "ws-req-1",
            "domainName": "ws.example",
            "stage": "dev",
        },
        "isBase64Encoded": False,
    }


def s3_created(*keys: str, bucket: str = "uploads", encode: bool = True) -> dict[str, Any]:
    """An S3 ObjectCreated event with one record per key (keys URL-encoded, as S3 sends)."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventName": "ObjectCreated:Post",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                    "object": {"key": quote_plus(key, safe="/") if encode else key, "size": 3},
                },
            }
            for key in keys
        ]
    }


def body_of(response: dict[str, Any]) -> Any:
    """The JSON body of a Lambda proxy response."""
    return json.loads(response["body"]) if response.get("body") else None


class LambdaContext:
    """The parts of Lambda's context object the handlers read."""

    function_name = "test-function"
    memory_limit_in_mb = 256
    aws_request_id = "lambda-req-1"

    def __init__(self, remaining_ms: int = 30_000) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms
