"""An HTTP server on 127.0.0.1 served from a daemon thread: the shape of every local endpoint."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Connections the kernel queues while every thread is busy accepting: the default of 5 reset
# 40 of 100 simultaneous users (the kernel caps it at net.core.somaxconn).
LISTEN_BACKLOG = 1024


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG


class BackgroundServer:
    """Subclasses call `_listen` in their constructor, then `start()` and `stop()` it."""

    thread_name = "local-server"

    def _listen(self, host: str, port: int, handler: type[BaseHTTPRequestHandler] | Any) -> None:
        self.server = _Server((host, port), handler)
        self.host = host
        self.port = self.server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self.server.serve_forever, name=self.thread_name, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:  # shutdown() waits for serve_forever, so only if it ran
            self.server.shutdown()
        self.server.server_close()
