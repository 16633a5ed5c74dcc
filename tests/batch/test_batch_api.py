"""POST /scans and GET /scans/...: what each answers, and every error with its status and body."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.scanner.batch.api import MAX_BODY, MAX_ITEMS

pytestmark = pytest.mark.usefixtures("batches")


def test_a_batch_is_accepted_with_its_invalid_items_rejected_and_never_queued(batches):
    status, body = batches.post(
        {"domains": ["example.org", "http://not-a-domain", "example.net", 7, "example.org"]}
    )

    assert status == 202
    assert body["total"] == 2
    assert body["rejected"] == [
        {
            "item": "http://not-a-domain",
            "error": '"domain" must be a bare host name such as example.org; use "url"',
        },
        {"item": "7", "error": "not a string"},
        {"item": "example.org", "error": "listed twice"},
    ]
    assert batches.depth("scans-test") == 2


def test_urls_are_checked_with_the_rules_of_post_scan(batches):
    status, body = batches.post(
        {"urls": ["https://example.org/a", "ftp://example.org/", "https://u:p@example.org/"]}
    )

    assert status == 202
    assert body["total"] == 1
    assert [r["error"] for r in body["rejected"]] == [
        "only http and https urls can be scanned",
        "urls with credentials are not allowed",
    ]


def test_a_batch_with_no_valid_item_is_a_400_listing_why(batches):
    status, body = batches.post({"domains": ["a b", ""]})

    assert status == 400
    assert body["error"] == "None of the items can be scanned"
    assert [r["item"] for r in body["rejected"]] == ["a b", ""]
    assert body["requestId"]
    assert batches.depth("scans-test") == 0


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, 'give exactly one of "domains" or "urls"'),
        (
            {"domains": ["a.org"], "urls": ["https://a.org/"]},
            'give exactly one of "domains" or "urls"',
        ),
        ({"domains": "a.org"}, f'"domains" must be a list of 1 to {MAX_ITEMS} strings'),
        ({"domains": []}, f'"domains" must be a list of 1 to {MAX_ITEMS} strings'),
        (
            {"domains": [f"s{n}.example.org" for n in range(MAX_ITEMS + 1)]},
            f'"domains" must be a list of 1 to {MAX_ITEMS} strings',
        ),
        ({"domains": ["a.org"], "pages": 4}, '"pages" must be an integer from 1 to 3'),
        ({"domains": ["a.org"], "fresh": "yes"}, '"fresh" must be true or false'),
    ],
)
def test_a_bad_body_is_a_400_saying_what_is_wrong(batches, payload: Any, message: str):
    status, body = batches.post(payload)

    assert (status, body["error"]) == (400, message)
    assert batches.depth("scans-test") == 0


def test_a_body_that_is_not_a_json_object_is_a_400(batches):
    status, body = batches.post('["a.org"]')

    assert (status, body["error"]) == (400, "Request body must be a JSON object")


def test_a_body_over_the_limit_is_a_413(batches):
    status, body = batches.post("x" * (MAX_BODY + 1))

    assert (status, body["error"]) == (413, f"Request body exceeds {MAX_BODY} bytes")


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong"}])
def test_every_batch_route_needs_the_api_key(batches, headers):
    _, accepted = batches.post({"domains": ["example.org"]})
    batch = accepted["batchId"]
    for answer in (
        batches.post({"domains": ["example.org"]}, headers=headers),
        batches.get(f"/scans/{batch}", headers=headers),
        batches.get(f"/scans/{batch}/results.csv", headers=headers),
        batches.get(f"/scans/{batch}/results.json", headers=headers),
    ):
        assert answer[0] == 401
        assert "x-api-key" in answer[1]["error"] or "API key" in answer[1]["error"]


def test_posting_batches_counts_against_the_addresss_rate_limit(batches, monkeypatch):
    monkeypatch.setenv("IP_LIMIT", "2")
    batches.app.app.reset()
    batches.app.app.override(batches.app.scanner, batches.scanner)
    assert batches.post({"domains": ["a.example.org"]}, ip="198.51.100.9")[0] == 202
    assert batches.post({"domains": ["b.example.org"]}, ip="198.51.100.9")[0] == 202

    status, body = batches.post({"domains": ["c.example.org"]}, ip="198.51.100.9")

    assert (status, body["error"]) == (429, "Too many requests from this address")


def test_an_unknown_batch_is_a_404(batches):
    unknown = "00000000-0000-4000-8000-000000000000"
    for path in (f"/scans/{unknown}", f"/scans/{unknown}/results.csv"):
        status, body = batches.get(path)
        assert (status, body["error"]) == (404, "No such batch")


def test_a_malformed_batch_id_is_a_400(batches):
    status, body = batches.get("/scans/not-a-batch")

    assert (status, body["error"]) == (400, "batchId is not a valid batch id")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": "0"}, "limit must be a whole number from 1 to 100"),
        ({"limit": "101"}, "limit must be a whole number from 1 to 100"),
        ({"limit": "x"}, "limit must be a whole number from 1 to 100"),
        ({"cursor": "abc"}, "cursor is not valid; pass the nextCursor of the previous page"),
    ],
)
def test_bad_paging_parameters_are_400s(batches, query, message):
    _, accepted = batches.post({"domains": ["example.org"]})

    status, body = batches.get(f"/scans/{accepted['batchId']}", query=query)

    assert (status, body["error"]) == (400, message)


def test_the_reports_are_a_409_until_the_batch_completes(batches):
    _, accepted = batches.post({"domains": ["example.org"]})

    for report in ("csv", "json"):
        status, body = batches.get(f"/scans/{accepted['batchId']}/results.{report}")
        assert (status, body["error"]) == (
            409,
            "The batch is queued; its report exists once it is completed",
        )


def test_sites_are_paged_in_the_order_they_were_given(batches):
    domains = [f"s{n}.example.org" for n in range(5)]
    _, accepted = batches.post({"domains": domains})
    path = f"/scans/{accepted['batchId']}"

    seen, cursor = [], None
    while True:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        status, body = batches.get(path, query=query)
        assert status == 200
        assert len(body["items"]) <= 2
        seen += [item["item"] for item in body["items"]]
        cursor = body["nextCursor"]
        if cursor is None:
            break

    assert seen == domains
