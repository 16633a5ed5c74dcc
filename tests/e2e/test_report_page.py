"""The report page against the real local batch path: POST /scans, moto SQS, the poller, the
scanner's worker and GET /scans/{batchId}, as `make up` serves them."""

from __future__ import annotations

# The site fails fast (a non-public address), so no page load is waited for.
SITE = "http://127.0.0.1:9/"
NOT_SCANNABLE = "http://example.org:22/"  # only ports 80 and 443
WAIT_MS = 90_000


def test_the_report_page_runs_a_batch_through_the_local_queue_to_its_results(
    desktop, stack, artifacts
):
    report = desktop  # the report page is a desktop page
    report.goto(f"{stack.web}/scan.html")
    report.fill("#items", f"{SITE}\n{NOT_SCANNABLE}")
    report.fill("#api-key", stack.info["scannerApiKey"])
    report.click("#submit")

    report.wait_for_function("window.scanState.phase === 'completed'", timeout=WAIT_MS)
    report.screenshot(path=artifacts / "report-page-local-batch.png", full_page=True)

    assert NOT_SCANNABLE in report.locator("#rejected-list").inner_text()
    assert "1 failed" in report.locator("#status").inner_text()
    row = report.locator("#results tbody tr")
    assert row.count() == 1
    assert "non-public address" in row.inner_text()
    # The presigned links are fetched once the batch has completed.
    report.locator("#downloads").wait_for(state="visible", timeout=WAIT_MS)
    assert "results.csv" in report.locator("#download-csv").get_attribute("href")
