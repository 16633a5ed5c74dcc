"""Scan the sites SQS delivers: each result goes to the results bucket and the items table, and
the last site of a batch writes its reports and completes it, once.

What goes back to the queue (and, after maxReceiveCount, to the dead-letter queue): messages
this code cannot read, and sites whose results could not be stored (AWS errors). A site that
times out or does not load is a result like any other: recorded as failed, never retried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from handlers.core import metrics
from handlers.core.clock import iso_utc
from handlers.core.log import logger
from handlers.scanner.batch.parts import BatchParts
from handlers.scanner.batch.queue import BadMessage, SiteMessage
from handlers.scanner.batch.store import DONE, FAILED, FINISHED, Item
from handlers.scanner.batch.summary import summary_of
from handlers.scanner.budget import MIN_BUDGET_SECONDS, time_budget
from handlers.scanner.cache import ScanCache
from handlers.scanner.result import ScanResult
from handlers.scanner.target import Target

INFRASTRUCTURE_ERRORS = (BotoCoreError, ClientError)
CRASHED = "scan_crashed"


@dataclass
class SiteWorker:
    """Processes one SQS batch of site messages; returns the message ids to retry."""

    parts: BatchParts
    scanner: Callable[[], Any]  # the container's PixelScanner, launched on first use
    cache: ScanCache
    clock: Callable[[], float]
    scan_timeout: float

    def handle(self, records: list[dict[str, Any]], context: Any) -> list[str]:
        failed = []
        for record in records:
            message_id = record["messageId"]
            try:
                self.process(record, context)
            except BadMessage as exc:
                # Kept for a person to read: it goes to the dead-letter queue, never scanned.
                logger.error("unreadable batch message", messageId=message_id, reason=str(exc))
                failed.append(message_id)
            except INFRASTRUCTURE_ERRORS as exc:
                logger.warning(
                    "batch site not stored; back to the queue",
                    messageId=message_id,
                    errorType=type(exc).__name__,
                    receiveCount=_receive_count(record),
                )
                failed.append(message_id)
            except _OutOfTime:
                logger.warning("no time left for a batch site; back to the queue")
                failed.append(message_id)
        return failed

    def process(self, record: dict[str, Any], context: Any) -> None:
        message = SiteMessage.from_body(record.get("body"))
        store = self.parts.store
        batch = store.batch(message.batchId)
        if batch is None:
            logger.warning("message of an unknown batch dropped", batchId=message.batchId)
            return
        stored = store.item(message.batchId, message.index)
        if stored is None:
            raise BadMessage("the message names a site its batch does not have")
        if stored.state in FINISHED:
            # A duplicate delivery, or a retry after the counters were not written: counting
            # again is a no-op when they were.
            logger.info("batch site already finished", batchId=batch.batch_id, site=stored.index)
            store.count_finished(batch.batch_id, stored.index, stored.state)
        else:
            budget = time_budget(context, self.scan_timeout)
            if budget < MIN_BUDGET_SECONDS:
                raise _OutOfTime
            store.start(batch.batch_id, message.index)
            result = self._scan(message, budget)
            store.finish(batch.batch_id, self._store_result(message, stored, result))
        self.complete_if_finished(batch.batch_id)

    def _scan(self, message: SiteMessage, budget: float) -> dict[str, Any]:
        target = Target(url=message.url, host=message.host, cache_key=message.cacheKey)
        if not message.fresh and (hit := self.cache.get(message.cacheKey)) is not None:
            return {**ScanResult.from_dict(hit).to_dict(), "cached": True}
        try:
            found = self.scanner().scan(
                target, timeout=budget, pages=message.pages, screenshot=True
            )
        except Exception as exc:
            # The scanner records every failure it knows as an error code; anything else is a
            # bug for this site, which a retry would only repeat.
            logger.exception("batch scan crashed", exc, batchId=message.batchId)
            return {
                **ScanResult(domain=message.host, url=message.url).to_dict(),
                "error": CRASHED,
                "errorMessage": "The scanner failed on this site",
                "screenshot": None,
            }
        result = {**found.to_dict(), "screenshot": getattr(found, "screenshot", None)}
        if result["error"] is None:
            self.cache.put(message.cacheKey, found.to_dict())
        return result

    def _store_result(self, message: SiteMessage, stored: Item, result: dict[str, Any]) -> Item:
        results = self.parts.results
        screenshot = result.pop("screenshot", None)
        state = DONE if result.get("error") is None else FAILED
        error = None
        if state == FAILED:
            error = result.get("errorMessage") or result.get("error") or "Scan failed"
        screenshot_key = (
            results.put_screenshot(message.batchId, message.index, screenshot)
            if screenshot
            else None
        )
        row = {**result, "item": stored.item, "state": state, "error": error}
        result_key = results.put_result(message.batchId, message.index, row)
        metrics.emit(
            {"BatchSiteDuration": (result.get("durationMs", 0), "Milliseconds")},
            properties={"metric": "batch_site", "state": state, "scanError": result.get("error")},
        )
        return Item(
            index=message.index,
            item=stored.item,
            url=message.url,
            state=state,
            error=error,
            summary=summary_of(result),
            result_key=result_key,
            screenshot_key=screenshot_key,
        )

    def complete_if_finished(self, batch_id: str) -> None:
        """Once every site is finished: write the reports, then mark the batch completed. Two
        workers may both write the (identical) reports; only one completes the batch."""
        store = self.parts.store
        batch = store.batch(batch_id)
        if batch is None or batch.completed_at or batch.finished < batch.total:
            return
        items = list(store.all_items(batch_id))
        keys = [i.result_key or self.parts.results.result_key(batch_id, i.index) for i in items]
        self.parts.results.put_reports(batch_id, self.parts.results.read_results(keys))
        if store.complete(batch_id, iso_utc(self.clock())):
            logger.info("batch completed", batchId=batch_id, total=batch.total)
            metrics.emit(
                {"BatchSites": (batch.total, "Count"), "BatchFailedSites": (batch.failed, "Count")},
                properties={"metric": "batch_completed", "batchId": batch_id},
            )


class _OutOfTime(Exception):
    """Too little of the invocation is left to scan another site."""


def _receive_count(record: dict[str, Any]) -> int:
    attributes = record.get("attributes") or {}
    try:
        return int(attributes.get("ApproximateReceiveCount", 0))
    except (TypeError, ValueError):
        return 0
