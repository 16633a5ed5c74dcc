"""What each pixel was told: the leak rules on beacon parameters, and a page whose pixels are
told button text, search terms, hashed identifiers, the page URL and its title."""

from __future__ import annotations

import hashlib
import json

import pytest

from handlers.scanner import probes
from handlers.scanner.engine import PixelScanner
from handlers.scanner.leaks import LeakLog, LeakRules
from handlers.scanner.pagefacts import PageFacts
from handlers.scanner.result import ScanResult
from tests.scanner.fixture_site import FixtureSite

SITE = "clinic.example"


def rules() -> LeakRules:
    facts = PageFacts(
        titles={"Cardiology | Riverside Clinic"},
        texts={"Book an appointment", "Search", "Contact us"},
        field_names={"email", "patient_phone"},
    )
    return LeakRules(facts, lambda host: host.endswith(SITE))


def kinds(**params: str) -> list[str]:
    return [leak.kind for leak in rules().classify([{k: [v] for k, v in params.items()}])]


@pytest.mark.parametrize(
    ("params", "kind"),
    [
        ({"dl": f"https://www.{SITE}/doctors/cardiology"}, "url"),
        ({"url": f"https://{SITE}/?utm_source=x"}, "url"),
        ({"dt": "Anything"}, "title"),
        ({"cd[page]": "Cardiology | Riverside Clinic"}, "title"),
        ({"cd[search_string]": "knee pain"}, "search"),
        ({"ep.search_term": "oncology"}, "search"),
        ({"cd[buttonText]": "Pay"}, "button_text"),
        ({"cd[content_name]": "Book an appointment"}, "button_text"),
        (
            {"cd[buttonFeatures]": json.dumps({"innerText": "Contact us", "tag": "a"})},
            "button_text",
        ),
        ({"ud[em]": "a" * 64}, "identifier"),
        ({"em": "tv.1~em.Qm9vay1hbi1hcHBvaW50bWVudA"}, "identifier"),
        ({"u_hem": "b" * 64}, "identifier"),
        ({"cd[formFeatures]": json.dumps([{"name": "patient_phone"}])}, "form_field"),
        ({"cd[last]": probes.PROBES["last_name"]}, "form_field"),
    ],
)
def test_each_kind_of_page_data_is_recognised(params: dict[str, str], kind: str) -> None:
    assert kind in kinds(**params)


def test_a_search_query_inside_a_page_url_is_a_search_leak() -> None:
    assert kinds(dl=f"https://{SITE}/search?q=chest+pain") == ["url", "search"]


def test_a_hashed_probe_email_is_an_identifier_and_a_form_field() -> None:
    hashed = hashlib.sha256(probes.PROBES["email"].encode()).hexdigest()
    assert kinds(h=hashed) == ["form_field", "identifier"]


@pytest.mark.parametrize(
    "params",
    [
        {"dl": f"https://{SITE}/"},  # the home page: no path, no query
        {"dl": "https://other.example/cardiology"},  # another site's URL
        {"ev": "Search"},  # the event's name equals a button label
        {"en": "page_view", "id": "123456789012345", "v": "2.9.1"},
        {"cd[value]": "Search"},  # a one-word label is too common to count
        {"ts": "1700000000000", "sw": "1366"},
    ],
)
def test_ids_event_names_counters_and_the_bare_home_page_are_not_leaks(
    params: dict[str, str],
) -> None:
    assert kinds(**params) == []


def test_one_entry_per_vendor_kind_and_step_with_a_masked_example() -> None:
    log = LeakLog(rules())
    record = {"ud[em]": ["a" * 64], "dl": [f"https://{SITE}/doctors?q=knee"]}
    log.observe("Meta Pixel", "load", [record])
    log.observe("Meta Pixel", "load", [record])
    log.observe("Meta Pixel", "click:Find a Doctor", [record])
    entries = log.entries()
    assert [(e["kind"], e["step"]) for e in entries] == [
        ("url", "load"),
        ("search", "load"),
        ("identifier", "load"),
        ("url", "click:Find a Doctor"),
        ("search", "click:Find a Doctor"),
        ("identifier", "click:Find a Doctor"),
    ]
    assert entries[2]["example"] == "ud[em]=[masked]"
    assert entries[0]["example"] == f"dl=https://{SITE}/doctors?q=knee"


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def told(scanner: PixelScanner, site: FixtureSite) -> ScanResult:
    return scanner.scan(site.url("/leaks.html"))


def leaked(result: ScanResult, vendor: str) -> dict[str, str]:
    """kind -> first step, for one vendor."""
    found: dict[str, str] = {}
    for leak in result.leaks:
        if leak["vendor"] == vendor:
            found.setdefault(leak["kind"], leak["step"])
    return found


@pytest.mark.browser
def test_button_text_sent_on_a_click_is_a_leak(told: ScanResult) -> None:
    assert leaked(told, "Meta Pixel")["button_text"] == "click:Book an appointment"


@pytest.mark.browser
def test_a_search_term_sent_to_meta_is_a_leak(told: ScanResult) -> None:
    assert leaked(told, "Meta Pixel")["search"] == "load"


@pytest.mark.browser
def test_hashed_emails_sent_to_meta_and_google_ads_are_identifiers(told: ScanResult) -> None:
    assert leaked(told, "Meta Pixel")["identifier"] == "load"
    assert leaked(told, "Google Ads")["identifier"] == "click:Book an appointment"


@pytest.mark.browser
def test_the_page_url_and_title_sent_to_google_analytics_are_leaks(told: ScanResult) -> None:
    assert leaked(told, "Google Analytics 4") == {"url": "load", "title": "load"}


@pytest.mark.browser
def test_leak_examples_are_masked(told: ScanResult) -> None:
    examples = [leak["example"] for leak in told.leaks if leak["kind"] == "identifier"]
    assert examples and all("[masked]" in example for example in examples)
    assert "5d41402abc4b2a76" not in json.dumps(told.to_dict())


@pytest.mark.browser
def test_a_typed_email_hashed_by_meta_is_a_form_field_leak(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    result = scanner.scan(site.url("/keylogger.html"))
    assert leaked(result, "Meta Pixel")["form_field"] == "form"
