"""Key logging: the scanner types probe values into forms, never submits them, and reports the
third parties that received them, in whatever encoding they were sent."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import quote

import pytest

from handlers.scanner import probes
from handlers.scanner.engine import PixelScanner
from handlers.scanner.forms import Field
from handlers.scanner.keylogging import KeyLogFinder
from handlers.scanner.result import ScanResult
from tests.scanner.fixture_site import FixtureSite

EMAIL = probes.PROBES["email"]
PHONE = probes.PROBES["phone"]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("sent", "encoding"),
    [
        (EMAIL, "plain"),
        (quote(EMAIL, safe=""), "url-encoded"),
        (base64.b64encode(EMAIL.encode()).decode(), "base64"),
        (hashlib.md5(EMAIL.encode()).hexdigest(), "md5"),  # noqa: S324
        (hashlib.sha1(EMAIL.encode()).hexdigest(), "sha1"),  # noqa: S324
        (sha256(EMAIL), "sha256"),
        (sha256(EMAIL).upper(), "sha256"),
        (base64.urlsafe_b64encode(hashlib.sha256(EMAIL.encode()).digest()).decode(), "sha256"),
    ],
)
def test_a_probe_is_recognised_in_every_encoding_trackers_use(sent: str, encoding: str) -> None:
    assert probes.Match("email", encoding) in probes.find(f"https://t.example/c?v={sent}")


def test_an_email_is_matched_after_the_normalisation_trackers_apply() -> None:
    assert probes.Match("email", "sha256") in probes.find(sha256(EMAIL.upper().lower()))
    assert probes.Match("email", "plain") in probes.find(EMAIL.upper())


@pytest.mark.parametrize("form", ["12025550147", "2025550147", "+12025550147"])
def test_a_phone_is_matched_as_digits_with_or_without_country_code(form: str) -> None:
    assert probes.Match("phone", "sha256") in probes.find(sha256(form))


def test_no_probe_contains_another() -> None:
    for kind, value in probes.PROBES.items():
        assert {m.kind for m in probes.find(value)} == {kind}


def test_requests_without_probes_match_nothing() -> None:
    assert not probes.find("https://www.facebook.com/tr/?id=1&ev=PageView&dl=https%3A%2F%2Fx%2F")


def test_nothing_is_reported_when_no_field_was_typed_into() -> None:
    finder = KeyLogFinder()
    finder.observe("formspy.example", f"https://formspy.example/k?v={EMAIL}", "", None)
    assert finder.findings() == []


def test_a_finding_names_the_fields_whose_values_left() -> None:
    finder = KeyLogFinder()
    finder.typed([Field("email", "email"), Field("phone", "phone"), Field("text", "reason")])
    finder.observe("formspy.example", "https://formspy.example/h", sha256(EMAIL), "https://s/k.js")
    [found] = finder.findings()
    assert (found["domain"], found["script"], found["fields"]) == (
        "formspy.example",
        "https://s/k.js",
        ["email"],
    )
    assert found["evidence"] == ["sha256 email in the body of https://formspy.example/h"]


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def logged(scanner: PixelScanner, site: FixtureSite) -> ScanResult:
    return scanner.scan(site.url("/keylogger.html"))


def finding(result: ScanResult, domain: str) -> dict[str, Any]:
    found = [k for k in result.keyLogging if k["domain"] == domain]
    assert found, f"no key logging to {domain}: {result.keyLogging}"
    return found[0]


@pytest.mark.browser
def test_a_key_logger_sending_plain_and_hashed_values_is_found(logged: ScanResult) -> None:
    found = finding(logged, "formspy.example")
    assert found["script"] == "https://formspy.example/keys.js"
    assert found["fields"] == ["email", "first_name", "last_name", "phone", "reason"]
    evidence = " ".join(found["evidence"])
    assert "plain first_name in https://formspy.example/k?" in evidence
    assert "sha256 first_name in the body of https://formspy.example/h" in evidence


@pytest.mark.browser
def test_meta_advanced_matching_of_a_typed_email_is_key_logging(logged: ScanResult) -> None:
    found = finding(logged, "facebook.com")
    assert (found["script"], found["fields"]) == (
        "https://connect.facebook.net/en_US/fbevents.js",
        ["email"],
    )


@pytest.mark.browser
def test_the_form_is_never_submitted(logged: ScanResult, site: FixtureSite) -> None:
    assert "/keylogger.html" in site.served
    assert "/submitted" not in site.served


@pytest.mark.browser
def test_password_fields_are_left_alone(logged: ScanResult) -> None:
    assert "portal_password" not in str(logged.keyLogging)


@pytest.mark.browser
def test_probe_values_in_the_report_are_masked_where_they_look_personal(
    logged: ScanResult,
) -> None:
    assert EMAIL not in str(logged.to_dict())
    assert quote(EMAIL, safe="") not in str(logged.to_dict())
