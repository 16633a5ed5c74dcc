"""Injectable time and randomness, so tests control expiry and ids."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]
IdFactory = Callable[[], str]


def system_clock() -> float:
    """Seconds since the epoch, from the system."""
    return time.time()


def remaining_seconds(context: object, default: float) -> float:
    """Seconds the Lambda invocation has left (`get_remaining_time_in_millis`), else `default`."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return float(default)
    return max(0.0, remaining() / 1000)


def iso_utc(epoch: float) -> str:
    """An epoch time as ISO 8601 UTC to the second, e.g. 2026-01-01T00:00:00Z."""
    moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def random_id() -> str:
    """A random UUID4 as text."""
    return str(uuid.uuid4())


class FakeClock:
    """A clock that only moves when told to; for tests and benchmarks."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = float(now)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
