"""Hypothesis strategies for the events Lambda delivers: API Gateway payload 2.0 and 1.0,
WebSocket API and S3 notifications, from well-formed to hostile, plus any JSON at all."""

from __future__ import annotations

import base64
import json
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.conftest import API_KEY, KNOWN_SESSIONS

# Text of any code point, lone surrogates included: events arrive as JSON, which can hold them.
wild_text = st.text(st.characters(blacklist_categories=()), max_size=40)
session_ids = st.one_of(st.sampled_from(KNOWN_SESSIONS), st.uuids().map(str), wild_text)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | wild_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(wild_text, inner, max_size=4),
    max_leaves=12,
)
anything = st.one_of(json_values, st.just({}), st.just([]))

PATHS = ("/sessions", "/upload-url", "/log", "/counter", "/health", "/scan")


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


bodies = st.one_of(
    st.none(),
    json_values.map(json.dumps),
    wild_text,
    st.integers(min_value=1, max_value=20_000).map(_deep),
    st.builds(
        lambda url, fresh: json.dumps({"url": url, "fresh": fresh}),
        st.one_of(
            wild_text,
            st.sampled_from(
                [
                    "http://[::1",
                    "http://a]/",
                    "http://[127.0.0.1]/",
                    "https://ex\uff03ample.com/",
                    "http://example.com:22/",
                    "http://[::ffff:0:a9fe:a9fe]/",
                    "https://example.org/",
                ]
            ),
            wild_text.map(lambda t: "https://" + t),
        ),
        st.one_of(st.booleans(), json_values),
    ),
    st.builds(
        lambda level, message, url: json.dumps({"level": level, "message": message, "url": url}),
        st.one_of(st.sampled_from(["error", "warn", "info"]), json_values),
        json_values,
        json_values,
    ),
    st.dictionaries(st.sampled_from(["domain", "url", "fresh"]), json_values).map(json.dumps),
)
paths = st.one_of(
    st.sampled_from(PATHS),
    session_ids.map(lambda s: f"/sessions/{s}"),
    wild_text.map(lambda t: "/" + t),
    st.integers(0, 20_000).map(lambda n: "/sessions/" + "x" * n),
)
methods = st.one_of(st.sampled_from(["GET", "POST", "OPTIONS", "PUT", "DELETE", "HEAD"]), wild_text)
headers = st.one_of(
    st.dictionaries(
        st.sampled_from(
            ["content-type", "x-api-key", "x-correlation-id", "origin", "user-agent", "cookie"]
        )
        | wild_text,
        st.one_of(wild_text, st.just(API_KEY), st.just("abc-123\n")),
        max_size=6,
    ),
    json_values,
)
queries = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {}, optional={"sessionId": session_ids, "contentType": wild_text | st.just("image/png")}
    ),
    json_values,
)
source_ips = st.one_of(
    st.ip_addresses().map(str), wild_text, st.none(), st.just("2001:db8::1"), st.integers()
)


OWNER = {
    "/sessions": "sessions",
    "/upload-url": "sessions",
    "/log": "sessions",
    "/counter": "counter",
    "/health": "counter",
    "/scan": "scanner",
}


def owner_of(path: str) -> str:
    """The function serving `path` (sessions for /sessions/{id} and anything unknown)."""
    return OWNER.get(path.rstrip("/") or "/", "sessions")


def hostile(draw: st.DrawFn) -> bool:
    """One event in four is hostile: wrong types, odd values, keys removed or replaced."""
    return draw(st.integers(0, 3)) == 0


def either(draw: st.DrawFn, rude: bool, polite: st.SearchStrategy, junk: st.SearchStrategy):
    return draw(st.one_of(polite, junk) if rude else polite)


@st.composite
def mutated(draw: st.DrawFn, event: dict[str, Any]) -> dict[str, Any]:
    """`event` with a few keys, at any depth, replaced by arbitrary JSON or removed."""
    for _ in range(draw(st.integers(1, 3))):
        target = event
        keys = [k for k in target if isinstance(k, str)]
        while keys and draw(st.booleans()):
            key = draw(st.sampled_from(keys))
            if not isinstance(target[key], dict):
                break
            target = target[key]
            keys = list(target)
        if not keys:
            continue
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()):
            del target[key]
        else:
            target[key] = draw(anything)
    return event


valid_ips = st.one_of(st.ip_addresses().map(str), st.just("2001:db8::1"))
junk_ips = st.one_of(wild_text, st.integers(), st.none())
valid_methods = st.sampled_from(["GET", "POST", "OPTIONS", "PUT", "DELETE", "HEAD"])
valid_headers = st.fixed_dictionaries(
    {"x-api-key": st.one_of(st.just(API_KEY), wild_text)},
    optional={
        "content-type": st.just("application/json"),
        "x-correlation-id": st.one_of(st.just("abc-123"), wild_text),
        "origin": wild_text,
        "user-agent": wild_text,
    },
)


ROUTES = (
    ("POST", "/sessions"),
    ("GET", "/upload-url"),
    ("GET", "/sessions/{sessionId}"),
    ("POST", "/log"),
    ("GET", "/counter"),
    ("GET", "/health"),
    ("POST", "/scan"),
)


@st.composite
def requests_(draw: st.DrawFn, rude: bool) -> tuple[str, str]:
    """(method, path): mostly a declared route, sometimes anything."""
    if draw(st.integers(0, 3)) == 0:
        return draw(valid_methods if not rude else methods), draw(paths)
    method, path = draw(st.sampled_from(ROUTES))
    if "{sessionId}" in path:
        path = path.replace("{sessionId}", draw(session_ids).replace("/", "%2F"))
    return method, path


@st.composite
def http_v2_events(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """(the function it is meant for, the event)."""
    rude = hostile(draw)
    method, path = draw(requests_(rude))
    body = draw(bodies)
    encoded = draw(st.booleans())
    if encoded and isinstance(body, str):
        body = base64.b64encode(body.encode("utf-8", "surrogatepass")).decode()
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": either(draw, rude, valid_headers, headers),
        "queryStringParameters": draw(queries),
        "requestContext": {
            "requestId": draw(wild_text),
            "http": {
                "method": method,
                "path": path,
                "sourceIp": either(draw, rude, valid_ips, junk_ips),
                "userAgent": draw(wild_text),
            },
        },
        "body": body,
        "isBase64Encoded": either(draw, rude, st.just(encoded), json_values),
    }
    cookies = either(draw, rude, st.lists(wild_text, max_size=3), json_values)
    if cookies:
        event["cookies"] = cookies
    return owner_of(path), draw(mutated(event)) if rude else event


@st.composite
def http_v1_events(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    rude = hostile(draw)
    method, path = draw(requests_(rude))
    event = {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": either(draw, rude, valid_headers, headers),
        "queryStringParameters": draw(queries),
        "requestContext": {
            "requestId": draw(wild_text),
            "identity": {"sourceIp": either(draw, rude, valid_ips, junk_ips)},
        },
        "body": draw(bodies),
        "isBase64Encoded": either(draw, rude, st.just(False), json_values),
    }
    return owner_of(path), draw(mutated(event)) if rude else event


@st.composite
def websocket_events(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    rude = hostile(draw)
    route = either(draw, rude, st.sampled_from(["$connect", "$disconnect"]), wild_text)
    event = {
        "headers": either(draw, rude, valid_headers, headers),
        "queryStringParameters": either(
            draw, rude, st.fixed_dictionaries({"sessionId": session_ids}), queries
        ),
        "requestContext": {
            "routeKey": route,
            "eventType": {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}.get(route, "MESSAGE"),
            "connectionId": either(
                draw, rude, st.from_regex(r"[A-Za-z0-9+/]{10,16}=", fullmatch=True), wild_text
            ),
            "requestId": draw(wild_text),
            "stage": "dev",
        },
    }
    return "realtime", draw(mutated(event)) if rude else event


object_keys = st.one_of(
    st.builds(lambda s, n: f"session-uploads/{s}/image-{n}", session_ids, st.integers(0, 10**17)),
    st.builds(lambda s: f"session-uploads/{s}/image-1", st.sampled_from(KNOWN_SESSIONS)),
    wild_text,
    st.builds(lambda s: f"session-uploads%2F{s}%2Fimage-1", session_ids),
    json_values,
)


@st.composite
def s3_events(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    rude = hostile(draw)
    records = [
        {
            "eventVersion": "2.1",
            "eventSource": either(draw, rude, st.just("aws:s3"), wild_text),
            "eventName": "ObjectCreated:Post",
            "s3": {"bucket": {"name": "uploads"}, "object": {"key": draw(object_keys), "size": 3}},
        }
        for _ in range(draw(st.integers(1, 4)))
    ]
    event = {"Records": records}
    return "realtime", draw(mutated(event)) if rude else event
