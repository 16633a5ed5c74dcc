"""Any event that is not HTTP, WebSocket or S3 gets a 400 and never raises."""

from __future__ import annotations

import pytest

from handlers.core.events import EventKind, classify
from tests.support.events import body_of, http_v1, http_v2, s3_created, websocket

MALFORMED = {
    "none": None,
    "list": [],
    "string": "GET /",
    "empty object": {},
    "scheduled event": {"source": "aws.events", "detail-type": "Scheduled Event"},
    "empty records": {"Records": []},
    "sqs record": {"Records": [{"eventSource": "aws:sqs", "body": "x"}]},
    "records not a list": {"Records": {"s3": {}}},
    "request context not an object": {"requestContext": "x"},
    "v2 without http": {"version": "2.0", "requestContext": {"requestId": "r"}},
    "v2 without method": {"version": "2.0", "requestContext": {"http": {"path": "/"}}},
    "v1 with numeric method": {"httpMethod": 5, "path": "/"},
    "body not a string": {**http_v2("POST", "/items"), "body": {"a": 1}},
}


@pytest.mark.parametrize("event", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_event_is_a_400_invalid_lambda_event_format(app, event):
    response = app.lambda_handler(event, None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid Lambda event format"
    assert body_of(response)["requestId"]


def test_websocket_event_to_an_http_only_function_is_a_400(app):
    response = app.lambda_handler(websocket("$connect"), None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid Lambda event format"


def test_s3_event_to_an_http_only_function_is_a_400(app):
    response = app.lambda_handler(s3_created("session-uploads/x/image-1"), None)
    assert response["statusCode"] == 400


@pytest.mark.parametrize(
    ("event", "kind"),
    [
        (http_v2("GET", "/"), EventKind.HTTP_V2),
        (http_v1("GET", "/"), EventKind.HTTP_V1),
        (websocket("$connect"), EventKind.WEBSOCKET),
        (s3_created("a"), EventKind.S3),
        ({"hello": "world"}, EventKind.UNKNOWN),
    ],
)
def test_events_are_classified_by_shape(event, kind):
    assert classify(event) is kind


@pytest.mark.parametrize("event", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_event_in_debug_mode_is_still_a_400(app, monkeypatch, event):
    monkeypatch.setenv("DEBUG", "true")
    app.reset()
    assert app.lambda_handler(event, None)["statusCode"] == 400


def test_headers_of_the_wrong_type_are_ignored_not_fatal(app):
    event = http_v2("GET", "/items/1")
    event["headers"] = 42
    assert app.lambda_handler(event, None)["statusCode"] == 200
