"""Report rows: one row per site, a column per vendor, and a CSV a spreadsheet opens safely."""

from __future__ import annotations

import csv
import io
from typing import Any

from handlers.scanner import report_rows
from handlers.scanner.report_rows import COLUMNS, rows, vendor_column, write_csv
from handlers.scanner.result import ScanResult
from handlers.scanner.signatures import VENDORS


def scanned(**fields: Any) -> dict[str, Any]:
    """A finished scan of clinic.example as ScanResult.to_dict() gives it."""
    result = ScanResult(
        domain="clinic.example",
        url="https://clinic.example/",
        finalUrl="https://www.clinic.example/",
        scannedAt="2026-12-02T01:00:00Z",
        durationMs=4200,
        pagesVisited=["https://www.clinic.example/", "https://www.clinic.example/book"],
        **fields,
    )
    return result.to_dict()


META = {
    "vendor": "Meta Pixel",
    "category": "ad",
    "ids": ["123456789012345", "987654321098765"],
    "events": [
        {"name": "PageView", "firstSeenStep": "load"},
        {"name": "Schedule", "firstSeenStep": "click:Book now"},
    ],
    "firstSeenStep": "load",
    "requests": 3,
    "evidence": [],
}


def read_csv(results: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    write_csv(results, out)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def test_columns_are_the_site_fields_then_three_per_known_vendor_then_the_findings() -> None:
    assert COLUMNS[:3] == ("item", "state", "url")
    assert len(COLUMNS) == len(report_rows.SITE_COLUMNS) + 3 * len(VENDORS) + 3
    assert COLUMNS[-3:] == ("fingerprinting", "keyLogging", "sessionRecorders")
    assert len(set(COLUMNS)) == len(COLUMNS)
    for part in ("ids", "events", "leaks"):
        assert f"Meta Pixel {part}" in COLUMNS


def test_every_row_has_every_column_as_a_string() -> None:
    (row,) = rows([scanned(pixels=[META])])
    assert tuple(row) == COLUMNS
    assert all(isinstance(value, str) for value in row.values())


def test_a_vendor_cell_lists_its_ids_and_its_events_with_the_step_they_fired_on() -> None:
    (row,) = rows([scanned(pixels=[META])])
    assert row["Meta Pixel ids"] == "123456789012345; 987654321098765"
    assert row["Meta Pixel events"] == "PageView (load); Schedule (click:Book now)"
    assert row["TikTok Pixel ids"] == row["TikTok Pixel events"] == ""


def test_leaks_go_to_the_column_of_the_vendor_that_was_told() -> None:
    leaks = [
        {"vendor": "Meta Pixel", "kind": "url", "step": "load", "example": "dl=..."},
        {"vendor": "Meta Pixel", "kind": "button_text", "step": "click:Book", "example": "x"},
        {"vendor": "Google Analytics 4", "kind": "title", "step": "load", "example": "dt=..."},
    ]
    (row,) = rows([scanned(pixels=[META], leaks=leaks)])
    assert row["Meta Pixel leaks"] == "url (load); button_text (click:Book)"
    assert row["Google Analytics 4 leaks"] == "title (load)"


def test_fingerprinting_key_logging_and_session_recorders_have_a_column_each() -> None:
    (row,) = rows(
        [
            scanned(
                fingerprinting=[
                    {"kind": "canvas", "script": "s", "domain": "fp.example", "evidence": {}},
                    {"kind": "audio", "script": "s", "domain": "fp.example", "evidence": {}},
                ],
                keyLogging=[
                    {"domain": "rec.example", "script": None, "fields": ["email", "phone"]}
                ],
                sessionRecorders=[{"vendor": "Hotjar", "domain": "hotjar.com", "evidence": []}],
            )
        ]
    )
    assert row["fingerprinting"] == "canvas (fp.example); audio (fp.example)"
    assert row["keyLogging"] == "rec.example (email, phone)"
    assert row["sessionRecorders"] == "Hotjar (hotjar.com)"


def test_site_columns_carry_the_scan_facts() -> None:
    (row,) = rows(
        [
            scanned(
                thirdPartyDomains=[{"domain": "facebook.net", "requests": 2}],
                thirdPartyCookies=4,
                blockedRequests=1,
            )
        ]
    )
    assert row["item"] == "clinic.example"
    assert (row["state"], row["error"], row["partial"]) == ("done", "", "false")
    assert row["finalUrl"] == "https://www.clinic.example/"
    assert row["pagesVisited"] == "https://www.clinic.example/; https://www.clinic.example/book"
    assert (row["durationMs"], row["thirdPartyCookies"], row["blockedRequests"]) == (
        "4200",
        "4",
        "1",
    )
    assert row["thirdPartyDomains"] == "facebook.net"


def test_the_item_and_state_given_by_the_caller_win() -> None:
    (row,) = rows([{**scanned(), "item": "Clinic.Example ", "state": "done"}])
    assert (row["item"], row["state"]) == ("Clinic.Example ", "done")


def test_a_scan_that_ended_in_an_error_is_a_failed_row_with_its_code_and_message() -> None:
    (row,) = rows([scanned(error="timeout", errorMessage="The scan ran out of time", partial=True)])
    assert (row["state"], row["error"], row["partial"]) == ("failed", "timeout", "true")
    assert row["errorMessage"] == "The scan ran out of time"


def test_a_failed_item_without_a_scan_result_is_still_one_row() -> None:
    (row,) = rows([{"item": "bad_domain!", "state": "failed", "error": "not a domain name"}])
    assert (row["item"], row["state"], row["error"]) == (
        "bad_domain!",
        "failed",
        "not a domain name",
    )
    assert row["Meta Pixel ids"] == row["url"] == row["durationMs"] == ""


def test_malformed_fields_and_unknown_vendors_leave_cells_empty() -> None:
    (row,) = rows(
        [
            {
                "item": "x.example",
                "pixels": [{"vendor": "Brand New Pixel", "ids": ["1"]}, "junk", None],
                "leaks": "not a list",
                "fingerprinting": [{"kind": None}],
                "pagesVisited": None,
            }
        ]
    )
    assert not any("Brand New Pixel" in name for name in row)
    assert (row["fingerprinting"], row["pagesVisited"]) == ("", "")


def test_rows_come_out_one_per_result_in_order_and_lazily() -> None:
    produced = rows(iter([{"item": "a.example"}, {"item": "b.example"}]))
    assert next(produced)["item"] == "a.example"
    assert [row["item"] for row in produced] == ["b.example"]


def test_write_csv_writes_the_header_then_one_row_per_site() -> None:
    out = io.StringIO(newline="")
    write_csv([scanned(pixels=[META]), {"item": "b.example", "state": "failed"}], out)
    lines = out.getvalue().split("\r\n")
    assert lines[0].split(",")[:3] == ["item", "state", "url"]
    parsed = read_csv([scanned(pixels=[META]), {"item": "b.example", "state": "failed"}])
    assert [r["item"] for r in parsed] == ["clinic.example", "b.example"]
    assert parsed[0][vendor_column("Meta Pixel", "ids")] == "123456789012345; 987654321098765"


def test_write_csv_of_no_results_is_the_header_alone() -> None:
    out = io.StringIO(newline="")
    write_csv([], out)
    assert next(csv.reader(io.StringIO(out.getvalue()))) == list(COLUMNS)
    assert out.getvalue().count("\r\n") == 1


def test_cells_a_spreadsheet_would_run_as_formulas_get_a_leading_quote() -> None:
    hostile = {
        **META,
        "events": [{"name": "Lead", "firstSeenStep": "click:x"}],
        "ids": ["=HYPERLINK(1)"],
    }
    (parsed,) = read_csv([{"item": "@evil.example", "pixels": [hostile]}])
    assert parsed["item"] == "'@evil.example"
    assert parsed["Meta Pixel ids"] == "'=HYPERLINK(1)"
    assert parsed["Meta Pixel events"] == "Lead (click:x)"


def test_commas_quotes_and_newlines_in_a_cell_survive_the_round_trip() -> None:
    (parsed,) = read_csv([{"item": 'a, "b"\nc'}])
    assert parsed["item"] == 'a, "b"\nc'
