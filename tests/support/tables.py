"""The stack's DynamoDB tables and uploads bucket under test names, created from the Terraform
model by the same provisioner as `make up`: a key, index or TTL changed in Terraform reaches every
unit test."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import terraform_model
from local.aws.provision import create_bucket, create_table

SESSIONS = "sessions-test"
COUNTERS = "counters-test"
RATE_LIMITS = "rate-limits-test"
SCAN_CACHE = "scan-cache-test"
BUCKET = "uploads-test"
SCAN_BATCHES = "scan-batches-test"
SCAN_BATCH_ITEMS = "scan-batch-items-test"
SCAN_RESULTS = "scan-results-test"  # a bucket
SCAN_QUEUE = "scans-test"


@functools.cache
def _dev() -> terraform_model.Stack:
    return terraform_model.load("dev")


def _create(client: Any, hash_key: str, name: str) -> None:
    create_table(client, dataclasses.replace(_dev().table_keyed(hash_key), name=name))


def create_sessions_table(client: Any, name: str = SESSIONS) -> None:
    _create(client, "sessionId", name)


def create_counters_table(client: Any, name: str = COUNTERS) -> None:
    _create(client, "counter_id", name)


def create_rate_limit_table(client: Any, name: str = RATE_LIMITS) -> None:
    _create(client, "key", name)


def create_scan_cache_table(client: Any, name: str = SCAN_CACHE) -> None:
    _create(client, "domain", name)


def create_uploads_bucket(client: Any, name: str = BUCKET) -> None:
    """The uploads bucket (private, its CORS rules); unit tests deliver its S3 events by hand."""
    declared = _dev().bucket_notifying()
    bucket = dataclasses.replace(declared, name=name, notifications=())
    create_bucket(client, bucket, client.meta.region_name, _dev().account_id)


def create_scan_batch_tables(client: Any) -> None:
    """The batch table and its items table (keyed by batch and position)."""
    _create(client, "batchId", SCAN_BATCHES)
    create_table(
        client,
        dataclasses.replace(_dev().table_keyed("batchId", "position"), name=SCAN_BATCH_ITEMS),
    )
