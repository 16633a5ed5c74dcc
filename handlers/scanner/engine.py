"""PixelScanner: open a site in Chromium, load, scroll, click its calls to action, and report
which tracking pixels fired, with their IDs, events and the requests that prove it."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from handlers.core.log import logger
from handlers.scanner import fingerprinting, forms, links
from handlers.scanner import result as codes
from handlers.scanner.activity import ThirdPartyActivity
from handlers.scanner.addresses import AddressPolicy
from handlers.scanner.browser import BrowserRuntime, chromium_path, watchdog
from handlers.scanner.cookies import CookieLog
from handlers.scanner.egress import MARKER
from handlers.scanner.instrument import Instrumentation
from handlers.scanner.options import check_pages
from handlers.scanner.pagefacts import Link
from handlers.scanner.result import Collector, ScanResult
from handlers.scanner.target import (
    BlockedAddress,
    HostGuard,
    InvalidTarget,
    Resolver,
    Target,
    UnresolvableHost,
    parse_request,
    parse_url,
    system_resolver,
)

DEFAULT_TIMEOUT = 270.0
# After the load event the first page is watched at least this long, then until no new
# third-party script or beacon has started for DWELL_QUIET_MS, up to DWELL_MAX_MS after load.
# docs/scanner.md's "Delayed tags" section gives the measurements these come from.
DWELL_MS = 4_000
DWELL_QUIET_MS = 1_000
DWELL_MAX_MS = 10_000
# Later pages (pages 2 and 3): delayed site-wide tags have already shown on the first page.
NEXT_PAGE_DWELL_MS = 1_000
# The first page's screenshot may take this long; a page still painting after it has none.
SCREENSHOT_WAIT_S = 5
# Labels of the buttons and links a patient would click, where pixels leak the most.
CTA_PATTERN = (
    r"\b(schedul\w*|book\w*|appointments?|find an? (doctor|provider|physician|specialist)"
    r"|contact( us)?|request an? (appointment|visit)|make an? appointment)\b"
)
BLOCKED_REDIRECT = "{url} leads to a non-public address (a redirect was blocked)"
_FIND_CTAS = """(pattern) => {
  const re = new RegExp(pattern, 'i');
  const found = [];
  const nodes = document.querySelectorAll(
    'a[href], button, [role=button], input[type=submit], input[type=button]');
  for (const el of nodes) {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '')
      .replace(/\\s+/g, ' ').trim();
    if (!text || text.length > 80 || !re.test(text)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    el.setAttribute('data-pixel-scan-cta', String(found.length));
    found.push(text);
  }
  return found;
}"""


class ScanTimeout(Exception):
    """The scan's time budget ran out."""


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _browser_gone(error: Exception) -> bool:
    """True when Playwright says the page, context or browser itself has gone away."""
    return type(error).__name__ == "TargetClosedError" or "has been closed" in str(error)


def _navigation_message(error: Exception, url: str) -> str:
    """A plain sentence for a failed navigation, without Playwright's call log."""
    text = str(error).split("\n", 1)[0]
    found = re.search(r"net::(ERR_[A-Z_]+)", text)
    reasons = {
        "ERR_NAME_NOT_RESOLVED": "the name does not resolve",
        "ERR_CONNECTION_REFUSED": "the connection was refused",
        "ERR_CONNECTION_RESET": "the connection was reset",
        "ERR_CONNECTION_CLOSED": "the connection was closed",
        "ERR_EMPTY_RESPONSE": "the server sent no response",
        "ERR_TUNNEL_CONNECTION_FAILED": "the site could not be reached",
        "ERR_TIMED_OUT": "the connection timed out",
        "ERR_CERT_AUTHORITY_INVALID": "its TLS certificate is not trusted",
        "ERR_CERT_COMMON_NAME_INVALID": "its TLS certificate does not match the name",
        "ERR_CERT_DATE_INVALID": "its TLS certificate has expired",
        "ERR_SSL_PROTOCOL_ERROR": "the TLS handshake failed",
        "ERR_TOO_MANY_REDIRECTS": "it redirects in a loop",
    }
    if found:
        code = found.group(1)
        reason = reasons.get(code) or (
            "its TLS certificate is not valid" if "CERT" in code else code.lower()
        )
    else:
        reason = "the page could not be opened"
    return f"Could not load {url}: {reason}"


class PixelScanner:
    """Scans sites for tracking pixels. One instance per process; not thread-safe.

    `allow_private_addresses` lets tests reach loopback (True, or a list of networks such as
    ("127.0.0.0/8",)); it exists only as this argument, so no deployment setting can turn it on.
    `context_setup` is called with each new browser context (tests use it to answer vendor hosts
    locally); handlers registered there take precedence over the scanner's own address checks.
    `dwell_ms` and friends set how long a page is watched after its load event (see DWELL_MS);
    tests shorten them.
    """

    def __init__(
        self,
        extra_chromium_args: Iterable[str] = (),
        resolver: Resolver = system_resolver,
        allow_private_addresses: bool | Iterable[str] = False,
        executable_path: str | None = None,
        context_setup: Callable[[Any], None] | None = None,
        max_clicks: int = 3,
        settle_quiet_ms: int = 500,
        settle_max_ms: int = 3000,
        load_wait_ms: int = 10_000,
        timeout: float = DEFAULT_TIMEOUT,
        dwell_ms: int = DWELL_MS,
        dwell_quiet_ms: int = DWELL_QUIET_MS,
        dwell_max_ms: int = DWELL_MAX_MS,
        next_page_dwell_ms: int = NEXT_PAGE_DWELL_MS,
    ) -> None:
        self.guard = HostGuard(resolver, AddressPolicy(allow_private_addresses))
        self.runtime = BrowserRuntime(
            self.guard,
            executable_path=executable_path or chromium_path(),
            extra_args=extra_chromium_args,
        )
        self.context_setup = context_setup
        self.max_clicks = max_clicks
        self.settle_quiet = settle_quiet_ms / 1000
        self.settle_max = settle_max_ms / 1000
        self.load_wait = load_wait_ms / 1000
        self.timeout = timeout
        self.dwell = dwell_ms / 1000
        self.dwell_quiet = dwell_quiet_ms / 1000
        self.dwell_max = max(dwell_ms, dwell_max_ms) / 1000
        self.next_page_dwell = next_page_dwell_ms / 1000

    def close(self, timeout: float = 5.0) -> None:
        """Close the browser (killing it after `timeout`) and remove its files."""
        self.runtime.close(timeout)

    def __enter__(self) -> PixelScanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def target(value: str | dict | Target) -> Target:
        """A validated Target from a URL, a bare domain, or a request body."""
        if isinstance(value, Target):
            return value
        if isinstance(value, dict):
            return parse_request(value)
        text = value.strip()
        return parse_url(text) if "://" in text else parse_request({"domain": text})

    def scan(
        self,
        what: str | dict | Target,
        timeout: float | None = None,
        pages: int = 1,
        screenshot: bool = False,
    ) -> ScanResult:
        """Scan one site within `timeout` seconds, following up to `pages` - 1 same-site links,
        with a PNG of the first page when `screenshot`; errors are reported in the result, not
        raised (a `pages` out of 1..3 is a ValueError)."""
        pages = check_pages(pages)
        started = time.monotonic()
        deadline = started + (self.timeout if timeout is None else timeout)
        scanned_at = _now_iso()
        try:
            target = self.target(what)
        except InvalidTarget as exc:
            shown = what if isinstance(what, str) else str(what)
            return ScanResult(
                domain=shown[:253],
                url=shown[:2048],
                scannedAt=scanned_at,
                error=codes.INVALID_TARGET,
                errorMessage=str(exc),
            )
        result = ScanResult(domain=target.host, url=target.url, scannedAt=scanned_at)
        try:
            self.guard.addresses(target.host)
        except BlockedAddress as exc:
            result.error, result.errorMessage = codes.BLOCKED_ADDRESS, str(exc)
        except UnresolvableHost:
            result.error = codes.NAVIGATION_FAILED
            result.errorMessage = f"Could not load {target.url}: the name does not resolve"
        except InvalidTarget as exc:
            result.error, result.errorMessage = codes.INVALID_TARGET, str(exc)
        else:
            self._browse(target, result, deadline, pages, screenshot)
        result.durationMs = int((time.monotonic() - started) * 1000)
        return result

    # -- the browser part --------------------------------------------------------------------

    def _browse(
        self, target: Target, result: ScanResult, deadline: float, pages: int, screenshot: bool
    ) -> None:
        collector = Collector(target.host)
        self.runtime.blocked_hosts.clear()
        # If Chromium stops answering, killing it turns the hung call into an exception.
        guard_timer = watchdog(max(1.0, deadline - time.monotonic()) + 15, self.runtime.kill)
        context = None
        session = _Session(self, collector, deadline, pages, screenshot)
        try:
            try:
                context = self._new_context()
            except Exception as exc:
                result.error = codes.BROWSER_FAILED
                result.errorMessage = "The browser could not be started"
                logger.exception("browser launch failed", exc)
                return
            try:
                session.run(context, target, result)
            except Exception as exc:
                # The browser died or stopped answering mid-scan: report what was seen, and let
                # the next scan start a new one.
                logger.exception("browser failed during a scan", exc, domain=target.host)
                result.error, result.partial = codes.BROWSER_FAILED, True
                result.errorMessage = "The browser stopped during the scan; the result is partial"
                self.runtime.discard()
                context = None
        finally:
            if context is not None:
                with contextlib.suppress(Exception):
                    result.cookies = session.cookies.listing(
                        context.cookies() + session.side_cookies, collector.is_third_party
                    )
                    result.thirdPartyCookies = len(result.cookies)
                with contextlib.suppress(Exception):
                    context.close()
            guard_timer.cancel()
            session.finish(result)

    def _new_context(self) -> Any:
        """A fresh context; a browser that died since the last scan is relaunched first."""
        for attempt in (1, 2):
            try:
                return self.runtime.browser().new_context(
                    service_workers="block",
                    accept_downloads=False,
                    viewport={"width": 1366, "height": 900},
                    locale="en-US",
                )
            except Exception:
                if attempt == 2:
                    raise
                self.runtime.discard()
        raise AssertionError("unreachable")


class _Session:
    """One scan's browser work: the listeners, the steps, and what they saw."""

    def __init__(
        self,
        scanner: PixelScanner,
        collector: Collector,
        deadline: float,
        pages: int = 1,
        screenshot: bool = False,
    ) -> None:
        self.scanner = scanner
        self.collector = collector
        self.deadline = deadline
        self.pages = pages
        self.want_screenshot = screenshot
        self.screenshot: bytes | None = None
        self.observed: list[tuple[str, str, bytes | None, str]] = []
        self.cdp_bodies: dict[str, list[bytes]] = {}
        self.last_activity = time.monotonic()
        self.blocked = 0
        self.instrument = Instrumentation()
        self.cookies = CookieLog()
        self.activity = ThirdPartyActivity(collector.is_third_party)
        self.visited: list[str] = []
        self.attached: list[Any] = []
        self.side_cookies: list[dict[str, Any]] = []
        # Requests are labelled by the tab they came from: the page being scanned is in
        # `self.step` (load, scroll, form, dwell), the tab clicking calls to action in
        # `self.side_step` (click:<label>), so clicks can run while the first page dwells.
        self.page: Any = None
        self.step = "load"
        self.side_step = "load"

    # time ----------------------------------------------------------------------------------
    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def budget_ms(self, cap: float | None = None) -> float:
        left = self.remaining()
        if left <= 0:
            raise ScanTimeout
        return max(1.0, (min(left, cap) if cap is not None else left) * 1000)

    # listeners ------------------------------------------------------------------------------
    def on_request(self, request: Any) -> None:
        self.last_activity = time.monotonic()
        try:
            main = request.frame.page is self.page
        except Exception:
            main = True  # a worker's request: no frame, so it belongs to the page being scanned
        if main:
            self.activity.note(request.url)
        body = None
        if request.method != "GET":
            with contextlib.suppress(Exception):
                body = request.post_data_buffer
        step = self.step if main else self.side_step
        self.observed.append((request.url, request.method, body, step))

    def on_activity(self, *_: Any) -> None:
        self.last_activity = time.monotonic()

    def on_cdp_request(self, event: dict[str, Any]) -> None:
        self.cookies.on_request(event)
        request = event.get("request") or {}
        data = request.get("postData")
        if data and request.get("method") == "POST":
            self.cdp_bodies.setdefault(request.get("url", ""), []).append(data.encode())

    def route(self, route: Any) -> None:
        """Re-check every request at request time; the egress proxy checks again below."""
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("http:", "https:")) and not self.scanner.guard.permits(host):
            self.blocked += 1
            with contextlib.suppress(Exception):
                route.abort("blockedbyclient")
            return
        with contextlib.suppress(Exception):
            route.continue_()

    def attach_page(self, page: Any) -> None:
        """Read the page's network through CDP too: beacon bodies and raw Set-Cookie headers.
        Called for pages the scanner opens before they navigate, and for popups as they open."""
        if page in self.attached:
            return
        self.attached.append(page)
        with contextlib.suppress(Exception):
            cdp = page.context.new_cdp_session(page)
            cdp.on("Network.requestWillBeSent", self.on_cdp_request)
            cdp.on("Network.responseReceived", self.cookies.on_response)
            cdp.on("Network.responseReceivedExtraInfo", self.cookies.on_response_headers)
            cdp.send("Network.enable", {"maxPostDataSize": 65536})

    # steps ----------------------------------------------------------------------------------
    def prepare(self, context: Any) -> None:
        """Routing, the vendor-stub hook, instrumentation and listeners for a new context."""
        context.route("**/*", self.route)
        if self.scanner.context_setup:
            self.scanner.context_setup(context)
        self.instrument.install(context)
        context.on("request", self.on_request)
        context.on("requestfinished", self.on_activity)
        context.on("requestfailed", self.on_activity)
        context.on("page", self.attach_page)

    def run(self, context: Any, target: Target, result: ScanResult) -> None:
        self.prepare(context)
        try:
            page = context.new_page()
            self.attach_page(page)
            self.page = page
            try:
                response = page.goto(
                    target.url, wait_until="domcontentloaded", timeout=self.budget_ms()
                )
            except ScanTimeout:
                raise
            except Exception as exc:
                if self.remaining() <= 0.05:
                    raise ScanTimeout from exc
                if _browser_gone(exc) or not self.scanner.runtime.running:
                    raise
                self.navigation_failed(exc, target, result)
                return
            result.finalUrl = page.url
            self.collector.add_first_party(urlsplit(page.url).hostname or "")
            egress = response.headers.get(MARKER.lower()) if response is not None else None
            if egress == "blocked":
                result.error = codes.BLOCKED_ADDRESS
                result.errorMessage = BLOCKED_REDIRECT.format(url=target.url)
                return
            if egress == "unreachable":
                result.error = codes.NAVIGATION_FAILED
                result.errorMessage = f"Could not load {target.url}: the site could not be reached"
                return
            if response is not None and response.status >= 500:
                result.error = codes.NAVIGATION_FAILED
                result.errorMessage = (
                    f"Could not load {target.url}: the site answered HTTP {response.status}"
                )
                return
            self.visited.append(page.url)
            result.pagesVisited = self.visited
            home_links = self.visit(page, "", self.scanner.dwell, clicks=True)
            result.finalUrl = page.url
            self.next_pages(page, home_links)
        except ScanTimeout:
            result.error = codes.TIMEOUT
            result.partial = True
            result.errorMessage = "The scan ran out of time; the result is partial"
            with contextlib.suppress(Exception):
                result.finalUrl = result.finalUrl or self.page.url

    def navigation_failed(self, exc: Exception, target: Target, result: ScanResult) -> None:
        if self.scanner.runtime.blocked_hosts or self.blocked:
            result.error = codes.BLOCKED_ADDRESS
            result.errorMessage = BLOCKED_REDIRECT.format(url=target.url)
        else:
            result.error = codes.NAVIGATION_FAILED
            result.errorMessage = _navigation_message(exc, target.url)

    def wait(self, seconds: float) -> None:
        ms = min(seconds, self.remaining()) * 1000
        if ms <= 0:
            raise ScanTimeout
        self.page.wait_for_timeout(ms)

    def settle(self) -> None:
        """Wait until no request has started or ended for a moment, within a cap."""
        quiet, cap = self.scanner.settle_quiet, self.scanner.settle_max
        # Events arrive only while Playwright is waited on, so the step's start counts as activity.
        self.last_activity = time.monotonic()
        until = self.last_activity + cap
        while time.monotonic() < until:
            if time.monotonic() - self.last_activity >= quiet:
                return
            self.wait(0.05)
        if self.remaining() <= 0:
            raise ScanTimeout

    def visit(self, page: Any, prefix: str, dwell: float, clicks: bool = False) -> list[Link]:
        """Load, scroll, type into the forms, then watch for delayed tags (clicking the calls to
        action in a second tab meanwhile, when `clicks`); returns the page's links."""
        load_ms = self.budget_ms(self.scanner.load_wait)
        with contextlib.suppress(Exception):
            page.wait_for_load_state("load", timeout=load_ms)
        loaded = time.monotonic()
        self.settle()
        if not prefix and self.want_screenshot:
            self.take_screenshot(page)
        second = self.open_second_tab(page) if clicks else None
        try:
            self.step = f"{prefix}scroll"
            self.scroll()
            self.settle()
            self.step = f"{prefix}form"
            typed = forms.fill(page, self.budget_ms(5))
            if typed:
                self.collector.keylogging.typed(typed)
                self.settle()
            self.step = f"{prefix}dwell"
            if second is not None:
                self.click_in(second[1], page.url)
            self.dwell(loaded, dwell)
        finally:
            if second is not None:
                with contextlib.suppress(Exception):
                    self.side_cookies = second[0].cookies()
                with contextlib.suppress(Exception):
                    second[0].close()
        return self.collector.facts.read(page)

    def take_screenshot(self, page: Any) -> None:
        """The first page as loaded, before the scanner scrolls it: the viewport only, so the
        PNG stays small whatever the page's length."""
        try:
            self.screenshot = page.screenshot(
                type="png", full_page=False, timeout=self.budget_ms(SCREENSHOT_WAIT_S)
            )
        except ScanTimeout:
            raise
        except Exception as exc:
            if _browser_gone(exc):
                raise
            logger.warning("screenshot failed", error=type(exc).__name__)

    def dwell(self, since: float, minimum: float) -> None:
        """Watch until `minimum` seconds after `since` and a quiet spell, within the cap."""
        scanner = self.scanner
        until, cap = since + minimum, since + max(minimum, scanner.dwell_max)
        while (now := time.monotonic()) < cap:
            if now >= until and self.activity.quiet_for() >= scanner.dwell_quiet:
                return
            self.wait(0.05)

    def next_pages(self, page: Any, found: list[Link]) -> None:
        """Visit up to `pages` - 1 more pages of the site, appointment and doctor pages first."""
        for number in range(2, self.pages + 1):
            choice = links.choose(found, self.collector.is_same_site, self.visited, 1)
            if not choice:
                return
            self.step = f"page{number}:load"
            self.visited.append(choice[0])
            if self.open(page, choice[0]):
                found = found + self.visit(page, f"page{number}:", self.scanner.next_page_dwell)

    def open(self, page: Any, url: str) -> bool:
        """Navigate to another page of the site; False when it does not load."""
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=self.budget_ms(10))
        except ScanTimeout:
            raise
        except Exception as exc:
            if _browser_gone(exc):
                raise
            return False
        return True

    def scroll(self) -> None:
        page = self.page
        # Moving the mouse and turning the wheel is the "first interaction" that delay loaders
        # (Flying Scripts, WP Rocket, Perfmatters) wait for before injecting their tags.
        with contextlib.suppress(Exception):
            page.mouse.move(200, 300)
        for _ in range(3):
            with contextlib.suppress(Exception):
                page.mouse.wheel(0, 1200)
            self.wait(0.05)
        with contextlib.suppress(Exception):
            page.evaluate("window.scrollTo(0, document.body ? document.body.scrollHeight : 0)")

    def open_second_tab(self, page: Any) -> tuple[Any, Any] | None:
        """Start loading the page again in a second tab, for the calls to action, so that clicks
        leading elsewhere do not reload the page being watched for delayed tags. It loads while
        the first tab scrolls and types; None when the page has no call to action."""
        try:
            labels = page.evaluate(_FIND_CTAS, CTA_PATTERN)
        except Exception:
            return None
        if not labels:
            return None
        self.side_step = "load"
        # A context of its own: loading the same page again in the same context would have
        # Chromium preconnect to every origin it just learned, behind the routing's back.
        context = self.scanner._new_context()
        try:
            self.prepare(context)
            side = context.new_page()
            self.attach_page(side)
            # Navigation starts without waiting for it; click_in waits.
            side.evaluate("(url) => { window.location.href = url; }", page.url)
        except Exception:
            with contextlib.suppress(Exception):
                context.close()
            raise
        return context, side

    def click_in(self, side: Any, home: str) -> None:
        ready_ms = self.budget_ms(10)
        try:
            # Any URL but the blank one it started on: the site may redirect the second load.
            side.wait_for_url(
                lambda url: url != "about:blank", wait_until="domcontentloaded", timeout=ready_ms
            )
        except ScanTimeout:
            raise
        except Exception as exc:
            if _browser_gone(exc):
                raise
            return
        self.click_calls_to_action(side, home)

    def click_calls_to_action(self, side: Any, home: str) -> None:
        clicked: set[str] = set()
        for _ in range(self.scanner.max_clicks):
            try:
                labels = side.evaluate(_FIND_CTAS, CTA_PATTERN)
            except Exception:
                labels = []
            choice = next(
                ((i, label) for i, label in enumerate(labels) if label.lower() not in clicked),
                None,
            )
            if choice is None:
                return
            index, label = choice
            clicked.add(label.lower())
            self.side_step = f"click:{label[:60]}"
            click_ms = self.budget_ms(3)
            forms.hold(side)
            with contextlib.suppress(Exception):
                side.click(f'[data-pixel-scan-cta="{index}"]', timeout=click_ms, no_wait_after=True)
            ready_ms = self.budget_ms(5)
            with contextlib.suppress(Exception):
                side.wait_for_load_state("domcontentloaded", timeout=ready_ms)
            self.settle()
            self.collector.facts.read(side)
            for extra in side.context.pages:
                if extra is not side:
                    with contextlib.suppress(Exception):
                        extra.close()
            if side.url.split("#")[0] != home.split("#")[0]:
                # Back on the first page: its own pixels again, as they were on load.
                self.side_step = "load"
                if not self.open(side, home):
                    return

    # results --------------------------------------------------------------------------------
    def finish(self, result: ScanResult) -> None:
        collector = self.collector
        result.screenshot = self.screenshot
        for url, method, body, step in self.observed:
            if method == "POST" and not body and self.cdp_bodies.get(url):
                body = self.cdp_bodies[url].pop(0)
            collector.observe(url, body, step, self.instrument.initiator(url))
        result.pixels = collector.pixels()
        result.fingerprinting = fingerprinting.findings(self.instrument.calls)
        result.keyLogging = collector.keylogging.findings()
        result.sessionRecorders = collector.recorders.entries()
        result.leaks = collector.leaks.entries()
        result.thirdPartyDomains = collector.third_party_domains()
        result.blockedRequests = self.blocked + len(self.scanner.runtime.blocked_hosts)
