"""Each vendor is recognised by its script loads and beacons, with IDs and events extracted."""

from __future__ import annotations

import json

import pytest

from handlers.scanner.signatures import VENDORS, match


def only(url: str, body: bytes | None = None) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    hits = match(url, body)
    assert len(hits) == 1, hits
    return hits[0].vendor, hits[0].ids, hits[0].events


@pytest.mark.parametrize(
    ("url", "vendor", "ids", "events"),
    [
        ("https://connect.facebook.net/en_US/fbevents.js", "Meta Pixel", (), ()),
        ("https://connect.facebook.net/signals/config/1234567?v=2", "Meta Pixel", ("1234567",), ()),
        ("https://www.facebook.com/tr/?id=42&ev=PageView", "Meta Pixel", ("42",), ("PageView",)),
        ("https://www.facebook.com/tr?id=42&ev=Schedule", "Meta Pixel", ("42",), ("Schedule",)),
        (
            "https://region1.google-analytics.com/g/collect?v=2&tid=G-AB12&en=page_view",
            "Google Analytics 4",
            ("G-AB12",),
            ("page_view",),
        ),
        (
            "https://www.google-analytics.com/collect?v=1&tid=UA-1-2&t=event&ea=book",
            "Universal Analytics",
            ("UA-1-2",),
            ("event", "book"),
        ),
        ("https://www.google-analytics.com/analytics.js", "Universal Analytics", (), ()),
        (
            "https://www.googletagmanager.com/gtm.js?id=GTM-XYZ",
            "Google Tag Manager",
            ("GTM-XYZ",),
            (),
        ),
        (
            "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987/?random=1",
            "Google Ads",
            ("987",),
            ("remarketing",),
        ),
        (
            "https://www.googleadservices.com/pagead/conversion/987/?label=abc&en=purchase",
            "Google Ads",
            ("987",),
            ("conversion", "purchase"),
        ),
        (
            "https://ad.doubleclick.net/activity;src=123;type=sales;cat=book;ord=1",
            "Google Ads",
            ("123",),
            ("floodlight", "sales", "book"),
        ),
        (
            "https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=CABC&lib=ttq",
            "TikTok Pixel",
            ("CABC",),
            (),
        ),
        (
            "https://px.ads.linkedin.com/collect?v=2&pid=1234&conversionId=77",
            "LinkedIn Insight Tag",
            ("1234",),
            ("77",),
        ),
        (
            "https://analytics.twitter.com/i/adsct?txn_id=o1x&events=%5B%5B%22pageview%22%2C%7B%7D%5D%5D",
            "X (Twitter) Pixel",
            ("o1x",),
            ("pageview",),
        ),
        (
            "https://ct.pinterest.com/v3/?tid=26&event=checkout",
            "Pinterest Tag",
            ("26",),
            ("checkout",),
        ),
        ("https://sc-static.net/scevent.min.js", "Snap Pixel", (), ()),
        (
            "https://bat.bing.com/action/0?ti=512&evt=custom&ea=book_appointment",
            "Microsoft UET",
            ("512",),
            ("book_appointment",),
        ),
        ("https://static.hotjar.com/c/hotjar-345.js?sv=6", "Hotjar", ("345",), ()),
        (
            "https://in.hotjar.com/api/v2/client/sites/345/visit-data?sv=6",
            "Hotjar",
            ("345",),
            (),
        ),
        ("https://www.clarity.ms/tag/abcd1234", "Microsoft Clarity", ("abcd1234",), ()),
        ("https://e.clarity.ms/collect", "Microsoft Clarity", (), ()),
        (
            "https://alb.reddit.com/rp.gif?id=a2_x&event=PageVisit",
            "Reddit Pixel",
            ("a2_x",),
            ("PageVisit",),
        ),
        ("https://www.redditstatic.com/ads/pixel.js", "Reddit Pixel", (), ()),
    ],
)
def test_vendor_requests_are_recognised(
    url: str, vendor: str, ids: tuple[str, ...], events: tuple[str, ...]
) -> None:
    assert only(url) == (vendor, ids, events)


def test_gtag_loaded_with_a_ga4_id_counts_as_tag_manager_and_ga4() -> None:
    hits = match("https://www.googletagmanager.com/gtag/js?id=G-TEST1")
    assert {(h.vendor, h.ids) for h in hits} == {
        ("Google Tag Manager", ("G-TEST1",)),
        ("Google Analytics 4", ("G-TEST1",)),
    }


def test_gtag_loaded_with_an_ads_id_counts_as_google_ads() -> None:
    vendors = {h.vendor for h in match("https://www.googletagmanager.com/gtag/js?id=AW-123")}
    assert vendors == {"Google Tag Manager", "Google Ads"}


def test_form_bodies_are_read() -> None:
    body = b"pid=aaaa-1111&ev=PAGE_VIEW&v=1.0"
    assert only("https://tr.snapchat.com/p", body) == ("Snap Pixel", ("aaaa-1111",), ("PAGE_VIEW",))


def test_json_bodies_are_read_including_nested_ids() -> None:
    body = json.dumps({"event": "Contact", "context": {"pixel": {"code": "CTEST"}}}).encode()
    assert only("https://analytics.tiktok.com/api/v2/pixel", body) == (
        "TikTok Pixel",
        ("CTEST",),
        ("Contact",),
    )


def test_json_batches_yield_every_event() -> None:
    body = json.dumps(
        {
            "batch": [
                {"event": "Pageview", "pixel_code": "C1"},
                {"event": "Search", "pixel_code": "C1"},
            ]
        }
    ).encode()
    assert only("https://analytics.tiktok.com/api/v2/pixel/batch", body) == (
        "TikTok Pixel",
        ("C1",),
        ("Pageview", "Search"),
    )


def test_ga4_newline_batched_events_are_each_read() -> None:
    body = (
        b"en=scroll&epn.percent_scrolled=90\n"
        b"en=generate_lead&ep.label=cardiology\n"
        b"en=user_engagement"
    )
    url = "https://region1.google-analytics.com/g/collect?v=2&tid=G-ZZ9"
    assert only(url, body) == (
        "Google Analytics 4",
        ("G-ZZ9",),
        ("scroll", "generate_lead", "user_engagement"),
    )


def test_binary_bodies_are_ignored_not_fatal() -> None:
    assert (
        only("https://e.clarity.ms/collect", bytes([31, 139, 8, 0, 255]))[0] == "Microsoft Clarity"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tr?id=1&ev=PageView",
        "https://www.facebook.com/profile.php?id=4",
        "https://fonts.googleapis.com/css2?family=Inter",
        "https://www.google.com/maps",
        "https://notfacebook.com/tr?id=1",
    ],
)
def test_unrelated_requests_match_nothing(url: str) -> None:
    assert match(url) == []


def test_at_least_the_required_vendors_have_signatures() -> None:
    assert set(VENDORS) >= {
        "Meta Pixel",
        "Google Analytics 4",
        "Universal Analytics",
        "Google Ads",
        "Google Tag Manager",
        "TikTok Pixel",
        "LinkedIn Insight Tag",
        "X (Twitter) Pixel",
        "Pinterest Tag",
        "Snap Pixel",
        "Microsoft UET",
        "Hotjar",
        "Microsoft Clarity",
        "Reddit Pixel",
    }
