"""Tracking-pixel signatures: which requests belong to which vendor, and their IDs and events."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
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


_GOOGLE_ANALYTICS = ("google-analytics.com", "analytics.google.com")
_DOUBLECLICK_IDS = r"/(?:viewthroughconversion|conversion|1p-user-list|1p-conversion)/(?P<id>\d+)"

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
    ),
    Signature(
        "Meta Pixel",
        "advertising",
        ("facebook.com",),
        r"^/tr/?$",
        id_params=("id",),
        event_params=("ev",),
    ),
    # Google tags, told apart by the ID prefix gtag.js is loaded with
    Signature(
        "Google Tag Manager",
        "tag-manager",
        ("googletagmanager.com",),
        r"^/(gtm\.js|gtag/js|gtag/destination|ns\.html)",
        "script",
        id_params=("id",),
    ),
    Signature(
        "Google Analytics 4",
        "analytics",
        ("googletagmanager.com",),
        r"^/gtag/(js|destination)",
        "script",
        id_params=("id",),
        id_pattern=r"^G-[A-Z0-9]+$",
        requires_id=True,
    ),
    Signature(
        "Google Analytics 4",
        "analytics",
        _GOOGLE_ANALYTICS,
        r"^/g/collect",
        id_params=("tid",),
        event_params=("en",),
    ),
    Signature(
        "Universal Analytics",
        "analytics",
        ("googletagmanager.com",),
        r"^/gtag/js",
        "script",
        id_params=("id",),
        id_pattern=r"^UA-\d+-\d+$",
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
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("googleads.g.doubleclick.net", "google.com"),
        r"/pagead/(viewthroughconversion|1p-user-list)/",
        id_path=_DOUBLECLICK_IDS,
        event_params=("en", "event"),
        implied_events=("remarketing",),
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("google.com",),
        r"/pagead/1p-conversion/",
        id_path=_DOUBLECLICK_IDS,
        event_params=("en",),
        implied_events=("conversion",),
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("stats.g.doubleclick.net",),
        r"collect",
        id_params=("tid",),
        implied_events=("remarketing",),
    ),
    Signature(
        "Google Ads",
        "advertising",
        ("ad.doubleclick.net", "fls.doubleclick.net"),
        r"/activity",
        id_params=("src",),
        event_params=("type", "cat"),
        implied_events=("floodlight",),
    ),
    # TikTok
    Signature(
        "TikTok Pixel",
        "advertising",
        ("analytics.tiktok.com",),
        r"/i18n/pixel/",
        "script",
        id_params=("sdkid",),
    ),
    Signature(
        "TikTok Pixel",
        "advertising",
        ("analytics.tiktok.com",),
        r"^/api/v\d/pixel",
        id_params=("pixel_code", "pixel.code", "sdkid"),
        event_params=("event",),
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
        id_params=("txn_id", "bci"),
        event_params=("events", "event_id", "tw_event"),
        event_decoder=_x_events,
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
    ),
    # Snapchat
    Signature("Snap Pixel", "advertising", ("sc-static.net",), r"/scevent", "script"),
    Signature(
        "Snap Pixel",
        "advertising",
        ("tr.snapchat.com", "tr-shadow.snapchat.com"),
        r"^/(p|cm/|gateway/)",
        id_params=("pid",),
        event_params=("ev",),
    ),
    # Microsoft
    Signature("Microsoft UET", "advertising", ("bat.bing.com",), r"^/bat\.js", "script"),
    Signature(
        "Microsoft UET",
        "advertising",
        ("bat.bing.com", "bat.r.msn.com"),
        r"^/action/",
        id_params=("ti",),
        event_params=("ea", "evt"),
        ignored_events=("custom",),
    ),
    Signature(
        "Microsoft Clarity",
        "session-replay",
        ("clarity.ms",),
        r"^/(tag/|s/)|clarity\.js",
        "script",
        id_path=r"^/tag/(?P<id>[A-Za-z0-9]+)",
    ),
    Signature("Microsoft Clarity", "session-replay", ("clarity.ms",), r"/collect"),
    # Hotjar
    Signature(
        "Hotjar",
        "session-replay",
        ("static.hotjar.com", "script.hotjar.com"),
        r"^/c/hotjar-|^/modules",
        "script",
        id_path=r"^/c/hotjar-(?P<id>\d+)\.js",
    ),
    Signature(
        "Hotjar",
        "session-replay",
        ("hotjar.com", "hotjar.io"),
        id_path=r"/sites/(?P<id>\d+)",
        event_params=("event",),
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
    ),
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
        hits.append(Hit(sig.vendor, sig.category, sig.kind, _clean(ids), _clean(events), url))
    return hits
