"""The counters table: one atomic ADD per visit, and a read for the health check."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.core import aws

MAIN_COUNTER = "main_counter"


class CounterStore:
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    def increment(self, counter_id: str = MAIN_COUNTER) -> int:
        """Add one and return the new count; ADD creates the item on the very first visit."""
        found = aws.client("dynamodb").update_item(
            TableName=self.table_name,
            Key={"counter_id": {"S": counter_id}},
            UpdateExpression="ADD visit_count :one SET last_updated = :now",
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":now": {"S": datetime.now(UTC).isoformat()},
            },
            ReturnValues="UPDATED_NEW",
        )
        return int(found["Attributes"]["visit_count"]["N"])

    def current(self, counter_id: str = MAIN_COUNTER) -> int:
        """The count without changing it; 0 before the first visit."""
        found = aws.client("dynamodb").get_item(
            TableName=self.table_name, Key={"counter_id": {"S": counter_id}}
        )
        item = found.get("Item")
        return int(item["visit_count"]["N"]) if item and "visit_count" in item else 0
