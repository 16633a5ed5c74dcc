"""Core overhead per request and cold import time, printed beside Powertools and bare Python.

Run with `make bench`. Numbers only: nothing here asserts.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REQUESTS = 20_000
EVENT: dict[str, Any] = {
    "version": "2.0",
    "routeKey": "$default",
    "rawPath": "/health",
    "rawQueryString": "",
    "headers": {"user-agent": "bench", "x-correlation-id": "bench-1"},
    "requestContext": {
        "http": {"method": "GET", "path": "/health", "sourceIp": "192.0.2.1"},
        "requestId": "r-1",
        "stage": "$default",
    },
    "isBase64Encoded": False,
}
HEALTH = {"status": "healthy", "database": "connected", "counter_value": 1}


class Context:
    function_name = "bench"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench-request"


def per_request_us(handler: Any) -> float:
    for _ in range(500):
        handler(EVENT, Context())
    started = time.perf_counter()
    for _ in range(REQUESTS):
        handler(EVENT, Context())
    return (time.perf_counter() - started) / REQUESTS * 1e6


def bare_handler(event: dict, context: Any) -> dict:
    import json

    return {"statusCode": 200, "body": json.dumps(HEALTH)}


def ours() -> Any:
    os.environ["COUNTERS_TABLE_NAME"] = "bench"
    from handlers.counter import app as counter

    class Store:
        def current(self) -> int:
            return 1

    counter.app.override(counter.store, Store())
    return counter.lambda_handler


def powertools() -> Any:
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "bench")
    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    logger = Logger()
    resolver = APIGatewayHttpResolver()

    @resolver.get("/health")
    def health() -> dict:
        return HEALTH

    @logger.inject_lambda_context(correlation_id_path='headers."x-correlation-id"')
    def handler(event: dict, context: Any) -> dict:
        logger.info("request")
        return resolver.resolve(event, context)

    return handler


IMPORT_PROBE = """
import time
t0 = time.perf_counter()
import boto3, botocore.config, boto3.dynamodb.types
t1 = time.perf_counter()
import handlers.{service}.app
t2 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000)
"""


def bare_interpreter_ms(runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-I", "-c", "pass"], check=True)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def import_ms(service: str, runs: int = 7) -> tuple[float, float]:
    """Median (boto3 import, handler import on top of boto3) in fresh interpreters, in ms."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE.format(service=service)],
            check=True,
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.split()
        samples.append((float(out[0]), float(out[1])))
    boto = sorted(s[0] for s in samples)[runs // 2]
    handler = sorted(s[1] for s in samples)[runs // 2]
    return boto, handler


def main() -> None:
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        bare = per_request_us(bare_handler)
        mine = per_request_us(ours())
        theirs = per_request_us(powertools())
    ours_overhead, theirs_overhead = mine - bare, theirs - bare
    print(f"GET /health, {REQUESTS} requests, logs to /dev/null (µs per request)")
    print(f"  {'bare handler':<34}{bare:8.1f}")
    print(f"  {'handlers.core (LambdaApp)':<34}{mine:8.1f}   overhead {ours_overhead:6.1f}")
    label = "Powertools APIGatewayHttpResolver"
    print(f"  {label:<34}{theirs:8.1f}   overhead {theirs_overhead:6.1f}")
    ratio = ours_overhead / theirs_overhead if theirs_overhead > 0 else float("nan")
    print(f"  core overhead / Powertools overhead = {ratio:.2f}   (target ≤ 0.50)")

    print("\nCold import in a fresh interpreter (ms, median of 7)")
    print(f"  {'bare interpreter start':<34}{bare_interpreter_ms():8.1f}")
    for service in ("sessions", "realtime", "counter"):
        boto, handler = import_ms(service)
        name = f"handlers.{service}.app"
        print(f"  {name:<34}{handler:8.1f}   above boto3 (target ≤ 30); boto3 itself {boto:.1f}")


if __name__ == "__main__":
    main()
