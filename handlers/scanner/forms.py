"""Type probe values into a page's form fields, key by key, and never submit them.

Before typing, the page's forms are held: a capture-phase `submit` listener cancels every
submission (so neither the browser nor the site's own handlers send the form), and `submit()` /
`requestSubmit()` do nothing. The hold lasts until the page is left. The tab that clicks calls to
action is held too, so a "Request an appointment" button fires its click handlers (and their
pixels) but sends no form to the site. Enter is never pressed.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from handlers.scanner import probes
from handlers.scanner.browser_errors import BrowserError

MAX_FIELDS = 12
FIELD_ATTRIBUTE = "data-pixel-scan-field"
TYPE_TIMEOUT_MS = 1500

_HOLD = """() => {
  const hold = (event) => { event.preventDefault(); event.stopImmediatePropagation(); };
  window.addEventListener('submit', hold, true);
  const form = window.HTMLFormElement && HTMLFormElement.prototype;
  if (form) { form.submit = function () {}; form.requestSubmit = function () {}; }
}"""
_FIND = """([attribute, limit]) => {
  const typed = new Set(['', 'text', 'email', 'tel', 'search']);
  const skip = /(passw|card|cvv|cvc|ssn|social.?security|captcha|iban|account.?num)/;
  const kindOf = (el, type, hint) => {
    if (type === 'email' || /e-?mail/.test(hint)) return 'email';
    if (type === 'tel' || /(phone|mobile|\\btel\\b|cell)/.test(hint)) return 'phone';
    if (type === 'search' || /(search|query|\\bq\\b|keyword)/.test(hint)) return 'search';
    if (/(given|first).?name|fname/.test(hint)) return 'first_name';
    if (/(family|last|sur).?name|lname/.test(hint)) return 'last_name';
    if (/name/.test(hint)) return 'name';
    return 'text';
  };
  const found = [];
  for (const el of document.querySelectorAll('input, textarea')) {
    if (found.length >= limit) break;
    const type = el.tagName === 'TEXTAREA' ? '' : (el.getAttribute('type') || '').toLowerCase();
    if (!typed.has(type) || el.disabled || el.readOnly) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width < 2 || box.height < 2 || style.visibility === 'hidden') continue;
    const labels = el.labels ? Array.from(el.labels).map((l) => l.innerText).join(' ') : '';
    const hint = [el.name, el.id, el.getAttribute('autocomplete'), el.placeholder,
      el.getAttribute('aria-label'), labels].join(' ').toLowerCase();
    if (skip.test(hint)) continue;
    el.setAttribute(attribute, String(found.length));
    found.push({kind: kindOf(el, type, hint), name: el.name || el.id || type || 'text'});
  }
  return found;
}"""


@dataclass(frozen=True)
class Field:
    """A form field the scanner typed into: what kind of value it took, and its name."""

    kind: str
    name: str


def hold(page: Any) -> bool:
    """Stop every form submission on `page` until it is left; False if the page is gone."""
    try:
        page.evaluate(_HOLD)
    except BrowserError:
        return False
    return True


def fill(page: Any, budget_ms: float) -> list[Field]:
    """Type a probe value into each visible text field of `page`; returns the fields filled."""
    if not hold(page):
        return []
    try:
        found = page.evaluate(_FIND, [FIELD_ATTRIBUTE, MAX_FIELDS])
    except BrowserError:
        return []
    fields = []
    for index, item in enumerate(found):
        field = Field(str(item.get("kind")), str(item.get("name"))[:80])
        locator = page.locator(f"[{FIELD_ATTRIBUTE}='{index}']")
        timeout = max(1.0, min(TYPE_TIMEOUT_MS, budget_ms))
        with contextlib.suppress(BrowserError):  # a field that went away or refused typing
            locator.press_sequentially(probes.probe_for(field.kind), timeout=timeout)
            # Leaving the field fires `change` and `blur`, where many form scripts read values.
            locator.blur(timeout=timeout)
            fields.append(field)
    return fields
