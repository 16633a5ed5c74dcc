"""The two batch tables: one item per batch (totals, counters, status), one per site.

Counters are only ever changed by conditional writes that name the site: a site is counted as
started once (`startedItems`) and as finished once (`finishedItems`), so a duplicate or retried
delivery of the same message can never count twice, and the batch completes exactly once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from handlers.core import aws
from handlers.core.dynamo import from_attributes, to_attributes

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
FINISHED = (DONE, FAILED)
COMPLETED = "completed"
POSITION_DIGITS = 4  # up to 9,999 sites, so positions sort as text
PAGE_MAX = 100


def position(index: int) -> str:
    """The items table's sort key of the site at `index`."""
    return f"{index:0{POSITION_DIGITS}d}"


@dataclass(frozen=True)
class Batch:
    """One batch as stored: what was asked, and how far it has got."""

    batch_id: str
    total: int
    created_at: str
    pages: int
    fresh: bool
    kind: str  # "domains" or "urls"
    rejected: list[dict[str, str]] = field(default_factory=list)
    started: int = 0
    done: int = 0
    failed: int = 0
    completed_at: str | None = None

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def status(self) -> str:
        if self.completed_at:
            return COMPLETED
        return RUNNING if self.started else QUEUED

    def counts(self) -> dict[str, int]:
        """Sites per state; a finished site counts as started too, whatever order writes took."""
        started = max(self.started, self.finished)
        return {
            QUEUED: self.total - started,
            RUNNING: started - self.finished,
            DONE: self.done,
            FAILED: self.failed,
        }


@dataclass(frozen=True)
class Item:
    """One site of a batch."""

    index: int
    item: str  # as the client wrote it
    url: str
    state: str = QUEUED
    error: str | None = None
    summary: dict[str, Any] | None = None
    result_key: str | None = None
    screenshot_key: str | None = None


class BatchStore:
    """Reads and conditional writes of the batches and batch-items tables."""

    def __init__(self, batches_table: str, items_table: str) -> None:
        self.batches_table = batches_table
        self.items_table = items_table

    # -- writes at creation ----------------------------------------------------------------

    def create(self, batch: Batch, items: list[Item], expires_at: int) -> None:
        """Store the batch and its sites (all queued); the batch item is written last, so a
        batch that can be read has all its sites."""
        client = aws.client("dynamodb")
        rows = [
            {
                "PutRequest": {
                    "Item": to_attributes(
                        {
                            "batchId": batch.batch_id,
                            "position": position(i.index),
                            "index": i.index,
                            "item": i.item,
                            "url": i.url,
                            "state": QUEUED,
                            "expiresAt": expires_at,
                        }
                    )
                }
            }
            for i in items
        ]
        for start in range(0, len(rows), 25):
            pending = {self.items_table: rows[start : start + 25]}
            # BatchWriteItem may leave some unwritten under load; they come back to retry.
            for _ in range(8):
                answer = client.batch_write_item(RequestItems=pending)
                pending = answer.get("UnprocessedItems") or {}
                if not pending:
                    break
            else:
                raise RuntimeError("DynamoDB left batch items unwritten")
        client.put_item(
            TableName=self.batches_table,
            Item=to_attributes(
                {
                    "batchId": batch.batch_id,
                    "total": batch.total,
                    "createdAt": batch.created_at,
                    "pages": batch.pages,
                    "fresh": batch.fresh,
                    "kind": batch.kind,
                    "rejected": json.dumps(batch.rejected, separators=(",", ":")),
                    "started": 0,
                    "done": 0,
                    "failed": 0,
                    "expiresAt": expires_at,
                }
            ),
            ConditionExpression="attribute_not_exists(batchId)",
        )

    # -- reads -----------------------------------------------------------------------------

    def batch(self, batch_id: str) -> Batch | None:
        """The batch, read consistently (counters decide completion), or None."""
        found = aws.client("dynamodb").get_item(
            TableName=self.batches_table, Key={"batchId": {"S": batch_id}}, ConsistentRead=True
        )
        row = from_attributes(found.get("Item"))
        if row is None:
            return None
        return Batch(
            batch_id=row["batchId"],
            total=row["total"],
            created_at=row["createdAt"],
            pages=row["pages"],
            fresh=row["fresh"],
            kind=row["kind"],
            rejected=json.loads(row.get("rejected") or "[]"),
            started=row.get("started", 0),
            done=row.get("done", 0),
            failed=row.get("failed", 0),
            completed_at=row.get("completedAt"),
        )

    def item(self, batch_id: str, index: int) -> Item | None:
        found = aws.client("dynamodb").get_item(
            TableName=self.items_table,
            Key={"batchId": {"S": batch_id}, "position": {"S": position(index)}},
            ConsistentRead=True,
        )
        row = from_attributes(found.get("Item"))
        return None if row is None else _item(row)

    def page(self, batch_id: str, limit: int, after: str | None) -> tuple[list[Item], str | None]:
        """Up to `limit` sites in order after position `after`, and the cursor of the next page."""
        arguments: dict[str, Any] = {
            "TableName": self.items_table,
            "KeyConditionExpression": "batchId = :b",
            "ExpressionAttributeValues": {":b": {"S": batch_id}},
            "Limit": limit,
        }
        if after is not None:
            arguments["ExclusiveStartKey"] = {"batchId": {"S": batch_id}, "position": {"S": after}}
        answer = aws.client("dynamodb").query(**arguments)
        items = [_item(from_attributes(row)) for row in answer.get("Items", [])]
        last = answer.get("LastEvaluatedKey")
        return items, (last["position"]["S"] if last else None)

    def all_items(self, batch_id: str) -> Iterator[Item]:
        """Every site of the batch, in order."""
        after = None
        while True:
            items, after = self.page(batch_id, PAGE_MAX, after)
            yield from items
            if after is None:
                return

    # -- conditional state changes ---------------------------------------------------------

    def start(self, batch_id: str, index: int) -> None:
        """Mark the site running and count it as started, each at most once."""
        _conditional(
            TableName=self.items_table,
            Key={"batchId": {"S": batch_id}, "position": {"S": position(index)}},
            UpdateExpression="SET #state = :running ADD attempts :one",
            ConditionExpression="#state = :queued",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={
                ":running": {"S": RUNNING},
                ":queued": {"S": QUEUED},
                ":one": {"N": "1"},
            },
        )
        self._count(batch_id, index, "started", "startedItems")

    def finish(self, batch_id: str, item: Item) -> None:
        """Record the site's outcome once, then count it once; repeating this changes nothing."""
        assert item.state in FINISHED
        values = {
            ":state": item.state,
            ":summary": json.dumps(item.summary, separators=(",", ":")) if item.summary else None,
            ":error": item.error,
            ":result": item.result_key,
            ":screenshot": item.screenshot_key,
        }
        present = {k: v for k, v in values.items() if v is not None}
        # Every attribute by placeholder: "error" and "state" are DynamoDB reserved words.
        names = {
            ":state": "state",
            ":summary": "summary",
            ":error": "error",
            ":result": "resultKey",
            ":screenshot": "screenshotKey",
        }
        sets = [f"#{k[1:]} = {k}" for k in present]
        attribute_values = to_attributes(present)
        attribute_values.update({":done": {"S": DONE}, ":failed": {"S": FAILED}})
        recorded = _conditional(
            TableName=self.items_table,
            Key={"batchId": {"S": batch_id}, "position": {"S": position(item.index)}},
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression="attribute_exists(batchId) AND NOT #state IN (:done, :failed)",
            ExpressionAttributeNames={f"#{k[1:]}": names[k] for k in present},
            ExpressionAttributeValues=attribute_values,
        )
        state = item.state
        if not recorded:
            # Another delivery recorded this site first: what it recorded is what counts.
            stored = self.item(batch_id, item.index)
            if stored is None or stored.state not in FINISHED:
                return
            state = stored.state
        self.count_finished(batch_id, item.index, state)

    def count_finished(self, batch_id: str, index: int, state: str) -> None:
        """Count a finished site in the batch's counters, at most once (idempotent)."""
        # A site finished on a delivery that never counted it as started (it crashed in
        # between) is counted as started now, so the counts always add up.
        self._count(batch_id, index, "started", "startedItems")
        self._count(batch_id, index, state, "finishedItems")

    def complete(self, batch_id: str, completed_at: str) -> bool:
        """Mark the batch completed; True for the one call that did it."""
        return _conditional(
            TableName=self.batches_table,
            Key={"batchId": {"S": batch_id}},
            UpdateExpression="SET completedAt = :at",
            ConditionExpression="attribute_exists(batchId) AND attribute_not_exists(completedAt)",
            ExpressionAttributeValues={":at": {"S": completed_at}},
        )

    def _count(self, batch_id: str, index: int, counter: str, marks: str) -> bool:
        return _conditional(
            TableName=self.batches_table,
            Key={"batchId": {"S": batch_id}},
            UpdateExpression="ADD #counter :one, #marks :index",
            ConditionExpression="attribute_exists(batchId) AND NOT contains(#marks, :i)",
            ExpressionAttributeNames={"#counter": counter, "#marks": marks},
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":index": {"NS": [str(index)]},
                ":i": {"N": str(index)},
            },
        )


def _conditional(**arguments: Any) -> bool:
    """One conditional UpdateItem; False when its condition did not hold (already done)."""
    try:
        aws.client("dynamodb").update_item(**arguments)
    except ClientError as exc:
        if aws.error_code(exc) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _item(row: dict[str, Any]) -> Item:
    return Item(
        index=row["index"],
        item=row["item"],
        url=row["url"],
        state=row.get("state", QUEUED),
        error=row.get("error"),
        summary=json.loads(row["summary"]) if row.get("summary") else None,
        result_key=row.get("resultKey"),
        screenshot_key=row.get("screenshotKey"),
    )
