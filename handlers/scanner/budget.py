"""How long one scan may run inside the invocation that runs it."""

from __future__ import annotations

from typing import Any

# Left of the function's timeout for the response, the result writes and the log lines after the
# scan stops.
LAMBDA_RESERVE_SECONDS = 20
MIN_BUDGET_SECONDS = 5


def time_budget(context: Any, scan_timeout: float) -> float:
    """min(scan_timeout, the invocation's remaining time minus the reserve), in seconds."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is None:
        return float(scan_timeout)
    return min(float(scan_timeout), remaining() / 1000 - LAMBDA_RESERVE_SECONDS)
