"""The browser's life in a container: reused, relaunched after a crash, closed or killed, and
leaving neither files in /tmp nor growing memory behind."""

from __future__ import annotations

import os
import re
import signal
import tempfile
import threading
import time
from pathlib import Path

import pytest

from handlers.scanner import browser as browser_module
from handlers.scanner import processes
from handlers.scanner.engine import PixelScanner
from tests.scanner.conftest import RecordingResolver
from tests.scanner.fixture_site import FixtureSite

pytestmark = pytest.mark.browser

TMP = Path(tempfile.gettempdir())


def ours() -> set[str]:
    """This process's scanner entries in /tmp: other programs, and other test runs, share /tmp."""
    mine = re.compile(rf"pixel-scanner-(driver-)?{os.getpid()}-")
    return {name for name in os.listdir(TMP) if mine.match(name)}


def listing(path: Path) -> set[str]:
    """Every file below `path`, except inside the browser's own profile folder: the browser
    writes there on its own schedule (its settings are set once after launch), never for a scan,
    whose contexts live in memory."""
    if not path.exists():
        return set()
    found = {str(p.relative_to(path)) for p in path.rglob("*")}
    return {name for name in found if not re.match(r"playwright_chromiumdev_profile-[^/]+/", name)}


def test_the_browser_is_launched_once_and_reused(scanner: PixelScanner, site: FixtureSite) -> None:
    scanner.scan(site.url("/plain.html"))
    launches = scanner.runtime.launches
    for _ in range(3):
        scanner.scan(site.url("/plain.html"))
    assert scanner.runtime.launches == launches


def test_a_scan_leaves_nothing_behind_in_tmp(scanner: PixelScanner, site: FixtureSite) -> None:
    scanner.scan(site.url("/plain.html"))
    work = scanner.runtime.work_dir
    assert work is not None and work.parent == TMP
    driver = browser_module._driver.dir
    assert driver is not None and driver.parent == TMP
    before = (ours(), listing(work), listing(driver))
    result = scanner.scan(site.url("/five.html"))
    assert result.error is None
    assert (ours(), listing(work), listing(driver)) == before


def test_a_crashed_browser_is_relaunched_on_the_next_scan(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    scanner.scan(site.url("/plain.html"))
    launches = scanner.runtime.launches
    scanner.runtime.kill()
    result = scanner.scan(site.url("/five.html"))
    assert result.error is None
    assert len(result.pixels) >= 5
    assert scanner.runtime.launches == launches + 1


def settled_rss(scanner: PixelScanner) -> int:
    """The lowest of a few readings: a closed context's renderer takes a moment to exit."""
    readings = []
    for _ in range(5):
        time.sleep(0.1)
        readings.append(scanner.runtime.rss_bytes())
    return min(readings)


def test_a_browser_dying_mid_scan_gives_a_partial_result_and_a_new_browser_next_time(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    scanner.scan(site.url("/plain.html"))
    launches = scanner.runtime.launches
    killer = threading.Timer(1.0, scanner.runtime.kill)
    killer.start()
    started = time.monotonic()
    result = scanner.scan(site.url("/hang.html"), timeout=20)
    killer.join()
    assert time.monotonic() - started < 10
    assert (result.error, result.partial) == ("browser_failed", True)
    assert result.errorMessage == "The browser stopped during the scan; the result is partial"
    assert scanner.scan(site.url("/plain.html")).error is None
    assert scanner.runtime.launches == launches + 1


def test_memory_does_not_grow_across_thirty_scans(
    scanner: PixelScanner, site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scanner, "settle_quiet", 0.05)
    monkeypatch.setattr(scanner, "max_clicks", 0)
    for _ in range(5):  # warm-up: caches and lazily built parts of Chromium settle first
        scanner.scan(site.url("/five.html"))
    start = settled_rss(scanner)
    for _ in range(25):
        assert scanner.scan(site.url("/five.html")).error is None
    end = settled_rss(scanner)
    growth = (end - start) / start
    print(f"RSS after warm-up {start / 2**20:.0f} MiB, after 30 scans {end / 2**20:.0f} MiB")
    assert growth < 0.15, f"RSS grew {growth:.0%}"


@pytest.fixture
def own_scanner() -> PixelScanner:
    """A scanner with a browser of its own, for tests that close or break it."""
    instance = PixelScanner(resolver=RecordingResolver(), allow_private_addresses=("127.0.0.0/8",))
    yield instance
    instance.close()


def test_close_removes_the_browser_and_its_files(
    own_scanner: PixelScanner, site: FixtureSite
) -> None:
    own_scanner.scan(site.url("/plain.html"))
    pids = own_scanner.runtime.pids
    work = own_scanner.runtime.work_dir
    assert pids and work is not None and work.name in ours()
    own_scanner.close()
    # Only this scanner's own folder is checked: other test runs on the machine share /tmp.
    assert not work.exists() and work.name not in ours()
    assert not [pid for pid in pids if processes.rss_bytes(pid)]


def test_close_kills_a_browser_that_does_not_answer(
    own_scanner: PixelScanner, site: FixtureSite
) -> None:
    own_scanner.scan(site.url("/plain.html"))
    pids = own_scanner.runtime.pids
    browser = own_scanner.runtime._browser_pids[0]
    os.kill(browser, signal.SIGSTOP)
    started = time.monotonic()
    own_scanner.close(timeout=1)
    assert time.monotonic() - started < 10
    assert not [pid for pid in pids if processes.rss_bytes(pid)]


def test_a_browser_that_cannot_start_is_reported(site: FixtureSite) -> None:
    broken = PixelScanner(
        resolver=RecordingResolver(),
        allow_private_addresses=("127.0.0.0/8",),
        executable_path="/nonexistent/chromium",
    )
    try:
        result = broken.scan(site.url("/plain.html"))
    finally:
        broken.close()
    assert (result.error, result.errorMessage) == (
        "browser_failed",
        "The browser could not be started",
    )
