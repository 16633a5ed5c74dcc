"""The made-up values the scanner types into forms, and every way a tracker may send them on:
plain, URL-encoded, base64, md5, sha1 and sha256 (hex or base64 of the digest), after the
normalisation trackers apply first (lower-cased email; phone digits with and without the country
code), as in Leaky Forms (Senol et al., USENIX Security 2022)."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, unquote_plus

# One value per kind of field; none is a real person's. Each is unusual enough that finding it in
# a request cannot be a coincidence, and none contains another (so a leaked email is not also
# reported as a leaked name).
PROBES: dict[str, str] = {
    "email": "kelvor.nimbus@example.com",
    "first_name": "Quillane",
    "last_name": "Probewright",
    "name": "Osric Tamblewick",
    "phone": "+1 202-555-0147",
    "search": "zyvocardio clinic",
    "text": "Velmora probe note",
}
# Kinds whose hashes identify a person (email, phone): a tracker's "identifier".
CONTACT_KINDS = ("email", "phone")


@dataclass(frozen=True)
class Match:
    """A probe value found in a request, and how it was encoded."""

    kind: str
    encoding: str


def _variants(kind: str, value: str) -> set[str]:
    found = {value, value.strip().lower()}
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        found |= {digits, digits[1:], "+" + digits}
    return found


def _encodings(text: str) -> list[tuple[str, str, bool]]:
    """(label, encoded text, case-sensitive) for each encoding of `text`."""
    raw = text.encode()
    digest = hashlib.sha256(raw).digest()
    return [
        ("plain", text, False),
        ("url-encoded", quote(text, safe=""), False),
        ("url-encoded", quote_plus(text), False),
        ("base64", base64.b64encode(raw).decode().rstrip("="), True),
        ("base64", base64.urlsafe_b64encode(raw).decode().rstrip("="), True),
        # Not security: the digests trackers send of a probe, recomputed to recognise them.
        ("md5", hashlib.md5(raw, usedforsecurity=False).hexdigest(), False),
        ("sha1", hashlib.sha1(raw, usedforsecurity=False).hexdigest(), False),
        ("sha256", digest.hex(), False),
        ("sha256", base64.b64encode(digest).decode().rstrip("="), True),
        ("sha256", base64.urlsafe_b64encode(digest).decode().rstrip("="), True),
    ]


@functools.cache
def _needles() -> tuple[dict[str, Match], re.Pattern, re.Pattern]:
    """The lookup table (lower-cased needle -> match) and two patterns that find needles."""
    table: dict[str, Match] = {}
    exact: set[str] = set()
    folded: set[str] = set()
    for kind, value in PROBES.items():
        for variant in _variants(kind, value):
            for label, needle, case_sensitive in _encodings(variant):
                table.setdefault(needle.lower(), Match(kind, label))
                (exact if case_sensitive else folded).add(needle)

    def pattern(needles: set[str], flags: int = 0) -> re.Pattern:
        ordered = sorted(needles, key=len, reverse=True)
        return re.compile("|".join(re.escape(n) for n in ordered), flags)

    return table, pattern(exact), pattern(folded, re.IGNORECASE)


def find(text: str) -> set[Match]:
    """Every probe value in `text`, also after one round of URL-decoding."""
    if not text:
        return set()
    table, case_sensitive, case_blind = _needles()
    found: set[Match] = set()
    for haystack in {text, unquote_plus(text)}:
        for pattern in (case_sensitive, case_blind):
            found.update(table[hit.group(0).lower()] for hit in pattern.finditer(haystack))
    return found


def probe_for(kind: str) -> str:
    """The value typed into a field of this kind."""
    return PROBES.get(kind, PROBES["text"])
