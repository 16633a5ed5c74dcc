"""What the visited pages showed: titles, button and link texts, form field names and links. The
leak rules compare beacon parameters with these; the page ranking reads the links."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from handlers.scanner.browser_errors import BrowserError

MAX_TEXTS = 300
MAX_LINKS = 300

_READ = """([maxTexts, maxLinks]) => {
  const clean = (s) => String(s || '').replace(/\\s+/g, ' ').trim();
  const texts = new Set(), links = [], fields = new Set();
  for (const el of document.querySelectorAll(
      'a[href], button, [role=button], input[type=submit], input[type=button]')) {
    const text = clean(el.innerText || el.value || el.getAttribute('aria-label'));
    if (text && text.length <= 80 && texts.size < maxTexts) texts.add(text);
    if (el.tagName === 'A' && links.length < maxLinks) links.push({href: el.href, text: text});
  }
  for (const el of document.querySelectorAll('input, select, textarea')) {
    for (const name of [el.name, el.id]) if (name && name.length <= 60) fields.add(name);
  }
  return {title: clean(document.title), texts: [...texts], fields: [...fields], links: links};
}"""


@dataclass(frozen=True)
class Link:
    """A link on a page: where it goes and what it says."""

    href: str
    text: str


@dataclass
class PageFacts:
    """Accumulated over every page the scan visited."""

    titles: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    field_names: set[str] = field(default_factory=set)

    def read(self, page: Any) -> list[Link]:
        """Add what `page` shows now; returns its links (empty when the page cannot be read)."""
        found: dict[str, Any] = {}
        with contextlib.suppress(BrowserError):  # a page mid-navigation or gone: nothing to add
            found = page.evaluate(_READ, [MAX_TEXTS, MAX_LINKS]) or {}
        if found.get("title"):
            self.titles.add(found["title"])
        self.texts.update(t for t in found.get("texts") or () if isinstance(t, str))
        self.field_names.update(f for f in found.get("fields") or () if isinstance(f, str))
        return [
            Link(str(item.get("href") or ""), str(item.get("text") or ""))
            for item in found.get("links") or ()
            if isinstance(item, dict)
        ]
