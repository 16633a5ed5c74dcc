"""PixelScanner: validate a target, give it a browser context and a time budget, and turn what
its ScanSession saw (load, scroll, forms, calls to action) into the ScanResult."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from handlers.core.log import logger
from handlers.scanner import result as codes
from handlers.scanner.addresses import AddressPolicy
from handlers.scanner.browser import BrowserRuntime, chromium_path, watchdog
from handlers.scanner.browser_errors import BrowserError
from handlers.scanner.options import check_pages
from handlers.scanner.result import Collector, ScanResult
from handlers.scanner.session import ScanSession
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
# The window every page is scanned (and screenshotted) in: a common laptop screen.
VIEWPORT = {"width": 1366, "height": 900}


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


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
        session = ScanSession(self, collector, deadline, pages, screenshot)
        context = None
        try:
            try:
                context = self.new_context()
            except (BrowserError, OSError) as exc:
                result.error = codes.BROWSER_FAILED
                result.errorMessage = "The browser could not be started"
                logger.exception("browser launch failed", exc)
                return
            try:
                session.run(context, target, result)
            except BrowserError as exc:
                # The browser died or stopped answering mid-scan: report what was seen, and let
                # the next scan start a new one.
                logger.exception("browser failed during a scan", exc, domain=target.host)
                self._partial(result, "The browser stopped during the scan; the result is partial")
                context = None
            except Exception as exc:
                # A fault of the scanner's own: the site still gets a result, not a traceback.
                logger.exception("scan failed", exc, domain=target.host)
                self._partial(result, "The scan failed unexpectedly; the result is partial")
                context = None
        finally:
            if context is not None:
                self._read_cookies(context, session, collector, result)
                self._close(context)
            guard_timer.cancel()
            session.finish(result)

    def _partial(self, result: ScanResult, message: str) -> None:
        result.error, result.partial, result.errorMessage = codes.BROWSER_FAILED, True, message
        self.runtime.discard()

    @staticmethod
    def _read_cookies(
        context: Any, session: ScanSession, collector: Collector, result: ScanResult
    ) -> None:
        try:
            jar = context.cookies()
        except BrowserError:
            logger.warning("cookies unreadable after the scan")
            return
        result.cookies = session.cookies.listing(
            jar + session.side_cookies, collector.is_third_party
        )
        result.thirdPartyCookies = len(result.cookies)

    @staticmethod
    def _close(context: Any) -> None:
        try:
            context.close()
        except BrowserError:
            logger.warning("browser context did not close")

    def new_context(self) -> Any:
        """A fresh context; a browser that died since the last scan is relaunched first."""
        for attempt in (1, 2):
            try:
                return self.runtime.browser().new_context(
                    service_workers="block",
                    accept_downloads=False,
                    viewport=VIEWPORT,
                    locale="en-US",
                )
            except BrowserError:
                if attempt == 2:
                    raise
                self.runtime.discard()
        raise AssertionError("unreachable")
