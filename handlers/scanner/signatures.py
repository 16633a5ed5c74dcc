"""Tracking-pixel signatures: which requests belong to which vendor, and their IDs and events.

An ID is read only from the parameter (or path segment) the vendor documents for it, and only when
it has that vendor's documented shape, so counters (`bci=4`), versions (`sv=6`, `v=2.9.1`), flags
and cache-busters on the same beacon are never reported as IDs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from handlers.scanner import payloads

MAX_VALUE_LENGTH = 100


def _x_events(value: str) -> list[str]:
    """X's `events` parameter is JSON such as `[["pageview",{}]]`."""
    try:
        decoded = json.loads(value)
    except ValueError:
        return [value]
    if isinstance(decoded, list):
        return [item[0] for item in decoded if isinstance(item, list) and item]
    return []


@dataclass(frozen=True)
class Signature:
    """One way a vendor shows up on the wire: a script it loads or a beacon it sends."""

    vendor: str
    category: str
    hosts: tuple[str, ...]
    path: str = ""
    kind: str = "beacon"
    id_params: tuple[str, ...] = ()
    event_params: tuple[str, ...] = ()
    id_path: str = ""
    id_pattern: str = ""
    requires_id: bool = False
    records_sessions: bool = False
    implied_events: tuple[str, ...] = ()
    ignored_events: tuple[str, ...] = ()
    event_decoder: Callable[[str], list[str]] | None = None
    _path_re: re.Pattern = field(init=False, repr=False, compare=False)
    _id_path_re: re.Pattern | None = field(init=False, repr=False, compare=False)
    _id_re: re.Pattern | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_path_re", re.compile(self.path, re.IGNORECASE))
        object.__setattr__(self, "_id_path_re", re.compile(self.id_path) if self.id_path else None)
        object.__setattr__(
            self, "_id_re", re.compile(self.id_pattern, re.IGNORECASE) if self.id_pattern else None
        )

    def matches_host(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)


@dataclass(frozen=True)
class Hit:
    """A request attributed to a vendor, with what it revealed."""

    vendor: str
    category: str
    kind: str
    ids: tuple[str, ...]
    events: tuple[str, ...]
    url: str
    records_sessions: bool = False


def _recorder(
    vendor: str,
    hosts: tuple[str, ...],
    script: str = r"\.js$",
    beacon: str = "",
    category: str = "session-replay",
    **ids: Any,
) -> tuple[Signature, Signature]:
    """A session recorder's script signature, then its uploads (anything else on its hosts)."""
    return (
        Signature(vendor, category, hosts, script, "script", records_sessions=True, **ids),
        Signature(vendor, category, hosts, beacon, records_sessions=True, **ids),
    )


_GOOGLE_ANALYTICS = ("google-analytics.com", "analytics.google.com")
_DOUBLECLICK_IDS = r"/(?:viewthroughconversion|conversion|1p-user-list|1p-conversion)/(?P<id>\d+)"

# Documented ID shapes. Each comment names where the vendor publishes the ID and its form.
# Meta: the numeric pixel ID of `fbq('init', '<pixel id>')` and `facebook.com/tr?id=<pixel id>`.
_META_ID = r"^\d{10,20}$"
# Google tag IDs: G- (GA4 measurement ID), AW- (Ads), DC- (Floodlight), GT-, GTM- (containers).
_GA4_ID = r"^G-[A-Z0-9]{4,}$"
_UA_ID = r"^UA-\d{4,10}-\d{1,4}$"
_GTM_ID = r"^GTM-[A-Z0-9]{4,}$"
_GOOGLE_TAG_ID = r"^(G|AW|DC|GT|GTM|UA)-[A-Z0-9-]{4,}$"
_ADS_CONVERSION_ID = r"^\d{6,12}$"  # AW-<conversion id> without the prefix, as in the URL path
_FLOODLIGHT_SRC = r"^\d{4,12}$"  # Floodlight `src=<advertiser id>`
# TikTok: the 20-character pixel code of `ttq.load('<pixel code>')`.
_TIKTOK_CODE = r"^[A-Z0-9]{20}$"
# LinkedIn: the numeric partner ID of `_linkedin_partner_id = "<id>"`.
_NUMERIC_ID = r"^\d{3,12}$"
# X: `txn_id` is the pixel ID of `twq('config', '<pixel id>')` and of X's published image pixel
# `analytics.twitter.com/i/adsct?txn_id=<pixel id>&p_id=Twitter` (p_id is always "Twitter");
# X's event IDs are `tw-<pixel id>-<event id>` (Ads API, web conversions), five lowercase
# letters and digits each. `bci`, `eci`, `tw_sale_amount`, `version` and the like are not IDs.
_X_PIXEL_ID = r"^[a-z0-9]{5}$"
# Pinterest: the numeric tag ID of `pintrk('load', '<tag id>')`.
_PINTEREST_TAG_ID = r"^\d{10,16}$"
_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# Clarity: the project ID of `clarity.ms/tag/<project id>`, ten lowercase letters and digits.
_CLARITY_ID = r"^[a-z0-9]{8,12}$"
# Reddit: the advertiser ID of `rdt('init', 'a2_...')` (older pixels: t2_...).
_REDDIT_ID = r"^(a2|t2)_[a-z0-9]+$"

SIGNATURES: tuple[Signature, ...] = (
    # Meta
    Signature("Meta Pixel", "advertising", ("connect.facebook.net",), r"/fbevents\.js", "script"),
    Signature(
        "Meta Pixel",
        "advertising",
        ("connect.facebook.net",),
        r"/signals/config/",
        "script",
        id_path=r"/signals/config/(?P<id>\d+)",
        id_pattern=_META_ID,
    ),
    Signature(
        "Meta Pixel",
        "advertising",
        ("facebook.com",),
        r"^/tr/?$",
        id_params=("id",),
        event_params=("ev",),
        id_pattern=_META_ID,
    ),
    # Google tags, told apart by the ID prefix gtag.js is loaded with
    Signature(
        "Google Tag Manager",
        "tag-manager",
        ("googletagmanager.com",),
        r"^/(gtm\.js|gtag/js|gtag/destination|ns\.html)",
        "script",
        id_params=("id",),
        id_pattern=_GOOGLE_TAG_ID,
    ),
    Signature(
        "Google Analytics 4",
        "analytics",
        ("googletagmanager.com",),
        r"^/gtag/(js|destination)",
        "script",
        id_params=("id",),
        id_pattern=_GA4_ID,
        requires_id=True,
    ),
    Signature(
        "Google Analytics 4",
        "analytics",
        _GOOGLE_ANALYTICS,
        r"^/g/collect",
        id_params=("tid",),
        event_params=("en",),
        id_pattern=_GA4_ID,
    ),
    Signature(
        "Universal Analytics",
        "analytics",
        ("googletagmanager.com",),
        r"^/gtag/js",
        "script",
        id_params=("id",),
        id_pattern=_UA_ID,
        requires_id=True,
    ),
    Signature(
        "Universal Analytics",
        "analytics",
        ("google-analytics.com",),
        r"^/(analytics\.js|ga\.js|urchin\.js|analytics_debug\.js)",
        "script",
    ),
    Signature(
        "Universal Analytics",
        "analytics",
        _GOOGLE_ANALYTICS,
        r"^/(r/|j/)?(__utm\.gif|collect)",
        id_params=("tid", "utmac"),
        event_params=("t", "ea"),
        id_pattern=_UA_ID,
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("googletagmanager.com",),
        r"^/gtag/js",
        "script",
        id_params=("id",),
        id_pattern=r"^(AW|DC)-[A-Z0-9]+$",
        requires_id=True,
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("googleadservices.com",),
        r"/pagead/conversion(_async)?\.js",
        "script",
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("googleadservices.com",),
        r"/pagead/conversion/",
        id_path=_DOUBLECLICK_IDS,
        event_params=("en", "event"),
        implied_events=("conversion",),
        id_pattern=_ADS_CONVERSION_ID,
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("googleads.g.doubleclick.net", "google.com"),
        r"/pagead/(viewthroughconversion|1p-user-list)/",
        id_path=_DOUBLECLICK_IDS,
        event_params=("en", "event"),
        implied_events=("remarketing",),
        id_pattern=_ADS_CONVERSION_ID,
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("google.com",),
        r"/pagead/1p-conversion/",
        id_path=_DOUBLECLICK_IDS,
        event_params=("en",),
        implied_events=("conversion",),
        id_pattern=_ADS_CONVERSION_ID,
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("stats.g.doubleclick.net",),
        r"collect",
        id_params=("tid",),
        implied_events=("remarketing",),
        id_pattern=r"^(UA-\d+-\d+|G-[A-Z0-9]+)$",
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("ad.doubleclick.net", "fls.doubleclick.net"),
        r"/activity",
        id_params=("src",),
        event_params=("type", "cat"),
        implied_events=("floodlight",),
        id_pattern=_FLOODLIGHT_SRC,
    ),
    # TikTok
    Signature(
        "TikTok Pixel",
        "advertising",
        ("analytics.tiktok.com",),
        r"/i18n/pixel/",
        "script",
        id_params=("sdkid",),
        id_pattern=_TIKTOK_CODE,
    ),
    Signature(
        "TikTok Pixel",
        "advertising",
        ("analytics.tiktok.com",),
        r"^/api/v\d/pixel",
        id_params=("pixel_code", "pixel.code", "sdkid"),
        event_params=("event",),
        id_pattern=_TIKTOK_CODE,
    ),
    # LinkedIn
    Signature(
        "LinkedIn Insight Tag",
        "advertising",
        ("snap.licdn.com",),
        r"/li\.lms-analytics/",
        "script",
    ),
    Signature(
        "LinkedIn Insight Tag",
        "advertising",
        ("px.ads.linkedin.com", "dc.ads.linkedin.com"),
        r"^/(collect|wa|attribution_trigger)",
        id_params=("pid", "pids"),
        event_params=("conversionId", "signalType"),
        id_pattern=_NUMERIC_ID,
    ),
    # X / Twitter
    Signature(
        "X (Twitter) Pixel", "advertising", ("static.ads-twitter.com",), r"/uwt\.js", "script"
    ),
    Signature(
        "X (Twitter) Pixel",
        "advertising",
        ("analytics.twitter.com", "t.co", "ads-twitter.com", "ads-api.twitter.com"),
        r"/i/adsct",
        id_params=("txn_id",),
        event_params=("events", "event_id", "tw_event"),
        event_decoder=_x_events,
        id_pattern=_X_PIXEL_ID,
    ),
    # Pinterest
    Signature("Pinterest Tag", "advertising", ("s.pinimg.com",), r"^/ct/", "script"),
    Signature(
        "Pinterest Tag",
        "advertising",
        ("ct.pinterest.com",),
        r"^/(v3|user)",
        id_params=("tid",),
        event_params=("event",),
        id_pattern=_PINTEREST_TAG_ID,
    ),
    # Snapchat: the pixel ID of `snaptr('init', '<pixel id>')` is a UUID.
    Signature("Snap Pixel", "advertising", ("sc-static.net",), r"/scevent", "script"),
    Signature(
        "Snap Pixel",
        "advertising",
        ("tr.snapchat.com", "tr-shadow.snapchat.com"),
        r"^/(p|cm/|gateway/)",
        id_params=("pid",),
        event_params=("ev",),
        id_pattern=_UUID,
    ),
    # Microsoft: UET's numeric tag ID (`ti`)
    Signature("Microsoft UET", "advertising", ("bat.bing.com",), r"^/bat\.js", "script"),
    Signature(
        "Microsoft UET",
        "advertising",
        ("bat.bing.com", "bat.r.msn.com"),
        r"^/action/",
        id_params=("ti",),
        event_params=("ea", "evt"),
        ignored_events=("custom",),
        id_pattern=_NUMERIC_ID,
    ),
    Signature(
        "Microsoft Clarity",
        "session-replay",
        ("clarity.ms",),
        r"^/(tag/|s/)|clarity\.js",
        "script",
        id_path=r"^/tag/(?P<id>[A-Za-z0-9]+)",
        id_pattern=_CLARITY_ID,
        records_sessions=True,
    ),
    Signature(
        "Microsoft Clarity", "session-replay", ("clarity.ms",), r"/collect", records_sessions=True
    ),
    # Hotjar: the numeric site ID of `_hjSettings={hjid:<site id>}`
    Signature(
        "Hotjar",
        "session-replay",
        ("static.hotjar.com", "script.hotjar.com"),
        r"^/c/hotjar-|^/modules",
        "script",
        id_path=r"^/c/hotjar-(?P<id>\d+)\.js",
        id_pattern=_NUMERIC_ID,
        records_sessions=True,
    ),
    Signature(
        "Hotjar",
        "session-replay",
        ("hotjar.com", "hotjar.io"),
        id_path=r"/sites/(?P<id>\d+)",
        event_params=("event",),
        id_pattern=_NUMERIC_ID,
        records_sessions=True,
    ),
    # Reddit
    Signature("Reddit Pixel", "advertising", ("redditstatic.com",), r"^/ads/", "script"),
    Signature(
        "Reddit Pixel",
        "advertising",
        ("alb.reddit.com", "pixel-config.reddit.com"),
        id_params=("id",),
        event_params=("event",),
        id_path=r"^/pixels/(?P<id>[^/]+)/",
        id_pattern=_REDDIT_ID,
    ),
    # Session recorders: a script from the recorder's CDN, then its recording uploads. Each has
    # a script signature first (the first matching signature of a vendor wins) and a catch-all
    # for the rest of its hosts.
    *_recorder("FullStory", ("fullstory.com",), script=r"^/s/fs\.js", beacon=r"^/rec/"),
    *_recorder(
        "LogRocket",
        (
            "logrocket.io",
            "logrocket.com",
            "lr-ingest.io",
            "lr-ingest.com",
            "lr-in.com",
            "lr-in-prod.com",
            "lgrckt-in.com",
        ),
    ),
    *_recorder(
        "Mouseflow",
        ("mouseflow.com",),
        script=r"^/projects/",
        id_path=r"^/projects/(?P<id>[0-9a-f-]{36})\.js",  # the website ID, a UUID
        id_pattern=_UUID,
    ),
    *_recorder("Smartlook", ("smartlook.com", "smartlook.cloud"), script=r"recorder\.js$"),
    *_recorder(
        "Lucky Orange",
        ("luckyorange.com", "luckyorange.net", "d10lpsik1i8c69.cloudfront.net"),
    ),
    *_recorder(
        "Inspectlet",
        ("inspectlet.com",),
        script=r"^/inspectlet\.js",
        id_params=("wid",),  # `__insp.push(['wid', <numeric id>])`; `r` is an hourly cache-buster
        id_pattern=_NUMERIC_ID,
    ),
    *_recorder(
        "Yandex Metrica",
        (
            "mc.yandex.ru",
            "mc.yandex.com",
            "mc.yandex.by",
            "mc.yandex.kz",
            "mc.webvisor.org",
            "mc.webvisor.com",
        ),
        script=r"^/metrika/(tag|watch)\.js",
        beacon=r"^/(watch|webvisor)/",
        id_path=r"^/(watch|webvisor)/(?P<id>\d+)",  # the numeric counter ID of ym(<id>, 'init')
        id_pattern=_NUMERIC_ID,
        category="analytics",
    ),
    *_recorder("Quantum Metric", ("quantummetric.com",)),
    *_recorder(
        "Contentsquare",
        ("contentsquare.net", "contentsquare.com"),
        script=r"^/uxa/",
        id_path=r"^/uxa/(?P<id>[0-9a-f]+)\.js",  # the tag ID of t.contentsquare.net/uxa/<id>.js
        id_pattern=r"^[0-9a-f]{8,16}$",
    ),
    *_recorder(
        "Heap",
        ("heapanalytics.com", "heap-api.com"),
        script=r"^/js/heap-",
        beacon=r"^/(h|api/)",
        id_path=r"^/js/heap-(?P<id>\d+)\.js",  # the numeric environment ID of heap.load('<id>')
        id_params=("a",),
        id_pattern=_NUMERIC_ID,
        category="analytics",
    ),
    *_recorder("ClickTale", ("clicktale.net",)),
    *_recorder("SessionCam", ("sessioncam.com", "d2oh4tlt9mrke9.cloudfront.net")),
    *_recorder("Decibel", ("decibelinsight.net",)),
    *_recorder("UserReplay", ("userreplay.net",)),
)

VENDORS: tuple[str, ...] = tuple(dict.fromkeys(s.vendor for s in SIGNATURES))


def _clean(items: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        text = item.strip()[:MAX_VALUE_LENGTH]
        if text:
            seen[text] = None
    return tuple(seen)


def _extract(sig: Signature, path: str, records: list[payloads.Record]) -> tuple[list, list]:
    ids: list[str] = []
    events: list[str] = list(sig.implied_events)
    if sig._id_path_re and (found := sig._id_path_re.search(path)):
        ids.append(found.group("id"))
    for record in records:
        ids.extend(payloads.values(record, *sig.id_params) if sig.id_params else [])
        for value in payloads.values(record, *sig.event_params) if sig.event_params else []:
            events.extend(sig.event_decoder(value) if sig.event_decoder else [value])
    events = [e for e in events if e not in sig.ignored_events]
    if sig._id_re:
        ids = [i for i in ids if sig._id_re.match(i)]
    return ids, events


def match(url: str, body: bytes | None = None) -> list[Hit]:
    """Every vendor a request belongs to (one hit per vendor), with its IDs and events."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    hits: list[Hit] = []
    seen_vendors: set[str] = set()
    records: list[payloads.Record] | None = None
    for sig in SIGNATURES:
        if sig.vendor in seen_vendors or not sig.matches_host(host):
            continue
        if not sig._path_re.search(parts.path):
            continue
        if records is None:
            records = payloads.records(url, body)
        ids, events = _extract(sig, parts.path, records)
        if sig.requires_id and not ids:
            continue
        seen_vendors.add(sig.vendor)
        hits.append(
            Hit(
                sig.vendor,
                sig.category,
                sig.kind,
                _clean(ids),
                _clean(events),
                url,
                sig.records_sessions,
            )
        )
    return hits
