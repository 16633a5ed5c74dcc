"""Chromium, launched once per container and reused; relaunched after a crash; closed with a kill
as the last resort. Playwright is started here (lazily) and nowhere else; its error classes are
in browser_errors."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from handlers.scanner import cookie_policy, processes
from handlers.scanner.browser_errors import BrowserError
from handlers.scanner.egress import EgressProxy
from handlers.scanner.target import HostGuard

DEBIAN_CHROMIUM = "/usr/bin/chromium"
BASE_ARGS = (
    "--no-sandbox",  # Lambda has no user namespaces; the sandbox cannot start there
    "--disable-gpu",
    "--disable-dev-shm-usage",  # /dev/shm is tiny on Lambda
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--mute-audio",
    # Nothing of the browser's own (updates, sign-in, safe browsing pings) should leave the box.
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-client-side-phishing-detection",
    "--disable-domain-reliability",
    "--no-pings",
    # Typing into forms would ask Google's autofill servers what the fields are, and hints
    # fetching sends the visited URLs to Google. (Chromium reads only one --disable-features.)
    "--disable-features=AutofillServerCommunication,OptimizationHints,OptimizationHintsFetching",
    "--disable-breakpad",
    # Every connection goes through the egress proxy, loopback included, and WebRTC may not
    # open UDP paths around it.
    "--proxy-bypass-list=<-loopback>",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
)


def chromium_path(environ: dict[str, str] | None = None) -> str | None:
    """CHROMIUM_PATH if set, else Debian's Chromium if present, else None (Playwright's own)."""
    environ = os.environ if environ is None else environ
    configured = environ.get("CHROMIUM_PATH", "").strip()
    if configured:
        return configured
    return DEBIAN_CHROMIUM if Path(DEBIAN_CHROMIUM).exists() else None


class _Driver:
    """The Playwright driver: one per process (its sync API allows no second one in a thread),
    shared by every runtime, stopped when the last runtime closes."""

    def __init__(self) -> None:
        self.playwright: Any = None
        self.pids: list[int] = []
        self.users = 0
        self.dir: Path | None = None

    def acquire(self) -> Any:
        if self.playwright is None:
            from playwright.sync_api import sync_playwright

            self.dir = Path(tempfile.mkdtemp(prefix=f"pixel-scanner-driver-{os.getpid()}-"))
            before = set(processes.descendants())
            # The driver creates each browser's profile under its TMPDIR: keep it in our directory.
            previous = os.environ.get("TMPDIR")
            os.environ["TMPDIR"] = str(self.dir)
            try:
                self.playwright = sync_playwright().start()
            finally:
                if previous is None:
                    os.environ.pop("TMPDIR", None)
                else:
                    os.environ["TMPDIR"] = previous
            self.pids = processes.new_children(before)
        return self.playwright

    def hold(self) -> None:
        self.users += 1

    def release(self) -> None:
        self.users = max(0, self.users - 1)
        if self.users == 0:
            self.stop()

    def stop(self) -> None:
        playwright, self.playwright = self.playwright, None
        if playwright is not None:
            with contextlib.suppress(BrowserError):  # a driver that is already gone
                playwright.stop()
        for pid in self.pids:
            processes.kill_tree(pid)
        self.pids = []
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


_driver = _Driver()


class BrowserRuntime:
    """One Chromium with its egress proxy and private temp directory, on the shared driver."""

    def __init__(
        self,
        guard: HostGuard,
        executable_path: str | None = None,
        extra_args: Iterable[str] = (),
        launch_timeout: float = 30.0,
    ) -> None:
        self.guard = guard
        self.executable_path = executable_path
        self.extra_args = tuple(extra_args)
        self.launch_timeout = launch_timeout
        self.launches = 0
        self.third_party_cookies = False  # allowed in this browser's contexts (cookie_policy)
        self.blocked_hosts: list[str] = []
        self._browser: Any = None
        self._proxy: EgressProxy | None = None
        self._dir: Path | None = None
        self._holding = False
        self._browser_pids: list[int] = []

    @property
    def running(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    @property
    def work_dir(self) -> Path | None:
        """Where the browser keeps its files; removed by close()."""
        return self._dir

    @property
    def pids(self) -> list[int]:
        """The browser's processes: the main one and all its children."""
        return [p for root in self._browser_pids for p in [root, *processes.descendants(root)]]

    def rss_bytes(self) -> int:
        """Resident memory of this process, the Playwright driver and this runtime's browser."""
        driver = [p for root in _driver.pids for p in [root, *processes.descendants(root)]]
        own = {os.getpid(), *driver, *self.pids}
        return sum(processes.rss_bytes(pid) for pid in own)

    def _record_block(self, host: str) -> None:
        self.blocked_hosts.append(host)

    def browser(self) -> Any:
        """The running browser, launching (or relaunching after a crash) when needed."""
        if self.running:
            return self._browser
        if self._browser is not None:
            self.discard()
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix=f"pixel-scanner-{os.getpid()}-"))
            for sub in ("tmp", "home"):
                (self._dir / sub).mkdir()
        if self._proxy is None:
            self._proxy = EgressProxy(self.guard, on_blocked=self._record_block)
        if not self._holding:
            _driver.hold()
            self._holding = True
        try:
            self._browser = self._launch(_driver.acquire())
        except BrowserError:
            # The driver itself may be gone; start a new one and try once more.
            _driver.stop()
            self._browser = self._launch(_driver.acquire())
        self.launches += 1
        self.third_party_cookies = cookie_policy.allow_third_party_cookies(self._browser)
        return self._browser

    def _launch(self, playwright: Any) -> Any:
        assert self._dir is not None and self._proxy is not None
        env = {
            **os.environ,
            "TMPDIR": str(self._dir / "tmp"),
            "HOME": str(self._dir / "home"),
            "XDG_CONFIG_HOME": str(self._dir / "home" / ".config"),
            "XDG_CACHE_HOME": str(self._dir / "home" / ".cache"),
        }
        before = {pid for driver in _driver.pids for pid in processes.descendants(driver)}
        browser = playwright.chromium.launch(
            executable_path=self.executable_path,
            args=[*BASE_ARGS, f"--proxy-server={self._proxy.url}", *self.extra_args],
            env=env,
            timeout=self.launch_timeout * 1000,
            handle_sigint=False,
            handle_sigterm=False,
            handle_sighup=False,
        )
        self._browser_pids = [
            pid for driver in _driver.pids for pid in processes.new_children(before, driver)
        ]
        return browser

    def discard(self) -> None:
        """Forget a dead or broken browser, killing whatever is left of it."""
        browser, self._browser = self._browser, None
        self.kill()
        if browser is not None:
            with contextlib.suppress(BrowserError):  # killed just above: the close may fail
                browser.close()
        self._browser_pids = []

    def kill(self) -> None:
        """SIGKILL the browser's processes: unblocks any Playwright call waiting on them."""
        for pid in self._browser_pids:
            processes.kill_tree(pid)

    def close(self, timeout: float = 5.0) -> None:
        """Close the browser; after `timeout` seconds kill it instead. Removes its files."""
        watchdog = threading.Timer(timeout, self.kill)
        watchdog.daemon = True
        watchdog.start()
        try:
            browser, self._browser = self._browser, None
            if browser is not None:
                with contextlib.suppress(BrowserError):  # a dead browser: the kill below ends it
                    browser.close()
        finally:
            watchdog.cancel()
        self.kill()
        self._browser_pids = []
        if self._holding:
            self._holding = False
            _driver.release()
        if self._proxy is not None:
            self._proxy.close()
            self._proxy = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


def watchdog(seconds: float, action: Callable[[], Any]) -> threading.Timer:
    """Run `action` after `seconds` unless cancelled: the backstop for a hung browser call."""
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()
    return timer
