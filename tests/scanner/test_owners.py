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


def test_sites_on_a_shared_hosting_suffix_are_different_sites() -> None:
    # github.io is in the Public Suffix List's private section: each user's pages are a site.
    assert site_of("a.github.io") == "a.github.io"
    assert site_of("www.a.github.io") == "a.github.io"
    assert site_of("a.github.io") != site_of("b.github.io")


def test_suffixes_the_old_hand_list_missed_are_known() -> None:
    assert site_of("clinic.example.com.au") == "example.com.au"
    assert site_of("hospital.example.ac.nz") == "example.ac.nz"
    assert site_of("www.example.gov.br") == "example.gov.br"


def test_a_public_suffix_alone_and_odd_hosts_are_their_own_site() -> None:
    assert site_of("github.io") == "github.io"
    assert site_of("co.uk") == "co.uk"
    assert site_of("WWW.Clinic.Example.") == "clinic.example"
    assert site_of("localhost") == "localhost"
    assert site_of("[::1]") == "[::1]"
    assert site_of("10.0.0.5") == "10.0.0.5"
    assert site_of("") == ""


def test_a_third_party_on_another_github_io_site_counts_as_third_party() -> None:
    from handlers.scanner.result import Collector

    collector = Collector("clinic.github.io")
    assert collector.is_third_party("tracker.github.io")
    assert not collector.is_third_party("www.clinic.github.io")
