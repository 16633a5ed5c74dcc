"""Fixed-window limits: the N-th request passes, the N+1-th is a 429; no transaction,
a sharded global window and /64 clients keep them up under contention and abuse."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from handlers.core import aws, errors
from handlers.core.clock import FakeClock
from handlers.core.ratelimit import (
    CLIENT_REFUSED,
    DAY,
    GLOBAL_REFUSED,
    HOUR,
    RateLimiter,
    client_key,
    shard_limits,
)
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


def limiter(clock, ip_limit=100, global_limit=1000, **kwargs) -> RateLimiter:
    return RateLimiter(
        RATE_LIMITS, ip_limit, global_limit, clock=clock, sleep=lambda s: None, **kwargs
    )


def busy(code: str, operation: str = "UpdateItem") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "busy"}}, operation)


def test_no_window_is_counted_inside_a_transaction(table, clock, monkeypatch):
    client = aws.client("dynamodb")

    def refuse(**kwargs):
        raise AssertionError("the limiter used TransactWriteItems")

    monkeypatch.setattr(client, "transact_write_items", refuse)
    limiter(clock).check("198.51.100.1")


def test_the_global_window_is_spread_over_shards_adding_up_to_the_limit():
    assert shard_limits(1000, 4) == [250, 250, 250, 250]
    assert shard_limits(10, 4) == [3, 3, 2, 2]
    assert shard_limits(2, 4) == [1, 1]
    assert sum(shard_limits(997, 4)) == 997


def test_the_global_limit_stays_exact_across_shards(table, clock):
    limits = limiter(clock, global_limit=10)
    for n in range(10):
        limits.check(f"198.51.100.{n}")
    with pytest.raises(errors.TooManyRequests) as refused:
        limits.check("198.51.100.99")
    assert refused.value.message == GLOBAL_REFUSED
    shards = {
        i["key"]["S"]
        for i in dynamodb().scan(TableName=RATE_LIMITS)["Items"]
        if "#global#" in i["key"]["S"]
    }
    assert len(shards) == 4


def test_a_full_global_window_is_remembered_and_costs_no_more_writes(table, clock, monkeypatch):
    limits = limiter(clock, global_limit=1)
    limits.check("198.51.100.1")
    with pytest.raises(errors.TooManyRequests):
        limits.check_global("198.51.100.2")
    calls = []
    monkeypatch.setattr(aws.client("dynamodb"), "update_item", lambda **kw: calls.append(kw))
    with pytest.raises(errors.TooManyRequests):
        limits.check_global("198.51.100.3")
    assert calls == []


def test_ipv6_addresses_in_one_64_are_one_client(table, clock):
    limits = limiter(clock, ip_limit=2)
    limits.check("2001:db8:1:2::1")
    limits.check("2001:db8:1:2:ffff:ffff:ffff:fffe")
    with pytest.raises(errors.TooManyRequests) as refused:
        limits.check("2001:db8:1:2:1234::99")
    assert refused.value.message == CLIENT_REFUSED


def test_ipv6_addresses_in_other_64s_are_other_clients(table, clock):
    limits = limiter(clock, ip_limit=1)
    limits.check("2001:db8:1:2::1")
    limits.check("2001:db8:1:3::1")


def test_client_keys():
    assert client_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert client_key("::ffff:198.51.100.7") == "198.51.100.7"
    assert client_key("198.51.100.7") == "198.51.100.7"


def test_a_whitelisted_ipv6_address_matches_in_any_spelling(table, clock):
    limits = limiter(clock, ip_limit=1, global_limit=1, whitelist=("2001:DB8::0001",))
    for _ in range(3):
        limits.check("2001:db8::1")


@pytest.mark.parametrize(
    "code",
    [
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "TransactionConflictException",
    ],
)
def test_a_throttle_or_conflict_is_retried_with_jitter(table, clock, monkeypatch, code):
    client = aws.client("dynamodb")
    real, failures, pauses = client.update_item, [code, code], []

    def flaky(**kwargs):
        if failures:
            raise busy(failures.pop())
        return real(**kwargs)

    monkeypatch.setattr(client, "update_item", flaky)
    limits = limiter(clock)
    limits.sleep = pauses.append
    limits.check("198.51.100.1")
    assert len(pauses) == 2
    assert all(0 <= p <= 0.1 for p in pauses)


def test_a_throttle_that_persists_is_a_429_not_a_500(table, clock, monkeypatch):
    def throttled(**kwargs):
        raise busy("ProvisionedThroughputExceededException")

    monkeypatch.setattr(aws.client("dynamodb"), "update_item", throttled)
    with pytest.raises(errors.TooManyRequests) as refused:
        limiter(clock).check("198.51.100.1")
    assert refused.value.headers["Retry-After"] == "1"


def test_other_dynamodb_failures_still_surface(table, clock, monkeypatch):
    def broken(**kwargs):
        raise busy("ResourceNotFoundException")

    monkeypatch.setattr(aws.client("dynamodb"), "update_item", broken)
    with pytest.raises(ClientError):
        limiter(clock).check("198.51.100.1")
