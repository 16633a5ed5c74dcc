"""Scan results are cached for an hour, in memory and in the scan-cache table."""

from __future__ import annotations

import pytest

from handlers.core.clock import FakeClock
from handlers.scanner.cache import ScanCache
from tests.conftest import dynamodb
from tests.support.tables import SCAN_CACHE, create_scan_cache_table

RESULT = {"domain": "example.org", "pixels": [], "scannedAt": "2026-01-01T00:00:00Z"}


@pytest.fixture
def table(moto: None) -> str:
    create_scan_cache_table(dynamodb())
    return SCAN_CACHE


def test_a_stored_result_is_found_again(table: str) -> None:
    cache = ScanCache(table, clock=FakeClock())
    cache.put("example.org", RESULT)
    assert cache.get("example.org") == RESULT


def test_results_are_written_with_a_one_hour_ttl_attribute(table: str) -> None:
    clock = FakeClock(1_700_000_000)
    ScanCache(table, clock=clock).put("example.org", RESULT)
    item = dynamodb().get_item(TableName=table, Key={"domain": {"S": "example.org"}})["Item"]
    assert item["expiresAt"] == {"N": str(1_700_000_000 + 3600)}


def test_a_new_container_reads_the_table(table: str) -> None:
    clock = FakeClock()
    ScanCache(table, clock=clock).put("example.org", RESULT)
    assert ScanCache(table, clock=clock).get("example.org") == RESULT


def test_expired_results_are_ignored_although_ttl_deletion_lags(table: str) -> None:
    clock = FakeClock()
    ScanCache(table, clock=clock).put("example.org", RESULT)
    clock.advance(3600)
    assert ScanCache(table, clock=clock).get("example.org") is None


def test_expired_results_leave_memory_too(table: str) -> None:
    clock = FakeClock()
    cache = ScanCache(table, clock=clock)
    cache.put("example.org", RESULT)
    clock.advance(3601)
    assert cache.get("example.org") is None


def test_a_missing_table_degrades_to_no_cache(moto: None) -> None:
    cache = ScanCache("no-such-table", clock=FakeClock())
    cache.put("example.org", RESULT)
    cache.clear_memory()
    assert cache.get("example.org") is None


def test_memory_holds_a_bounded_number_of_results(table: str) -> None:
    cache = ScanCache(table, clock=FakeClock(), memory_entries=2)
    for key in ("a.org", "b.org", "c.org"):
        cache.put(key, RESULT)
    assert len(cache._memory) == 2
