"""Third-party cookies: each one the scan left in the browser, with its expiry and the response
whose `Set-Cookie` header set it (from Chromium's raw response headers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from handlers.scanner import masking

MAX_RESPONSES = 2000


def _domain_matches(host: str, domain: str) -> bool:
    domain = domain.lstrip(".").lower()
    return host == domain or host.endswith("." + domain)


def _expiry(value: Any) -> str | None:
    """ISO time of a cookie's expiry; None for a session cookie."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds <= 0:
        return None
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


class CookieLog:
    """Fed with CDP network events; lists the third-party cookies of a browser context."""

    def __init__(self) -> None:
        self._urls: dict[str, str] = {}
        self._set_cookie: dict[str, list[str]] = {}

    def on_request(self, event: dict[str, Any]) -> None:
        """Network.requestWillBeSent: remembers which URL a request id stands for."""
        request_id, url = event.get("requestId"), (event.get("request") or {}).get("url")
        if isinstance(request_id, str) and isinstance(url, str) and len(self._urls) < MAX_RESPONSES:
            self._urls.setdefault(request_id, url)

    def on_response(self, event: dict[str, Any]) -> None:
        """Network.responseReceived: the URL again, for requests sent before we listened."""
        url = (event.get("response") or {}).get("url")
        self.on_request({"requestId": event.get("requestId"), "request": {"url": url}})

    def on_response_headers(self, event: dict[str, Any]) -> None:
        """Network.responseReceivedExtraInfo: the raw headers, Set-Cookie included."""
        headers = event.get("headers") or {}
        request_id = event.get("requestId")
        if not isinstance(headers, dict) or not isinstance(request_id, str):
            return
        for name, value in headers.items():
            if name.lower() == "set-cookie" and isinstance(value, str):
                names = [line.split("=", 1)[0].strip() for line in value.split("\n")]
                self._set_cookie.setdefault(request_id, []).extend(n for n in names if n)

    def _setter(self, name: str, domain: str) -> str | None:
        for request_id, names in self._set_cookie.items():
            url = self._urls.get(request_id)
            host = (urlsplit(url).hostname or "") if url else ""
            if name in names and _domain_matches(host, domain):
                return url
        return None

    def listing(
        self, cookies: list[dict[str, Any]], is_third_party: Callable[[str], bool]
    ) -> list[dict[str, Any]]:
        """`[{domain, name, expires, setBy}]` for the third-party cookies among `cookies`."""
        listed = []
        for cookie in cookies:
            domain = str(cookie.get("domain") or "").lstrip(".")
            name = str(cookie.get("name") or "")
            if not domain or not is_third_party(domain):
                continue
            setter = self._setter(name, domain)
            listed.append(
                {
                    "domain": domain,
                    "name": name[:100],
                    "expires": _expiry(cookie.get("expires")),
                    "setBy": masking.mask_url(setter) if setter else None,
                }
            )
        return sorted(listed, key=lambda c: (c["domain"], c["name"]))
