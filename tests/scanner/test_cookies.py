"""Third-party cookies: listed by domain, name and expiry, with the response that set them, and
accepted as a normal Chrome window accepts them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from handlers.scanner.cookies import CookieLog
from handlers.scanner.engine import PixelScanner
from tests.scanner.fixture_site import TRACKER_COOKIE, FixtureSite, running_site


def third_party(host: str) -> bool:
    return not host.endswith("clinic.example")


def test_a_cookie_is_traced_to_the_response_whose_set_cookie_set_it() -> None:
    log = CookieLog()
    log.on_request({"requestId": "1", "request": {"url": "https://px.tracker.example/p.gif"}})
    log.on_response_headers(
        {"requestId": "1", "headers": {"set-cookie": "uid=9; Domain=tracker.example\nsid=2"}}
    )
    cookies = [
        {"domain": ".tracker.example", "name": "uid", "expires": 1_800_000_000},
        {"domain": "px.tracker.example", "name": "sid", "expires": -1},
        {"domain": "cdn.other.example", "name": "uid", "expires": -1},
        {"domain": "www.clinic.example", "name": "session", "expires": -1},
    ]
    assert log.listing(cookies, third_party) == [
        {"domain": "cdn.other.example", "name": "uid", "expires": None, "setBy": None},
        {"domain": "px.tracker.example", "name": "sid", "expires": None,
         "setBy": "https://px.tracker.example/p.gif"},
        {"domain": "tracker.example", "name": "uid", "expires": "2027-01-15T08:00:00Z",
         "setBy": "https://px.tracker.example/p.gif"},
    ]  # fmt: skip


def test_a_url_seen_only_in_the_response_still_names_the_setter() -> None:
    log = CookieLog()
    log.on_response_headers({"requestId": "7", "headers": {"Set-Cookie": "a=1"}})
    log.on_response({"requestId": "7", "response": {"url": "https://t.example/x"}})
    [cookie] = log.listing([{"domain": "t.example", "name": "a", "expires": 0}], third_party)
    assert cookie["setBy"] == "https://t.example/x"


def test_malformed_events_are_ignored() -> None:
    log = CookieLog()
    log.on_request({"requestId": 3})
    log.on_response_headers({"requestId": "3", "headers": "set-cookie: x"})
    assert log.listing([], third_party) == []


@pytest.fixture(scope="module")
def tracker() -> Iterator[FixtureSite]:
    """A real third party on another loopback address, so its Set-Cookie goes through Chromium's
    network stack (the Playwright-routed vendor stubs do not report raw headers)."""
    with running_site("127.0.0.2") as running:
        yield running


@pytest.mark.browser
def test_a_third_party_cookie_is_accepted_and_listed_with_its_setter(
    scanner: PixelScanner, site: FixtureSite, tracker: FixtureSite
) -> None:
    result = scanner.scan(site.url(f"/third-party-cookie.html?port={tracker.port}"))
    name = TRACKER_COOKIE.split("=")[0]
    [cookie] = [c for c in result.cookies if c["name"] == name]
    assert cookie["domain"] == "127.0.0.2"
    assert cookie["setBy"] == tracker.url("/px.gif")
    assert cookie["expires"] is not None and cookie["expires"].endswith("Z")
    assert result.thirdPartyCookies == len(result.cookies)
    assert scanner.runtime.third_party_cookies is True


@pytest.mark.browser
def test_vendor_cookies_are_listed_by_domain(scanner: PixelScanner, site: FixtureSite) -> None:
    result = scanner.scan(site.url("/five.html"))
    domains = {c["domain"] for c in result.cookies}
    assert {"www.facebook.com", "region1.google-analytics.com"} <= domains
    assert all(c["name"] == "vendor_uid" and c["expires"] is None for c in result.cookies)
