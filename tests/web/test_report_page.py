"""web/scan.html in Chromium against a stub batch API: submitting a list, progress, the results
table, downloads, and every refusal shown in words. Screenshots go to the test's tmp_path."""

from __future__ import annotations

import pytest

from tests.web.batch_samples import HOSTILE_LABEL, accepted, quiet, snapshot, three_site_batch
from tests.web.stub_batch_api import API_KEY, BATCH_ID, Batch, Reply, error

pytestmark = pytest.mark.browser

WAIT_MS = 10_000


def submit(page, text: str, key: str = API_KEY) -> None:
    page.fill("#items", text)
    page.fill("#api-key", key)
    page.click("#submit")


def wait_phase(page, phase: str) -> None:
    page.wait_for_function(f"window.scanState.phase === '{phase}'", timeout=WAIT_MS)


def status_text(page) -> str:
    return page.locator("#status").inner_text()


def cell(page, item: str, column: str) -> str:
    """The text of one site's cell under the header named `column`."""
    headers = page.locator("#results thead th").all_inner_texts()
    return (
        page.locator(f'#results tr[data-item="{item}"] > *').nth(headers.index(column)).inner_text()
    )


def test_a_batch_shows_progress_then_a_row_per_site_with_a_column_per_vendor(
    report_page, api, tmp_path
):
    three_site_batch(api)
    submit(report_page, "clinic.example\nhospital.example\ndown.example\nnot a domain")
    report_page.wait_for_function("window.scanState.polls >= 1", timeout=WAIT_MS)
    counts = report_page.locator("#counts").inner_text()
    assert "Queued 1" in counts and "Running 1" in counts and "Done 1" in counts
    assert report_page.locator("#progress").evaluate("p => [p.value, p.max]") == [1, 3]
    assert "1 of 3 sites finished" in status_text(report_page)
    pending = report_page.locator('tr[data-item="hospital.example"] td').all_inner_texts()
    assert pending == ["running", "not scanned yet"]
    report_page.screenshot(path=tmp_path / "report-running.png", full_page=True)

    wait_phase(report_page, "completed")
    report_page.wait_for_selector("#downloads:not([hidden])", timeout=WAIT_MS)
    report_page.wait_for_function(
        "[...document.querySelectorAll('#results img')].every(i => i.complete && i.naturalWidth)",
        timeout=WAIT_MS,
    )
    report_page.screenshot(path=tmp_path / "report-completed.png", full_page=True)

    assert "Finished: 2 scanned, 1 failed." in status_text(report_page)
    assert report_page.locator("#progress").evaluate("p => [p.value, p.max]") == [3, 3]
    headers = report_page.locator("#results thead th").all_inner_texts()
    assert headers == [
        "Site",
        "State",
        "Screenshot",
        "Google Analytics 4",
        "Meta Pixel",
        "Fingerprinting",
        "Key logging",
        "Session recorders",
    ]
    rows = report_page.locator("#results tbody tr")
    assert rows.count() == 3
    meta = cell(report_page, "clinic.example", "Meta Pixel")
    assert "Ids: 1234567890" in meta
    assert f"Events: PageView (load), Lead ({HOSTILE_LABEL})" in meta
    assert "Leaks: email (click:Book)" in meta
    assert cell(report_page, "clinic.example", "Google Analytics 4") == (
        "Ids: G-ABC123\nEvents: page_view (load)"
    )
    assert cell(report_page, "clinic.example", "Fingerprinting") == "canvas (fp.example)"
    assert cell(report_page, "clinic.example", "Key logging") == "rec.example (email, phone)"
    assert cell(report_page, "clinic.example", "Session recorders") == "Hotjar (hotjar.com)"
    assert cell(report_page, "hospital.example", "Meta Pixel") == "none"
    assert cell(report_page, "down.example", "State") == "failed (navigation_failed)"
    assert cell(report_page, "down.example", "Screenshot") == "no screenshot"
    shot = report_page.locator('tr[data-item="clinic.example"] img')
    assert shot.get_attribute("src") == api.shot_url("clinic")
    assert shot.get_attribute("alt") == "Screenshot of clinic.example as scanned"
    assert report_page.locator("#rejected-list").inner_text() == (
        "not a domain: not a domain name or URL"
    )
    assert report_page.evaluate("window.pwned") is None
    assert report_page.console_errors == []


def test_the_list_is_posted_with_the_key_the_pages_and_fresh(report_page, api):
    three_site_batch(api)
    report_page.select_option("#pages", "2")
    report_page.check("#fresh")
    submit(report_page, "clinic.example\n\n# a comment\nhospital.example\n")
    wait_phase(report_page, "polling")
    assert api.posted == [
        {"domains": ["clinic.example", "hospital.example"], "pages": 2, "fresh": True}
    ]
    assert set(api.keys_seen) == {API_KEY}


def test_full_urls_are_sent_as_urls(report_page, api):
    three_site_batch(api)
    submit(report_page, "https://clinic.example/book\nhttp://hospital.example/")
    wait_phase(report_page, "polling")
    assert api.posted[0]["urls"] == ["https://clinic.example/book", "http://hospital.example/"]


def test_an_uploaded_csv_list_fills_the_box_with_its_first_column(report_page, api):
    csv = b'domain,name\nclinic.example,Clinic\n"hospital.example",Hospital\n'
    report_page.set_input_files(
        "#list-file", files=[{"name": "sites.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    report_page.wait_for_function("document.getElementById('items').value !== ''")
    assert report_page.input_value("#items") == "clinic.example\nhospital.example"
    assert status_text(report_page) == "Read 2 sites from sites.csv."


def test_downloads_follow_the_presigned_urls(report_page, api):
    three_site_batch(api)
    submit(report_page, "clinic.example")
    report_page.wait_for_selector("#downloads:not([hidden])", timeout=WAIT_MS)
    assert report_page.get_attribute("#download-csv", "href") == f"{api.url}/files/{BATCH_ID}.csv"
    assert report_page.get_attribute("#download-json", "href") == f"{api.url}/files/{BATCH_ID}.json"
    with report_page.expect_download() as download:
        report_page.click("#download-csv")
    assert download.value.suggested_filename == f"{BATCH_ID}.csv"


def test_results_come_in_pages_of_fifty(report_page, api):
    items = [quiet(f"site{n:02}.example", None) for n in range(60)]
    api.accept = accepted(60)
    api.batch = Batch([snapshot("completed", items)])
    submit(report_page, "\n".join(i["item"] for i in items))
    wait_phase(report_page, "completed")
    assert report_page.locator("#results tbody tr").count() == 50
    assert report_page.inner_text("#page-label") == "Sites 1 to 50"
    assert report_page.is_disabled("#previous")
    report_page.click("#next")
    report_page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 10")
    assert report_page.inner_text("#page-label") == "Sites 51 to 60"
    assert report_page.is_disabled("#next")
    assert report_page.locator("#results tbody tr th").first.inner_text().startswith("site50")


def test_a_wrong_api_key_is_shown_and_nothing_is_polled(report_page, api, tmp_path):
    three_site_batch(api)
    submit(report_page, "clinic.example", key="wrong")
    wait_phase(report_page, "failed")
    report_page.screenshot(path=tmp_path / "report-401.png")
    assert status_text(report_page) == "The API key is missing or wrong. Check it and try again."
    assert report_page.get_attribute("#status", "data-kind") == "error"
    assert api.requests == ["POST /scans"]
    assert report_page.is_hidden("#progress-box")
    assert report_page.is_enabled("#submit")


def test_a_list_the_api_refuses_shows_its_reason_and_request_id(report_page, api, tmp_path):
    api.accept = error(400, "domains: expected 1 to 1000 items")
    submit(report_page, "clinic.example")
    wait_phase(report_page, "failed")
    report_page.screenshot(path=tmp_path / "report-400.png")
    assert status_text(report_page) == (
        "The scanner refused the list: domains: expected 1 to 1000 items (request id req-400)"
    )


def test_a_rate_limited_submit_says_when_to_try_again(report_page, api, tmp_path):
    api.accept = error(429, "Too many requests", **{"Retry-After": "30"})
    submit(report_page, "clinic.example")
    wait_phase(report_page, "failed")
    report_page.screenshot(path=tmp_path / "report-429.png")
    assert status_text(report_page) == (
        "Too many requests: the scanner's rate limit was reached. Try again in 30 s."
    )


def test_a_rate_limited_poll_is_retried_until_the_batch_completes(report_page, api):
    three_site_batch(api)
    api.replies[f"GET /scans/{BATCH_ID}"] = [
        error(429, "Too many requests", **{"Retry-After": "1"})
    ]
    submit(report_page, "clinic.example")
    report_page.wait_for_function(
        "document.getElementById('status').textContent.includes('Retrying')", timeout=WAIT_MS
    )
    wait_phase(report_page, "completed")
    assert report_page.locator("#results tbody tr").count() == 3


def test_a_batch_with_every_item_rejected_says_so(report_page, api):
    api.accept = Reply(
        202, {"batchId": BATCH_ID, "total": 0, "rejected": [{"item": "x", "error": "not a domain"}]}
    )
    submit(report_page, "x")
    wait_phase(report_page, "failed")
    assert "None of the sites could be queued" in status_text(report_page)
    assert report_page.inner_text("#rejected-list") == "x: not a domain"
    assert api.requests == ["POST /scans"]


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("", API_KEY, "Enter at least one domain or URL, or upload a list."),
        ("\n".join(f"s{n}.example" for n in range(1001)), API_KEY, "At most 1000 sites per batch"),
        ("clinic.example\nhttps://hospital.example/", API_KEY, "Use either domains"),
        ("clinic.example", "", "Enter the API key"),
    ],
    ids=["empty", "over-1000", "mixed", "no-key"],
)
def test_lists_the_page_cannot_send_are_explained_before_any_request(
    report_page, api, text, key, message
):
    submit(report_page, text, key=key)
    wait_phase(report_page, "failed")
    assert status_text(report_page).startswith(message)
    assert api.requests == []


def test_the_batch_id_goes_into_the_address_and_a_reload_offers_it(report_page, api, site):
    three_site_batch(api)
    submit(report_page, "clinic.example")
    wait_phase(report_page, "completed")
    assert report_page.url == f"{site.url}/scan.html?batch={BATCH_ID}"
    report_page.reload()
    assert report_page.input_value("#batch-id") == BATCH_ID
    assert status_text(report_page) == (
        f'Enter the API key, then press "Show batch" to see batch {BATCH_ID}.'
    )


def test_an_earlier_batch_is_shown_by_its_id(report_page, api):
    three_site_batch(api)
    report_page.fill("#api-key", API_KEY)
    report_page.fill("#batch-id", BATCH_ID)
    report_page.click("#open")
    wait_phase(report_page, "completed")
    assert report_page.locator("#results tbody tr").count() == 3
    assert api.posted == []


def test_an_unknown_batch_id_is_said_to_be_unknown(report_page, api):
    report_page.fill("#api-key", API_KEY)
    report_page.fill("#batch-id", "b-unknown")
    report_page.click("#open")
    wait_phase(report_page, "failed")
    assert status_text(report_page) == (
        "This batch is unknown: it may have expired. Start a new scan."
    )
