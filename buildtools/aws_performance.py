"""`make perf-aws ENV=...`: cold and warm p50/p95 of each deployed function, from its REPORT lines.

Each function is invoked N times directly (the scanner through its alias), with an event that
reads and writes nothing lasting: GET /sessions of an unknown id, $disconnect of an unknown
connection, GET /health, POST /scan without an API key. Lambda writes one REPORT line per
invocation to CloudWatch Logs; a line with `Init Duration` is a cold start. Invocations go out
`--parallel` at a time: each concurrent one beyond the warm environments starts a new one, so
`--parallel 5` yields at least five cold starts on a quiet function.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

REPORT = re.compile(
    r"REPORT RequestId: (?P<id>[\w-]+)\s+Duration: (?P<duration>[\d.]+) ms"
    r"(?:.*?Init Duration: (?P<init>[\d.]+) ms)?"
)
# CloudWatch Logs shows a REPORT line a few seconds after the invocation, rarely later.
LOG_WAIT_S = 90.0
POLL_S = 3.0


def _http_event(method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event, as API Gateway sends it."""
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"user-agent": "aws-performance", "content-type": "application/json"},
        "requestContext": {
            "http": {"method": method, "path": path, "sourceIp": "192.0.2.1"},
            "requestId": "perf-probe",
            "stage": "$default",
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


# Per service, an invocation that changes nothing: only errors or read-only answers.
EVENTS: dict[str, dict[str, Any]] = {
    # A well-formed id no session has (ids are random UUIDs v4; this one is all zeros).
    "sessions": _http_event("GET", "/sessions/00000000-0000-4000-8000-000000000000"),
    "realtime": {
        "requestContext": {
            "routeKey": "$disconnect",
            "eventType": "DISCONNECT",
            "connectionId": "perf-probe-unknown",
            "requestId": "perf-probe",
            "stage": "perf",
        },
        "isBase64Encoded": False,
    },
    "counter": _http_event("GET", "/health"),
    "scanner": _http_event("POST", "/scan", {"domain": "example.org"}),
}


class PerformanceError(RuntimeError):
    """A failure to report as one line: unknown environment, AWS refusal, missing logs."""


@dataclass(frozen=True)
class Report:
    """One REPORT line: the invocation's duration, and its init duration when it was cold."""

    request_id: str
    duration_ms: float
    init_ms: float | None

    @property
    def cold(self) -> bool:
        return self.init_ms is not None


@dataclass(frozen=True)
class Target:
    """One deployed function: what to invoke, and where its logs go."""

    service: str
    function: str
    qualifier: str | None
    log_group: str


def parse_report(message: str) -> Report | None:
    """The Report of a REPORT log line; None for any other line."""
    found = REPORT.search(message)
    if not found:
        return None
    init = found.group("init")
    return Report(found.group("id"), float(found.group("duration")), float(init) if init else None)


def percentile(samples: Sequence[float], q: int) -> float | None:
    """The q-th percentile (1..99), interpolated; None without samples."""
    if not samples:
        return None
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def summarise(reports: Iterable[Report]) -> dict[str, float | int | None]:
    """p50/p95 of cold starts (init, and init + duration) and of warm durations, and counts."""
    reports = list(reports)
    cold = [r for r in reports if r.cold]
    warm = [r.duration_ms for r in reports if not r.cold]
    init = [r.init_ms for r in cold if r.init_ms is not None]
    total = [r.duration_ms + (r.init_ms or 0) for r in cold]
    return {
        "cold": len(cold),
        "warm": len(warm),
        "init_p50": percentile(init, 50),
        "init_p95": percentile(init, 95),
        "cold_p50": percentile(total, 50),
        "cold_p95": percentile(total, 95),
        "warm_p50": percentile(warm, 50),
        "warm_p95": percentile(warm, 95),
    }


def invoke(lam: Any, target: Target, count: int, parallel: int = 1) -> list[str]:
    """Invoke `target` `count` times, `parallel` at a time; the invocations' request ids."""
    payload = json.dumps(EVENTS[target.service]).encode()
    extra = {"Qualifier": target.qualifier} if target.qualifier else {}

    def once(_: int) -> str:
        answer = lam.invoke(FunctionName=target.function, Payload=payload, **extra)
        answer["Payload"].read()
        return answer["ResponseMetadata"]["RequestId"]

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        return list(pool.map(once, range(count)))


def collect(
    logs: Any,
    log_group: str,
    request_ids: Iterable[str],
    since_ms: int,
    wait_s: float = LOG_WAIT_S,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Report]:
    """The REPORT lines of `request_ids` in `log_group`, waiting up to `wait_s` for them."""
    wanted = set(request_ids)
    found: dict[str, Report] = {}
    deadline = time.monotonic() + wait_s
    while True:
        pages = logs.get_paginator("filter_log_events").paginate(
            logGroupName=log_group, startTime=since_ms, filterPattern='"REPORT RequestId"'
        )
        for page in pages:
            for event in page.get("events", []):
                report = parse_report(event.get("message", ""))
                if report and report.request_id in wanted:
                    found[report.request_id] = report
        if len(found) == len(wanted) or time.monotonic() >= deadline:
            return list(found.values())
        sleep(POLL_S)


def targets(env: str, prefix: str = "", region: str | None = None) -> list[Target]:
    """The deployed functions of `env`, read from the Terraform model of that workspace."""
    import terraform_model

    if env not in terraform_model.allowed_workspaces():
        allowed = ", ".join(terraform_model.allowed_workspaces())
        raise PerformanceError(f"unknown environment {env!r}: use one of {allowed}")
    variables: dict[str, Any] = {"name_prefix": prefix}
    if region:
        variables["region"] = region
    stack = terraform_model.load(env, variables=variables)
    return [
        Target(service, f.name, f.alias, f.log_group or f"/aws/lambda/{f.name}")
        for service, f in sorted(stack.functions.items())
        if service in EVENTS
    ]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def render(rows: Sequence[tuple[Target, dict[str, Any]]]) -> str:
    """The table make perf-aws prints, one row per function, in ms."""
    heads = ("cold", "warm", "init p50", "init p95", "cold p50", "cold p95", "warm p50", "warm p95")
    lines = [f"{'function':<32}" + "".join(f"{h:>10}" for h in heads)]
    for target, s in rows:
        cells = [str(s["cold"]), str(s["warm"])] + [
            _ms(s[k])
            for k in ("init_p50", "init_p95", "cold_p50", "cold_p95", "warm_p50", "warm_p95")
        ]
        lines.append(f"{target.function:<32}" + "".join(f"{c:>10}" for c in cells))
    lines.append("cold = Init Duration + Duration of invocations that started an environment")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Invoke, read the REPORT lines, print the table; one line and exit 1 (2: usage) on error."""
    parser = argparse.ArgumentParser(prog="make perf-aws", description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True, help="Terraform workspace: dev, staging or prod")
    parser.add_argument("--prefix", default="", help="Terraform's name_prefix, e.g. alice-")
    parser.add_argument("--region", default=None, help="AWS region (default: AWS_REGION)")
    parser.add_argument("-n", "--invocations", type=int, default=20, help="per function")
    parser.add_argument("--parallel", type=int, default=1, help="invocations at a time")
    parser.add_argument("--wait", type=float, default=LOG_WAIT_S, help="seconds to wait for logs")
    args = parser.parse_args(argv)
    if args.invocations < 1 or args.parallel < 1:
        print("make perf-aws: --invocations and --parallel must be at least 1", file=sys.stderr)
        return 2
    try:
        found = targets(args.env, args.prefix, args.region)
    except PerformanceError as exc:
        print(f"make perf-aws: {exc}", file=sys.stderr)
        return 2
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.session.Session(region_name=args.region)
    try:
        lam, logs = session.client("lambda"), session.client("logs")
        rows = []
        for target in found:
            since = int(time.time() * 1000) - 1000
            ids = invoke(lam, target, args.invocations, args.parallel)
            reports = collect(logs, target.log_group, ids, since, args.wait)
            if len(reports) < len(ids):
                print(
                    f"make perf-aws: {target.function}: {len(ids) - len(reports)} of {len(ids)}"
                    f" REPORT lines not in {target.log_group} after {args.wait:.0f} s",
                    file=sys.stderr,
                )
            rows.append((target, summarise(reports)))
    except ClientError as exc:
        error = exc.response.get("Error", {})
        print(
            f"make perf-aws: AWS {exc.operation_name} failed: {error.get('Code')}: "
            f"{error.get('Message')}",
            file=sys.stderr,
        )
        return 1
    except BotoCoreError as exc:
        print(f"make perf-aws: AWS call failed: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
