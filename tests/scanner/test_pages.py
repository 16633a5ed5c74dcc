"""More pages (`pages` 2 and 3): same-site links ranked towards appointment, doctor and contact
pages, each visited like the first (load, scroll, forms, a short dwell)."""

from __future__ import annotations

import pytest

from handlers.scanner.engine import PixelScanner
from handlers.scanner.links import choose
from handlers.scanner.options import check_pages
from handlers.scanner.pagefacts import Link
from handlers.scanner.result import ScanResult
from tests.scanner.fixture_site import FixtureSite

HOME = "https://www.clinic.example/"


def same_site(host: str) -> bool:
    return host.endswith("clinic.example")


def links(*pairs: tuple[str, str]) -> list[Link]:
    return [Link(HOME.rstrip("/") + path, text) for path, text in pairs]


def test_appointment_then_doctor_then_contact_pages_come_first() -> None:
    found = links(
        ("/about", "About us"),
        ("/contact", "Contact us"),
        ("/news", "News"),
        ("/find-a-doctor", "Our physicians"),
        ("/appointments", "Book an appointment"),
    )
    assert choose(found, same_site, [HOME], 3) == [
        f"{HOME}appointments",
        f"{HOME}find-a-doctor",
        f"{HOME}contact",
    ]


def test_other_pages_follow_in_page_order() -> None:
    found = links(("/about", "About us"), ("/news", "News"), ("/careers", "Careers"))
    assert choose(found, same_site, [HOME], 2) == [f"{HOME}about", f"{HOME}news"]


@pytest.mark.parametrize(
    "link",
    [
        Link("https://www.facebook.com/clinic", "Book an appointment"),
        Link("mailto:front@clinic.example", "Contact us"),
        Link(f"{HOME}forms/appointment.pdf", "Appointment form"),
        Link(f"{HOME}logout", "Log out"),
        Link(f"{HOME}#main", "Skip to content"),
        Link(HOME, "Home"),
    ],
)
def test_other_sites_files_logout_and_visited_pages_are_never_chosen(link: Link) -> None:
    assert choose([link], same_site, [HOME], 3) == []


def test_a_subdomain_of_the_site_counts_as_the_site() -> None:
    found = [Link("https://appointments.clinic.example/book", "Book online")]
    assert choose(found, same_site, [HOME], 1) == ["https://appointments.clinic.example/book"]


@pytest.mark.parametrize("pages", [1, 2, 3])
def test_pages_from_one_to_three_are_accepted(pages: int) -> None:
    assert check_pages(pages) == pages


@pytest.mark.parametrize("pages", [0, 4, True, "2", 2.0, None])
def test_other_page_counts_are_refused(pages: object) -> None:
    with pytest.raises(ValueError, match='"pages" must be an integer from 1 to 3'):
        check_pages(pages)


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_pages(scanner: PixelScanner, site: FixtureSite) -> ScanResult:
    return scanner.scan(site.url("/clinic/"), pages=3)


@pytest.mark.browser
def test_three_pages_visit_the_appointment_and_doctor_pages_after_the_home_page(
    three_pages: ScanResult, site: FixtureSite
) -> None:
    assert three_pages.pagesVisited == [
        site.url("/clinic/"),
        site.url("/clinic/appointments.html"),
        site.url("/clinic/doctors.html"),
    ]
    assert three_pages.error is None


@pytest.mark.browser
def test_steps_on_later_pages_are_named_after_the_page(three_pages: ScanResult) -> None:
    steps = {leak["step"] for leak in three_pages.leaks}
    assert {"page2:load", "page3:load"} <= steps
    [spy] = [k for k in three_pages.keyLogging if k["domain"] == "formspy.example"]
    assert "email" in spy["fields"]  # the appointment form on page 2


@pytest.mark.browser
def test_one_page_is_the_default(scanner: PixelScanner, site: FixtureSite) -> None:
    assert scanner.scan(site.url("/clinic/")).pagesVisited == [site.url("/clinic/")]


def test_a_bad_page_count_is_a_value_error_for_library_callers() -> None:
    with pytest.raises(ValueError, match="pages"):
        PixelScanner().scan("https://example.org/", pages=5)
