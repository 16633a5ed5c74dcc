"""The scan result, and the collector that turns observed requests into it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from handlers.scanner import masking, owners, payloads, signatures
from handlers.scanner.keylogging import KeyLogFinder
from handlers.scanner.leaks import LeakLog, LeakRules
from handlers.scanner.pagefacts import PageFacts
from handlers.scanner.recorders import RecorderLog

MAX_EVIDENCE = 5

# Error codes a scan can end with; the Lambda handler maps them to HTTP statuses.
INVALID_TARGET = "invalid_target"
BLOCKED_ADDRESS = "blocked_address"
NAVIGATION_FAILED = "navigation_failed"
TIMEOUT = "timeout"
BROWSER_FAILED = "browser_failed"


@dataclass
class ScanResult:
    """What one scan found. `error` is None or one of the codes above."""

    domain: str
    url: str
    finalUrl: str | None = None
    scannedAt: str = ""
    durationMs: int = 0
    pagesVisited: list[str] = field(default_factory=list)
    pixels: list[dict[str, Any]] = field(default_factory=list)
    fingerprinting: list[dict[str, Any]] = field(default_factory=list)
    keyLogging: list[dict[str, Any]] = field(default_factory=list)
    sessionRecorders: list[dict[str, Any]] = field(default_factory=list)
    leaks: list[dict[str, Any]] = field(default_factory=list)
    thirdPartyDomains: list[dict[str, Any]] = field(default_factory=list)
    cookies: list[dict[str, Any]] = field(default_factory=list)
    thirdPartyCookies: int = 0
    blockedRequests: int = 0
    error: str | None = None
    errorMessage: str | None = None
    cached: bool = False
    partial: bool = False
    # A PNG of the first page's viewport as scanned, when asked for; stored beside the JSON,
    # never in it.
    screenshot: bytes | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data, without the screenshot."""
        data = asdict(replace(self, screenshot=None))
        del data["screenshot"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScanResult:
        """A result from to_dict()'s data; unknown keys and a `screenshot` are ignored."""
        known = {k: v for k, v in data.items() if k in _JSON_FIELDS}
        return cls(**known)


_JSON_FIELDS = frozenset(ScanResult.__dataclass_fields__) - {"screenshot"}


@dataclass
class _Pixel:
    vendor: str
    category: str
    first_step: str
    ids: dict[str, None] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, None] = field(default_factory=dict)
    requests: int = 0


class Collector:
    """Accumulates the requests of one scan, tagged with the step (load, scroll, click:...), and
    what each told a third party: pixels, session recorders, leaks, key logging."""

    def __init__(self, first_party_host: str) -> None:
        self.first_party_sites = {owners.site_of(first_party_host)}
        self.step = "load"
        self.facts = PageFacts()
        self.recorders = RecorderLog()
        self.leaks = LeakLog(LeakRules(self.facts, self.is_same_site))
        self.keylogging = KeyLogFinder()
        self._pixels: dict[str, _Pixel] = {}
        self._hosts: dict[str, int] = {}

    def add_first_party(self, host: str) -> None:
        """Count a host (the final URL's, after redirects) as the site itself."""
        if host:
            self.first_party_sites.add(owners.site_of(host))

    def observe(
        self, url: str, body: bytes | None, step: str | None = None, script: str | None = None
    ) -> None:
        """Record one request the page made; `script` is the script that sent it, if known."""
        step = step or self.step
        host = (urlsplit(url).hostname or "").lower()
        if not host:
            return
        self._hosts[host] = self._hosts.get(host, 0) + 1
        if self.is_third_party(host):
            text = body[: payloads.MAX_BODY_BYTES].decode("utf-8", "replace") if body else ""
            self.keylogging.observe(owners.site_of(host), url, text, script)
        for hit in signatures.match(url, body):
            self.recorders.observe(hit, host)
            if hit.kind == "beacon":
                self.leaks.observe(hit.vendor, step, payloads.records(url, body))
            pixel = self._pixels.get(hit.vendor)
            if pixel is None:
                pixel = self._pixels[hit.vendor] = _Pixel(hit.vendor, hit.category, step)
            pixel.requests += 1
            for pixel_id in hit.ids:
                pixel.ids.setdefault(pixel_id)
            for event in hit.events:
                pixel.events.setdefault(event, step)
            if len(pixel.evidence) < MAX_EVIDENCE:
                pixel.evidence.setdefault(masking.mask_url(url))

    def pixels(self) -> list[dict[str, Any]]:
        return [
            {
                "vendor": p.vendor,
                "category": p.category,
                "ids": list(p.ids),
                "events": [{"name": name, "firstSeenStep": s} for name, s in p.events.items()],
                "firstSeenStep": p.first_step,
                "requests": p.requests,
                "evidence": list(p.evidence),
            }
            for p in sorted(self._pixels.values(), key=lambda p: p.vendor)
        ]

    def third_party_domains(self) -> list[dict[str, Any]]:
        by_site: dict[str, int] = {}
        owner_by_site: dict[str, dict[str, str]] = {}
        for host, count in self._hosts.items():
            site = owners.site_of(host)
            if site not in self.first_party_sites:
                by_site[site] = by_site.get(site, 0) + count
                if site not in owner_by_site and (owner := owners.owner_of(host)):
                    owner_by_site[site] = owner
        listed = []
        for site, count in sorted(by_site.items()):
            owner = owner_by_site.get(site) or {}
            listed.append(
                {
                    "domain": site,
                    "owner": owner.get("company") or owner.get("entity"),
                    "entity": owner.get("entity"),
                    "category": owner.get("category"),
                    "requests": count,
                }
            )
        return listed

    def is_third_party(self, host: str) -> bool:
        return owners.site_of(host.lstrip(".")) not in self.first_party_sites

    def is_same_site(self, host: str) -> bool:
        return not self.is_third_party(host)
