"""What each pixel was told: for every beacon a vendor received, which kinds of page data it
carried. The kinds, and the rule for each, read against the beacon's parameters (query, form or
JSON body, and JSON nested in a parameter):

- `url`: a URL of this site with a path or a query (`dl=https://clinic.example/doctors?q=...`);
- `title`: a title of a visited page, or a title parameter (`dt`, `tl`, `page_title`);
- `search`: a search parameter (`search_string`, `search_term`, ...), or a search query (`q`, `s`,
  `query`, ...) inside a URL of this site;
- `button_text`: a button or link label shown on a visited page (two words or 8+ characters),
  or a button-text parameter (`buttonText`, `link_text`, `innerText`, ...);
- `form_field`: a probe value the scanner typed (in any encoding), or the name of a form field on
  a visited page inside a form parameter (`formFeatures`, `form_id`, ...);
- `identifier`: an email or phone parameter (`em`, `ph`, `u_hem`, enhanced conversions, ...), or a
  hash of the probe email or phone.

Event names and the vendor's own ID parameters are not page data, so they are never matched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from handlers.scanner import masking, payloads, probes
from handlers.scanner.pagefacts import PageFacts

KINDS = ("url", "title", "search", "button_text", "form_field", "identifier")
SEARCH_PARAMS = frozenset(
    {"search_string", "search_term", "searchterm", "search_terms", "search_query", "search",
     "query", "keyword", "keywords"}
)  # fmt: skip
URL_SEARCH_PARAMS = SEARCH_PARAMS | {"q", "s", "term", "k", "kw"}
TITLE_PARAMS = frozenset({"dt", "tl", "title", "page_title", "pagetitle", "document_title"})
BUTTON_PARAMS = frozenset(
    {"buttontext", "button_text", "link_text", "linktext", "innertext", "click_text",
     "element_text", "cta_text"}
)  # fmt: skip
# Parameters that name the beacon itself: its event and the vendor's IDs.
NOT_PAGE_DATA = frozenset(
    {"ev", "en", "event", "events", "event_name", "evt", "ea", "t", "id", "tid", "pid", "ti",
     "txn_id", "sdkid", "pixel_code", "code", "v", "ver", "version"}
)  # fmt: skip
MAX_NESTED_JSON = 4096


@dataclass(frozen=True)
class Leak:
    """One kind of page data in one beacon, with the parameter that showed it."""

    kind: str
    key: str
    value: str


def _pairs(record: payloads.Record) -> Iterator[tuple[str, str]]:
    """Each key and value of a record, and the keys and values of JSON nested in a value."""
    for key, values in record.items():
        for value in values:
            yield key, value
            text = value.strip()
            if text[:1] in "{[" and len(text) <= MAX_NESTED_JSON:
                try:
                    nested = json.loads(text)
                except ValueError:
                    continue
                inner: payloads.Record = {}
                payloads.flatten_json(nested, key, inner)
                for inner_key, inner_values in inner.items():
                    for inner_value in inner_values:
                        yield inner_key, inner_value


def _label(text: str) -> str:
    return " ".join(text.split()).lower()


class LeakRules:
    """Classifies beacon parameters against what the visited pages showed."""

    def __init__(self, facts: PageFacts, is_first_party: Callable[[str], bool]) -> None:
        self.facts = facts
        self.is_first_party = is_first_party

    def classify(self, records: list[payloads.Record]) -> list[Leak]:
        """The first example of each kind of page data these records carry."""
        found: dict[str, Leak] = {}
        titles = {_label(t) for t in self.facts.titles if len(t) >= 3}
        labels = {_label(t) for t in self.facts.texts if len(t) >= 8 or (len(t) >= 4 and " " in t)}
        fields = {f.lower() for f in self.facts.field_names if len(f) >= 3}
        for record in records:
            for key, value in _pairs(record):
                name = masking.param_name(key)
                if name in NOT_PAGE_DATA or not value.strip():
                    continue
                for kind in self._kinds(key, name, value.strip(), titles, labels, fields):
                    found.setdefault(kind, Leak(kind, key, value))
        return [found[kind] for kind in KINDS if kind in found]

    def _kinds(
        self, key: str, name: str, value: str, titles: set, labels: set, fields: set
    ) -> Iterator[str]:
        typed = probes.find(value)
        if masking.is_contact(key) or any(
            m.kind in probes.CONTACT_KINDS and m.encoding not in ("plain", "url-encoded")
            for m in typed
        ):
            yield "identifier"
        if typed or (
            ("form" in name or "field" in name) and any(f in value.lower() for f in fields)
        ):
            yield "form_field"
        if value.startswith(("http://", "https://")):
            parts = urlsplit(value)
            if self.is_first_party(parts.hostname or "") and (
                parts.path not in ("", "/") or parts.query
            ):
                yield "url"
                query = parse_qsl(parts.query, keep_blank_values=False)
                if any(k.lower() in URL_SEARCH_PARAMS for k, _ in query):
                    yield "search"
        if name in SEARCH_PARAMS:
            yield "search"
        if name in TITLE_PARAMS or _label(value) in titles:
            yield "title"
        if name in BUTTON_PARAMS or _label(value) in labels:
            yield "button_text"


class LeakLog:
    """`[{vendor, kind, step, example}]`: one entry per vendor, kind and step."""

    def __init__(self, rules: LeakRules) -> None:
        self.rules = rules
        self._entries: dict[tuple[str, str, str], str] = {}

    def observe(self, vendor: str, step: str, records: list[payloads.Record]) -> None:
        for leak in self.rules.classify(records):
            self._entries.setdefault(
                (vendor, leak.kind, step), masking.mask_pair(leak.key, leak.value)
            )

    def entries(self) -> list[dict[str, Any]]:
        return [
            {"vendor": vendor, "kind": kind, "step": step, "example": example}
            for (vendor, kind, step), example in self._entries.items()
        ]
