"""The events the local gateways build look like the ones AWS delivers."""

from __future__ import annotations

import base64
import json

from local.functions.events import http_event, http_response, s3_object_created, websocket_event


def _event(**overrides) -> dict:
    arguments = {
        "method": "GET",
        "raw_path": "/sessions/abc",
        "raw_query": "a=1&a=2&b=x%20y",
        "headers": [
            ("Host", "127.0.0.1:8701"),
            ("User-Agent", "pytest"),
            ("Cookie", "one=1; two=2"),
            ("X-Correlation-Id", "c-1"),
        ],
        "body": b"",
        "route_key": "GET /sessions/{sessionId}",
        "path_parameters": {"sessionId": "abc"},
        "source_ip": "127.0.0.1",
        "api_id": "localhttp",
        "domain_name": "127.0.0.1:8701",
    }
    arguments.update(overrides)
    return http_event(**arguments)


def test_http_event_has_every_payload_2_0_field():
    event = _event()
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /sessions/{sessionId}"
    assert event["rawPath"] == "/sessions/abc"
    assert event["rawQueryString"] == "a=1&a=2&b=x%20y"
    assert event["pathParameters"] == {"sessionId": "abc"}
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    for key in ("accountId", "apiId", "domainName", "requestId", "routeKey", "time", "timeEpoch"):
        assert context[key]
    assert context["stage"] == "$default"
    assert context["http"] == {
        "method": "GET",
        "path": "/sessions/abc",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "pytest",
    }


def test_http_event_lower_cases_headers_and_moves_cookies_out():
    event = _event()
    assert event["headers"]["x-correlation-id"] == "c-1"
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["one=1", "two=2"]


def test_http_event_joins_repeated_query_parameters_with_commas():
    assert _event()["queryStringParameters"] == {"a": "1,2", "b": "x y"}


def test_http_event_leaves_out_absent_parts():
    event = _event(raw_query="", path_parameters={}, headers=[])
    assert "queryStringParameters" not in event
    assert "pathParameters" not in event
    assert "cookies" not in event
    assert "body" not in event


def test_json_body_is_text_and_binary_body_is_base64():
    text = _event(method="POST", body=b'{"a":1}', headers=[("Content-Type", "application/json")])
    assert text["body"] == '{"a":1}'
    assert text["isBase64Encoded"] is False
    binary = _event(method="POST", body=b"\x89PNG", headers=[("Content-Type", "image/png")])
    assert base64.b64decode(binary["body"]) == b"\x89PNG"
    assert binary["isBase64Encoded"] is True


def test_response_without_status_code_is_a_200_json_body():
    status, headers, body = http_response({"count": 3})
    assert status == 200
    assert ("content-type", "application/json") in headers
    assert json.loads(body) == {"count": 3}


def test_response_keeps_status_headers_cookies_and_decodes_base64():
    status, headers, body = http_response(
        {
            "statusCode": 201,
            "headers": {"X-Thing": "1"},
            "cookies": ["a=b"],
            "body": base64.b64encode(b"raw").decode(),
            "isBase64Encoded": True,
        }
    )
    assert status == 201
    assert ("X-Thing", "1") in headers
    assert ("set-cookie", "a=b") in headers
    assert body == b"raw"


def test_connect_event_carries_query_parameters_and_headers():
    event = websocket_event(
        route_key="$connect",
        connection_id="abc=",
        api_id="localws",
        domain_name="127.0.0.1:8702",
        stage="dev",
        source_ip="127.0.0.1",
        user_agent="pytest",
        connected_at_ms=1,
        headers={"Host": "127.0.0.1:8702"},
        raw_query="sessionId=s-1",
    )
    assert event["queryStringParameters"] == {"sessionId": "s-1"}
    assert event["multiValueQueryStringParameters"] == {"sessionId": ["s-1"]}
    assert event["headers"] == {"Host": "127.0.0.1:8702"}
    context = event["requestContext"]
    assert context["routeKey"] == "$connect"
    assert context["eventType"] == "CONNECT"
    assert context["connectionId"] == "abc="
    assert context["stage"] == "dev"
    assert context["identity"]["sourceIp"] == "127.0.0.1"


def test_disconnect_event_carries_the_close_status():
    event = websocket_event(
        route_key="$disconnect",
        connection_id="abc=",
        api_id="localws",
        domain_name="d",
        stage="dev",
        source_ip="127.0.0.1",
        user_agent="",
        connected_at_ms=1,
        disconnect_status=1000,
        disconnect_reason="bye",
    )
    assert event["requestContext"]["eventType"] == "DISCONNECT"
    assert event["requestContext"]["disconnectStatusCode"] == 1000
    assert event["requestContext"]["disconnectReason"] == "bye"
    assert "queryStringParameters" not in event


def test_s3_event_has_the_documented_record_structure():
    event = s3_object_created(
        bucket="uploads", key="session-uploads/s 1/image-1", size=67, etag='"abc"'
    )
    [record] = event["Records"]
    assert record["eventVersion"] == "2.1"
    assert record["eventSource"] == "aws:s3"
    assert record["eventName"] == "ObjectCreated:Post"
    assert record["eventTime"].endswith("Z")
    s3 = record["s3"]
    assert s3["s3SchemaVersion"] == "1.0"
    assert s3["bucket"] == {
        "name": "uploads",
        "ownerIdentity": {"principalId": "LOCALOWNER"},
        "arn": "arn:aws:s3:::uploads",
    }
    assert s3["object"]["key"] == "session-uploads/s+1/image-1"
    assert s3["object"]["size"] == 67
    assert s3["object"]["eTag"] == "abc"
    assert len(s3["object"]["sequencer"]) >= 16
