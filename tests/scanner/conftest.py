"""One fixture site and one browser for the whole scanner test folder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.scanner.fixture_site import FixtureSite, running_site
from tests.scanner.vendor_stubs import answer_vendors

# Names the tests resolve on purpose; anything else would be real DNS, which tests never do.
TEST_NAMES = {
    "internal.test": ["10.0.0.5"],
    "metadata.test": ["169.254.169.254"],
    "mixed.test": ["93.184.216.34", "192.168.1.10"],
    "v6private.test": ["fd00::1"],
    "public.test": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
}


class RecordingResolver:
    """A resolver that knows only TEST_NAMES and records every name it was asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        if host in TEST_NAMES:
            return TEST_NAMES[host]
        raise OSError(f"{host}: no such name in the test resolver")


@pytest.fixture(scope="session")
def site() -> Iterator[FixtureSite]:
    with running_site() as running:
        yield running


@pytest.fixture(scope="session")
def vendor_requests() -> list[str]:
    return []


@pytest.fixture(scope="session")
def resolver() -> RecordingResolver:
    return RecordingResolver()


@pytest.fixture(scope="session")
def routed_hosts() -> list[str]:
    """Hosts of the requests that reached the scanner's own routing: none the stubs answered."""
    return []


# Package scope: the browser (and Playwright's driver, one per thread) is gone before other
# test folders start browsers of their own.
@pytest.fixture(scope="package")
def scanner(
    resolver: RecordingResolver, vendor_requests: list[str], routed_hosts: list[str]
) -> Iterator[object]:
    """The scanner every browser test shares; loopback is allowed, and only loopback."""
    from handlers.scanner.engine import PixelScanner

    instance = PixelScanner(
        resolver=resolver,
        allow_private_addresses=("127.0.0.0/8",),
        context_setup=answer_vendors(vendor_requests),
        settle_quiet_ms=300,
        settle_max_ms=1500,
        timeout=30,
        # The dwell after load is shortened here; test_delayed_tags.py runs the real default.
        dwell_ms=300,
        dwell_quiet_ms=200,
        next_page_dwell_ms=200,
    )
    permits = instance.guard.permits

    def recording(host: str) -> bool:
        routed_hosts.append(host)
        return permits(host)

    instance.guard.permits = recording  # type: ignore[method-assign]
    yield instance
    instance.close()


def console_of_scan(scanner: Any, url: str) -> list[str]:
    """What the pages of one scan of `url` wrote to the console (the main tab's and others')."""
    seen: list[str] = []
    original = scanner.context_setup

    def setup(context: Any) -> None:
        original(context)
        context.on("page", lambda page: page.on("console", lambda m: seen.append(m.text)))

    scanner.context_setup = setup
    try:
        scanner.scan(url)
    finally:
        scanner.context_setup = original
    return seen


API_KEY = "test-key-0123456789"


def configure_api(monkeypatch: pytest.MonkeyPatch, **overrides: str) -> None:
    """The environment Terraform gives the function, with a local key instead of SSM."""
    from tests.support.tables import (
        RATE_LIMITS,
        SCAN_BATCH_ITEMS,
        SCAN_BATCHES,
        SCAN_CACHE,
        SCAN_QUEUE,
        SCAN_RESULTS,
    )

    values = {
        "RATE_LIMIT_TABLE_NAME": RATE_LIMITS,
        "SCAN_CACHE_TABLE_NAME": SCAN_CACHE,
        "SCAN_BATCHES_TABLE_NAME": SCAN_BATCHES,
        "SCAN_BATCH_ITEMS_TABLE_NAME": SCAN_BATCH_ITEMS,
        "SCAN_RESULTS_BUCKET_NAME": SCAN_RESULTS,
        "SCAN_QUEUE_NAME": SCAN_QUEUE,
        "IP_LIMIT": "3",
        "GLOBAL_LIMIT": "1000",
        "IP_WHITELIST": "",
        "SCANNER_API_KEY_PARAM": "",
        "SCANNER_API_KEY": API_KEY,
        "SCAN_TIMEOUT": "270",
        **overrides,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def clock() -> object:
    from handlers.core.clock import FakeClock

    return FakeClock(1_700_000_000)


@pytest.fixture
def api(moto: None, monkeypatch: pytest.MonkeyPatch, clock: object) -> Iterator[object]:
    """The pixel-detector app against moto tables, with a fixed clock; reset around each test."""
    from handlers.scanner import app as scanner_app
    from tests.conftest import dynamodb
    from tests.support.tables import create_rate_limit_table, create_scan_cache_table

    configure_api(monkeypatch)
    create_rate_limit_table(dynamodb())
    create_scan_cache_table(dynamodb())
    scanner_app.app.reset()
    monkeypatch.setattr(scanner_app.app, "clock", clock)
    yield scanner_app
    scanner_app.app.reset()
