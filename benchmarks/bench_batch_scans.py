"""Batch scans through the local queue path: 50 fixture sites on 127.0.0.1 (third parties
answered by local stubs) posted to POST /scans, fed by the local event source mapping to the
scanner's SQS worker, results in moto's S3. Prints sites per minute per worker, the time per
site it comes from, and what 10,000 sites take at each environment's configured concurrency.

One worker is one Chromium, as one Lambda execution environment is: the mapping's maximum
concurrency is the number of workers. Numbers only, never assertions.

Run: .venv/bin/python benchmarks/bench_batch_scans.py   (or `make bench`)
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SITES = 50
PORTFOLIO = 10_000
# SQS standard per million requests (3 per site: send, receive, delete); Lambda's prices come
# from buildtools/cost/prices.toml, which has no SQS entry yet.
SQS_REQUEST_USD = 0.40 / 1_000_000
# The corpus: fixture pages of 1 to 14 vendors, clicks, forms, fingerprinting and recorders.
CORPUS_PAGES = (
    "/five.html",
    "/all.html",
    "/plain.html",
    "/pii.html",
    "/click.html",
    "/beacons.html",
    "/recorders.html",
    "/canvas-fingerprint.html",
    "/keylogger.html",
    "/leaks.html",
)


def corpus(site_url) -> list[str]:
    """SITES distinct URLs: each page under ten different queries, so none is a cache hit."""
    return [site_url(f"{CORPUS_PAGES[n % len(CORPUS_PAGES)]}?site={n}") for n in range(SITES)]


def environment(moto_url: str, topology) -> dict[str, str]:
    scanner = topology.functions["scanner"]
    values = dict(scanner.environment)
    values.update(
        {
            "AWS_ENDPOINT_URL": moto_url,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_REGION": topology.region,
            "AWS_DEFAULT_REGION": topology.region,
            "SCANNER_API_KEY_PARAM": "",
            "SCANNER_API_KEY": "bench-key",
            "IP_LIMIT": "1000",
            "LOG_LEVEL": "ERROR",
            "DEBUG": "false",
        }
    )
    return values


def run() -> dict:
    import boto3
    from moto.server import ThreadedMotoServer

    import terraform_model
    from handlers.core import aws
    from handlers.scanner import app as scanner_app
    from handlers.scanner.engine import PixelScanner
    from local.aws.provision import provision
    from local.aws.sqs_poller import SqsPoller
    from tests.scanner.conftest import RecordingResolver
    from tests.scanner.fixture_site import running_site
    from tests.scanner.vendor_stubs import answer_vendors
    from tests.support.events import LambdaContext, http_v2

    topology = terraform_model.load_plannable("dev")
    (mapping,) = topology.event_source_mappings
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    moto_url = f"http://{host}:{port}"
    try:
        provision(topology, moto_url)
        os.environ.update(environment(moto_url, topology))
        aws.reset()
        scanner_app.app.reset()
        scanner = PixelScanner(
            resolver=RecordingResolver(),
            allow_private_addresses=("127.0.0.0/8",),
            context_setup=answer_vendors([]),
        )
        scanner_app.app.override(scanner_app.scanner, scanner)
        sqs = boto3.client("sqs", region_name=topology.region)
        poller = SqsPoller(
            sqs,
            mapping,
            lambda event: scanner_app.lambda_handler(event, LambdaContext(remaining_ms=300_000)),
            topology.region,
        )
        with running_site() as site:
            scanner.scan(site.url("/plain.html"))  # Chromium's launch: a cold start, not counted
            urls = corpus(site.url)
            answer = scanner_app.lambda_handler(
                http_v2("POST", "/scans", body={"urls": urls}, headers={"x-api-key": "bench-key"}),
                LambdaContext(),
            )
            batch = json.loads(answer["body"])["batchId"]
            seconds = []
            started = time.perf_counter()
            while True:
                one = time.perf_counter()
                if not poller.poll_once():
                    break
                seconds.append(time.perf_counter() - one)
            wall = time.perf_counter() - started
        status = json.loads(
            scanner_app.lambda_handler(
                http_v2("GET", f"/scans/{batch}", headers={"x-api-key": "bench-key"}),
                LambdaContext(),
            )["body"]
        )
        scanner.close()
    finally:
        server.stop()
    return {"seconds": seconds, "wall": wall, "status": status, "topology": topology}


def main() -> None:
    import terraform_model
    from buildtools.cost import prices

    price = prices.load()
    gb_second = price.lambda_gb_second("x86_64")
    lambda_request = price.lambda_["request_per_million"] / 1_000_000

    # moto's request lines and the worker's metric lines (EMF on stdout) are not the figures.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        measured = run()
    seconds, wall, status = measured["seconds"], measured["wall"], measured["status"]
    per_site = statistics.mean(seconds)
    print(
        f"batch scans, local queue path: {len(seconds)} fixture sites, batch size 1, one worker; "
        f"status {status['status']}, counts {status['counts']}"
    )
    print(
        f"time per site (SQS receive + scan + results to S3/DynamoDB + delete): "
        f"mean {per_site:.2f} s, median {statistics.median(seconds):.2f} s, "
        f"max {max(seconds):.2f} s; whole batch {wall:.1f} s"
    )
    print(f"sites per minute per worker: {60 / per_site:.1f}")
    print(f"{PORTFOLIO:,} sites at the configured concurrency (from the mean time per site):")
    for workspace in terraform_model.allowed_workspaces():
        settings = terraform_model.load(workspace).settings
        workers = settings["batch_scans"]["maximum_concurrency"]
        memory_gb = settings["memory_mb"]["scanner"] / 1024
        hours = PORTFOLIO * per_site / workers / 3600
        compute = PORTFOLIO * per_site * memory_gb * gb_second
        requests = PORTFOLIO * (lambda_request + 3 * SQS_REQUEST_USD)
        print(
            f"  {workspace:<8} {workers:>2} workers x {memory_gb:.2f} GB: {hours:5.2f} h, "
            f"Lambda ${compute:6.2f} + requests ${requests:.3f} = ${compute + requests:6.2f}"
        )


if __name__ == "__main__":
    main()
