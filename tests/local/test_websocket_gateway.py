"""The WebSocket API and its management API behave like API Gateway's, 410 Gone included."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import boto3
import pytest
from botocore.exceptions import ClientError
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from local.aws.s3_events import S3EventBridge
from local.gateways.control_api import ControlApi
from local.gateways.websocket import WebSocketGateway


class FakeRealtime:
    """Accepts `?sessionId=ok`, refuses everything else with 403, records every event."""

    def __init__(self) -> None:
        self.events: list[dict] = []

    def __call__(self, route_key: str, event: dict) -> object:
        self.events.append(event)
        session = (event.get("queryStringParameters") or {}).get("sessionId")
        if route_key == "$connect" and session != "ok":
            return {"statusCode": 403, "body": json.dumps({"error": "Session not found"})}
        return {"statusCode": 200, "body": "{}"}

    def routes(self, route_key: str) -> list[dict]:
        return [e for e in self.events if e["requestContext"]["routeKey"] == route_key]


@pytest.fixture(scope="module")
def realtime() -> FakeRealtime:
    return FakeRealtime()


@pytest.fixture(scope="module")
def gateway(realtime: FakeRealtime) -> Iterator[WebSocketGateway]:
    server = WebSocketGateway("127.0.0.1", 0, {"$connect", "$disconnect"}, realtime, stage="dev")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def control(gateway: WebSocketGateway) -> Iterator[ControlApi]:
    api = ControlApi("127.0.0.1", 0, gateway, {}, S3EventBridge(lambda *a: None))
    api.start()
    yield api
    api.stop()


@pytest.fixture
def management(control: ControlApi):
    """boto3's client, pointed at the local endpoint exactly as the realtime function is."""
    return boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=f"http://127.0.0.1:{control.port}/dev",
        region_name="us-east-1",
    )


def url(gateway: WebSocketGateway, query: str = "sessionId=ok") -> str:
    return f"ws://127.0.0.1:{gateway.port}/?{query}"


def connection_id_of(realtime: FakeRealtime) -> str:
    return realtime.routes("$connect")[-1]["requestContext"]["connectionId"]


def wait_for(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_connect_event_carries_the_query_string_and_a_new_connection_id(gateway, realtime):
    async def scenario():
        async with connect(url(gateway, "sessionId=ok&x=1")):
            pass

    asyncio.run(scenario())
    event = realtime.routes("$connect")[-1]
    assert event["queryStringParameters"] == {"sessionId": "ok", "x": "1"}
    assert event["requestContext"]["connectionId"].endswith("=")
    assert event["requestContext"]["stage"] == "dev"


def test_connection_is_refused_with_the_status_connect_returned(gateway):
    async def scenario():
        async with connect(url(gateway, "sessionId=unknown")):
            pass

    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(scenario())
    assert refused.value.response.status_code == 403
    assert json.loads(refused.value.response.body) == {"error": "Session not found"}


def test_post_to_connection_reaches_the_client(gateway, realtime, management):
    async def scenario():
        async with connect(url(gateway)) as socket:
            connection_id = connection_id_of(realtime)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(
                None,
                lambda: management.post_to_connection(
                    ConnectionId=connection_id, Data=b'{"action": "PING"}'
                ),
            )
            return await asyncio.wait_for(socket.recv(), 5)

    assert json.loads(asyncio.run(scenario())) == {"action": "PING"}


def test_get_connection_describes_the_client(gateway, realtime, management):
    async def scenario():
        async with connect(url(gateway), user_agent_header="pytest-agent"):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                None,
                lambda: management.get_connection(ConnectionId=connection_id_of(realtime)),
            )

    described = asyncio.run(scenario())
    assert described["Identity"] == {"SourceIp": "127.0.0.1", "UserAgent": "pytest-agent"}
    assert described["ConnectedAt"] <= described["LastActiveAt"]


def test_delete_connection_closes_it_and_sends_disconnect(gateway, realtime, management):
    async def scenario():
        async with connect(url(gateway)) as socket:
            connection_id = connection_id_of(realtime)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(
                None, lambda: management.delete_connection(ConnectionId=connection_id)
            )
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(socket.recv(), 5)
            return connection_id

    connection_id = asyncio.run(scenario())
    wait_for(
        lambda: any(
            e["requestContext"]["connectionId"] == connection_id
            for e in realtime.routes("$disconnect")
        )
    )


def test_client_close_sends_disconnect_with_its_status(gateway, realtime):
    async def scenario():
        async with connect(url(gateway)):
            return connection_id_of(realtime)

    connection_id = asyncio.run(scenario())

    def disconnected():
        return [
            e
            for e in realtime.routes("$disconnect")
            if e["requestContext"]["connectionId"] == connection_id
        ]

    wait_for(disconnected)
    assert disconnected()[0]["requestContext"]["disconnectStatusCode"] == 1000


@pytest.mark.parametrize("call", ["post_to_connection", "get_connection", "delete_connection"])
def test_gone_connection_answers_410_gone_exception(management, call):
    arguments = {"ConnectionId": "bm90LXRoZXJlAA="}
    if call == "post_to_connection":
        arguments["Data"] = b"{}"
    with pytest.raises(ClientError) as gone:
        getattr(management, call)(**arguments)
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
    assert gone.value.response["Error"]["Code"] == "GoneException"


def test_a_message_without_a_default_route_is_answered_forbidden(gateway):
    async def scenario():
        async with connect(url(gateway)) as socket:
            await socket.send("hello")
            return json.loads(await asyncio.wait_for(socket.recv(), 5))

    answer = asyncio.run(scenario())
    assert answer["message"] == "Forbidden"
    assert answer["connectionId"]
