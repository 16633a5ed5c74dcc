"""Pushes messages to WebSocket clients through the API Gateway management API.

All pushes of one S3 event share one deadline, taken from the invocation's remaining time. They
run side by side, so a hung connection costs the others nothing, and each attempt is short, so a
hung endpoint costs the event at most the deadline, never 3 attempts x the read timeout per record.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from enum import Enum
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from handlers.core import aws

MAX_PARALLEL = 8
MAX_ATTEMPTS = 3
# Connect + read timeout of one attempt (handlers.core.aws): one is started only if it fits.
ATTEMPT_SECONDS = 3.0
BACKOFF_BASE_S = 0.1
# Answers worth another attempt: throttling and the endpoint's own failures.
RETRYABLE = frozenset(
    {"LimitExceededException", "ThrottlingException", "InternalServerError", "ServiceUnavailable"}
)


class Delivery(Enum):
    SENT = "sent"
    GONE = "gone"
    FAILED = "failed"


@dataclass(frozen=True)
class Push:
    """One message for one connection."""

    connection_id: str
    message: dict[str, Any]


class Notifier:
    """Posts JSON to connections; tells apart a gone client from a failed send."""

    def __init__(
        self,
        endpoint_url: str,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint_url = endpoint_url
        self.clock = clock
        self.sleep = sleep

    def send(self, connection_id: str, message: dict[str, Any], deadline: float) -> Delivery:
        """Post one message, retrying briefly while the deadline (a `clock` time) allows."""
        client = aws.client("apigatewaymanagementapi", endpoint_url=self.endpoint_url)
        data = json.dumps(message).encode("utf-8")
        for attempt in range(MAX_ATTEMPTS):
            left = deadline - self.clock()
            if left <= 0 or (attempt and left < ATTEMPT_SECONDS):
                break
            try:
                client.post_to_connection(ConnectionId=connection_id, Data=data)
                return Delivery.SENT
            except ClientError as exc:
                code = aws.error_code(exc)
                if code == "GoneException":
                    return Delivery.GONE
                if code not in RETRYABLE:
                    return Delivery.FAILED
            except BotoCoreError:
                # Timeouts and unreachable endpoints: worth one more try while time is left.
                pass
            pause = random.uniform(0, BACKOFF_BASE_S * 2**attempt)
            if deadline - self.clock() < pause + ATTEMPT_SECONDS:
                break
            self.sleep(pause)
        # The upload is still complete; the desktop falls back to polling GET /sessions/{id}.
        return Delivery.FAILED

    def send_all(self, pushes: list[Push], deadline: float) -> list[Delivery]:
        """Deliver every push side by side; a push still running at the deadline is FAILED."""
        if not pushes:
            return []
        if len(pushes) == 1:
            return [self.send(pushes[0].connection_id, pushes[0].message, deadline)]
        pool = ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(pushes)))
        try:
            futures = [pool.submit(self.send, p.connection_id, p.message, deadline) for p in pushes]
            wait(futures, timeout=max(0.0, deadline - self.clock()))
            return [
                f.result() if f.done() and f.exception() is None else Delivery.FAILED
                for f in futures
            ]
        finally:
            # Attempts still running end within their own timeouts; nobody waits for them.
            pool.shutdown(wait=False, cancel_futures=True)
