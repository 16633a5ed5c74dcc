"""The documentation stays whole: a short front page that links every page, and no dead link."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

from tests.build.conftest import ROOT

FRONT_PAGE = ROOT / "README.md"
MAX_FRONT_PAGE_LINES = 150
_PARSER = MarkdownIt("commonmark").enable("table")


def _pages() -> list[Path]:
    """Every Markdown page of the project's own documentation (vendored READMEs excluded)."""
    pages = [FRONT_PAGE, *sorted((ROOT / "docs").glob("*.md"))]
    pages += [p for p in (ROOT / "PERFORMANCE.md", ROOT / "terraform/README.md") if p.exists()]
    return pages + sorted((ROOT / "terraform/modules").glob("*/README.md"))


def _links(page: Path) -> Iterator[str]:
    for token in _PARSER.parse(page.read_text(encoding="utf-8")):
        for child in token.children or ():
            if child.type == "link_open":
                yield str(child.attrGet("href"))


def _relative(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc


def _target(page: Path, href: str) -> Path:
    path = unquote(urlsplit(href).path)
    return (page.parent / path).resolve() if path else page


def _anchors(page: Path) -> set[str]:
    """The heading ids GitHub gives a page: lower case, punctuation dropped, spaces as hyphens."""
    anchors: set[str] = set()
    tokens = _PARSER.parse(page.read_text(encoding="utf-8"))
    for opening, inline in itertools.pairwise(tokens):
        if opening.type != "heading_open":
            continue
        words = (c.content for c in inline.children or () if c.type in {"text", "code_inline"})
        text = "".join(words)
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        unique, n = slug, 0
        while unique in anchors:
            n += 1
            unique = f"{slug}-{n}"
        anchors.add(unique)
    return anchors


def _front_page_links() -> set[Path]:
    return {_target(FRONT_PAGE, h) for h in _links(FRONT_PAGE) if _relative(h)}


def test_the_front_page_is_under_150_lines():
    lines = FRONT_PAGE.read_text(encoding="utf-8").splitlines()
    assert len(lines) < MAX_FRONT_PAGE_LINES, f"README.md has {len(lines)} lines"


@pytest.mark.parametrize(
    "page",
    [p for p in (*sorted((ROOT / "docs").glob("*.md")), ROOT / "PERFORMANCE.md") if p.exists()],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_the_front_page_links_every_page_of_the_docs(page: Path):
    assert page.resolve() in _front_page_links(), f"README.md does not link {page.name}"


def test_the_front_page_carries_the_commands_ci_runs_literally():
    ci_commands = [
        line.strip()
        for line in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
        if re.match(r"make\s", line.strip())
    ]
    tokens = _PARSER.parse(FRONT_PAGE.read_text(encoding="utf-8"))
    fenced = "\n".join(t.content for t in tokens if t.type == "fence")
    assert ci_commands == ["make install", "make test"]
    for command in ci_commands:
        assert re.search(rf"^{re.escape(command)}\b", fenced, re.MULTILINE), command


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves_to_a_file_of_the_repository(page: Path):
    dead = [h for h in _links(page) if _relative(h) and not _target(page, h).exists()]
    outside = [
        h for h in _links(page) if _relative(h) and not _target(page, h).is_relative_to(ROOT)
    ]
    assert dead == [], f"{page.name}: links to missing files"
    assert outside == [], f"{page.name}: links outside the repository"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_anchor_names_a_heading_of_the_page_it_points_to(page: Path):
    missing = []
    for href in _links(page):
        target = _target(page, href)
        fragment = urlsplit(href).fragment
        on_a_page = _relative(href) and target.suffix == ".md" and target.exists()
        if on_a_page and fragment and unquote(fragment) not in _anchors(target):
            missing.append(href)
    assert missing == [], f"{page.name}: anchors that name no heading"


def test_the_docs_state_rules_instead_of_citing_seed_numbers():
    citing = [p.name for p in _pages() if re.search(r"\bseeds? \d{3}\b", p.read_text("utf-8"))]
    assert citing == []
