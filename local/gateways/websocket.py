"""The WebSocket API: connection ids, $connect/$disconnect events, and the management API calls.

It behaves like API Gateway's WebSocket API: the `$connect` route decides whether a client may
connect (a non-2xx answer refuses the handshake with that status), `$disconnect` is sent when
either side closes, and the `@connections` management calls reach a connection by id, answering
GoneException once it has gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from local.functions.events import new_connection_id, websocket_event
from local.functions.workers import InvocationError
from local.gateways.background_server import LISTEN_BACKLOG

ROUTE_THREADS = 64

# invoke(route_key, event) -> the function's result; raises InvocationError or KeyError (no route)
RouteInvoker = Callable[[str, dict], object]


class GoneError(LookupError):
    """The connection is closed or never existed (API Gateway's 410 GoneException)."""


@dataclass
class Connection:
    connection_id: str
    socket: ServerConnection
    source_ip: str
    user_agent: str
    connected_at: float = field(default_factory=time.time)
    last_active_at: float = field(default_factory=time.time)


class WebSocketGateway:
    """A WebSocket API on host:port whose routes are served by `invoke`."""

    def __init__(
        self,
        host: str,
        port: int,
        routes: set[str],
        invoke: RouteInvoker,
        *,
        api_id: str = "localws",
        stage: str = "dev",
    ) -> None:
        self.host = host
        self.port = port
        self.routes = routes
        self._invoke = invoke
        self.api_id = api_id
        self.stage = stage
        self._connections: dict[str, Connection] = {}
        self._pending: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None
        self._started = threading.Event()
        self._startup_error: BaseException | None = None

    @property
    def domain_name(self) -> str:
        return f"{self.host}:{self.port}"

    # lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Listen in a background thread; returns once the socket is bound."""
        self._thread = threading.Thread(target=self._run, name="websocket-gateway", daemon=True)
        self._thread.start()
        self._started.wait(timeout=10)
        if self._startup_error:
            raise self._startup_error

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        # $connect and $disconnect invoke functions from threads: asyncio's default pool
        # (cores + 4) would queue a burst of connections behind a handful of them.
        self._loop.set_default_executor(
            ThreadPoolExecutor(max_workers=ROUTE_THREADS, thread_name_prefix="ws-route")
        )
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        self._stopped = asyncio.Event()
        try:
            server = await serve(
                self._handle,
                self.host,
                self.port,
                process_request=self._on_handshake,
                ping_interval=20,
                max_size=128 * 1024,  # API Gateway's frame limit is 32 KB, messages 128 KB
                backlog=LISTEN_BACKLOG,
            )
        except OSError as exc:
            self._startup_error = exc
            self._started.set()
            return
        self.port = server.sockets[0].getsockname()[1]
        self._started.set()
        async with server:
            await self._stopped.wait()
            for connection in list(self._connections.values()):
                # A client already gone (or its socket broken) leaves nothing to close.
                with contextlib.suppress(ConnectionClosed, TimeoutError, OSError):
                    await connection.socket.close(1001, "Going away")
            server.close()
            await server.wait_closed()

    def stop(self) -> None:
        """Close every connection and stop listening."""
        if self._loop and self._stopped and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stopped.set)
        if self._thread:
            self._thread.join(timeout=10)

    # the API -------------------------------------------------------------------------------

    async def _on_handshake(self, socket: ServerConnection, request):
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return socket.respond(426, "Upgrade Required\n")
        connection_id = new_connection_id()
        source_ip = socket.remote_address[0] if socket.remote_address else "127.0.0.1"
        user_agent = request.headers.get("User-Agent", "")
        headers = {name: value for name, value in request.headers.raw_items()}
        headers.setdefault("X-Forwarded-For", source_ip)
        connected_at = time.time()
        event = self._event(
            "$connect",
            connection_id,
            source_ip,
            user_agent,
            connected_at,
            headers=headers,
            raw_query=urlsplit(request.path).query,
        )
        if "$connect" in self.routes:
            status, body = await self._call("$connect", event)
            if not 200 <= status < 300:
                return socket.respond(status, body or "")
        with self._lock:
            self._pending[id(socket)] = (connection_id, connected_at)
        return None

    def _event(
        self,
        route_key: str,
        connection_id: str,
        source_ip: str,
        user_agent: str,
        connected_at: float,
        **extra,
    ) -> dict:
        return websocket_event(
            route_key=route_key,
            connection_id=connection_id,
            api_id=self.api_id,
            domain_name=self.domain_name,
            stage=self.stage,
            source_ip=source_ip,
            user_agent=user_agent,
            connected_at_ms=int(connected_at * 1000),
            **extra,
        )

    def _connection_event(self, connection: Connection, route_key: str, **extra) -> dict:
        return self._event(
            route_key,
            connection.connection_id,
            connection.source_ip,
            connection.user_agent,
            connection.connected_at,
            **extra,
        )

    async def _call(self, route_key: str, event: dict) -> tuple[int, str]:
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(None, self._invoke, route_key, event)
        except InvocationError:
            return 500, json.dumps({"message": "Internal server error"})
        if isinstance(result, dict) and "statusCode" in result:
            body = result.get("body")
            return int(result["statusCode"]), body if isinstance(body, str) else ""
        return 200, ""

    async def _handle(self, socket: ServerConnection) -> None:
        with self._lock:
            connection_id, connected_at = self._pending.pop(id(socket))
            request = socket.request
            connection = Connection(
                connection_id=connection_id,
                socket=socket,
                source_ip=socket.remote_address[0] if socket.remote_address else "127.0.0.1",
                user_agent=request.headers.get("User-Agent", "") if request else "",
                connected_at=connected_at,
            )
            self._connections[connection_id] = connection
        try:
            async for message in socket:
                connection.last_active_at = time.time()
                await self._on_message(connection, message)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._connections.pop(connection_id, None)
            if "$disconnect" in self.routes:
                event = self._connection_event(
                    connection,
                    "$disconnect",
                    disconnect_status=socket.close_code or 1006,
                    disconnect_reason=socket.close_reason or "",
                )
                await self._call("$disconnect", event)

    async def _on_message(self, connection: Connection, message: str | bytes) -> None:
        if "$default" not in self.routes:
            # What API Gateway answers when no route matches and there is no $default route.
            await connection.socket.send(
                json.dumps(
                    {
                        "message": "Forbidden",
                        "connectionId": connection.connection_id,
                        "requestId": new_connection_id(),
                    }
                )
            )
            return
        body = message if isinstance(message, str) else message.decode("utf-8", "replace")
        event = self._connection_event(connection, "$default", body=body)
        await self._call("$default", event)

    # management API (called from other threads) -------------------------------------------

    def _connection(self, connection_id: str) -> Connection:
        with self._lock:
            connection = self._connections.get(connection_id)
        if connection is None:
            raise GoneError(connection_id)
        return connection

    def _run_on_loop(self, coroutine, timeout: float = 5.0):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(timeout=timeout)

    def post_to_connection(self, connection_id: str, data: bytes) -> None:
        """Send `data` to the client, as a text frame when it is UTF-8."""
        connection = self._connection(connection_id)
        try:
            payload: str | bytes = data.decode("utf-8")
        except UnicodeDecodeError:
            payload = data
        try:
            self._run_on_loop(connection.socket.send(payload))
        except ConnectionClosed as exc:
            raise GoneError(connection_id) from exc

    def get_connection(self, connection_id: str) -> dict:
        """ConnectedAt, Identity and LastActiveAt of a live connection."""
        connection = self._connection(connection_id)
        return {
            "connectedAt": _iso(connection.connected_at),
            "identity": {"sourceIp": connection.source_ip, "userAgent": connection.user_agent},
            "lastActiveAt": _iso(connection.last_active_at),
        }

    def delete_connection(self, connection_id: str) -> None:
        """Close the connection from the server side; $disconnect follows."""
        connection = self._connection(connection_id)
        with contextlib.suppress(ConnectionClosed, TimeoutError):
            self._run_on_loop(connection.socket.close(1000, "Connection deleted"))

    def connection_ids(self) -> list[str]:
        """The ids of the open connections."""
        with self._lock:
            return list(self._connections)


def _iso(epoch: float) -> str:
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch * 1000) % 1000:03d}Z"
    )
