"""Fixed-window limits (seed 004): the N-th request passes, the N+1-th is a 429."""

from __future__ import annotations

import pytest

from handlers.core import errors
from handlers.core.clock import FakeClock
from handlers.core.ratelimit import DAY, HOUR, RateLimiter
from tests.conftest import dynamodb
from tests.support.tables import RATE_LIMITS, create_rate_limit_table


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_700_000_000 - 1_700_000_000 % DAY + 3600)


@pytest.fixture
def table(moto) -> str:
    create_rate_limit_table(dynamodb())
    return RATE_LIMITS


def counted_by_kind() -> dict[str, int]:
    """Requests counted per kind of window ("ip" or "global"), summed over items."""
    totals: dict[str, int] = {}
    for item in dynamodb().scan(TableName=RATE_LIMITS)["Items"]:
        kind = item["key"]["S"].split("#")[1]
        totals[kind] = totals.get(kind, 0) + int(item["count"]["N"])
    return totals


def _limiter(clock, ip_limit=3, global_limit=100, whitelist=()) -> RateLimiter:
    return RateLimiter(RATE_LIMITS, ip_limit, global_limit, whitelist, clock=clock)


def test_the_nth_request_passes_and_the_next_is_refused(table, clock):
    limiter = _limiter(clock)
    for _ in range(3):
        limiter.check("198.51.100.1")
    with pytest.raises(errors.TooManyRequests) as refused:
        limiter.check("198.51.100.1")
    assert refused.value.status == 429
    assert refused.value.message == "Too many requests from this address"


def test_retry_after_points_at_the_end_of_the_window(table, clock):
    limiter = _limiter(clock, ip_limit=1)
    limiter.check("198.51.100.1")
    with pytest.raises(errors.TooManyRequests) as refused:
        limiter.check("198.51.100.1")
    assert refused.value.headers["Retry-After"] == str(DAY - 3600)


def test_other_addresses_have_their_own_count(table, clock):
    limiter = _limiter(clock, ip_limit=1)
    limiter.check("198.51.100.1")
    limiter.check("198.51.100.2")


def test_whitelisted_address_is_never_limited(table, clock):
    limiter = _limiter(clock, ip_limit=1, global_limit=1, whitelist=("198.51.100.1",))
    for _ in range(10):
        limiter.check("198.51.100.1")


def test_global_limit_applies_across_addresses(table, clock):
    limiter = _limiter(clock, ip_limit=10, global_limit=2)
    limiter.check("198.51.100.1")
    limiter.check("198.51.100.2")
    with pytest.raises(errors.TooManyRequests) as refused:
        limiter.check("198.51.100.3")
    assert refused.value.message == "Too many requests; try again later"
    assert refused.value.retry_after == HOUR


def test_a_new_window_starts_a_new_count(table, clock):
    limiter = _limiter(clock, ip_limit=1)
    limiter.check("198.51.100.1")
    clock.advance(DAY)
    limiter.check("198.51.100.1")


def test_counters_expire_through_ttl_and_hold_no_address(table, clock):
    _limiter(clock).check("198.51.100.1")
    items = dynamodb().scan(TableName=RATE_LIMITS)["Items"]
    assert all("expiresAt" in item for item in items)
    assert all(int(item["expiresAt"]["N"]) > clock() for item in items)
    assert "198.51.100.1" not in str(items)


def test_a_refused_request_consumes_neither_window(table, clock):
    limiter = _limiter(clock, ip_limit=10, global_limit=1)
    limiter.check("198.51.100.1")
    with pytest.raises(errors.TooManyRequests):
        limiter.check("198.51.100.2")
    assert counted_by_kind() == {"ip": 1, "global": 1}
