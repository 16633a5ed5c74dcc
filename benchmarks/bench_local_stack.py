"""The local stack: start-up time, upload-to-notification latency, gateway overhead, and load.

Run: .venv/bin/python benchmarks/bench_local_stack.py [--users N]   (or `make bench`)
Targets: ready in < 10 s; an upload reaches the desktop's WebSocket in < 1 s (issue 6); the
gateway adds little to a warm function call. Load: 100 concurrent users, each from
its own 127.0.x.y, through the whole QR flow, p95 response time < 5 s per step and < 1 %
errors. Two load rounds: the first meets cold pools (each new worker is a cold start, as on
Lambda), the second warm ones; `total` is one user's whole flow, for information.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect  # noqa: E402

from local import load  # noqa: E402
from local.launcher import StackDidNotStart, scratch_stack  # noqa: E402
from smoke.payloads import multipart, tiny_png  # noqa: E402

RUNS = 15


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def _post(url: str, body: bytes = b"{}", headers: dict | None = None) -> tuple[int, bytes]:
    headers = headers or {"content-type": "application/json"}
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


async def _upload_latency(api: str, ws: str) -> float:
    _, raw = _post(api + "/sessions")
    session_id = json.loads(raw)["sessionId"]
    async with connect(f"{ws}/?sessionId={session_id}") as socket:
        target = _get(f"{api}/upload-url?sessionId={session_id}&contentType=image/png")
        body, content_type = multipart(target["fields"], tiny_png(), "image/png")
        started = time.perf_counter()
        _post(target["uploadUrl"], body, {"content-type": content_type})
        await asyncio.wait_for(socket.recv(), 10)
        return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100, help="concurrent users of the load")
    args = parser.parse_args(argv)
    try:
        with scratch_stack("--quiet") as stack:
            urls, ready_s = stack.urls, stack.ready_seconds
            latencies = [
                asyncio.run(_upload_latency(urls["api"], urls["websocket"])) for _ in range(RUNS)
            ]
            _get(urls["api"] + "/health")
            health = []
            for _ in range(RUNS * 2):
                t0 = time.perf_counter()
                _get(urls["api"] + "/health")
                health.append((time.perf_counter() - t0) * 1000)
            crowds = [
                (round_name, load.run(args.users, urls["api"], urls["websocket"]))
                for round_name in ("cold pools", "warm pools")
            ]
    except StackDidNotStart as exc:
        print(exc)
        return 1

    def p95(samples: list[float]) -> float:
        return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]

    print(f"{'measure':<44}{'measured':>14}{'target':>12}")
    print(f"{'make up ready (moto, provision, 4 workers)':<44}{ready_s:>12.2f} s{'< 10 s':>12}")
    print(
        f"{'upload -> UPLOAD_COMPLETED, median':<44}"
        f"{statistics.median(latencies):>11.0f} ms{'< 1000 ms':>12}"
    )
    print(f"{'upload -> UPLOAD_COMPLETED, p95':<44}{p95(latencies):>11.0f} ms{'< 1000 ms':>12}")
    print(
        f"{'GET /health through the gateway, median':<44}"
        f"{statistics.median(health):>11.1f} ms{'':>12}"
    )
    for round_name, report in crowds:
        print(f"\n{args.users} concurrent users through the QR flow, {round_name}")
        print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
