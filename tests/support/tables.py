"""DynamoDB tables, buckets and queues named and keyed as the Terraform declares them, for tests."""

from __future__ import annotations

from typing import Any

SESSIONS = "sessions-test"
COUNTERS = "counters-test"
RATE_LIMITS = "rate-limits-test"
SCAN_CACHE = "scan-cache-test"
BUCKET = "uploads-test"
SCAN_BATCHES = "scan-batches-test"
SCAN_BATCH_ITEMS = "scan-batch-items-test"
SCAN_RESULTS = "scan-results-test"  # a bucket
SCAN_QUEUE = "scans-test"


def _table(client: Any, name: str, key: str, **extra: Any) -> None:
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": key, "AttributeType": "S"},
            *extra.pop("attributes", []),
        ],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )


def create_sessions_table(client: Any, name: str = SESSIONS) -> None:
    _table(
        client,
        name,
        "sessionId",
        attributes=[{"AttributeName": "wsConnectionId", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "wsConnectionId-index",
                "KeySchema": [{"AttributeName": "wsConnectionId", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )


def create_counters_table(client: Any, name: str = COUNTERS) -> None:
    _table(client, name, "counter_id")


def create_rate_limit_table(client: Any, name: str = RATE_LIMITS) -> None:
    _table(client, name, "key")


def create_scan_cache_table(client: Any, name: str = SCAN_CACHE) -> None:
    _table(client, name, "domain")


def create_scan_batch_tables(client: Any) -> None:
    _table(client, SCAN_BATCHES, "batchId")
    client.create_table(
        TableName=SCAN_BATCH_ITEMS,
        KeySchema=[
            {"AttributeName": "batchId", "KeyType": "HASH"},
            {"AttributeName": "position", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "batchId", "AttributeType": "S"},
            {"AttributeName": "position", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
