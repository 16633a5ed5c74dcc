"""Fixed-window rate limits in DynamoDB (seed 004): one atomic conditional ADD per window."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from handlers.core import aws, errors
from handlers.core.clock import Clock, system_clock

DAY = 86_400
HOUR = 3_600


@dataclass(frozen=True)
class Window:
    """A limit of `limit` requests per `seconds`-long fixed window."""

    limit: int
    seconds: int


class RateLimiter:
    """Per-client-IP and global fixed-window limits; listed IPs are never limited."""

    def __init__(
        self,
        table_name: str,
        ip_limit: int,
        global_limit: int,
        whitelist: Iterable[str] = (),
        scope: str = "api",
        clock: Clock = system_clock,
        ip_window: int = DAY,
        global_window: int = HOUR,
    ) -> None:
        self.table_name = table_name
        self.ip = Window(ip_limit, ip_window)
        self.total = Window(global_limit, global_window)
        self.whitelist = frozenset(whitelist)
        self.scope = scope
        self.clock = clock

    @classmethod
    def from_config(cls, config: Mapping[str, Any], scope: str, clock: Clock) -> RateLimiter:
        """The limiter a service configured with `rate_limit_settings()`."""
        return cls(
            config["RATE_LIMIT_TABLE_NAME"],
            ip_limit=config["IP_LIMIT"],
            global_limit=config["GLOBAL_LIMIT"],
            whitelist=config["IP_WHITELIST"],
            scope=scope,
            clock=clock,
        )

    def check(self, ip: str) -> None:
        """Count one request from `ip`; raise TooManyRequests when a window is full.

        Both counters move in one transaction, so a refused request consumes neither window.
        """
        if ip and ip in self.whitelist:
            return
        # The table never holds a client address, only a digest of it.
        digest = hashlib.sha256(ip.encode()).hexdigest()[:32] if ip else "unknown"
        now = int(self.clock())
        hits = [
            _Hit(f"{self.scope}#ip#{digest}", self.ip, now, "Too many requests from this address"),
            _Hit(f"{self.scope}#global", self.total, now, "Too many requests; try again later"),
        ]
        try:
            aws.client("dynamodb").transact_write_items(
                TransactItems=[{"Update": hit.update(self.table_name)} for hit in hits]
            )
        except ClientError as exc:
            if aws.error_code(exc) != "TransactionCanceledException":
                raise
            reasons = exc.response.get("CancellationReasons") or []
            for hit, reason in zip(hits, reasons, strict=False):
                if reason.get("Code") == "ConditionalCheckFailed":
                    raise errors.TooManyRequests(hit.message, retry_after=hit.end - now) from exc
            raise


@dataclass(frozen=True)
class _Hit:
    """One request counted in one fixed window."""

    name: str
    window: Window
    now: int
    message: str

    @property
    def start(self) -> int:
        return self.now - self.now % self.window.seconds

    @property
    def end(self) -> int:
        return self.start + self.window.seconds

    def update(self, table_name: str) -> dict[str, Any]:
        return {
            "TableName": table_name,
            "Key": {"key": {"S": f"{self.name}#{self.start}"}},
            "UpdateExpression": "ADD #count :one SET #expires = if_not_exists(#expires, :expires)",
            "ConditionExpression": "attribute_not_exists(#count) OR #count < :limit",
            "ExpressionAttributeNames": {"#count": "count", "#expires": "expiresAt"},
            "ExpressionAttributeValues": {
                ":one": {"N": "1"},
                ":limit": {"N": str(self.window.limit)},
                # Kept one window past its end so TTL never removes a live counter.
                ":expires": {"N": str(self.end + self.window.seconds)},
            },
        }
