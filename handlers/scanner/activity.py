"""When the page last did something new towards a third party: a request to a third-party host
and path not seen before in this scan. A delayed tag shows up as exactly that; a recorder's
periodic uploads to the same endpoint do not, so they cannot keep a scan waiting."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit


class ThirdPartyActivity:
    """Feed it every request URL; `last_new` is when the latest new third-party one started."""

    def __init__(
        self, is_third_party: Callable[[str], bool], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.is_third_party = is_third_party
        self.clock = clock
        self.last_new = clock()
        self._seen: set[tuple[str, str]] = set()

    def note(self, url: str) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host or parts.scheme not in ("http", "https", "ws", "wss"):
            return
        key = (host, parts.path)
        if key in self._seen or not self.is_third_party(host):
            return
        self._seen.add(key)
        self.last_new = self.clock()

    def quiet_for(self) -> float:
        """Seconds since the last new third-party request."""
        return self.clock() - self.last_new
