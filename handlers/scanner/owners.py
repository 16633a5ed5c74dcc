"""Which site a host belongs to (the Public Suffix List), and who owns a third-party host (the
shipped third-party-web map, MIT; see data/)."""

from __future__ import annotations

import functools
import ipaddress
import json
from pathlib import Path

from publicsuffixlist import PublicSuffixList

_DATA = Path(__file__).parent / "data" / "owners.json"


@functools.cache
def _suffixes() -> PublicSuffixList:
    """The Public Suffix List snapshot bundled with the pinned package, private section included
    (`a.github.io` and `b.github.io` are different sites); read once (~0.2 s), never fetched."""
    return PublicSuffixList()


@functools.lru_cache(maxsize=4096)
def site_of(host: str) -> str:
    """The registrable part of a host name (`a.b.com` -> `b.com`, `a.github.io` stays);
    IP addresses and public suffixes themselves are their own site."""
    host = host.lower().strip(".")
    if not host or host.startswith("[") or _is_ip(host):
        return host
    return _suffixes().privatesuffix(host) or host


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@functools.cache
def _owner_map() -> tuple[list[list[str]], dict[str, int]]:
    data = json.loads(_DATA.read_text())
    return data["entities"], data["domains"]


def owner_of(host: str) -> dict[str, str] | None:
    """`{"entity", "company", "category"}` for a known third-party host, else None."""
    entities, domains = _owner_map()
    labels = host.lower().strip(".").split(".")
    for start in range(len(labels) - 1):
        index = domains.get(".".join(labels[start:]))
        if index is not None:
            entity, company, category = entities[index]
            return {"entity": entity, "company": company, "category": category}
    return None
