"""Scanning the fixture site in Chromium: every vendor, their IDs and events, and when they fired.

Every third-party request is answered by the local vendor stubs; the resolver knows no real name.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from typing import Any

import pytest

from handlers.scanner.engine import PixelScanner
from handlers.scanner.result import ScanResult
from tests.scanner.conftest import TEST_NAMES, RecordingResolver, console_of_scan
from tests.scanner.fixture_site import FixtureSite
from tests.scanner.stub_server import self_signed_tls
from tests.scanner.vendor_stubs import is_vendor

pytestmark = pytest.mark.browser

SNAP_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"


@pytest.fixture(scope="module")
def all_vendors(scanner: PixelScanner, site: FixtureSite) -> ScanResult:
    return scanner.scan(site.url("/all.html"))


def pixel(result: ScanResult, vendor: str) -> dict[str, Any]:
    found = [p for p in result.pixels if p["vendor"] == vendor]
    assert found, f"{vendor} not detected; found {[p['vendor'] for p in result.pixels]}"
    return found[0]


def events(result: ScanResult, vendor: str) -> dict[str, str]:
    return {e["name"]: e["firstSeenStep"] for e in pixel(result, vendor)["events"]}


def test_the_scan_succeeds(all_vendors: ScanResult, site: FixtureSite) -> None:
    assert (all_vendors.error, all_vendors.partial) == (None, False)
    assert all_vendors.finalUrl == site.url("/all.html")
    assert all_vendors.durationMs > 0


@pytest.mark.parametrize(
    ("vendor", "ids"),
    [
        ("Meta Pixel", ["123456789012345"]),
        ("Google Analytics 4", ["G-TEST1234"]),
        ("Universal Analytics", ["UA-12345-1"]),
        ("Google Ads", ["987654321"]),
        ("Google Tag Manager", ["G-TEST1234", "GTM-ABC1234"]),
        ("TikTok Pixel", ["CTEST12345ABCDEFGHIJ"]),
        ("LinkedIn Insight Tag", ["1234567"]),
        ("X (Twitter) Pixel", ["o1x2y"]),
        ("Pinterest Tag", ["2612345678901"]),
        ("Snap Pixel", [SNAP_ID]),
        ("Microsoft UET", ["5123456"]),
        ("Hotjar", ["3456789"]),
        ("Microsoft Clarity", ["abcd1234ef"]),
        ("Reddit Pixel", ["a2_testpixel1"]),
    ],
)
def test_each_vendor_is_detected_with_its_ids(
    all_vendors: ScanResult, vendor: str, ids: list[str]
) -> None:
    assert sorted(pixel(all_vendors, vendor)["ids"]) == sorted(ids)


def test_page_load_events_are_attributed_to_the_load_step(all_vendors: ScanResult) -> None:
    assert events(all_vendors, "Meta Pixel")["PageView"] == "load"
    assert events(all_vendors, "Google Analytics 4")["page_view"] == "load"
    assert events(all_vendors, "Microsoft UET")["pageLoad"] == "load"
    assert pixel(all_vendors, "Meta Pixel")["firstSeenStep"] == "load"


def test_events_fired_on_scroll_are_attributed_to_the_scroll_step(all_vendors: ScanResult) -> None:
    assert events(all_vendors, "Google Analytics 4")["scroll_depth"] == "scroll"


def test_events_fired_by_a_call_to_action_name_the_click(all_vendors: ScanResult) -> None:
    step = "click:Book an appointment"
    assert events(all_vendors, "Meta Pixel")["Schedule"] == step
    assert events(all_vendors, "Google Analytics 4")["generate_lead"] == step
    assert events(all_vendors, "Google Ads")["conversion"] == step
    assert events(all_vendors, "TikTok Pixel")["Contact"] == step
    assert events(all_vendors, "Microsoft UET")["book_appointment"] == step
    assert events(all_vendors, "Reddit Pixel")["Lead"] == step


def test_evidence_is_at_most_five_request_urls(all_vendors: ScanResult) -> None:
    for found in all_vendors.pixels:
        assert 1 <= len(found["evidence"]) <= 5
        assert all(url.startswith(("http://", "https://")) for url in found["evidence"])


def test_third_party_domains_are_listed_with_their_owner(all_vendors: ScanResult) -> None:
    listed = {d["domain"]: d for d in all_vendors.thirdPartyDomains}
    assert listed["facebook.net"]["owner"] == "Facebook"
    assert listed["hotjar.com"]["entity"] == "Hotjar"
    assert "127.0.0.1" not in listed


def test_third_party_cookies_are_counted(all_vendors: ScanResult) -> None:
    assert all_vendors.thirdPartyCookies >= 5


def test_no_request_left_the_machine(
    all_vendors: ScanResult,
    resolver: RecordingResolver,
    vendor_requests: list[str],
    routed_hosts: list[str],
) -> None:
    assert vendor_requests, "the vendor stubs answered nothing"
    # Every vendor request was answered by a stub, none went on to the network...
    assert not [host for host in routed_hosts if is_vendor(host)]
    # ...and the resolver knows no vendor, so the egress proxy could not have reached one (it
    # may still be asked: Chromium opens speculative connections it never sends a request on).
    assert not [name for name in TEST_NAMES if is_vendor(name)]


def test_send_beacon_bodies_are_read(scanner: PixelScanner, site: FixtureSite) -> None:
    result = scanner.scan(site.url("/beacons.html"))
    assert pixel(result, "Snap Pixel")["ids"] == [SNAP_ID]  # form body in a Blob
    assert events(result, "Snap Pixel") == {"PAGE_VIEW": "load"}
    assert pixel(result, "TikTok Pixel")["ids"] == ["CTEST12345ABCDEFGHIJ"]  # JSON body
    assert events(result, "TikTok Pixel") == {"Pageview": "load"}
    # GA4 sends its scroll event and the engagement ping newline-batched in one beacon.
    assert events(result, "Google Analytics 4") == {
        "page_view": "load",
        "scroll_depth": "scroll",
        "user_engagement": "scroll",
    }


def test_pixels_that_fire_only_after_a_click_are_found(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/click.html"))
    assert events(result, "Meta Pixel") == {
        "PageView": "load",
        "Search": "click:Find a Doctor",
    }
    assert result.error is None


def test_personal_data_in_beacons_is_masked_in_the_evidence(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    text = json.dumps(scanner.scan(site.url("/pii.html")).to_dict())
    for personal in ("jane", "doe", "patient", "555%20010", "example.com"):
        assert personal not in text
    assert "[masked]" in text


def test_a_page_that_never_finishes_loading_returns_a_partial_result(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/hang.html"), timeout=3)
    assert (result.error, result.partial) == ("timeout", True)
    assert result.errorMessage == "The scan ran out of time; the result is partial"
    assert pixel(result, "Meta Pixel")["ids"] == ["123456789012345"]
    assert result.durationMs < 8000


def test_a_redirect_to_the_metadata_address_is_blocked(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/redirect-metadata"))
    assert result.error == "blocked_address"
    assert result.errorMessage == (
        f"{site.url('/redirect-metadata')} leads to a non-public address (a redirect was blocked)"
    )
    assert result.pixels == []


def test_a_subresource_redirected_to_the_metadata_address_is_blocked(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/subresource-redirect.html"))
    assert result.error is None
    assert result.blockedRequests >= 1


def test_a_subresource_on_a_name_resolving_privately_is_blocked(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/private-link.html"))
    assert (result.error, result.blockedRequests) == (None, 1)


def test_a_websocket_to_a_private_address_is_blocked(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/websocket.html"))
    assert result.error is None
    assert scanner.runtime.blocked_hosts == ["10.1.2.3"]


def test_service_workers_are_blocked(scanner: PixelScanner, site: FixtureSite) -> None:
    seen = console_of_scan(scanner, site.url("/service-worker.html"))
    assert "Service Worker registration blocked by Playwright" in seen
    assert "/service-worker.html" in site.served
    assert "/sw.js" not in site.served


def test_a_site_answering_5xx_is_a_navigation_failure(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/status/500"))
    assert result.error == "navigation_failed"
    assert (
        result.errorMessage
        == f"Could not load {site.url('/status/500')}: the site answered HTTP 500"
    )


def test_a_refused_connection_is_a_navigation_failure(scanner: PixelScanner) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = scanner.scan(f"http://127.0.0.1:{port}/")
    assert result.error == "navigation_failed"
    assert result.errorMessage == (
        f"Could not load http://127.0.0.1:{port}/: the site could not be reached"
    )


def test_redirects_within_the_site_are_followed(scanner: PixelScanner, site: FixtureSite) -> None:
    result = scanner.scan(site.url("/redirect-home"))
    assert result.finalUrl == site.url("/click.html")
    assert pixel(result, "Meta Pixel")["ids"] == ["123456789012345"]


@pytest.fixture(scope="module")
def untrusted_tls_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An https server on 127.0.0.1 with a self-signed certificate no browser trusts."""
    tls = self_signed_tls(tmp_path_factory.mktemp("tls"), name="127.0.0.1")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_an_untrusted_tls_certificate_is_a_navigation_failure(
    scanner: PixelScanner, untrusted_tls_site: str
) -> None:
    result = scanner.scan(untrusted_tls_site)
    assert result.error == "navigation_failed"
    assert result.errorMessage == (
        f"Could not load {untrusted_tls_site}: its TLS certificate is not trusted"
    )


def test_a_clean_page_gets_no_report_of_any_kind(scanner: PixelScanner, site: FixtureSite) -> None:
    # A form the scanner types into, a chart drawn on a canvas, a button: and no third party.
    result = scanner.scan(site.url("/clean.html"))
    assert result.error is None
    for name in (
        "pixels", "fingerprinting", "keyLogging", "sessionRecorders", "leaks",
        "thirdPartyDomains", "cookies",
    ):  # fmt: skip
        assert getattr(result, name) == [], name
    assert (result.thirdPartyCookies, result.blockedRequests) == (0, 0)
    assert "/submitted" not in site.served
