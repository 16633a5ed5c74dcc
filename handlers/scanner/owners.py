"""Who owns a third-party host, from the shipped third-party-web map (MIT; see data/)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "owners.json"

# Common public suffixes with two labels, enough to group hosts by site without a full PSL.
_TWO_LABEL_SUFFIXES = {
    "co.uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "nhs.uk",
    "com.au",
    "net.au",
    "org.au",
    "co.nz",
    "co.jp",
    "co.kr",
    "co.in",
    "com.br",
    "com.cn",
    "com.mx",
    "com.sg",
    "com.tr",
    "co.za",
    "com.ar",
    "com.hk",
    "com.tw",
}


def site_of(host: str) -> str:
    """The registrable part of a host name (`www.nhs.uk` -> `www.nhs.uk`, `a.b.com` -> `b.com`)."""
    host = host.lower().strip(".")
    if host.startswith("[") or host.replace(".", "").isdigit():
        return host
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


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
