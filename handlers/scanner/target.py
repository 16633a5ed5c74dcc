"""Turn what a user asked to scan into a safe URL, and check where a host really leads."""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from handlers.scanner.addresses import (
    SCAN_PORTS,
    AddressPolicy,
    InvalidHost,
    IPAddress,
    is_public,
    parse_ip_literal,
)

Resolver = Callable[[str], list[str]]
"""host -> every A and AAAA address, as strings; raises OSError when the name does not resolve."""

MAX_URL_LENGTH = 2048
MAX_HOST_LENGTH = 253
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


class InvalidTarget(ValueError):
    """The request names something that is not a scannable http(s) site."""


class BlockedAddress(InvalidTarget):
    """The host leads to an address that is not globally routable."""


class UnresolvableHost(OSError):
    """The name has no A or AAAA record."""


def system_resolver(host: str) -> list[str]:
    """Every A and AAAA address of `host`, through the system resolver."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({info[4][0].split("%")[0] for info in infos})


@dataclass(frozen=True)
class Target:
    """A validated scan target: the URL to open, its host, and the key it is cached under."""

    url: str
    host: str
    cache_key: str


def normalise_host(raw: str) -> str:
    """IDNA-encode a host name, or canonicalise an IP literal; raise InvalidTarget if neither."""
    host = raw.strip().rstrip(".").lower()
    if not host:
        raise InvalidTarget("the host is empty")
    try:
        literal = parse_ip_literal(host)
    except InvalidHost as exc:
        raise InvalidTarget(str(exc)) from exc
    if literal is not None:
        return f"[{literal}]" if literal.version == 6 else str(literal)
    try:
        ascii_host = ".".join(
            label.encode("idna").decode("ascii") if not label.isascii() else label
            for label in host.split(".")
        )
    except UnicodeError as exc:
        raise InvalidTarget("the host is not a valid internationalised domain name") from exc
    if len(ascii_host) > MAX_HOST_LENGTH:
        raise InvalidTarget(f"the host is longer than {MAX_HOST_LENGTH} characters")
    if not all(_LABEL.match(label) for label in ascii_host.split(".")):
        raise InvalidTarget("the host is not a valid domain name")
    return ascii_host


PORTS_ONLY = "only ports 80 and 443 can be scanned"
_URLSPLIT_REASONS = {
    "Invalid IPv6 URL": "its brackets do not enclose an IPv6 address",
    "IPv4 address cannot be in brackets": "an IPv4 address cannot be in brackets",
    "NFKC": "it contains characters that normalise to URL delimiters",
}


def parse_url(url: str) -> Target:
    """Validate a full URL: http(s) only, no credentials, a valid host, port 80 or 443."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidTarget(f"the url is longer than {MAX_URL_LENGTH} characters")
    if any(ch in url for ch in "\r\n\t\0 "):
        raise InvalidTarget("the url contains whitespace or control characters")
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        # Unbalanced brackets, an IPv4 address in brackets, characters that NFKC turns into
        # URL delimiters (a full-width number sign): each gets a reason of its own.
        raise InvalidTarget(f"the url is not valid: {_reason(exc)}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidTarget("only http and https urls can be scanned")
    if "@" in parts.netloc:
        raise InvalidTarget("urls with credentials are not allowed")
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidTarget("the url's port is not valid") from exc
    raw_host = parts.netloc.rsplit(":", 1)[0] if port is not None else parts.netloc
    if raw_host.endswith(":"):
        raw_host = raw_host[:-1]
    host = normalise_host(raw_host)
    if port is not None and port not in SCAN_PORTS and not _private_literal(host):
        raise InvalidTarget(PORTS_ONLY)
    netloc = host if port is None else f"{host}:{port}"
    clean = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))
    return Target(url=clean, host=host, cache_key=clean)


def _reason(exc: ValueError) -> str:
    # urlsplit quotes the netloc it refused; the reason alone is enough, and cannot echo input.
    text = str(exc)
    for marker, reason in _URLSPLIT_REASONS.items():
        if marker in text:
            return reason
    return "it cannot be parsed"


def _private_literal(host: str) -> bool:
    """A literal non-public address: its port is the address policy's business, which refuses
    it anyway unless a test allowed that network (fixture servers run on free ports)."""
    try:
        literal = parse_ip_literal(host)
    except InvalidHost:
        return False
    return literal is not None and not is_public(literal)


# What parse_request accepts, for the OpenAPI document.
SCAN_REQUEST_SCHEMA = {
    "type": "object",
    "description": 'Exactly one of "domain" or "url".',
    "properties": {
        "domain": {"type": "string", "description": "A bare host; https://<domain>/ is scanned."},
        "url": {"type": "string", "description": "An http(s) URL on port 80 or 443."},
        "fresh": {"type": "boolean", "default": False, "description": "Skip the cache."},
    },
    "oneOf": [{"required": ["domain"]}, {"required": ["url"]}],
}


def parse_request(body: object) -> Target:
    """Read `{"domain": ...}` or `{"url": ...}` from a request body."""
    if not isinstance(body, dict):
        raise InvalidTarget('the body must be a JSON object with "domain" or "url"')
    domain, url = body.get("domain"), body.get("url")
    if (domain is None) == (url is None):
        raise InvalidTarget('give exactly one of "domain" or "url"')
    if url is not None:
        if not isinstance(url, str) or not url.strip():
            raise InvalidTarget('"url" must be a non-empty string')
        return parse_url(url.strip())
    if not isinstance(domain, str) or not domain.strip():
        raise InvalidTarget('"domain" must be a non-empty string')
    if any(ch in domain for ch in "/:@?#\\ "):
        raise InvalidTarget('"domain" must be a bare host name such as example.org; use "url"')
    host = normalise_host(domain)
    return Target(url=f"https://{host}/", host=host, cache_key=host)


class HostGuard:
    """Resolves hosts and refuses any whose addresses are not all permitted; thread-safe.

    Results are cached briefly so a page's hundred requests to one host cost one lookup.
    """

    def __init__(
        self,
        resolver: Resolver = system_resolver,
        policy: AddressPolicy | None = None,
        ttl_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.resolver = resolver
        self.policy = policy or AddressPolicy()
        self.ttl = ttl_seconds
        self.clock = clock
        self._cache: dict[str, tuple[float, list[IPAddress] | Exception]] = {}
        self._lock = threading.Lock()

    def addresses(self, host: str) -> list[IPAddress]:
        """Every permitted address of `host`; raise BlockedAddress or UnresolvableHost."""
        key = host.lower()
        now = self.clock()
        with self._lock:
            cached = self._cache.get(key)
        if cached and now - cached[0] < self.ttl:
            outcome = cached[1]
        else:
            outcome = self._check(key)
            with self._lock:
                if len(self._cache) > 1024:
                    self._cache.clear()
                self._cache[key] = (now, outcome)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _check(self, host: str) -> list[IPAddress] | Exception:
        try:
            literal = parse_ip_literal(host)
        except InvalidHost as exc:
            return InvalidTarget(str(exc))
        if literal is not None:
            found = [literal]
        else:
            try:
                found = [ipaddress.ip_address(a) for a in self.resolver(host)]
            except (OSError, ValueError):
                return UnresolvableHost(f"could not resolve {host}")
            if not found:
                return UnresolvableHost(f"could not resolve {host}")
        if not all(self.policy.permits(a) for a in found):
            return BlockedAddress(f"{host} leads to a non-public address")
        return found

    def permits(self, host: str) -> bool:
        """True when `host` resolves and every address is permitted."""
        try:
            self.addresses(host)
        except (InvalidTarget, UnresolvableHost):
            return False
        return True
