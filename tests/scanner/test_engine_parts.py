"""Scan-session parts needing no browser: CDP beacon bodies, error wording, CTA labels, routing."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from handlers.scanner.browser_errors import BrowserError
from handlers.scanner.engine import PixelScanner
from handlers.scanner.result import Collector, ScanResult
from handlers.scanner.session import CTA_PATTERN, ScanSession, navigation_message
from tests.scanner.conftest import RecordingResolver


def session() -> ScanSession:
    scanner = PixelScanner(resolver=RecordingResolver())
    return ScanSession(scanner, Collector("clinic.example"), time.monotonic() + 30)


def test_beacon_bodies_playwright_misses_are_taken_from_cdp() -> None:
    running = session()
    running.on_cdp_request(
        {
            "request": {
                "url": "https://tr.snapchat.com/p",
                "method": "POST",
                "postData": "pid=0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0&ev=X",
            }
        }
    )
    running.observed.append(("https://tr.snapchat.com/p", "POST", None, "load"))
    result = ScanResult(domain="clinic.example", url="https://clinic.example/")
    running.finish(result)
    assert result.pixels[0]["ids"] == ["0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"]
    assert result.pixels[0]["events"] == [{"name": "X", "firstSeenStep": "load"}]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            "Page.goto: net::ERR_NAME_NOT_RESOLVED at https://x/\nCall log:",
            "the name does not resolve",
        ),
        ("net::ERR_CERT_AUTHORITY_INVALID", "its TLS certificate is not trusted"),
        ("net::ERR_CERT_WEAK_KEY", "its TLS certificate is not valid"),
        ("net::ERR_SSL_PROTOCOL_ERROR", "the TLS handshake failed"),
        ("net::ERR_CONNECTION_REFUSED", "the connection was refused"),
        ("net::ERR_TOO_MANY_REDIRECTS", "it redirects in a loop"),
        ("something odd", "the page could not be opened"),
    ],
)
def test_navigation_failures_are_worded_plainly(error: str, reason: str) -> None:
    assert (
        navigation_message(Exception(error), "https://x/") == f"Could not load https://x/: {reason}"
    )


@pytest.mark.parametrize(
    "label",
    [
        "Book an appointment",
        "Schedule a visit",
        "Scheduling",
        "Find a Doctor",
        "Find a provider",
        "Contact us",
        "Request an appointment",
        "Appointments",
    ],
)
def test_calls_to_action_are_recognised(label: str) -> None:
    assert re.search(CTA_PATTERN, label, re.IGNORECASE)


@pytest.mark.parametrize("label", ["Facebook", "Read our blog", "Careers", "Visiting hours"])
def test_other_links_are_not_clicked(label: str) -> None:
    assert not re.search(CTA_PATTERN, label, re.IGNORECASE)


@dataclass
class FakeRoute:
    url: str
    outcome: list[str] = field(default_factory=list)

    @property
    def request(self) -> Any:
        return self

    def abort(self, reason: str) -> None:
        self.outcome.append(f"abort:{reason}")

    def continue_(self) -> None:
        self.outcome.append("continue")


@pytest.mark.parametrize(
    ("url", "outcome"),
    [
        ("http://169.254.169.254/latest/meta-data/", "abort:blockedbyclient"),
        ("http://internal.test/x.png", "abort:blockedbyclient"),
        ("http://0x7f000001/", "abort:blockedbyclient"),
        ("https://public.test/pixel.gif", "continue"),
        ("data:text/plain,hello", "continue"),
    ],
)
def test_every_request_is_checked_at_request_time(url: str, outcome: str) -> None:
    route = FakeRoute(url)
    running = session()
    running.route(route)
    assert route.outcome == [outcome]
    assert running.blocked == (1 if outcome.startswith("abort") else 0)


class FakePage:
    def __init__(self, closed: bool = False) -> None:
        self.closed = closed

    def is_closed(self) -> bool:
        return self.closed


class ConnectedBrowser:
    def is_connected(self) -> bool:
        return True


def live_session() -> ScanSession:
    running = session()
    running.scanner.runtime._browser = ConnectedBrowser()
    return running


def fail() -> None:
    raise BrowserError("Element is not attached to the DOM")


def test_a_failed_optional_step_on_a_page_still_there_is_skipped() -> None:
    live_session().attempt(FakePage(), fail)


def test_a_failed_step_on_a_closed_page_ends_the_scan() -> None:
    with pytest.raises(BrowserError):
        live_session().attempt(FakePage(closed=True), fail)


def test_a_failed_step_once_the_browser_is_gone_ends_the_scan() -> None:
    with pytest.raises(BrowserError):
        session().attempt(FakePage(), fail)  # never launched: not running


def test_a_bug_in_a_step_is_not_mistaken_for_a_browser_error() -> None:
    def broken() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        live_session().attempt(FakePage(), broken)


def test_a_request_whose_page_went_away_while_routed_is_dropped_quietly() -> None:
    class GoneRoute(FakeRoute):
        def continue_(self) -> None:
            raise BrowserError("Target page, context or browser has been closed")

    running = session()
    running.route(GoneRoute("https://public.test/pixel.gif"))
    assert running.blocked == 0


def test_the_scanner_never_swallows_every_exception_nor_matches_class_names() -> None:
    for path in sorted(Path("handlers/scanner").glob("*.py")):
        text = path.read_text()
        assert "suppress(Exception)" not in text, path
        assert ").__name__ ==" not in text, path
        assert '__name__ == "TargetClosedError"' not in text, path
