"""A stand-in for the batch API on 127.0.0.1, answering as the contract of POST /scans and
GET /scans/{batchId} says, so the report page can be tested without the engine behind it."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from local.gateways.background_server import BackgroundServer
from tests.e2e.helpers import png

API_KEY = "report-page-key"
BATCH_ID = "b-0001"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "content-type, x-api-key, x-correlation-id",
    "Access-Control-Expose-Headers": "x-correlation-id, retry-after",
}


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, message: str, **headers: str) -> Reply:
    """An error as every endpoint of the API answers it."""
    return Reply(status, {"error": message, "requestId": f"req-{status}"}, headers)


@dataclass
class Batch:
    """What GET /scans/{id} answers, one snapshot per poll; the last one repeats."""

    snapshots: list[dict[str, Any]]
    polls: int = 0

    def next(self) -> dict[str, Any]:
        snapshot = self.snapshots[min(self.polls, len(self.snapshots) - 1)]
        self.polls += 1
        return snapshot


class StubBatchApi(BackgroundServer):
    """The batch endpoints; tests set `accept` (POST /scans' reply), `batch`, and `replies` (queued
    one-off answers for a path prefix, e.g. a 429 for the next poll)."""

    thread_name = "stub-batch-api"

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accept: Reply | None = None
        self.batch: Batch | None = None
        self.replies: dict[str, list[Reply]] = {}
        self.posted: list[dict[str, Any]] = []
        self.keys_seen: list[str | None] = []
        self.requests: list[str] = []
        self._listen("127.0.0.1", 0, _handler_for(self))

    def reset(self) -> None:
        with self.lock:
            self.accept, self.batch = None, None
            self.replies.clear()
            self.posted.clear()
            self.keys_seen.clear()
            self.requests.clear()

    def shot_url(self, name: str) -> str:
        return f"{self.url}/shots/{name}.png?X-Amz-Signature=stub"

    def answer(self, method: str, path: str, query: dict, key: str | None, body: Any) -> Reply:
        with self.lock:
            self.requests.append(f"{method} {path}")
            for prefix, queued in self.replies.items():
                if f"{method} {path}".startswith(prefix) and queued:
                    return queued.pop(0)
            if path.startswith(("/shots/", "/files/")):
                return Reply(200, {})  # the bytes are written by the handler
            self.keys_seen.append(key)
            if key != API_KEY:
                return error(401, "x-api-key missing or wrong")
            if method == "POST" and path == "/scans":
                self.posted.append(body)
                return self.accept or error(500, "no batch set up")
            match = re.fullmatch(r"/scans/([^/]+)(/results\.(csv|json))?", path)
            if method != "GET" or not match or self.batch is None or match[1] != BATCH_ID:
                return error(404, "batch not found")
            if match[2]:
                done = self.batch.snapshots[-1]["status"] == "completed"
                if not done or self.batch.polls < len(self.batch.snapshots):
                    return error(409, "the batch is not completed yet")
                return Reply(
                    200, {"url": f"{self.url}/files/{BATCH_ID}.{match[3]}", "expiresIn": 900}
                )
            return Reply(200, _page(self.batch.next(), query))


def _page(snapshot: dict[str, Any], query: dict) -> dict[str, Any]:
    """One page of items: `limit` from the query, the cursor being the offset."""
    limit = int(query.get("limit", ["100"])[0])
    start = int(query.get("cursor", ["0"])[0])
    items = snapshot["items"]
    following = start + limit
    return {
        **snapshot,
        "items": items[start:following],
        "nextCursor": str(following) if following < len(items) else None,
    }


def _handler_for(stub: StubBatchApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: bytes, content_type: str, headers: dict) -> None:
            self.send_response(status)
            for name, value in {**CORS, **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_OPTIONS(self) -> None:
            self._send(204, b"", "text/plain", {})

        def _handle(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            reply = stub.answer(
                method, parts.path, parse_qs(parts.query), self.headers.get("x-api-key"), body
            )
            if reply.status == 200 and parts.path.startswith("/shots/"):
                self._send(200, png(320, 200), "image/png", {})
            elif reply.status == 200 and parts.path.startswith("/files/"):
                name = parts.path.rsplit("/", 1)[-1]
                disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
                self._send(200, b"item,state\r\n", "text/csv", disposition)
            else:
                data = json.dumps(reply.body).encode()
                self._send(reply.status, data, "application/json", reply.headers)

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler
