"""The AWS resources a batch scan uses, built once per container from the function's config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handlers.scanner.batch.queue import ScanQueue
from handlers.scanner.batch.results import ResultsBucket
from handlers.scanner.batch.store import BatchStore


@dataclass(frozen=True)
class BatchParts:
    """The batch tables, the results bucket and the queue."""

    store: BatchStore
    results: ResultsBucket
    queue: ScanQueue
    retention_days: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> BatchParts:
        return cls(
            store=BatchStore(
                config["SCAN_BATCHES_TABLE_NAME"], config["SCAN_BATCH_ITEMS_TABLE_NAME"]
            ),
            results=ResultsBucket(config["SCAN_RESULTS_BUCKET_NAME"]),
            queue=ScanQueue(config["SCAN_QUEUE_NAME"]),
            retention_days=config["BATCH_RETENTION_DAYS"],
        )
