"""POST /scan through the Lambda handler: auth, limits, validation, cache, statuses, metrics."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from handlers.scanner.engine import PixelScanner
from handlers.scanner.result import ScanResult
from tests.scanner.conftest import API_KEY, RecordingResolver, configure_api
from tests.support.events import http_v2

GOOD = {"x-api-key": API_KEY}


@dataclass
class FakeRuntime:
    launches: int = 0


@dataclass
class FakeScanner:
    """Stands in for the browser: returns a prepared result and records each call."""

    outcome: dict[str, Any] = field(default_factory=dict)
    calls: list[tuple[str, float]] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    runtime: FakeRuntime = field(default_factory=FakeRuntime)

    def scan(self, target: Any, timeout: float, pages: int = 1) -> ScanResult:
        self.calls.append((target.url, timeout))
        self.pages.append(pages)
        self.runtime.launches = 1
        return ScanResult(
            domain=target.host,
            url=target.url,
            finalUrl=target.url,
            scannedAt="2026-01-01T00:00:00Z",
            durationMs=1200,
            pixels=[{"vendor": "Meta Pixel", "ids": ["1"], "events": []}],
            **self.outcome,
        )


@dataclass
class FakeContext:
    remaining_ms: int

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def call(api: Any, body: Any = None, headers: dict | None = None, context: Any = None) -> tuple:
    event = http_v2("POST", "/scan", body=body, headers=GOOD if headers is None else headers)
    response = api.lambda_handler(event, context)
    return response["statusCode"], json.loads(response["body"] or "null"), response["headers"]


@pytest.fixture
def fake(api: Any) -> FakeScanner:
    scanner = FakeScanner()
    api.app.override(api.scanner, scanner)
    return scanner


def test_a_scan_returns_the_result(api: Any, fake: FakeScanner) -> None:
    status, body, _ = call(api, {"domain": "example.org"})
    assert status == 200
    assert body["domain"] == "example.org"
    assert body["pixels"][0]["vendor"] == "Meta Pixel"
    assert body["cached"] is False
    assert fake.calls == [("https://example.org/", 270.0)]


def test_a_second_scan_within_the_hour_comes_from_the_cache(api: Any, fake: FakeScanner) -> None:
    call(api, {"domain": "example.org"})
    status, body, _ = call(api, {"domain": "example.org"})
    assert (status, body["cached"], len(fake.calls)) == (200, True, 1)


def test_fresh_skips_the_cache(api: Any, fake: FakeScanner) -> None:
    call(api, {"domain": "example.org"})
    status, body, _ = call(api, {"domain": "example.org", "fresh": True})
    assert (status, body["cached"], len(fake.calls)) == (200, False, 2)


def test_the_cache_outlives_a_container(api: Any, fake: FakeScanner) -> None:
    call(api, {"url": "https://example.org/book"})
    api.cache().clear_memory()
    status, body, _ = call(api, {"url": "https://example.org/book"})
    assert (status, body["cached"], len(fake.calls)) == (200, True, 1)


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong"}, {"x-api-key": ""}])
def test_a_missing_or_wrong_api_key_is_401(api: Any, fake: FakeScanner, headers: dict) -> None:
    status, body, _ = call(api, {"domain": "example.org"}, headers=headers)
    assert status == 401
    assert body == {"error": "Missing or invalid API key", "requestId": "req-1"}
    assert fake.calls == []


def test_with_no_api_key_configured_the_scanner_refuses_everyone(
    api: Any, fake: FakeScanner, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    configure_api(monkeypatch, SCANNER_API_KEY="")
    api.app.reset()
    api.app.override(api.scanner, fake)
    status, body, _ = call(api, {"domain": "example.org"}, headers={"x-api-key": ""})
    assert (status, body["error"]) == (401, "Missing or invalid API key")
    assert "no API key configured" in capsys.readouterr().out


def test_in_aws_the_key_comes_from_the_ssm_secure_string(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3.client("ssm").put_parameter(Name="/pixel/key", Value="ssm-key", Type="SecureString")
    configure_api(monkeypatch, SCANNER_API_KEY_PARAM="/pixel/key", SCANNER_API_KEY="")
    api.app.reset()
    api.app.override(api.scanner, FakeScanner())
    assert call(api, {"domain": "example.org"}, headers={"x-api-key": "ssm-key"})[0] == 200
    assert call(api, {"domain": "example.org"}, headers={"x-api-key": API_KEY})[0] == 401


def test_requests_beyond_the_per_ip_limit_get_429_with_retry_after(
    api: Any, fake: FakeScanner
) -> None:
    for _ in range(3):
        assert call(api, {"domain": "example.org"})[0] == 200
    status, body, headers = call(api, {"domain": "example.org"})
    assert (status, body["error"]) == (429, "Too many requests from this address")
    assert int(headers["Retry-After"]) > 0


def test_wrong_key_requests_count_toward_the_limit(api: Any, fake: FakeScanner) -> None:
    for _ in range(3):
        assert call(api, {"domain": "example.org"}, headers={"x-api-key": "guess"})[0] == 401
    status, body, headers = call(api, {"domain": "example.org"}, headers={"x-api-key": "guess"})
    assert status == 429
    assert body == {"error": "Too many requests from this address", "requestId": "req-1"}
    assert int(headers["Retry-After"]) > 0
    assert fake.calls == []


def test_after_the_limit_even_the_right_key_gets_429(api: Any, fake: FakeScanner) -> None:
    for _ in range(3):
        call(api, {"domain": "example.org"}, headers={})
    status, body, headers = call(api, {"domain": "example.org"})
    assert status == 429
    assert body == {"error": "Too many requests from this address", "requestId": "req-1"}
    assert int(headers["Retry-After"]) > 0
    assert fake.calls == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not json", "Request body is not valid JSON"),
        ("", "Request body must be a JSON object"),
        ('["example.org"]', "Request body must be a JSON object"),
        ('{"domain": "example.org", "fresh": "yes"}', '"fresh" must be true or false'),
        ('{"url": "ftp://example.org/"}', "only http and https urls can be scanned"),
        ('{"url": "https://u:p@example.org/"}', "urls with credentials are not allowed"),
        ('{"domain": "bad_-.-org"}', "the host is not a valid domain name"),
        ('{"site": "example.org"}', 'give exactly one of "domain" or "url"'),
    ],
)
def test_bad_bodies_get_400_with_a_clear_message(
    api: Any, fake: FakeScanner, raw: str, message: str
) -> None:
    status, body, _ = call(api, raw)
    assert status == 400
    assert body == {"error": message, "requestId": "req-1"}


def test_an_oversized_body_is_413(api: Any, fake: FakeScanner) -> None:
    status, body, _ = call(api, {"url": "https://example.org/?" + "a" * 20_000})
    assert (status, body["error"]) == (413, "Request body exceeds 16384 bytes")


@pytest.fixture
def real(api: Any) -> PixelScanner:
    """The real engine with a test resolver: address checks happen before any browser starts."""
    scanner = PixelScanner(resolver=RecordingResolver())
    api.app.override(api.scanner, scanner)
    yield scanner
    scanner.close()


@pytest.mark.parametrize(
    ("body", "host"),
    [
        ({"url": "http://0x7f000001/"}, "127.0.0.1"),
        ({"url": "http://2130706433/"}, "127.0.0.1"),
        ({"url": "http://[::ffff:169.254.169.254]/"}, "[::ffff:a9fe:a9fe]"),
        ({"domain": "internal.test"}, "internal.test"),
        ({"domain": "mixed.test"}, "mixed.test"),
    ],
)
def test_targets_leading_to_private_addresses_get_400(
    api: Any, real: PixelScanner, body: dict, host: str
) -> None:
    status, response, _ = call(api, body)
    assert status == 400
    assert response == {"error": f"{host} leads to a non-public address", "requestId": "req-1"}
    assert real.runtime.launches == 0


def test_a_name_that_does_not_resolve_gets_502(api: Any, real: PixelScanner) -> None:
    status, body, _ = call(api, {"domain": "nowhere.test"})
    assert status == 502
    assert body == {
        "error": "Could not load https://nowhere.test/: the name does not resolve",
        "requestId": "req-1",
    }


def test_a_navigation_failure_gets_502_with_a_plain_message(api: Any, fake: FakeScanner) -> None:
    fake.outcome = {
        "error": "navigation_failed",
        "errorMessage": "Could not load https://example.org/: the site answered HTTP 503",
    }
    status, body, _ = call(api, {"domain": "example.org"})
    assert status == 502
    assert body == {
        "error": "Could not load https://example.org/: the site answered HTTP 503",
        "requestId": "req-1",
    }


def test_a_timeout_gets_504_with_the_partial_result(api: Any, fake: FakeScanner) -> None:
    fake.outcome = {"error": "timeout", "errorMessage": "The scan ran out of time", "partial": True}
    status, body, _ = call(api, {"domain": "example.org"})
    assert status == 504
    assert body["error"] == "The scan ran out of time"
    assert body["requestId"] == "req-1"
    assert body["result"]["partial"] is True
    assert body["result"]["pixels"][0]["vendor"] == "Meta Pixel"


def test_failed_scans_are_not_cached(api: Any, fake: FakeScanner) -> None:
    fake.outcome = {"error": "timeout", "errorMessage": "slow", "partial": True}
    call(api, {"domain": "example.org"})
    fake.outcome = {}
    assert call(api, {"domain": "example.org"})[1]["cached"] is False


def test_the_budget_leaves_twenty_seconds_of_the_invocation(api: Any, fake: FakeScanner) -> None:
    call(api, {"domain": "example.org"}, context=FakeContext(remaining_ms=100_000))
    assert fake.calls[0][1] == 80.0


def test_the_budget_never_exceeds_scan_timeout(api: Any, fake: FakeScanner) -> None:
    call(api, {"domain": "example.org"}, context=FakeContext(remaining_ms=900_000))
    assert fake.calls[0][1] == 270.0


def test_too_little_time_left_gets_504_without_scanning(api: Any, fake: FakeScanner) -> None:
    status, body, _ = call(api, {"domain": "example.org"}, context=FakeContext(remaining_ms=21_000))
    assert status == 504
    assert body == {
        "error": "Not enough time left in this invocation to scan",
        "requestId": "req-1",
    }
    assert fake.calls == []


def emf_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if '"scan_complete"' in line]


def test_each_scan_emits_a_scan_complete_metric(
    api: Any, fake: FakeScanner, capsys: pytest.CaptureFixture
) -> None:
    call(api, {"domain": "example.org"})
    call(api, {"domain": "example.org"})
    first, second = emf_lines(capsys.readouterr().out)
    assert (first["ScanDuration"], first["PixelsFound"], first["ColdStart"]) == (1200, 1, 1)
    assert (second["ColdStart"], second["cached"]) == (0, True)
    names = {m["Name"] for m in first["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert names == {"ScanDuration", "PixelsFound", "ColdStart"}


def test_the_routes_are_post_scan_and_the_batch_routes(api: Any) -> None:
    assert api.app.routes == [
        ("GET", "/scans/{batchId}"),
        ("GET", "/scans/{batchId}/results.csv"),
        ("GET", "/scans/{batchId}/results.json"),
        ("POST", "/scan"),
        ("POST", "/scans"),
    ]


def test_a_browser_that_fails_gets_500_with_a_plain_message(api: Any, fake: FakeScanner) -> None:
    fake.outcome = {"error": "browser_failed", "errorMessage": "The browser could not be started"}
    status, body, _ = call(api, {"domain": "example.org"})
    assert status == 500
    assert body == {"error": "The browser could not be started", "requestId": "req-1"}


def test_a_browser_dying_mid_scan_gets_500_with_the_partial_result(
    api: Any, fake: FakeScanner
) -> None:
    fake.outcome = {
        "error": "browser_failed",
        "errorMessage": "The browser stopped during the scan; the result is partial",
        "partial": True,
    }
    status, body, _ = call(api, {"domain": "example.org"})
    assert status == 500
    assert body["error"] == "The browser stopped during the scan; the result is partial"
    assert body["result"]["partial"] is True


def test_pages_defaults_to_one(api: Any, fake: FakeScanner) -> None:
    call(api, {"domain": "example.org"})
    assert fake.pages == [1]


@pytest.mark.parametrize("pages", [1, 2, 3])
def test_pages_from_one_to_three_are_passed_to_the_scanner(
    api: Any, fake: FakeScanner, pages: int
) -> None:
    assert call(api, {"domain": "example.org", "pages": pages})[0] == 200
    assert fake.pages == [pages]


@pytest.mark.parametrize("pages", [0, 4, -1, 1.5, "2", True, None, [2]])
def test_pages_outside_one_to_three_get_400(api: Any, fake: FakeScanner, pages: Any) -> None:
    status, body, _ = call(api, {"domain": "example.org", "pages": pages})
    assert status == 400
    assert body == {"error": '"pages" must be an integer from 1 to 3', "requestId": "req-1"}
    assert fake.calls == []


def test_a_scan_of_more_pages_is_cached_apart_from_a_one_page_scan(
    api: Any, fake: FakeScanner
) -> None:
    call(api, {"domain": "example.org"})
    status, body, _ = call(api, {"domain": "example.org", "pages": 3})
    assert (status, body["cached"], fake.pages) == (200, False, [1, 3])
    status, body, _ = call(api, {"domain": "example.org", "pages": 3})
    assert (status, body["cached"], fake.pages) == (200, True, [1, 3])


def test_the_openapi_document_declares_pages_and_every_result_field(api: Any) -> None:
    from handlers.core.openapi import document

    operation = document(api.app.router.routes, "t", "1")["paths"]["/scan"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["pages"] == {**body["properties"]["pages"], "type": "integer",
                                           "minimum": 1, "maximum": 3, "default": 1}  # fmt: skip
    result = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"fingerprinting", "keyLogging", "sessionRecorders", "leaks", "cookies",
            "thirdPartyCookies", "pagesVisited"} <= set(result["required"])  # fmt: skip


def test_a_result_cached_before_the_new_fields_gets_their_defaults(
    api: Any, fake: FakeScanner
) -> None:
    old = {"domain": "example.org", "url": "https://example.org/", "pixels": [], "error": None}
    api.cache().put("example.org", old)
    status, body, _ = call(api, {"domain": "example.org"})
    assert (status, body["cached"], body["leaks"], body["cookies"]) == (200, True, [], [])
    assert fake.calls == []
