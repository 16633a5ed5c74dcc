"""A WebSocket event whose connection id API Gateway could not have sent is a 400, not a 500."""

from __future__ import annotations

import pytest

from tests.realtime.conftest import put_session
from tests.support.events import body_of, websocket

SID = "77777777-7777-4777-8777-777777777777"


@pytest.mark.parametrize(
    "connection_id",
    ["", "x" * 5000, "conn\n1", "\udcff"],
    ids=["empty", "huge", "newline", "surrogate"],
)
@pytest.mark.parametrize("route_key", ["$connect", "$disconnect"])
def test_a_connection_id_api_gateway_never_sends_is_a_400(app, clock, route_key, connection_id):
    put_session(SID, "AWAITING_SCAN", int(clock()))
    event = websocket(route_key, connection_id, {"sessionId": SID})
    response = app.lambda_handler(event, None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid Lambda event format"
