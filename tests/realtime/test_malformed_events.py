"""A malformed event of each kind answers 400 (or is skipped) and never raises."""

from __future__ import annotations

import pytest

from tests.support.events import LambdaContext, body_of, s3_created, websocket


def _ws(**changes):
    event = websocket("$connect", "conn-1", {"sessionId": "x"})
    event.update(changes)
    return event


MALFORMED_WEBSOCKET = {
    "query not an object": _ws(queryStringParameters=["sessionId"]),
    "headers not an object": _ws(headers="Host: x"),
    "route key not text": {"requestContext": {"connectionId": "c", "routeKey": 5}},
    "no connection id": {"requestContext": {"routeKey": "$connect", "eventType": "CONNECT"}},
}


@pytest.mark.parametrize("event", MALFORMED_WEBSOCKET.values(), ids=MALFORMED_WEBSOCKET.keys())
def test_malformed_websocket_event_is_a_400(app, event):
    response = app.lambda_handler(event, None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] in {
        "Invalid Lambda event format",
        "sessionId is required",
        "Invalid sessionId format",
    }


def _s3_with(obj):
    event = s3_created("session-uploads/x/image-1")
    event["Records"][0]["s3"]["object"] = obj
    return event


MALFORMED_S3 = {
    "object not an object": _s3_with("key"),
    "key not text": _s3_with({"key": 42}),
    "object missing": _s3_with(None),
}


@pytest.mark.parametrize("event", MALFORMED_S3.values(), ids=MALFORMED_S3.keys())
def test_s3_event_with_only_malformed_records_is_a_400(app, event):
    assert app.lambda_handler(event, LambdaContext()) == {
        "statusCode": 400,
        "error": "Invalid Lambda event format",
        "requestId": "lambda-req-1",
    }


def test_malformed_record_beside_good_ones_is_skipped(app):
    event = s3_created("session-uploads/x/image-1", "session-uploads/y/image-2")
    event["Records"][0]["s3"]["object"] = "key"
    result = app.lambda_handler(event, None)
    assert result == {"statusCode": 200, "records": 2, "skipped": 2}


@pytest.mark.parametrize(
    "event",
    [{"Records": [{"s3": "bucket"}]}, {"Records": [{"eventSource": "aws:s3"}]}, {"Records": None}],
    ids=["s3 not an object", "no s3 section", "records null"],
)
def test_event_that_is_not_quite_s3_is_a_400(app, event):
    response = app.lambda_handler(event, None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid Lambda event format"
