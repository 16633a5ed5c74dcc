"""Each vendor is recognised by its script loads and beacons, with IDs and events extracted."""

from __future__ import annotations

import json

import pytest

from handlers.scanner.signatures import VENDORS, match

SNAP_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
TIKTOK = "CTEST12345ABCDEFGHIJ"


def only(url: str, body: bytes | None = None) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    hits = match(url, body)
    assert len(hits) == 1, hits
    return hits[0].vendor, hits[0].ids, hits[0].events


@pytest.mark.parametrize(
    ("url", "vendor", "ids", "events"),
    [
        ("https://connect.facebook.net/en_US/fbevents.js", "Meta Pixel", (), ()),
        (
            "https://connect.facebook.net/signals/config/123456789012345?v=2.9.1",
            "Meta Pixel",
            ("123456789012345",),
            (),
        ),
        (
            "https://www.facebook.com/tr/?id=123456789012345&ev=PageView",
            "Meta Pixel",
            ("123456789012345",),
            ("PageView",),
        ),
        (
            "https://www.facebook.com/tr?id=1234567890123456&ev=Schedule",
            "Meta Pixel",
            ("1234567890123456",),
            ("Schedule",),
        ),
        (
            "https://region1.google-analytics.com/g/collect?v=2&tid=G-AB12CD&en=page_view",
            "Google Analytics 4",
            ("G-AB12CD",),
            ("page_view",),
        ),
        (
            "https://www.google-analytics.com/collect?v=1&tid=UA-12345-2&t=event&ea=book",
            "Universal Analytics",
            ("UA-12345-2",),
            ("event", "book"),
        ),
        ("https://www.google-analytics.com/analytics.js", "Universal Analytics", (), ()),
        (
            "https://www.googletagmanager.com/gtm.js?id=GTM-XYZ123",
            "Google Tag Manager",
            ("GTM-XYZ123",),
            (),
        ),
        (
            "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654321/?random=1",
            "Google Ads",
            ("987654321",),
            ("remarketing",),
        ),
        (
            "https://www.googleadservices.com/pagead/conversion/987654321/?label=abc&en=purchase",
            "Google Ads",
            ("987654321",),
            ("conversion", "purchase"),
        ),
        (
            "https://ad.doubleclick.net/activity;src=1234567;type=sales;cat=book;ord=1",
            "Google Ads",
            ("1234567",),
            ("floodlight", "sales", "book"),
        ),
        (
            "https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=CTEST12345ABCDEFGHIJ&lib=ttq",
            "TikTok Pixel",
            ("CTEST12345ABCDEFGHIJ",),
            (),
        ),
        (
            "https://px.ads.linkedin.com/collect?v=2&pid=1234&conversionId=77",
            "LinkedIn Insight Tag",
            ("1234",),
            ("77",),
        ),
        (
            "https://analytics.twitter.com/i/adsct?txn_id=o1x2y&events=%5B%5B%22pageview%22%2C%7B%7D%5D%5D",
            "X (Twitter) Pixel",
            ("o1x2y",),
            ("pageview",),
        ),
        (
            "https://ct.pinterest.com/v3/?tid=2612345678901&event=checkout",
            "Pinterest Tag",
            ("2612345678901",),
            ("checkout",),
        ),
        ("https://sc-static.net/scevent.min.js", "Snap Pixel", (), ()),
        (
            "https://bat.bing.com/action/0?ti=512&evt=custom&ea=book_appointment",
            "Microsoft UET",
            ("512",),
            ("book_appointment",),
        ),
        ("https://static.hotjar.com/c/hotjar-3456789.js?sv=6", "Hotjar", ("3456789",), ()),
        (
            "https://in.hotjar.com/api/v2/client/sites/3456789/visit-data?sv=6",
            "Hotjar",
            ("3456789",),
            (),
        ),
        ("https://www.clarity.ms/tag/abcd1234ef", "Microsoft Clarity", ("abcd1234ef",), ()),
        ("https://e.clarity.ms/collect", "Microsoft Clarity", (), ()),
        (
            "https://alb.reddit.com/rp.gif?id=a2_xyz123&event=PageVisit",
            "Reddit Pixel",
            ("a2_xyz123",),
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
    vendors = {h.vendor for h in match("https://www.googletagmanager.com/gtag/js?id=AW-123456789")}
    assert vendors == {"Google Tag Manager", "Google Ads"}


def test_form_bodies_are_read() -> None:
    body = f"pid={SNAP_ID}&ev=PAGE_VIEW&v=1.0".encode()
    assert only("https://tr.snapchat.com/p", body) == ("Snap Pixel", (SNAP_ID,), ("PAGE_VIEW",))


def test_json_bodies_are_read_including_nested_ids() -> None:
    body = json.dumps({"event": "Contact", "context": {"pixel": {"code": TIKTOK}}}).encode()
    assert only("https://analytics.tiktok.com/api/v2/pixel", body) == (
        "TikTok Pixel",
        (TIKTOK,),
        ("Contact",),
    )


def test_json_batches_yield_every_event() -> None:
    body = json.dumps(
        {
            "batch": [
                {"event": "Pageview", "pixel_code": TIKTOK},
                {"event": "Search", "pixel_code": TIKTOK},
            ]
        }
    ).encode()
    assert only("https://analytics.tiktok.com/api/v2/pixel/batch", body) == (
        "TikTok Pixel",
        (TIKTOK,),
        ("Pageview", "Search"),
    )


def test_ga4_newline_batched_events_are_each_read() -> None:
    body = (
        b"en=scroll&epn.percent_scrolled=90\n"
        b"en=generate_lead&ep.label=cardiology\n"
        b"en=user_engagement"
    )
    url = "https://region1.google-analytics.com/g/collect?v=2&tid=G-ZZ9ABC"
    assert only(url, body) == (
        "Google Analytics 4",
        ("G-ZZ9ABC",),
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


# Each vendor's beacon with the counters, versions, flags and cache-busters it really carries: only
# the documented ID parameter, in its documented shape, is an ID.
@pytest.mark.parametrize(
    ("url", "vendor", "ids"),
    [
        (
            "https://www.facebook.com/tr/?id=123456789012345&ev=PageView&v=2.9.179&r=stable"
            "&ts=1700000000000&sw=1366&sh=900&it=1700000000000&coo=false&rqm=GET&ec=0&o=4126",
            "Meta Pixel",
            ("123456789012345",),
        ),
        (
            "https://region1.google-analytics.com/g/collect?v=2&tid=G-AB12CD&gtm=45je4&_p=17000"
            "&_s=3&sct=1&seg=0&_et=12&_ss=1&_fv=1&_nsi=1&en=page_view",
            "Google Analytics 4",
            ("G-AB12CD",),
        ),
        (
            "https://www.google-analytics.com/collect?v=1&_v=j101&a=123456789&t=pageview&_s=1"
            "&tid=UA-12345-1&cid=1.2&_gid=3.4&z=987654321",
            "Universal Analytics",
            ("UA-12345-1",),
        ),
        (
            "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654321/"
            "?random=1700000000000&cv=11&fst=1700000000000&num=1&bg=ffffff&guid=ON&u_h=900",
            "Google Ads",
            ("987654321",),
        ),
        (
            "https://www.googletagmanager.com/gtm.js?id=GTM-ABC1234&l=dataLayer&cx=c&gtm=45He4",
            "Google Tag Manager",
            ("GTM-ABC1234",),
        ),
        (
            "https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=CTEST12345ABCDEFGHIJ&lib=ttq"
            "&v=2.1",
            "TikTok Pixel",
            ("CTEST12345ABCDEFGHIJ",),
        ),
        (
            "https://px.ads.linkedin.com/collect?v=2&fmt=js&pid=1234567&time=1700000000000"
            "&url=https%3A%2F%2Fclinic.example%2F&cookiesTest=true&liSync=true",
            "LinkedIn Insight Tag",
            ("1234567",),
        ),
        (
            "https://analytics.twitter.com/i/adsct?bci=4&eci=3&event_id=abc&integration=advertiser"
            "&p_id=Twitter&p_user_id=0&pl_id=8f7e&tw_document_href=https%3A%2F%2Fclinic.example%2F"
            "&tw_iframe_status=0&tw_order_quantity=0&tw_sale_amount=0&txn_id=o1x2y&type=javascript"
            "&version=2.3.30",
            "X (Twitter) Pixel",
            ("o1x2y",),
        ),
        (
            "https://ct.pinterest.com/v3/?tid=2612345678901&event=pagevisit&cb=1700000000000"
            "&ad=%7B%22loc%22%3A1%7D&pd=%7B%7D&dep=2",
            "Pinterest Tag",
            ("2612345678901",),
        ),
        (
            "https://bat.bing.com/action/0?ti=5123456&Ver=2&mid=a1b2&sid=c3d4&vid=e5f6&evt=pageLoad"
            "&msclkid=N&sw=1366&sh=900&sc=24&lt=245&rn=123456",
            "Microsoft UET",
            ("5123456",),
        ),
        ("https://static.hotjar.com/c/hotjar-3456789.js?sv=6", "Hotjar", ("3456789",)),
        ("https://www.clarity.ms/tag/abcd1234ef?ref=gtm2", "Microsoft Clarity", ("abcd1234ef",)),
        (
            "https://alb.reddit.com/rp.gif?ts=1700000000000&id=a2_xyz123&event=PageVisit&m.v=1",
            "Reddit Pixel",
            ("a2_xyz123",),
        ),
        (
            "https://cdn.inspectlet.com/inspectlet.js?wid=1234567890&r=472222",
            "Inspectlet",
            ("1234567890",),
        ),
        (
            "https://mc.yandex.ru/watch/87654321?wmode=7&page-url=x&rn=12345",
            "Yandex Metrica",
            ("87654321",),
        ),
        ("https://cdn.heapanalytics.com/js/heap-123456789.js", "Heap", ("123456789",)),
        (
            "https://heapanalytics.com/h?a=123456789&u=1&v=4.23.5&s=2&b=web&sp=r",
            "Heap",
            ("123456789",),
        ),
        (
            "https://cdn.mouseflow.com/projects/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0.js?v=3",
            "Mouseflow",
            ("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",),
        ),
        ("https://t.contentsquare.net/uxa/0a1b2c3d4e5f6.js", "Contentsquare", ("0a1b2c3d4e5f6",)),
    ],
)
def test_only_the_documented_id_parameter_is_an_id(
    url: str, vendor: str, ids: tuple[str, ...]
) -> None:
    found = only(url)
    assert (found[0], found[1]) == (vendor, ids)


def test_a_snap_beacon_body_yields_only_its_pixel_uuid() -> None:
    body = f"pid={SNAP_ID}&ev=PAGE_VIEW&v=1.1&ts=1700000000000&u_c=1&e_sh=900".encode()
    assert only("https://tr.snapchat.com/p", body)[1] == (SNAP_ID,)


@pytest.mark.parametrize(
    ("url", "vendor"),
    [
        ("https://www.facebook.com/tr/?id=PageView&ev=PageView", "Meta Pixel"),
        ("https://www.facebook.com/tr/?id=42&ev=PageView", "Meta Pixel"),
        ("https://region1.google-analytics.com/g/collect?v=2&tid=undefined", "Google Analytics 4"),
        (
            "https://www.google-analytics.com/collect?v=1&t=pageview&tid=12345",
            "Universal Analytics",
        ),
        ("https://analytics.tiktok.com/api/v2/pixel?sdkid=2.1", "TikTok Pixel"),
        ("https://px.ads.linkedin.com/collect?v=2&pid=true", "LinkedIn Insight Tag"),
        ("https://analytics.twitter.com/i/adsct?txn_id=4&p_id=Twitter&bci=4", "X (Twitter) Pixel"),
        (
            "https://analytics.twitter.com/i/adsct?txn_id=O1X2Y-extra&p_id=Twitter",
            "X (Twitter) Pixel",
        ),
        ("https://ct.pinterest.com/v3/?tid=%7B%7Btag%7D%7D&event=init", "Pinterest Tag"),
        ("https://tr.snapchat.com/p?pid=1&ev=PAGE_VIEW", "Snap Pixel"),
        ("https://bat.bing.com/action/0?ti=%24%7Bti%7D&Ver=2", "Microsoft UET"),
        ("https://alb.reddit.com/rp.gif?id=12345&event=PageVisit", "Reddit Pixel"),
    ],
)
def test_a_value_not_in_the_documented_id_shape_is_no_id(url: str, vendor: str) -> None:
    assert only(url)[:2] == (vendor, ())


def test_x_partner_and_counter_parameters_are_never_ids() -> None:
    found = only("https://t.co/i/adsct?p_id=Twitter&bci=4&eci=3&tw_order_quantity=0&txn_id=o1x2y")
    assert found[1] == ("o1x2y",)


RECORDERS = {
    "Hotjar": (
        "https://static.hotjar.com/c/hotjar-3456789.js?sv=6",
        "https://in.hotjar.com/api/v2/client/sites/3456789/visit-data?sv=6",
    ),
    "Microsoft Clarity": ("https://www.clarity.ms/tag/abcd1234ef", "https://e.clarity.ms/collect"),
    "FullStory": ("https://edge.fullstory.com/s/fs.js", "https://rs.fullstory.com/rec/bundle"),
    "LogRocket": ("https://cdn.logrocket.io/LogRocket.min.js", "https://r.lr-ingest.io/i"),
    "Mouseflow": (
        "https://cdn.mouseflow.com/projects/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0.js",
        "https://o2.mouseflow.com/events",
    ),
    "Smartlook": (
        "https://web-sdk.smartlook.com/recorder.js",
        "https://web-writer.eu.smartlook.cloud/rec/v2/write",
    ),
    "Lucky Orange": (
        "https://tools.luckyorange.com/core/lo.js?site-id=1a2b3c4d",
        "https://w1.luckyorange.com/w",
    ),
    "Inspectlet": (
        "https://cdn.inspectlet.com/inspectlet.js?wid=1234567890&r=472222",
        "https://hn.inspectlet.com/recording",
    ),
    "Yandex Metrica": (
        "https://mc.yandex.ru/metrika/tag.js",
        "https://mc.yandex.ru/webvisor/87654321?rn=1",
    ),
    "Quantum Metric": (
        "https://cdn.quantummetric.com/qscripts/quantum-clinic.js",
        "https://rl.quantummetric.com/horizon/clinic",
    ),
    "Contentsquare": (
        "https://t.contentsquare.net/uxa/0a1b2c3d4e5f6.js",
        "https://c.contentsquare.net/pageview",
    ),
    "Heap": (
        "https://cdn.heapanalytics.com/js/heap-123456789.js",
        "https://heapanalytics.com/h?a=123456789",
    ),
}


@pytest.mark.parametrize("vendor", sorted(RECORDERS))
def test_each_session_recorder_is_recognised_by_its_script_and_its_uploads(vendor: str) -> None:
    script, upload = RECORDERS[vendor]
    for url, kind in ((script, "script"), (upload, "beacon")):
        [hit] = match(url)
        assert (hit.vendor, hit.kind, hit.records_sessions) == (vendor, kind, True)


def test_advertising_pixels_are_not_session_recorders() -> None:
    [hit] = match("https://www.facebook.com/tr/?id=123456789012345&ev=PageView")
    assert hit.records_sessions is False
