"""Evidence URLs never repeat personal data."""

from __future__ import annotations

import pytest

from handlers.scanner.masking import MASK, mask_url


@pytest.mark.parametrize(
    ("url", "kept", "gone"),
    [
        (
            "https://www.facebook.com/tr/?id=1&ev=PageView&ud[em]=jane%40x.org",
            "ev=PageView",
            "jane",
        ),
        (
            "https://www.facebook.com/tr/?id=1&em=5e884898da28047151d0e56f8dc6292773603d0d6",
            "id=1",
            "5e88",
        ),
        ("https://ct.pinterest.com/v3/?tid=1&pd[em]=a@b.co", "tid=1", "a@b.co"),
        ("https://t.example/?fn=jane&ln=doe", "fn=", "jane"),
        ("https://t.example/?contact=jane.doe%40example.com", "contact=", "jane.doe"),
        ("https://t.example/?q=%2B1%20555%20010%209999", "q=", "555"),
        ("https://t.example/?udff[ph]=15550109999", "udff", "1555"),
    ],
)
def test_personal_values_are_masked(url: str, kept: str, gone: str) -> None:
    masked = mask_url(url)
    assert kept in masked
    assert gone not in masked
    assert MASK in masked


def test_ids_timestamps_and_event_names_are_kept() -> None:
    url = "https://www.facebook.com/tr/?id=123456789012345&ev=Schedule&ts=1700000000000"
    assert mask_url(url) == url


def test_emails_in_the_path_are_masked() -> None:
    assert "jane" not in mask_url("https://t.example/u/jane@example.org/pixel.gif")


def test_long_evidence_is_truncated() -> None:
    assert len(mask_url("https://t.example/?x=" + "a" * 2000)) <= 512
