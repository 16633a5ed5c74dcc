"""Post-deploy smoke checks against any deployment, local or AWS.

The API answers, a session completes through a real upload and its WebSocket push, the counter
counts.

    python -m smoke --api https://ID.execute-api.REGION.amazonaws.com --ws wss://.../dev
    make smoke API=... WS=...

One line per check; exit status 1 when any check fails. Standard library plus `websockets`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from websockets.asyncio.client import connect

from smoke.payloads import multipart, tiny_png

TIMEOUT_S = 15


class CheckFailed(Exception):
    """A smoke check did not see what it expected."""


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None):
    """(status, parsed JSON or raw text) of one request; never raises on HTTP errors."""
    if not url.startswith(("http://", "https://")):
        raise CheckFailed(f"not an http(s) URL: {url.split('?')[0]}")
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise CheckFailed(f"{method} {url.split('?')[0]}: {error}") from error
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", "replace")


class Smoke:
    """The seven checks, sharing the session they create."""

    def __init__(self, api: str, ws: str, out: Callable[[str], None] = print) -> None:
        self.api = api.rstrip("/")
        self.ws = ws.rstrip("/")
        self.out = out
        self.headers = {"x-correlation-id": f"smoke-{uuid.uuid4()}", "user-agent": "smoke/1"}
        self.session_id: str | None = None
        self.upload: dict | None = None
        self.failures = 0
        self.upload_ms = 0.0
        self.completion_ms = 0.0

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            raise CheckFailed(message)

    def run_check(
        self,
        number: int,
        name: str,
        check: Callable[[], str],
        needs: object = True,
        took_ms: Callable[[], float] | None = None,
    ) -> None:
        if not needs:
            self.failures += 1
            self.out(f"SKIP {number} {name}: an earlier check failed")
            return
        started = time.perf_counter()
        try:
            detail = check()
        except CheckFailed as failure:
            self.failures += 1
            self.out(f"FAIL {number} {name}: {failure}")
            return
        took = took_ms() if took_ms else (time.perf_counter() - started) * 1000
        self.out(f"ok   {number} {name} ({took:.0f} ms){': ' + detail if detail else ''}")

    def create_session(self) -> str:
        status, body = http("POST", f"{self.api}/sessions", b"{}", self._json_headers())
        self.expect(status == 200, f"POST /sessions answered {status}: {body}")
        self.expect(isinstance(body, dict) and body.get("sessionId"), f"no sessionId in {body}")
        self.session_id = body["sessionId"]
        return ""

    def upload_url(self) -> str:
        url = f"{self.api}/upload-url?sessionId={quote(self.session_id)}&contentType=image/png"
        status, body = http("GET", url, headers=self.headers)
        self.expect(status == 200, f"GET /upload-url answered {status}: {body}")
        for field in ("uploadUrl", "uploadKey", "fields"):
            self.expect(field in body, f"no {field} in the answer")
        self.upload = body
        return ""

    async def upload_and_wait(self) -> tuple[str, str]:
        """Checks 3 and 4 together: the socket must be open before the upload lands.

        Returns (upload error, completion error); "skipped" when the check could not run.
        """
        url = f"{self.ws}?sessionId={quote(self.session_id)}"
        try:
            socket = await asyncio.wait_for(connect(url, open_timeout=TIMEOUT_S), TIMEOUT_S)
        except Exception as error:
            return "skipped", f"WebSocket connect failed: {error}"
        async with socket:
            body, content_type = multipart(self.upload["fields"], tiny_png(), "image/png")
            loop = asyncio.get_running_loop()
            started = loop.time()
            try:
                status, answer = await loop.run_in_executor(
                    None,
                    lambda: http(
                        "POST", self.upload["uploadUrl"], body, {"content-type": content_type}
                    ),
                )
            except CheckFailed as failure:
                return f"upload failed: {failure}", "skipped"
            if status not in (200, 201, 204):
                return f"S3 answered {status}: {str(answer)[:200]}", "skipped"
            self.upload_ms = (loop.time() - started) * 1000
            started = loop.time()
            deadline = loop.time() + TIMEOUT_S
            while loop.time() < deadline:
                try:
                    raw = await asyncio.wait_for(socket.recv(), deadline - loop.time())
                except TimeoutError:
                    break
                except Exception as error:
                    return "", f"the socket closed: {error}"
                message = json.loads(raw)
                if (
                    message.get("action") == "UPLOAD_COMPLETED"
                    and message.get("sessionId") == self.session_id
                ):
                    self.completion_ms = (loop.time() - started) * 1000
                    return "", ""
            return "", f"no UPLOAD_COMPLETED within {TIMEOUT_S} s"

    def counter(self) -> str:
        status, body = http("GET", f"{self.api}/counter", headers=self.headers)
        self.expect(status == 200, f"GET /counter answered {status}: {body}")
        self.expect(isinstance(body, dict) and isinstance(body.get("count"), int), f"{body}")
        return f"count={body['count']}"

    def health(self) -> str:
        status, body = http("GET", f"{self.api}/health", headers=self.headers)
        self.expect(status == 200, f"GET /health answered {status}: {body}")
        return ""

    def unknown_route(self) -> str:
        status, _ = http("GET", f"{self.api}/no-such-route-{uuid.uuid4().hex[:8]}")
        self.expect(status == 404, f"an unknown route answered {status}, not 404")
        return ""

    def _json_headers(self) -> dict:
        return {**self.headers, "content-type": "application/json"}

    def run(self) -> int:
        """Run every check in order; returns the number of failures."""
        self.run_check(1, "create a session", self.create_session)
        self.run_check(2, "get an upload URL", self.upload_url, needs=self.session_id)
        upload_error, completion_error = ("skipped", "skipped")
        if self.upload:
            upload_error, completion_error = asyncio.run(self.upload_and_wait())

        def outcome(error: str) -> Callable[[], str]:
            def check() -> str:
                if error:
                    raise CheckFailed(error)
                return ""

            return check

        self.run_check(
            3,
            "upload a PNG through the presigned POST",
            outcome(upload_error),
            needs=upload_error != "skipped",
            took_ms=lambda: self.upload_ms,
        )
        self.run_check(
            4,
            "receive UPLOAD_COMPLETED over the WebSocket",
            outcome(completion_error),
            needs=completion_error != "skipped",
            took_ms=lambda: self.completion_ms,
        )
        self.run_check(5, "counter", self.counter)
        self.run_check(6, "health", self.health)
        self.run_check(7, "unknown route answers 404", self.unknown_route)
        return self.failures


def _local_stack_urls() -> dict | None:
    """The URLs a running `make up` published in .local-stack/stack.json."""
    path = Path(__file__).resolve().parent.parent / ".local-stack" / "stack.json"
    try:
        return json.loads(path.read_text())["urls"]
    except (OSError, ValueError, KeyError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="smoke", description=__doc__.splitlines()[0])
    parser.add_argument("--api", help="HTTP API base URL (default: the running `make up`)")
    parser.add_argument("--ws", help="WebSocket URL, wss://.../stage (default: `make up`'s)")
    args = parser.parse_args(argv)
    if not (args.api and args.ws):
        running = _local_stack_urls()
        if not running:
            parser.error("give --api and --ws (API=... WS=...), or start `make up` first")
        args.api = args.api or running["api"]
        args.ws = args.ws or running["websocket"]
    print(f"smoke: {args.api} {args.ws}")
    failures = Smoke(args.api, args.ws).run()
    print("smoke: all checks passed" if not failures else f"smoke: {failures} check(s) failed")
    return 1 if failures else 0
