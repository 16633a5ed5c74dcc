"""Fixed-window rate limits in DynamoDB (per client, global, allow-list), built to stay up
under bursts and abuse.

- Every count is one conditional `ADD` on one item, never a transaction: concurrent
  transactions on one item cancel each other (`TransactionConflict`), plain updates queue.
- The global window is split over `GLOBAL_SHARDS` items, so no single item takes every write.
  A request walks the shards from a random one until one has room; the limits of the shards
  add up to the global limit exactly, so a request is refused only when all of them are full.
- A client is an IPv4 address or an IPv6 /64 (one subscriber's allocation holds 2^64 addresses).
- Throttling and conflicts are retried with full jitter; if they persist the answer is a 429,
  never a 500.
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from handlers.core import aws, errors
from handlers.core.clock import Clock, system_clock

DAY = 86_400
HOUR = 3_600
GLOBAL_SHARDS = 4
IPV6_PREFIX = 64
ATTEMPTS = 3
BACKOFF_BASE_S = 0.025
# DynamoDB's answers that mean "busy, try again", as opposed to a real failure.
RETRYABLE = frozenset(
    {
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TransactionConflictException",
    }
)
CLIENT_REFUSED = "Too many requests from this address"
GLOBAL_REFUSED = "Too many requests; try again later"


@dataclass(frozen=True)
class Window:
    """A limit of `limit` requests per `seconds`-long fixed window."""

    limit: int
    seconds: int

    def start(self, now: int) -> int:
        return now - now % self.seconds

    def end(self, now: int) -> int:
        return self.start(now) + self.seconds


def client_key(ip: str) -> str:
    """What one client is: the IPv4 address, or the /64 of an IPv6 address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def _canonical(ip: str) -> str:
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        return ip.strip()


def shard_limits(limit: int, shards: int) -> list[int]:
    """`limit` spread over at most `shards` items, adding up to exactly `limit`."""
    count = max(1, min(shards, limit))
    return [limit // count + (1 if i < limit % count else 0) for i in range(count)]


class RateLimiter:
    """Per-client and global fixed-window limits; listed addresses are never limited."""

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
        shards: int = GLOBAL_SHARDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.table_name = table_name
        self.ip = Window(ip_limit, ip_window)
        self.total = Window(global_limit, global_window)
        self.whitelist = frozenset(_canonical(ip) for ip in whitelist)
        self.scope = scope
        self.clock = clock
        self.limits = shard_limits(global_limit, shards)
        self.sleep = sleep
        # The global window known to be full, per container: later requests in it cost no write.
        self._full_until = 0

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

    def exempt(self, ip: str) -> bool:
        """True for a listed address, which no window counts."""
        return bool(ip) and _canonical(ip) in self.whitelist

    def check(self, ip: str) -> None:
        """Count one request in both windows; raise TooManyRequests when either is full.

        A request the global window refuses is taken back from the client's count.
        """
        if self.exempt(ip):
            return
        counted = self.check_client(ip)
        try:
            self.check_global(ip)
        except errors.TooManyRequests:
            self._uncount(counted)
            raise

    def check_client(self, ip: str) -> str | None:
        """Count one attempt of this client; returns the item counted (None when exempt)."""
        if self.exempt(ip):
            return None
        now = int(self.clock())
        # The table never holds a client address, only a digest of it.
        who = hashlib.sha256(client_key(ip).encode()).hexdigest()[:32] if ip else "unknown"
        key = f"{self.scope}#ip#{who}#{self.ip.start(now)}"
        if not self._add(key, self.ip.limit, self.ip.end(now) + self.ip.seconds):
            raise errors.TooManyRequests(CLIENT_REFUSED, retry_after=self.ip.end(now) - now)
        return key

    def check_global(self, ip: str = "") -> None:
        """Count one request in the global window; raise TooManyRequests when it is full."""
        if self.exempt(ip):
            return
        now = int(self.clock())
        start, end = self.total.start(now), self.total.end(now)
        if self._full_until > now:
            raise errors.TooManyRequests(GLOBAL_REFUSED, retry_after=end - now)
        first = random.randrange(len(self.limits))
        for step in range(len(self.limits)):
            shard = (first + step) % len(self.limits)
            key = f"{self.scope}#global#{shard}#{start}"
            if self._add(key, self.limits[shard], end + self.total.seconds):
                return
        self._full_until = end
        raise errors.TooManyRequests(GLOBAL_REFUSED, retry_after=end - now)

    def _add(self, key: str, limit: int, expires: int) -> bool:
        """Add one to `key` unless it reached `limit`; False when it had."""
        for attempt in range(ATTEMPTS):
            try:
                aws.client("dynamodb").update_item(
                    TableName=self.table_name,
                    Key={"key": {"S": key}},
                    UpdateExpression="ADD #count :one SET #expires = if_not_exists(#expires, :exp)",
                    ConditionExpression="attribute_not_exists(#count) OR #count < :limit",
                    ExpressionAttributeNames={"#count": "count", "#expires": "expiresAt"},
                    ExpressionAttributeValues={
                        ":one": {"N": "1"},
                        ":limit": {"N": str(limit)},
                        # Kept one window past its end so TTL never removes a live counter.
                        ":exp": {"N": str(expires)},
                    },
                )
                return True
            except ClientError as exc:
                code = aws.error_code(exc)
                if code == "ConditionalCheckFailedException":
                    return False
                if code not in RETRYABLE:
                    raise
                if attempt + 1 < ATTEMPTS:
                    self.sleep(random.uniform(0, BACKOFF_BASE_S * 2**attempt))
        # Still busy after the retries: the table is overloaded, which is what a 429 says.
        raise errors.TooManyRequests(GLOBAL_REFUSED, retry_after=1)

    def _uncount(self, key: str | None) -> None:
        if key is None:
            return
        try:
            aws.client("dynamodb").update_item(
                TableName=self.table_name,
                Key={"key": {"S": key}},
                UpdateExpression="ADD #count :minus",
                ConditionExpression="#count > :zero",
                ExpressionAttributeNames={"#count": "count"},
                ExpressionAttributeValues={":minus": {"N": "-1"}, ":zero": {"N": "0"}},
            )
        except ClientError:
            # Best effort: the worst case is one request counted against its own client.
            return
