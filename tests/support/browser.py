"""Debian's Chromium under Playwright, with the flags every browser test uses."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """$CHROMIUM_PATH, else the chromium on PATH."""
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    assert executable, "no Chromium: run `make install`, or set CHROMIUM_PATH"
    return executable


@contextmanager
def chromium() -> Iterator:
    """A launched Playwright browser, closed on exit.

    Use it from module-scoped fixtures: Playwright's sync API holds an asyncio loop on the main
    thread while it runs, which would break asyncio.run() in every test collected after it.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()
