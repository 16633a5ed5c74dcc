"""Third-party hosts are grouped by site and named by owner from the shipped MIT map."""

from __future__ import annotations

import json
from pathlib import Path

from handlers.scanner.owners import owner_of, site_of

DATA = Path("handlers/scanner/data")


def test_subdomains_are_grouped_under_their_site() -> None:
    assert site_of("px.ads.linkedin.com") == "linkedin.com"
    assert site_of("www.nhs.uk") == "www.nhs.uk"
    assert site_of("clinic.example.co.uk") == "example.co.uk"
    assert site_of("127.0.0.1") == "127.0.0.1"


def test_known_hosts_have_an_owner_and_category() -> None:
    assert owner_of("connect.facebook.net") == {
        "entity": "Facebook",
        "company": "Facebook",
        "category": "social",
    }
    assert owner_of("static.hotjar.com")["entity"] == "Hotjar"  # type: ignore[index]


def test_unknown_hosts_have_no_owner() -> None:
    assert owner_of("clinic.example") is None


def test_the_map_ships_with_its_source_and_license() -> None:
    data = json.loads((DATA / "owners.json").read_text())
    assert data["source"].startswith("third-party-web")
    assert "MIT" in data["source"]
    assert "MIT License" in (DATA / "LICENSE.third-party-web").read_text()
