"""Delayed tags: after load the scan keeps watching, at least the default dwell and then until no
new third-party script or beacon starts for a while; repeated uploads do not keep it waiting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from handlers.scanner.activity import ThirdPartyActivity
from handlers.scanner.engine import DWELL_MS, PixelScanner
from tests.scanner.conftest import RecordingResolver
from tests.scanner.fixture_site import DELAYED_TAG_MS, FixtureSite
from tests.scanner.vendor_stubs import answer_vendors


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def activity() -> tuple[ThirdPartyActivity, Clock]:
    clock = Clock()
    return ThirdPartyActivity(lambda host: host != "clinic.example", clock), clock


def test_a_new_third_party_script_or_beacon_resets_the_quiet_time() -> None:
    watch, clock = activity()
    clock.now += 5
    watch.note("https://www.redditstatic.com/ads/pixel.js")
    assert watch.quiet_for() == 0
    clock.now += 2
    watch.note("https://alb.reddit.com/rp.gif?ts=1")
    assert watch.quiet_for() == 0


def test_repeated_uploads_to_the_same_endpoint_do_not() -> None:
    watch, clock = activity()
    watch.note("https://e.clarity.ms/collect")
    for _ in range(10):
        clock.now += 0.5
        watch.note("https://e.clarity.ms/collect?seq=2")
    assert watch.quiet_for() == 5.0


def test_first_party_requests_do_not() -> None:
    watch, clock = activity()
    clock.now += 3
    watch.note("https://clinic.example/api/slots")
    watch.note("data:image/png;base64,AAAA")
    assert watch.quiet_for() == 3


def test_the_default_dwell_outlasts_the_fixture_s_delayed_tag() -> None:
    assert DWELL_MS >= DELAYED_TAG_MS + 500


@pytest.fixture(scope="module")
def default_dwell(vendor_requests: list[str]) -> Iterator[PixelScanner]:
    """A scanner with the production dwell (the shared one is shortened for speed)."""
    with PixelScanner(
        resolver=RecordingResolver(),
        allow_private_addresses=("127.0.0.0/8",),
        context_setup=answer_vendors(vendor_requests),
        settle_quiet_ms=300,
        timeout=30,
    ) as scanner:
        yield scanner


@pytest.mark.browser
def test_a_tag_injected_seconds_after_load_is_found_while_the_scan_dwells(
    default_dwell: PixelScanner, site: FixtureSite
) -> None:
    result = default_dwell.scan(site.url("/delayed.html"))
    [reddit] = [p for p in result.pixels if p["vendor"] == "Reddit Pixel"]
    assert reddit["firstSeenStep"] == "dwell"
    assert {e["name"] for e in reddit["events"]} == {"PageVisit"}
    assert result.durationMs >= DWELL_MS


@pytest.mark.browser
def test_without_the_dwell_the_delayed_tag_is_missed(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    assert scanner.dwell * 1000 < DELAYED_TAG_MS  # the shared test scanner's short dwell
    result = scanner.scan(site.url("/delayed.html"))
    assert result.pixels == []


@pytest.mark.browser
def test_a_loader_waiting_for_the_first_interaction_fires_on_the_scroll(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/interaction-loader.html"))
    [reddit] = [p for p in result.pixels if p["vendor"] == "Reddit Pixel"]
    assert reddit["firstSeenStep"] == "scroll"
