"""The `pages` option: how many pages of a site one scan visits (1 to 3, default 1)."""

from __future__ import annotations

MIN_PAGES = 1
MAX_PAGES = 3
DEFAULT_PAGES = 1
PAGES_MESSAGE = f'"pages" must be an integer from {MIN_PAGES} to {MAX_PAGES}'
# The request body's `pages` in the OpenAPI document, the same rule check_pages applies.
PAGES_SCHEMA = {
    "type": "integer",
    "minimum": MIN_PAGES,
    "maximum": MAX_PAGES,
    "default": DEFAULT_PAGES,
    "description": "Pages of the site to visit: the first, then same-site links ranked "
    "towards appointment, doctor and contact pages.",
}


def check_pages(value: object) -> int:
    """`value` as a page count; ValueError with PAGES_MESSAGE when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(PAGES_MESSAGE)
    if not MIN_PAGES <= value <= MAX_PAGES:
        raise ValueError(PAGES_MESSAGE)
    return value
