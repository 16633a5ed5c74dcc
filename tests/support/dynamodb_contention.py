"""DynamoDB's answer to contention, which moto does not give: transactions that touch an item
while another transaction on it is in flight are cancelled with `TransactionConflict`, and a
plain write to such an item fails with `TransactionConflictException`. Plain writes to one
item queue up and all succeed, as on DynamoDB."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from botocore.exceptions import ClientError


def _item(table: str, key: dict) -> str:
    return f"{table}:{json.dumps(key, sort_keys=True)}"


class Contention:
    """Wraps a boto3 DynamoDB client; `conflicts` counts the cancellations it caused."""

    def __init__(self, client: Any, in_flight_s: float = 0.01) -> None:
        self.client = client
        self.in_flight_s = in_flight_s  # how long a transaction holds its items
        self.conflicts = 0
        self._busy: set[str] = set()
        self._lock = threading.Lock()
        self._transact = client.transact_write_items
        self._update = client.update_item

    def install(self, monkeypatch) -> None:
        monkeypatch.setattr(self.client, "transact_write_items", self.transact_write_items)
        monkeypatch.setattr(self.client, "update_item", self.update_item)

    def transact_write_items(self, **kwargs: Any) -> Any:
        items = [
            _item(op["TableName"], op["Key"])
            for entry in kwargs["TransactItems"]
            for op in entry.values()
        ]
        with self._lock:
            clash = [item for item in items if item in self._busy]
            if clash:
                self.conflicts += 1
                reasons = [{"Code": "TransactionConflict" if i in clash else "None"} for i in items]
                raise ClientError(
                    {
                        "Error": {
                            "Code": "TransactionCanceledException",
                            "Message": "Transaction cancelled [TransactionConflict]",
                        },
                        "CancellationReasons": reasons,
                    },
                    "TransactWriteItems",
                )
            self._busy.update(items)
        try:
            time.sleep(self.in_flight_s)
            return self._transact(**kwargs)
        finally:
            with self._lock:
                self._busy.difference_update(items)

    def update_item(self, **kwargs: Any) -> Any:
        with self._lock:
            if _item(kwargs["TableName"], kwargs["Key"]) in self._busy:
                self.conflicts += 1
                raise ClientError(
                    {"Error": {"Code": "TransactionConflictException", "Message": "conflict"}},
                    "UpdateItem",
                )
        return self._update(**kwargs)
