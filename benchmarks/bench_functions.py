"""Cold and warm invocations of every function in the local Lambda runtime, p50 and p95.

Cold is what a new execution environment pays: a fresh worker process (interpreter start, the
handler's imports) plus its first invocation. Warm is every invocation after that on the same
worker. Each function runs against the moto server `make up` provisions from Terraform, on the
event of its most common route; the scanner answers from its cache (a real scan is measured by
bench_scanner.py). Printed beside Lambda's own figures for a cold start (REPORT lines' Init
Duration), which buildtools/aws_performance.py reads from a deployed stack.

Run: .venv/bin/python benchmarks/bench_functions.py   (or `make bench`)
"""

from __future__ import annotations

import contextlib
import json
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402

from local.functions.workers import FunctionWorker  # noqa: E402
from local.launcher import build_artifacts  # noqa: E402
from local.stack import LocalStack, Options  # noqa: E402
from terraform_model import load_plannable  # noqa: E402
from tests.support.events import http_v2, websocket  # noqa: E402

COLD_RUNS = 5
WARM_RUNS = 40
CACHED_DOMAIN = "example.org"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0..100), interpolated between the nearest samples."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]


def _events(stack: LocalStack) -> dict[str, Callable[[int], dict]]:
    """Per service, the event of its most common route; `n` varies the caller's address."""
    api_key = {"x-api-key": stack.scanner_api_key or ""}
    return {
        "sessions": lambda n: http_v2(
            "POST", "/sessions", source_ip=f"198.51.{n // 250}.{n % 250}"
        ),
        "realtime": lambda n: websocket("$disconnect", connection_id=f"bench-{n}"),
        "counter": lambda n: http_v2("GET", "/counter"),
        "scanner": lambda n: http_v2(
            "POST",
            "/scan",
            body={"domain": CACHED_DOMAIN},
            headers=api_key,
            source_ip=f"198.51.{n // 250}.{n % 250}",
        ),
    }


def _seed_scan_cache(stack: LocalStack) -> None:
    from handlers.scanner.result import ScanResult

    table = stack.model.functions["scanner"].environment["SCAN_CACHE_TABLE_NAME"]
    result = ScanResult(domain=CACHED_DOMAIN, url=f"https://{CACHED_DOMAIN}/").to_dict()
    boto3.client(
        "dynamodb",
        endpoint_url=stack.moto_url,
        region_name=stack.model.region,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    ).put_item(
        TableName=table,
        Item={
            "domain": {"S": CACHED_DOMAIN},
            "result": {"S": json.dumps(result)},
            "scannedAt": {"S": ""},
            "expiresAt": {"N": str(int(time.time()) + 3600)},
        },
    )


def _status(reply: object) -> str:
    return str(reply.get("statusCode", "ok")) if isinstance(reply, dict) else "ok"


def measure(stack: LocalStack, service: str, event: Callable[[int], dict]) -> dict[str, list]:
    """Cold (start + first invoke) and warm invocation times of one function, in ms."""
    spec = stack.workers[stack.model.functions[service].name].spec
    cold, warm, statuses, calls = [], [], set(), 0
    for _ in range(COLD_RUNS):
        worker = FunctionWorker(spec, lambda _name, _line: None)
        try:
            started = time.perf_counter()
            worker.start()
            statuses.add(_status(worker.invoke(event(calls))))
            cold.append((time.perf_counter() - started) * 1000)
            calls += 1
            for _ in range(WARM_RUNS // COLD_RUNS):
                t0 = time.perf_counter()
                statuses.add(_status(worker.invoke(event(calls))))
                warm.append((time.perf_counter() - t0) * 1000)
                calls += 1
        finally:
            worker.stop()
    return {"cold": cold, "warm": warm, "statuses": sorted(statuses)}


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        state = Path(folder)
        build_artifacts(state / "dist")
        options = Options(
            web_port=_free_port(),
            api_port=_free_port(),
            ws_port=_free_port(),
            control_port=_free_port(),
            moto_port=_free_port(),
            dist=state / "dist",
            state_dir=state / "stack",
            log=lambda line: None,
        )
        stack = LocalStack(load_plannable("dev"), options)
        stack.start()
        try:
            _seed_scan_cache(stack)
            results = {
                service: measure(stack, service, event) for service, event in _events(stack).items()
            }
        finally:
            with contextlib.suppress(Exception):
                stack.stop()

    print(f"{COLD_RUNS} cold starts and {WARM_RUNS} warm invocations per function, in ms")
    print("cold = new worker process + first invoke (Lambda: Init Duration + Duration)")
    heads = ("cold p50", "cold p95", "warm p50", "warm p95")
    print(f"{'function':<31}{'route':<21}" + "".join(f"{h:>10}" for h in heads) + "  status")
    routes = {
        "sessions": "POST /sessions",
        "realtime": "$disconnect",
        "counter": "GET /counter",
        "scanner": "POST /scan (cached)",
    }
    for service, samples in results.items():
        name = stack.model.functions[service].name
        cells = [percentile(samples[kind], q) for kind in ("cold", "warm") for q in (50, 95)]
        row = f"{name:<31}{routes[service]:<21}" + "".join(f"{c:>10.1f}" for c in cells)
        print(row + "  " + ",".join(samples["statuses"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
