"""Session recorders on a page that loads twelve of them: each is reported once per receiving
site, by vendor, with the script and upload requests that show it."""

from __future__ import annotations

import pytest

from handlers.scanner.engine import PixelScanner
from handlers.scanner.recorders import RecorderLog
from handlers.scanner.result import ScanResult
from handlers.scanner.signatures import match
from tests.scanner.fixture_site import FixtureSite

RECORDER_VENDORS = (
    "Hotjar", "Microsoft Clarity", "FullStory", "LogRocket", "Mouseflow", "Smartlook",
    "Lucky Orange", "Inspectlet", "Yandex Metrica", "Quantum Metric", "Contentsquare", "Heap",
)  # fmt: skip


@pytest.fixture(scope="module")
def recorded(scanner: PixelScanner, site: FixtureSite) -> ScanResult:
    return scanner.scan(site.url("/recorders.html"))


@pytest.mark.browser
@pytest.mark.parametrize("vendor", RECORDER_VENDORS)
def test_each_session_recorder_is_reported_with_its_evidence(
    recorded: ScanResult, vendor: str
) -> None:
    entries = [r for r in recorded.sessionRecorders if r["vendor"] == vendor]
    assert entries, f"{vendor} missing from {[r['vendor'] for r in recorded.sessionRecorders]}"
    assert all(set(entry) == {"vendor", "domain", "evidence"} for entry in entries)
    assert all(1 <= len(entry["evidence"]) <= 5 for entry in entries)


@pytest.mark.browser
def test_a_recorder_uploading_to_another_site_is_listed_for_that_site(
    recorded: ScanResult,
) -> None:
    domains = {r["domain"] for r in recorded.sessionRecorders if r["vendor"] == "LogRocket"}
    assert domains == {"logrocket.io", "lr-ingest.io"}


@pytest.mark.browser
def test_advertising_pixels_are_not_session_recorders(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/five.html"))
    assert result.pixels and result.sessionRecorders == []


def test_repeated_uploads_add_no_entry_and_evidence_is_capped() -> None:
    log = RecorderLog()
    for n in range(8):
        [hit] = match(f"https://rs.fullstory.com/rec/bundle?Seq={n}")
        log.observe(hit, "rs.fullstory.com")
    [entry] = log.entries()
    assert (entry["vendor"], entry["domain"], len(entry["evidence"])) == (
        "FullStory",
        "fullstory.com",
        5,
    )
