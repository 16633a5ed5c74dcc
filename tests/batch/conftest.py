"""The scanner's batch routes and SQS worker against in-process moto: the two batch tables, the
results bucket, the queue with its dead-letter queue, and a scanner that needs no browser."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from handlers.scanner.result import ScanResult
from local.aws.sqs_poller import SqsPoller
from terraform_model import EventSourceMapping
from tests.conftest import REGION, dynamodb
from tests.scanner.conftest import API_KEY, configure_api
from tests.support.events import LambdaContext, http_v2
from tests.support.tables import (
    SCAN_BATCHES,
    SCAN_QUEUE,
    SCAN_RESULTS,
    create_rate_limit_table,
    create_scan_batch_tables,
    create_scan_cache_table,
)

BUCKET = SCAN_RESULTS
QUEUE = SCAN_QUEUE
DLQ = f"{SCAN_QUEUE}-dlq"
MAX_RECEIVE_COUNT = 3
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
GOOD = {"x-api-key": API_KEY}


@dataclass
class FakeScanner:
    """Stands in for PixelScanner: a result per host, `errors` by host, `crash` hosts raise."""

    errors: dict[str, str] = field(default_factory=dict)
    crash: set[str] = field(default_factory=set)
    calls: list[tuple[str, int, bool]] = field(default_factory=list)

    def scan(self, target: Any, timeout: float, pages: int = 1, screenshot: bool = False) -> Any:
        self.calls.append((target.url, pages, screenshot))
        if target.host in self.crash:
            raise RuntimeError("boom")
        error = self.errors.get(target.host)
        result = ScanResult(
            domain=target.host,
            url=target.url,
            finalUrl=target.url,
            scannedAt="2026-01-01T00:00:00Z",
            durationMs=900,
            pixels=[] if error else [{"vendor": "Meta Pixel", "ids": ["1"], "events": []}],
            error=error,
            errorMessage=f"{error} on {target.host}" if error else None,
        )
        result.screenshot = None if error else PNG  # type: ignore[attr-defined]
        return result


@dataclass
class Batches:
    """The app under test, its fake scanner, and the local event source mapping."""

    app: Any
    scanner: FakeScanner
    poller: SqsPoller
    sqs: Any

    def post(self, body: Any, headers: dict | None = None, ip: str = "203.0.113.7") -> tuple:
        event = http_v2(
            "POST", "/scans", body=body, headers=GOOD if headers is None else headers, source_ip=ip
        )
        return _answer(self.app.lambda_handler(event, LambdaContext()))

    def get(self, path: str, query: dict | None = None, headers: dict | None = None) -> tuple:
        event = http_v2("GET", path, query=query, headers=GOOD if headers is None else headers)
        return _answer(self.app.lambda_handler(event, LambdaContext()))

    def invoke_sqs(self, event: dict) -> dict:
        return self.app.lambda_handler(event, LambdaContext(remaining_ms=300_000))

    def run(self) -> int:
        """Deliver every queued message, retries included, as the mapping would."""
        return self.poller.drain()

    def depth(self, queue: str) -> int:
        url = self.sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )

    def batch_row(self, batch_id: str) -> dict:
        return dynamodb().get_item(TableName=SCAN_BATCHES, Key={"batchId": {"S": batch_id}})["Item"]


def _answer(response: dict) -> tuple[int, Any]:
    return response["statusCode"], json.loads(response["body"] or "null")


@pytest.fixture
def batches(moto: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Batches]:
    from handlers.core.clock import FakeClock
    from handlers.scanner import app as scanner_app

    configure_api(monkeypatch, IP_LIMIT="50", BATCH_SCAN_TIMEOUT="60", BATCH_RETENTION_DAYS="30")
    client = dynamodb()
    create_rate_limit_table(client)
    create_scan_cache_table(client)
    create_scan_batch_tables(client)
    boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)
    sqs = boto3.client("sqs", region_name=REGION)
    dlq_url = sqs.create_queue(QueueName=DLQ)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}
    sqs.create_queue(
        QueueName=QUEUE,
        Attributes={"VisibilityTimeout": "1800", "RedrivePolicy": json.dumps(redrive)},
    )
    scanner_app.app.reset()
    monkeypatch.setattr(scanner_app.app, "clock", FakeClock(1_700_000_000))
    fake = FakeScanner()
    scanner_app.app.override(scanner_app.scanner, fake)
    holder: dict[str, Batches] = {}
    mapping = EventSourceMapping(
        queue=QUEUE,
        function="pixel-detector",
        batch_size=2,
        maximum_concurrency=2,
        function_response_types=("ReportBatchItemFailures",),
    )
    # Failed messages are visible again at once: the tests do not wait out the timeout.
    poller = SqsPoller(
        sqs, mapping, lambda event: holder["b"].invoke_sqs(event), REGION, retry_after_s=0
    )
    holder["b"] = Batches(scanner_app, fake, poller, sqs)
    yield holder["b"]
    scanner_app.app.reset()
