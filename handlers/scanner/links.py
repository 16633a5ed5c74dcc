"""Which same-site pages to visit after the first (`pages` 2 and 3): links ranked towards
appointment, doctor and contact pages, as a patient would go, then the rest in page order."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

from handlers.scanner.pagefacts import Link

# (pattern on the link's text or path, weight): booking and finding a doctor first, then contact.
RANKING = (
    (re.compile(r"appointment|schedul|book|request.?a.?visit", re.IGNORECASE), 8),
    (re.compile(r"doctor|physician|provider|specialist|find.?a", re.IGNORECASE), 6),
    (re.compile(r"contact", re.IGNORECASE), 4),
    (re.compile(r"location|clinic|department|service|patient", re.IGNORECASE), 2),
)
SKIPPED = re.compile(
    r"\.(pdf|jpe?g|png|gif|svg|webp|zip|docx?|xlsx?|pptx?|mp[34]|mov|ics|vcf|xml|rss)$|"
    r"log.?out|sign.?out",
    re.IGNORECASE,
)


def _page_key(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _score(link: Link) -> int:
    path = urlsplit(link.href).path
    return sum(weight * 2 for pattern, weight in RANKING if pattern.search(link.text)) + sum(
        weight for pattern, weight in RANKING if pattern.search(path)
    )


def choose(
    links: Iterable[Link], same_site: Callable[[str], bool], visited: Iterable[str], count: int
) -> list[str]:
    """Up to `count` URLs of this site not yet visited, best first."""
    done = {_page_key(url) for url in visited}
    candidates: dict[str, tuple[int, int]] = {}
    for order, link in enumerate(links):
        parts = urlsplit(link.href)
        if parts.scheme not in ("http", "https") or not same_site(parts.hostname or ""):
            continue
        if SKIPPED.search(parts.path) or SKIPPED.search(link.text):
            continue
        key = _page_key(link.href)
        if key in done:
            continue
        rank = (-_score(link), order)
        if key not in candidates or rank < candidates[key]:
            candidates[key] = rank
    ranked = sorted(candidates, key=lambda key: candidates[key])
    return ranked[: max(0, count)]
