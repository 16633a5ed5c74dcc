"""Chromium, launched once per container and reused; relaunched after a crash; closed with a kill
as the last resort. Playwright is imported here, lazily, and nowhere else."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from handlers.scanner import processes
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


class BrowserRuntime:
    """Owns the Playwright driver, one Chromium, the egress proxy and a private temp directory."""

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
        self.blocked_hosts: list[str] = []
        self._playwright: Any = None
        self._browser: Any = None
        self._proxy: EgressProxy | None = None
        self._dir: Path | None = None
        self._driver_pids: list[int] = []
        self._browser_pids: list[int] = []

    @property
    def running(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    @property
    def work_dir(self) -> Path | None:
        """Where the driver and browser keep their files; removed by close()."""
        return self._dir

    def _record_block(self, host: str) -> None:
        self.blocked_hosts.append(host)

    def browser(self) -> Any:
        """The running browser, launching (or relaunching after a crash) when needed."""
        if self.running:
            return self._browser
        if self._browser is not None:
            self._discard_browser()
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="pixel-scanner-"))
            for sub in ("tmp", "home"):
                (self._dir / sub).mkdir()
        if self._proxy is None:
            self._proxy = EgressProxy(self.guard, on_blocked=self._record_block)
        if self._playwright is None:
            self._playwright = self._start_driver()
        try:
            self._browser = self._launch()
        except Exception:
            # The driver itself may be gone; start a new one and try once more.
            self._stop_driver()
            self._playwright = self._start_driver()
            self._browser = self._launch()
        self.launches += 1
        return self._browser

    def _start_driver(self) -> Any:
        from playwright.sync_api import sync_playwright

        assert self._dir is not None
        before = set(processes.descendants())
        # The driver creates the browser's profile under its TMPDIR; keep it in our directory.
        previous = os.environ.get("TMPDIR")
        os.environ["TMPDIR"] = str(self._dir / "tmp")
        try:
            started = sync_playwright().start()
            self._driver_pids = processes.new_children(before)
            return started
        finally:
            if previous is None:
                os.environ.pop("TMPDIR", None)
            else:
                os.environ["TMPDIR"] = previous

    def _launch(self) -> Any:
        assert self._dir is not None and self._proxy is not None
        env = {
            **os.environ,
            "TMPDIR": str(self._dir / "tmp"),
            "HOME": str(self._dir / "home"),
            "XDG_CONFIG_HOME": str(self._dir / "home" / ".config"),
            "XDG_CACHE_HOME": str(self._dir / "home" / ".cache"),
        }
        before = {pid for driver in self._driver_pids for pid in processes.descendants(driver)}
        browser = self._playwright.chromium.launch(
            executable_path=self.executable_path,
            args=[*BASE_ARGS, f"--proxy-server={self._proxy.url}", *self.extra_args],
            env=env,
            timeout=self.launch_timeout * 1000,
            handle_sigint=False,
            handle_sigterm=False,
            handle_sighup=False,
        )
        self._browser_pids = [
            pid for driver in self._driver_pids for pid in processes.new_children(before, driver)
        ]
        return browser

    def _discard_browser(self) -> None:
        browser, self._browser = self._browser, None
        with contextlib.suppress(Exception):
            browser.close()
        self.kill()

    def _stop_driver(self) -> None:
        playwright, self._playwright = self._playwright, None
        if playwright is not None:
            with contextlib.suppress(Exception):
                playwright.stop()

    def kill(self) -> None:
        """SIGKILL the browser's processes: unblocks any Playwright call waiting on them."""
        for pid in self._browser_pids:
            processes.kill_tree(pid)

    def _kill_all(self) -> None:
        self.kill()
        for pid in self._driver_pids:
            processes.kill_tree(pid)

    @property
    def pids(self) -> list[int]:
        """The driver's and browser's processes, with all their children."""
        roots = [*self._driver_pids]
        return [p for root in roots for p in [root, *processes.descendants(root)]]

    def close(self, timeout: float = 5.0) -> None:
        """Close the browser and driver; after `timeout` seconds, kill them instead."""
        watchdog = threading.Timer(timeout, self._kill_all)
        watchdog.daemon = True
        watchdog.start()
        try:
            browser, self._browser = self._browser, None
            if browser is not None:
                with contextlib.suppress(Exception):
                    browser.close()
            self._stop_driver()
        finally:
            watchdog.cancel()
        self._kill_all()
        self._driver_pids, self._browser_pids = [], []
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
