"""One scan's browser work, step by step: open the site, load, look, scroll, type into forms,
click the calls to action in a second tab while the first page dwells, visit the next pages,
then turn what the listeners saw into the result."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from handlers.core.log import logger
from handlers.scanner import fingerprinting, forms, links
from handlers.scanner import result as codes
from handlers.scanner.activity import ThirdPartyActivity
from handlers.scanner.browser_errors import BrowserError, BrowserTimeout
from handlers.scanner.cookies import CookieLog
from handlers.scanner.egress import MARKER
from handlers.scanner.instrument import Instrumentation
from handlers.scanner.pagefacts import Link
from handlers.scanner.result import Collector, ScanResult
from handlers.scanner.target import Target

if TYPE_CHECKING:
    from handlers.scanner.engine import PixelScanner

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
_NET_ERRORS = {
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


class ScanTimeout(Exception):
    """The scan's time budget ran out."""


def navigation_message(error: Exception, url: str) -> str:
    """A plain sentence for a failed navigation, without Playwright's call log."""
    text = str(error).split("\n", 1)[0]
    found = re.search(r"net::(ERR_[A-Z_]+)", text)
    if found:
        code = found.group(1)
        reason = _NET_ERRORS.get(code) or (
            "its TLS certificate is not valid" if "CERT" in code else code.lower()
        )
    else:
        reason = "the page could not be opened"
    return f"Could not load {url}: {reason}"


class ScanSession:
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

    # 1. the scan, start to end --------------------------------------------------------------
    def run(self, context: Any, target: Target, result: ScanResult) -> None:
        """Every step of one scan in `context`; what the steps saw goes to `result` in finish()."""
        self.prepare(context)
        try:
            self.page = context.new_page()
            self.attach_page(self.page)
            if not self.open_first_page(target, result):
                return
            home_links = self.visit(self.page, "", self.scanner.dwell, clicks=True)
            result.finalUrl = self.page.url
            self.next_pages(self.page, home_links)
        except ScanTimeout:
            result.error = codes.TIMEOUT
            result.partial = True
            result.errorMessage = "The scan ran out of time; the result is partial"
            if not result.finalUrl and self.page is not None and not self.page.is_closed():
                result.finalUrl = self.page.url

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

    def open_first_page(self, target: Target, result: ScanResult) -> bool:
        """Navigate to the target; False (with the error in `result`) when there is no page to
        scan: it did not load, redirected somewhere non-public, or answered a 5xx."""
        page = self.page
        try:
            response = page.goto(
                target.url, wait_until="domcontentloaded", timeout=self.budget_ms()
            )
        except BrowserError as exc:
            if isinstance(exc, BrowserTimeout) and self.remaining() <= 0.05:
                raise ScanTimeout from exc
            if self.gone(page):
                raise
            self.navigation_failed(exc, target, result)
            return False
        result.finalUrl = page.url
        self.collector.add_first_party(urlsplit(page.url).hostname or "")
        egress = response.headers.get(MARKER.lower()) if response is not None else None
        if egress == "blocked":
            result.error = codes.BLOCKED_ADDRESS
            result.errorMessage = BLOCKED_REDIRECT.format(url=target.url)
            return False
        if egress == "unreachable":
            result.error = codes.NAVIGATION_FAILED
            result.errorMessage = f"Could not load {target.url}: the site could not be reached"
            return False
        if response is not None and response.status >= 500:
            result.error = codes.NAVIGATION_FAILED
            result.errorMessage = (
                f"Could not load {target.url}: the site answered HTTP {response.status}"
            )
            return False
        self.visited.append(page.url)
        result.pagesVisited = self.visited
        return True

    def navigation_failed(self, exc: Exception, target: Target, result: ScanResult) -> None:
        if self.scanner.runtime.blocked_hosts or self.blocked:
            result.error = codes.BLOCKED_ADDRESS
            result.errorMessage = BLOCKED_REDIRECT.format(url=target.url)
        else:
            result.error = codes.NAVIGATION_FAILED
            result.errorMessage = navigation_message(exc, target.url)

    # 2. one page: load, screenshot, scroll, forms, clicks, dwell ----------------------------
    def visit(self, page: Any, prefix: str, dwell: float, clicks: bool = False) -> list[Link]:
        """Load, scroll, type into the forms, then watch for delayed tags (clicking the calls to
        action in a second tab meanwhile, when `clicks`); returns the page's links."""
        self.wait_for_load(page)
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
                self.close_second_tab(second[0])
        return self.collector.facts.read(page)

    def wait_for_load(self, page: Any) -> None:
        """Wait for the load event, up to the scanner's load wait; a page that never fires it
        is scanned as it is."""
        load_ms = self.budget_ms(self.scanner.load_wait)
        try:
            page.wait_for_load_state("load", timeout=load_ms)
        except BrowserTimeout:
            return
        except BrowserError:
            if self.gone(page):
                raise

    def take_screenshot(self, page: Any) -> None:
        """The first page as loaded, before the scanner scrolls it: the viewport only, so the
        PNG stays small whatever the page's length."""
        try:
            self.screenshot = page.screenshot(
                type="png", full_page=False, timeout=self.budget_ms(SCREENSHOT_WAIT_S)
            )
        except BrowserError as exc:
            if self.gone(page):
                raise
            logger.warning("screenshot failed", errorType=type(exc).__name__)

    def open_second_tab(self, page: Any) -> tuple[Any, Any] | None:
        """Start loading the page again in a second tab, for the calls to action, so that clicks
        leading elsewhere do not reload the page being watched for delayed tags. It loads while
        the first tab scrolls and types; None when the page has no call to action."""
        labels = self.calls_to_action(page)
        if not labels:
            return None
        self.side_step = "load"
        # A context of its own: loading the same page again in the same context would have
        # Chromium preconnect to every origin it just learned, behind the routing's back.
        context = self.scanner.new_context()
        try:
            self.prepare(context)
            side = context.new_page()
            self.attach_page(side)
            # Navigation starts without waiting for it; click_in waits.
            side.evaluate("(url) => { window.location.href = url; }", page.url)
        except BrowserError:
            self.close_second_tab(context)
            raise
        return context, side

    def scroll(self) -> None:
        """Move the mouse, turn the wheel three times, then jump to the bottom of the page."""
        page = self.page
        # Moving the mouse and turning the wheel is the "first interaction" that delay loaders
        # (Flying Scripts, WP Rocket, Perfmatters) wait for before injecting their tags.
        self.attempt(page, page.mouse.move, 200, 300)
        for _ in range(3):
            self.attempt(page, page.mouse.wheel, 0, 1200)
            self.wait(0.05)
        self.attempt(
            page,
            page.evaluate,
            "window.scrollTo(0, document.body ? document.body.scrollHeight : 0)",
        )

    def click_in(self, side: Any, home: str) -> None:
        """Once the second tab has loaded, click its calls to action. A second tab that does not
        load, or that the site closes, ends the clicking; a browser that is gone ends the scan."""
        ready_ms = self.budget_ms(10)
        try:
            # Any URL but the blank one it started on: the site may redirect the second load.
            side.wait_for_url(
                lambda url: url != "about:blank", wait_until="domcontentloaded", timeout=ready_ms
            )
            self.click_calls_to_action(side, home)
        except BrowserError:
            if not self.scanner.runtime.running:
                raise

    def click_calls_to_action(self, side: Any, home: str) -> None:
        clicked: set[str] = set()
        for _ in range(self.scanner.max_clicks):
            labels = self.calls_to_action(side)
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
            target = f'[data-pixel-scan-cta="{index}"]'
            self.attempt(side, side.click, target, timeout=click_ms, no_wait_after=True)
            ready_ms = self.budget_ms(5)
            self.attempt(side, side.wait_for_load_state, "domcontentloaded", timeout=ready_ms)
            self.settle()
            self.collector.facts.read(side)
            for extra in side.context.pages:
                if extra is not side:
                    with contextlib.suppress(BrowserError):  # a popup that closed itself
                        extra.close()
            if side.url.split("#")[0] != home.split("#")[0]:
                # Back on the first page: its own pixels again, as they were on load.
                self.side_step = "load"
                if not self.open(side, home):
                    return

    def calls_to_action(self, page: Any) -> list[str]:
        """The labels of the page's calls to action, each element marked with its index."""
        try:
            found = page.evaluate(_FIND_CTAS, CTA_PATTERN)
        except BrowserError:
            if self.gone(page):
                raise
            return []
        return [label for label in found or () if isinstance(label, str)]

    def dwell(self, since: float, minimum: float) -> None:
        """Watch until `minimum` seconds after `since` and a quiet spell, within the cap."""
        scanner = self.scanner
        until, cap = since + minimum, since + max(minimum, scanner.dwell_max)
        while (now := time.monotonic()) < cap:
            if now >= until and self.activity.quiet_for() >= scanner.dwell_quiet:
                return
            self.wait(0.05)

    def close_second_tab(self, context: Any) -> None:
        """Keep the second tab's cookies, then close its context."""
        try:
            self.side_cookies = context.cookies()
        except BrowserError:
            logger.warning("second tab cookies unreadable")
        try:
            context.close()
        except BrowserError:
            logger.warning("second tab did not close")

    # 3. the next pages ----------------------------------------------------------------------
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
        except BrowserError:
            if self.gone(page):
                raise
            return False
        return True

    # 4. the result --------------------------------------------------------------------------
    def finish(self, result: ScanResult) -> None:
        """Attribute every observed request, and fill the result's findings."""
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

    # listeners (Playwright calls these while a step waits on it) ----------------------------
    def on_request(self, request: Any) -> None:
        self.last_activity = time.monotonic()
        try:
            main = request.frame.page is self.page
        except BrowserError:
            main = True  # a worker's request: no frame, so it belongs to the page being scanned
        if main:
            self.activity.note(request.url)
        body = None
        if request.method != "GET":
            try:
                body = request.post_data_buffer
            except (BrowserError, ValueError):  # ValueError: a body that is not valid base64
                body = None
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
        try:
            if url.startswith(("http:", "https:")) and not self.scanner.guard.permits(host):
                self.blocked += 1
                route.abort("blockedbyclient")
            else:
                route.continue_()
        except BrowserError:
            # The page went away (or the request was answered) while it was routed.
            return

    def attach_page(self, page: Any) -> None:
        """Read the page's network through CDP too: beacon bodies and raw Set-Cookie headers.
        Called for pages the scanner opens before they navigate, and for popups as they open."""
        if page in self.attached:
            return
        self.attached.append(page)
        try:
            cdp = page.context.new_cdp_session(page)
            cdp.on("Network.requestWillBeSent", self.on_cdp_request)
            cdp.on("Network.responseReceived", self.cookies.on_response)
            cdp.on("Network.responseReceivedExtraInfo", self.cookies.on_response_headers)
            cdp.send("Network.enable", {"maxPostDataSize": 65536})
        except BrowserError:
            # A popup closed as it opened: its requests still reach on_request.
            logger.info("popup closed before it could be watched")

    # time and waiting -----------------------------------------------------------------------
    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def budget_ms(self, cap: float | None = None) -> float:
        """What is left of the scan's time, in ms, at most `cap` seconds; ScanTimeout at zero."""
        left = self.remaining()
        if left <= 0:
            raise ScanTimeout
        return max(1.0, (min(left, cap) if cap is not None else left) * 1000)

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

    # browser calls that may fail --------------------------------------------------------------
    def gone(self, page: Any) -> bool:
        """True when `page`, its context or the browser itself has gone away: the scan cannot go
        on, unlike a step that merely failed on a page that is still there."""
        return page.is_closed() or not self.scanner.runtime.running

    def attempt(self, page: Any, action: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Call `action(*args, **kwargs)`, an interaction with `page` the scan can do without (a
        click, a scroll): its failure is ignored unless the page or browser is gone."""
        try:
            action(*args, **kwargs)
        except BrowserError:
            if self.gone(page):
                raise
