"""Playwright's public error classes: the only exceptions the scanner catches around a browser
call. TimeoutError is a subclass of Error; a page, context or browser that has gone away also
raises Error (ScanSession.gone() tells that case apart by the objects' state)."""

from __future__ import annotations

from playwright.sync_api import Error as BrowserError
from playwright.sync_api import TimeoutError as BrowserTimeout

__all__ = ["BrowserError", "BrowserTimeout"]
