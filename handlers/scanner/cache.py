"""Scan results cached for an hour: in memory while the container is warm, then in DynamoDB."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from handlers.core import aws
from handlers.core.clock import system_clock
from handlers.core.log import logger
from handlers.scanner.options import DEFAULT_PAGES

TTL_SECONDS = 3600
MEMORY_ENTRIES = 128


def cache_key(target_key: str, pages: int) -> str:
    """The key of a result: a scan of more pages is another result; one page keeps the key it
    always had."""
    return target_key if pages == DEFAULT_PAGES else f"{target_key}#pages={pages}"


class ScanCache:
    """get/put of result dicts by target key. A cache failure never fails a scan."""

    def __init__(
        self,
        table_name: str,
        clock: Callable[[], float] = system_clock,
        ttl: int = TTL_SECONDS,
        memory_entries: int = MEMORY_ENTRIES,
    ) -> None:
        self.table_name = table_name
        self.clock = clock
        self.ttl = ttl
        self.memory_entries = memory_entries
        self._memory: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached result, if it is younger than the TTL."""
        now = self.clock()
        held = self._memory.get(key)
        if held is not None:
            if held[0] > now:
                return held[1]
            del self._memory[key]
        try:
            found = aws.client("dynamodb").get_item(
                TableName=self.table_name, Key={"domain": {"S": key}}, ConsistentRead=False
            )
        except (BotoCoreError, ClientError) as exc:
            logger.warning("scan cache read failed", errorType=type(exc).__name__)
            return None
        item = found.get("Item")
        # DynamoDB deletes expired items hours late, so the expiry is checked here too.
        if not item or int(item["expiresAt"]["N"]) <= now:
            return None
        result = json.loads(item["result"]["S"])
        self._remember(key, int(item["expiresAt"]["N"]), result)
        return result

    def put(self, key: str, result: dict[str, Any]) -> None:
        """Store a result for the TTL."""
        expires = int(self.clock()) + self.ttl
        self._remember(key, expires, result)
        try:
            aws.client("dynamodb").put_item(
                TableName=self.table_name,
                Item={
                    "domain": {"S": key},
                    "result": {"S": json.dumps(result, separators=(",", ":"))},
                    "scannedAt": {"S": str(result.get("scannedAt", ""))},
                    "expiresAt": {"N": str(expires)},
                },
            )
        except (BotoCoreError, ClientError) as exc:
            logger.warning("scan cache write failed", errorType=type(exc).__name__)

    def _remember(self, key: str, expires: float, result: dict[str, Any]) -> None:
        self._memory[key] = (expires, result)
        self._memory.move_to_end(key)
        while len(self._memory) > self.memory_entries:
            self._memory.popitem(last=False)

    def clear_memory(self) -> None:
        self._memory.clear()
