"""The `pages` option: how many pages of a site one scan visits (1 to 3, default 1)."""

from __future__ import annotations

from typing import Any

from handlers.core import errors

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


def read_pages(body: dict[str, Any]) -> int:
    """The body's `pages` (default 1); a 400 when it is not a page count."""
    try:
        return check_pages(body.get("pages", DEFAULT_PAGES))
    except ValueError as exc:
        raise errors.BadRequest(str(exc)) from exc


def read_fresh(body: dict[str, Any]) -> bool:
    """The body's `fresh` (default false); a 400 when it is not a boolean."""
    fresh = body.get("fresh", False)
    if not isinstance(fresh, bool):
        raise errors.BadRequest('"fresh" must be true or false')
    return fresh
