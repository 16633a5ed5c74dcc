"""Many users running the whole QR flow at once, each from its own 127.0.x.y address.

    python -m local.load --users 100          # against the running `make up`

Each user creates a session, opens the WebSocket, asks for an upload URL, posts a PNG to S3,
waits for UPLOAD_COMPLETED, reads the session and counts one visit. The report gives p50 and
p95 per step and every error; the counts the users got back must be consecutive, one each.
Standard library plus `websockets`.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from websockets.asyncio.client import connect

from smoke.payloads import multipart, tiny_png

STEPS = ("session", "websocket", "upload_url", "upload", "notified", "status", "counter", "total")
TIMEOUT_S = 30.0
P95_TARGET_S = 5.0
ERROR_RATE_TARGET = 0.01


class StepFailed(Exception):
    """One step of one user did not get what the flow expects."""


def user_address(number: int) -> str:
    """The loopback address of user `number`: 127.0.1.1, 127.0.1.2, … (250 per third octet)."""
    return f"127.0.{1 + number // 250}.{1 + number % 250}"


def request(
    method: str,
    url: str,
    source: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """(status, body) of one HTTP request sent from the address `source`."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=TIMEOUT_S, source_address=(source, 0)
    )
    try:
        path = parts.path or "/"
        connection.request(
            method, path + (f"?{parts.query}" if parts.query else ""), body, headers or {}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _json(status: int, raw: bytes, expected: int, step: str) -> dict:
    if status != expected:
        raise StepFailed(f"{step}: HTTP {status} {raw[:120]!r}")
    return json.loads(raw)


@dataclass
class Report:
    """Timings per step (seconds), the errors, and the counts the users got."""

    users: int
    timings: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def error_rate(self) -> float:
        return len(self.errors) / self.users if self.users else 0.0

    @property
    def counts_exact(self) -> bool:
        """True when every user's visit was counted exactly once (consecutive, no repeats)."""
        if not self.counts:
            return False
        low = min(self.counts)
        return sorted(self.counts) == list(range(low, low + len(self.counts)))

    def percentile(self, step: str, fraction: float) -> float:
        samples = sorted(self.timings[step])
        if not samples:
            return float("nan")
        return samples[min(len(samples) - 1, max(0, round(fraction * len(samples)) - 1))]

    def lines(self) -> list[str]:
        """The table `make bench` prints: p50 and p95 per step beside the targets."""
        out = [f"{'step':<14}{'p50 (s)':>10}{'p95 (s)':>10}{'target p95':>14}"]
        for step in STEPS:
            # The p95 target is per response; `total` is a user's whole flow, for information.
            target = f"< {P95_TARGET_S:.0f} s" if step != "total" else "(whole flow)"
            out.append(
                f"{step:<14}{statistics.median(self.timings[step] or [float('nan')]):>10.3f}"
                f"{self.percentile(step, 0.95):>10.3f}{target:>14}"
            )
        out.append(
            f"{'errors':<14}{len(self.errors):>10}{self.error_rate:>10.1%}"
            f"{'< ' + format(ERROR_RATE_TARGET, '.0%'):>14}"
        )
        out.append(f"counter increments exact: {self.counts_exact}; wall time {self.wall_s:.1f} s")
        out += [f"  error: {e}" for e in self.errors[:10]]
        return out


class User:
    """One user's whole flow, from its own address."""

    def __init__(self, number: int, api: str, ws: str, pool: ThreadPoolExecutor) -> None:
        self.address = user_address(number)
        self.api = api.rstrip("/")
        self.ws = ws.rstrip("/")
        self.pool = pool
        self.timings: dict[str, float] = {}

    async def _http(self, method: str, url: str, **kwargs) -> tuple[int, bytes]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.pool, lambda: request(method, url, self.address, **kwargs)
        )

    async def _timed(self, step: str, work: Callable):
        started = time.perf_counter()
        result = await work()
        self.timings[step] = time.perf_counter() - started
        return result

    async def run(self) -> int:
        """The count GET /counter gave this user; raises StepFailed or a network error."""
        started = time.perf_counter()
        headers = {"content-type": "application/json"}

        async def create() -> dict:
            return _json(
                *await self._http("POST", f"{self.api}/sessions", body=b"{}", headers=headers),
                200,
                "POST /sessions",
            )

        session = await self._timed("session", create)
        session_id = session["sessionId"]
        socket = await self._timed(
            "websocket",
            lambda: connect(
                f"{self.ws}/?sessionId={quote(session_id)}",
                open_timeout=TIMEOUT_S,
                local_addr=(self.address, 0),
            ),
        )
        async with socket:

            async def upload_url() -> dict:
                url = f"{self.api}/upload-url?sessionId={quote(session_id)}&contentType=image/png"
                return _json(*await self._http("GET", url), 200, "GET /upload-url")

            target = await self._timed("upload_url", upload_url)
            body, content_type = multipart(target["fields"], tiny_png(), "image/png")

            async def upload() -> None:
                status, raw = await self._http(
                    "POST", target["uploadUrl"], body=body, headers={"content-type": content_type}
                )
                if status not in (200, 201, 204):
                    raise StepFailed(f"S3 upload: HTTP {status} {raw[:120]!r}")

            await self._timed("upload", upload)

            async def notified() -> None:
                while True:
                    message = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT_S))
                    if message.get("sessionId") != session_id:
                        continue
                    if message.get("action") != "UPLOAD_COMPLETED":
                        raise StepFailed(f"WebSocket: {message}")
                    return

            await self._timed("notified", notified)

        async def status() -> None:
            found = _json(
                *await self._http("GET", f"{self.api}/sessions/{session_id}"),
                200,
                "GET /sessions/{id}",
            )
            if found.get("status") != "COMPLETED" or not found.get("downloadUrl"):
                raise StepFailed(f"GET /sessions/{{id}}: {found.get('status')}")

        await self._timed("status", status)

        async def counter() -> dict:
            return _json(*await self._http("GET", f"{self.api}/counter"), 200, "GET /counter")

        count = (await self._timed("counter", counter))["count"]
        self.timings["total"] = time.perf_counter() - started
        return int(count)


async def _run(users: int, api: str, ws: str) -> Report:
    report = Report(users)
    with ThreadPoolExecutor(max_workers=max(4, users)) as pool:
        crowd = [User(n, api, ws, pool) for n in range(users)]
        started = time.perf_counter()
        results = await asyncio.gather(*(u.run() for u in crowd), return_exceptions=True)
        report.wall_s = time.perf_counter() - started
    for user, result in zip(crowd, results, strict=True):
        if isinstance(result, BaseException):
            report.errors.append(f"{user.address}: {type(result).__name__}: {result}"[:300])
            continue
        report.counts.append(result)
        for step, seconds in user.timings.items():
            report.timings[step].append(seconds)
    return report


def run(users: int, api: str, ws: str) -> Report:
    """Run `users` users at once against the stack at `api` and `ws`."""
    return asyncio.run(_run(users, api, ws))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.load", description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--api", help="HTTP API URL (default: the running make up's)")
    parser.add_argument("--ws", help="WebSocket URL (default: the running make up's)")
    args = parser.parse_args(argv)
    if not (args.api and args.ws):
        path = Path(__file__).resolve().parent.parent / ".local-stack" / "stack.json"
        try:
            urls = json.loads(path.read_text())["urls"]
        except (OSError, ValueError, KeyError):
            parser.error("give --api and --ws, or start `make up` first")
        args.api, args.ws = args.api or urls["api"], args.ws or urls["websocket"]
    report = run(args.users, args.api, args.ws)
    print("\n".join(report.lines()))
    return 0 if not report.errors and report.counts_exact else 1


if __name__ == "__main__":
    sys.exit(main())
