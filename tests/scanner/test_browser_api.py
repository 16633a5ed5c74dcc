"""POST /scan end to end: the Lambda handler driving the real browser against the fixture site."""

from __future__ import annotations

import json
from typing import Any

import pytest

from handlers.scanner.engine import PixelScanner
from tests.scanner.conftest import API_KEY, configure_api
from tests.scanner.fixture_site import FixtureSite
from tests.support.events import http_v2

pytestmark = pytest.mark.browser


@pytest.fixture
def live(api: Any, scanner: PixelScanner) -> Any:
    api.app.override(api.scanner, scanner)
    return api


def post(api: Any, body: dict) -> tuple[int, dict]:
    event = http_v2("POST", "/scan", body=body, headers={"x-api-key": API_KEY})
    response = api.lambda_handler(event, None)
    return response["statusCode"], json.loads(response["body"])


def test_a_scan_request_returns_every_pixel_and_is_then_cached(
    live: Any, site: FixtureSite
) -> None:
    status, body = post(live, {"url": site.url("/five.html")})
    assert status == 200
    assert {p["vendor"] for p in body["pixels"]} == {
        "Meta Pixel",
        "Google Analytics 4",
        "Google Ads",
        "Google Tag Manager",
        "TikTok Pixel",
        "LinkedIn Insight Tag",
        "Pinterest Tag",
    }
    assert (body["cached"], body["error"], body["partial"]) == (False, None, False)
    status, again = post(live, {"url": site.url("/five.html")})
    assert (status, again["cached"], again["scannedAt"]) == (200, True, body["scannedAt"])


def test_a_scan_that_runs_out_of_time_is_504_with_the_partial_result(
    live: Any, scanner: PixelScanner, site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure_api(monkeypatch, SCAN_TIMEOUT="5")
    live.app.reset()
    live.app.override(live.scanner, scanner)
    status, body = post(live, {"url": site.url("/hang.html"), "fresh": True})
    assert status == 504
    assert body["error"] == "The scan ran out of time; the result is partial"
    assert body["result"]["partial"] is True
    assert [p["vendor"] for p in body["result"]["pixels"]] == ["Meta Pixel"]


def test_a_redirect_to_the_metadata_address_is_400(live: Any, site: FixtureSite) -> None:
    status, body = post(live, {"url": site.url("/redirect-metadata")})
    assert status == 400
    assert body["error"] == (
        f"{site.url('/redirect-metadata')} leads to a non-public address (a redirect was blocked)"
    )


def test_a_site_answering_500_is_502(live: Any, site: FixtureSite) -> None:
    status, body = post(live, {"url": site.url("/status/500")})
    assert status == 502
    assert body["error"] == f"Could not load {site.url('/status/500')}: the site answered HTTP 500"


def test_the_response_carries_every_report_field(live: Any, site: FixtureSite) -> None:
    status, body = post(live, {"url": site.url("/clinic/"), "pages": 2, "fresh": True})
    assert status == 200
    assert [len(body["pagesVisited"]), body["error"]] == [2, None]
    assert {f["kind"] for f in body["fingerprinting"]} == {"canvas"}
    assert {k["domain"] for k in body["keyLogging"]} >= {"facebook.com", "formspy.example"}
    assert {r["vendor"] for r in body["sessionRecorders"]} == {"Hotjar", "Microsoft Clarity"}
    assert {"url", "title", "identifier"} <= {leak["kind"] for leak in body["leaks"]}
    assert body["thirdPartyCookies"] == len(body["cookies"]) > 0
