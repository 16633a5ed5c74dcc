"""Which IP addresses a scan may reach, and how browsers read IPv4 literals.

The seed's substring check blocked `abc10.com` and let `0x7f000001` through. Here a host is
normalised exactly as a browser would (WHATWG URL Standard's IPv4 parser), and every address it
leads to must be globally routable.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The only ports a scan may reach: the web's. Anything else (SSH on 22, a database, an admin
# port) would turn the scanner into a port scanner or a TCP relay.
SCAN_PORTS = (80, 443)

# Named explicitly (beyond `is_global`) so the rule does not depend on the Python version's tables.
_BLOCKED_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network", unspecified
        "10.0.0.0/8",  # RFC 1918
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, including 169.254.169.254 (instance metadata)
        "172.16.0.0/12",  # RFC 1918
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # RFC 1918
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
    )
)
_BLOCKED_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/128",  # unspecified
        "::1/128",  # loopback
        # Every form that embeds an IPv4 address is refused outright, whatever it embeds: the
        # translator or relay it goes through decides where it really leads.
        "::/96",  # IPv4-compatible (deprecated)
        "::ffff:0:0/96",  # IPv4-mapped
        "::ffff:0:0:0/96",  # SIIT IPv4-translated (RFC 2765), e.g. ::ffff:0:a9fe:a9fe
        "64:ff9b::/96",  # NAT64: reaches whatever IPv4 address it embeds
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/32",  # Teredo: embeds the server's and the client's IPv4 addresses
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4: embeds an IPv4 address
        "fc00::/7",  # unique local (ULA)
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)


class InvalidHost(ValueError):
    """A host that no browser would accept (for example an out-of-range IPv4 literal)."""


def is_public(address: IPAddress) -> bool:
    """True only for a globally routable unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id or any(address in net for net in _BLOCKED_V6):
            return False
    elif any(address in net for net in _BLOCKED_V4):
        return False
    return address.is_global and not address.is_multicast


class AddressPolicy:
    """Decides which resolved addresses a scan may connect to.

    `allow_private` is True (anything, for tests on loopback) or an explicit list of networks
    such as ("127.0.0.0/8",). It is a constructor argument only; no environment variable reaches it.
    """

    def __init__(self, allow_private: bool | Iterable[str] = False) -> None:
        self.allow_all = allow_private is True
        self.allowed_networks = (
            ()
            if isinstance(allow_private, bool)
            else tuple(ipaddress.ip_network(n, strict=False) for n in allow_private)
        )

    def permits(self, address: IPAddress) -> bool:
        """True when a connection to `address` is allowed."""
        return is_public(address) or self._allowed_privately(address)

    def permits_port(self, address: IPAddress, port: int) -> bool:
        """True when a connection to `port` of `address` is allowed: 80 and 443 only.

        Networks a test allowed explicitly keep any port, for fixture servers on free ports.
        """
        return port in SCAN_PORTS or self._allowed_privately(address)

    def _allowed_privately(self, address: IPAddress) -> bool:
        if self.allow_all:
            return True
        return any(
            address.version == net.version and address in net for net in self.allowed_networks
        )


def _ipv4_number(part: str) -> int | None:
    """One dotted part as the WHATWG parser reads it: 0x.. hex, 0.. octal, else decimal."""
    if not part:
        return None
    radix = 10
    if part[:2].lower() == "0x":
        part, radix = part[2:], 16
        if not part:
            return 0
    elif len(part) > 1 and part[0] == "0":
        part, radix = part[1:], 8
    digits = {10: "0123456789", 8: "01234567", 16: "0123456789abcdefABCDEF"}[radix]
    if not all(ch in digits for ch in part):
        return None
    return int(part, radix)


def _ends_in_number(parts: list[str]) -> bool:
    last = parts[-1]
    return bool(last) and ((last.isascii() and last.isdigit()) or _ipv4_number(last) is not None)


def parse_ipv4_like_browser(host: str) -> ipaddress.IPv4Address | None:
    """Read `host` as browsers do (`127.1`, `0x7f000001`, `0177.0.0.1`, `2130706433`).

    Returns None when the host is a name; raises InvalidHost when it looks numeric but is invalid.
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not _ends_in_number(parts):
        return None
    if len(parts) > 4:
        raise InvalidHost("too many parts in an IPv4 address")
    numbers = [_ipv4_number(p) for p in parts]
    if any(n is None for n in numbers):
        raise InvalidHost("not a valid IPv4 address")
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise InvalidHost("IPv4 address out of range")
    number = values[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(values[:-1]))
    return ipaddress.IPv4Address(number)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a URL host denotes literally (`[::1]`, `0x7f.1`), or None for a DNS name."""
    if host.startswith("[") and host.endswith("]"):
        inner = host[1:-1]
        if "%" in inner:
            raise InvalidHost("IPv6 zone identifiers are not allowed")
        try:
            return ipaddress.IPv6Address(inner)
        except ValueError as exc:
            raise InvalidHost("not a valid IPv6 address") from exc
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise InvalidHost("not a valid host") from exc
    return parse_ipv4_like_browser(host)
