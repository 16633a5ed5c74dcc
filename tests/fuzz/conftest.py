"""Every function, configured as Terraform configures it, against one in-process moto.

The scanner's browser is replaced by a stub (the fuzz tests the handler, not Chromium), and
the realtime function's pushes go to moto's management API.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, settings
from moto import mock_aws

from handlers.counter.app import app as counter_app
from handlers.realtime.app import app as realtime_app
from handlers.scanner import app as scanner_module
from handlers.sessions.app import app as sessions_app
from local.aws import post_policy
from tests.conftest import REGION
from tests.support.tables import (
    BUCKET,
    COUNTERS,
    RATE_LIMITS,
    SCAN_BATCH_ITEMS,
    SCAN_BATCHES,
    SCAN_CACHE,
    SESSIONS,
    create_counters_table,
    create_rate_limit_table,
    create_scan_batch_tables,
    create_scan_cache_table,
    create_sessions_table,
    create_uploads_bucket,
)

# About a minute for the whole folder on this 2-core machine (see docs/development.md).
settings.register_profile(
    "fuzz",
    max_examples=1500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile("fuzz")

API_KEY = "fuzz-key-0123456789abcdef"
SCAN_RESULTS = "scan-results-fuzz"
SCAN_QUEUE = "scans-fuzz"
# Sessions that exist, so generated keys and ids sometimes find one.
KNOWN_SESSIONS = tuple(f"99999999-9999-4999-8999-{n:012d}" for n in range(4))
ENVIRONMENT = {
    "SESSIONS_TABLE_NAME": SESSIONS,
    "UPLOAD_BUCKET_NAME": BUCKET,
    "RATE_LIMIT_TABLE_NAME": RATE_LIMITS,
    "COUNTERS_TABLE_NAME": COUNTERS,
    "SCAN_CACHE_TABLE_NAME": SCAN_CACHE,
    "IP_LIMIT": "1000000",
    "GLOBAL_LIMIT": "1000000",
    "IP_WHITELIST": "",
    "WS_API_ENDPOINT": "https://fuzz.execute-api.us-east-1.amazonaws.com/dev",
    "SCANNER_API_KEY_PARAM": "",
    "SCANNER_API_KEY": API_KEY,
    "SCAN_TIMEOUT": "270",
    "SCAN_BATCHES_TABLE_NAME": SCAN_BATCHES,
    "SCAN_BATCH_ITEMS_TABLE_NAME": SCAN_BATCH_ITEMS,
    "SCAN_RESULTS_BUCKET_NAME": SCAN_RESULTS,
    "SCAN_QUEUE_NAME": SCAN_QUEUE,
    "LOG_LEVEL": "ERROR",  # the fuzz logs thousands of requests; errors still show
}
APPS = {
    "sessions": sessions_app,
    "realtime": realtime_app,
    "counter": counter_app,
    "scanner": scanner_module.app,
}


@dataclass
class StubRuntime:
    launches: int = 0


@dataclass
class StubResult:
    target: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.target.host,
            "url": self.target.url,
            "pixels": [],
            "durationMs": 5,
            "error": None,
            "errorMessage": None,
            "partial": False,
        }


@dataclass
class StubScanner:
    """Stands in for PixelScanner: answers at once, never opens a browser."""

    runtime: StubRuntime = field(default_factory=StubRuntime)

    def scan(self, target: Any, timeout: float, pages: int = 1) -> StubResult:
        return StubResult(target)


@pytest.fixture(scope="package")
def aws() -> Iterator[None]:
    """One moto for the whole folder: provisioning per example would cost most of the minute."""
    post_policy.install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_sessions_table(dynamodb)
        create_counters_table(dynamodb)
        create_rate_limit_table(dynamodb)
        create_scan_cache_table(dynamodb)
        create_scan_batch_tables(dynamodb)
        create_uploads_bucket(boto3.client("s3", region_name=REGION))
        boto3.client("s3", region_name=REGION).create_bucket(Bucket=SCAN_RESULTS)
        boto3.client("sqs", region_name=REGION).create_queue(QueueName=SCAN_QUEUE)
        now = int(time.time())
        for n, session_id in enumerate(KNOWN_SESSIONS):
            item = {
                "sessionId": {"S": session_id},
                "status": {"S": "UPLOAD_REQUESTED"},
                "createdAt": {"N": str(now)},
                # The last one is long expired: the ERROR path gets exercised too.
                "expiresAt": {"N": str(now + 1800 if n < 3 else now - 60)},
                "wsConnectionId": {"S": f"conn{n}="},
            }
            dynamodb.put_item(TableName=SESSIONS, Item=item)
        yield


@pytest.fixture
def apps(aws, monkeypatch) -> Iterator[dict[str, Any]]:
    """The four apps, fresh, with the scanner's browser stubbed."""
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    for app in APPS.values():
        app.reset()
    scanner_module.app.override(scanner_module.scanner, StubScanner())
    yield APPS
    for app in APPS.values():
        app.reset()
