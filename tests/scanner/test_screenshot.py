"""The screenshot a scan takes when asked: a PNG of the first page's viewport, kept out of JSON."""

from __future__ import annotations

import struct

import pytest

from handlers.scanner.engine import PixelScanner
from handlers.scanner.result import ScanResult
from tests.scanner.fixture_site import FixtureSite

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, which the format puts first."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def with_screenshot(scanner: PixelScanner, site: FixtureSite) -> ScanResult:
    # Every fixture page is 4000 px tall: a full-page capture would be far taller than the viewport.
    return scanner.scan(site.url("/plain.html"), screenshot=True)


def test_a_scan_asked_for_a_screenshot_carries_a_png_of_the_viewport(
    with_screenshot: ScanResult,
) -> None:
    assert with_screenshot.error is None
    assert png_size(with_screenshot.screenshot or b"") == (1366, 900)


def test_the_screenshot_stays_out_of_the_result_json(with_screenshot: ScanResult) -> None:
    data = with_screenshot.to_dict()
    assert "screenshot" not in data
    assert ScanResult.from_dict({**data, "screenshot": b"x"}).screenshot is None


def test_a_scan_takes_no_screenshot_unless_asked(scanner: PixelScanner, site: FixtureSite) -> None:
    assert scanner.scan(site.url("/plain.html")).screenshot is None


def test_a_site_that_does_not_load_has_no_screenshot(scanner: PixelScanner) -> None:
    result = scanner.scan("http://127.0.0.1:9/", screenshot=True, timeout=10)
    assert result.error == "navigation_failed"
    assert result.screenshot is None
