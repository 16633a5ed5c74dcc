"""The browser's only way out: a local HTTP proxy that checks every connection it makes.

Playwright's routing does not see redirect hops, and service workers and WebRTC bypass it. Chromium
is therefore launched with this proxy as its sole route to the network: each connection (page,
redirect, subresource, WebSocket, worker) is resolved here, refused unless every address is
permitted, and made to the address that was checked, so DNS rebinding cannot swap it afterwards.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from handlers.scanner.target import HostGuard, InvalidTarget, UnresolvableHost

HEAD_LIMIT = 64 * 1024
CONNECT_TIMEOUT = 10.0
IDLE_TIMEOUT = 120.0
MARKER = "X-Pixel-Scanner-Egress"


def _refusal(status: str, reason: str) -> bytes:
    # A body, because Chromium turns an empty error response into a bare navigation error.
    body = reason.encode()
    return (
        f"HTTP/1.1 {status}\r\n{MARKER}: {reason}\r\nContent-Type: text/plain\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


_BLOCKED = _refusal("403 Forbidden", "blocked")
_UNREACHABLE = _refusal("502 Bad Gateway", "unreachable")
_HOP_HEADERS = {b"connection", b"proxy-connection", b"keep-alive", b"proxy-authorization"}


def _read_head(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """The request head up to the blank line, and whatever body bytes came with it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(8192)
        if not chunk:
            return None
        data += chunk
        if len(data) > HEAD_LIMIT:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _pipe(a: socket.socket, b: socket.socket, idle: float) -> None:
    """Copy bytes both ways until either side closes or nothing moves for `idle` seconds."""
    selector = selectors.DefaultSelector()
    selector.register(a, selectors.EVENT_READ, b)
    selector.register(b, selectors.EVENT_READ, a)
    try:
        while True:
            ready = selector.select(idle)
            if not ready:
                return
            for key, _ in ready:
                try:
                    chunk = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not chunk:
                        return
                    key.data.sendall(chunk)
                except OSError:
                    return
    finally:
        selector.close()


def _with_connection_close(head: bytes) -> bytes:
    lines = head.split(b"\r\n")
    kept = [lines[0]] + [
        line for line in lines[1:] if line.split(b":", 1)[0].strip().lower() not in _HOP_HEADERS
    ]
    return b"\r\n".join([*kept, b"Connection: close"]) + b"\r\n\r\n"


class EgressProxy:
    """A threaded HTTP/CONNECT proxy on 127.0.0.1 that enforces a HostGuard."""

    def __init__(
        self,
        guard: HostGuard,
        on_blocked: Callable[[str], None] | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self.guard = guard
        self.on_blocked = on_blocked
        self.connect_timeout = connect_timeout
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        """Stop accepting, and cut every connection still open."""
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)
        with contextlib.suppress(OSError):
            sock.close()

    def _connect(self, host: str, port: int) -> socket.socket | bytes:
        """A socket to a checked address and port of `host`, or the response explaining why not.

        The port is checked like the address: otherwise CONNECT would make this an open relay
        to any TCP service of any public host.
        """
        try:
            addresses = self.guard.addresses(host)
        except UnresolvableHost:
            return _UNREACHABLE
        except InvalidTarget:
            return self._block(host)
        if not all(self.guard.policy.permits_port(a, port) for a in addresses):
            return self._block(host)
        for address in addresses:
            try:
                return socket.create_connection((str(address), port), self.connect_timeout)
            except OSError:
                continue
        return _UNREACHABLE

    def _block(self, host: str) -> bytes:
        if self.on_blocked:
            self.on_blocked(host)
        return _BLOCKED

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(IDLE_TIMEOUT)
        self._track(client)
        upstream: socket.socket | None = None
        try:
            got = _read_head(client)
            if got is None:
                return
            head, rest = got
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = request_line.split(" ")
            if len(parts) != 3:
                return
            method, target, _version = parts
            if method.upper() == "CONNECT":
                host, _, port_text = target.rpartition(":")
                if not (port_text.isdigit() and 0 < int(port_text) < 65536):
                    return
                connected = self._connect(host.strip("[]"), int(port_text))
                if isinstance(connected, bytes):
                    client.sendall(connected)
                    return
                upstream = connected
                self._track(upstream)
                client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
            else:
                try:
                    url = urlsplit(target)
                    host, port = url.hostname, url.port or 80
                except ValueError:  # a malformed absolute URL: nothing to forward
                    return
                if url.scheme != "http" or not host:
                    return
                connected = self._connect(host, port)
                if isinstance(connected, bytes):
                    client.sendall(connected)
                    return
                upstream = connected
                self._track(upstream)
                path = url.path or "/"
                if url.query:
                    path += "?" + url.query
                _, _, headers = head.partition(b"\r\n")
                origin_form = f"{method} {path} HTTP/1.1".encode("latin-1")
                upstream.sendall(_with_connection_close(origin_form + b"\r\n" + headers) + rest)
            upstream.settimeout(IDLE_TIMEOUT)
            _pipe(client, upstream, IDLE_TIMEOUT)
        except OSError:
            return
        finally:
            if upstream is not None:
                self._untrack(upstream)
            self._untrack(client)
