"""The local control plane: the WebSocket management API and Lambda's Invoke API.

- `POST|GET|DELETE /{stage}/@connections/{connectionId}`: what boto3's `apigatewaymanagementapi`
  client sends when its endpoint_url is WS_API_ENDPOINT (the stage is the endpoint's path).
- `POST /2015-03-31/functions/{name}/invocations`: Lambda's Invoke, so tests and tools can send
  any event (a duplicated S3 notification, say) to a running function with boto3's lambda client.
- `GET /_local/s3-events`: the S3 notifications delivered so far, newest last.
"""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

from local.functions.workers import InvocationError
from local.gateways.background_server import BackgroundServer
from local.gateways.websocket import GoneError, WebSocketGateway

CONNECTION_PATH = re.compile(r"^(?:/[^/@]+)?/@connections/([^/?]+)$")
INVOKE_PATH = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")


class ControlApi(BackgroundServer):
    """Serves the management and invoke APIs on host:port."""

    thread_name = "control-api"

    def __init__(self, host: str, port: int, websocket: WebSocketGateway, functions, s3_events):
        self.websocket = websocket
        self.functions = functions  # name -> FunctionWorker
        self.s3_events = s3_events
        api = self

        class Handler(_Handler):
            control = api

        self._listen(host, port, Handler)


class _Handler(BaseHTTPRequestHandler):
    control: ControlApi
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # the stack logs what matters
        return

    def _send(self, status: int, body: object = None, headers: dict | None = None) -> None:
        raw = b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _gone(self, connection_id: str) -> None:
        self._send(
            410,
            {"message": f"Connection {connection_id} is gone"},
            {"x-amzn-ErrorType": "GoneException"},
        )

    def _not_found(self) -> None:
        self._send(404, {"message": "Not Found"})

    def _connection(self) -> str | None:
        match = CONNECTION_PATH.match(self.path.split("?", 1)[0])
        return unquote(match.group(1)) if match else None

    def do_POST(self) -> None:
        body = self._body()
        connection_id = self._connection()
        if connection_id is not None:
            try:
                self.control.websocket.post_to_connection(connection_id, body)
            except GoneError:
                return self._gone(connection_id)
            return self._send(200)
        match = INVOKE_PATH.match(self.path.split("?", 1)[0])
        if match:
            return self._invoke(unquote(match.group(1)), body)
        return self._not_found()

    def do_GET(self) -> None:
        connection_id = self._connection()
        if connection_id is not None:
            try:
                return self._send(200, self.control.websocket.get_connection(connection_id))
            except GoneError:
                return self._gone(connection_id)
        if self.path.split("?", 1)[0] == "/_local/s3-events":
            return self._send(200, list(self.control.s3_events.delivered))
        return self._not_found()

    def do_DELETE(self) -> None:
        connection_id = self._connection()
        if connection_id is None:
            return self._not_found()
        try:
            self.control.websocket.delete_connection(connection_id)
        except GoneError:
            return self._gone(connection_id)
        return self._send(204)

    def _invoke(self, name: str, body: bytes) -> None:
        worker = self.control.functions.get(name.split(":function:")[-1])
        if worker is None:
            return self._send(
                404,
                {"Type": "User", "Message": f"Function not found: {name}"},
                {"x-amzn-ErrorType": "ResourceNotFoundException"},
            )
        try:
            event = json.loads(body or b"{}")
        except ValueError:
            return self._send(
                400,
                {"Type": "User", "message": "Could not parse request body into json"},
                {"x-amzn-ErrorType": "InvalidRequestContentException"},
            )
        try:
            result = worker.invoke(event)
        except InvocationError as exc:
            return self._send(
                200,
                exc.payload,
                {"X-Amz-Function-Error": "Unhandled", "X-Amz-Executed-Version": "$LATEST"},
            )
        return self._send(200, result, {"X-Amz-Executed-Version": "$LATEST"})
