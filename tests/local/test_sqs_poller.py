"""The local event source mapping answers a function's response as Lambda does."""

from __future__ import annotations

import pytest

from local.aws.sqs_poller import failed_ids, sqs_event

RECORDS = sqs_event(
    [
        {"MessageId": "m1", "ReceiptHandle": "r1", "Body": "{}"},
        {"MessageId": "m2", "ReceiptHandle": "r2", "Body": "{}"},
    ],
    "arn:aws:sqs:us-east-1:123456789012:q",
    "us-east-1",
)["Records"]


def test_records_carry_what_lambda_sends():
    record = RECORDS[0]

    assert (record["eventSource"], record["messageId"], record["receiptHandle"]) == (
        "aws:sqs",
        "m1",
        "r1",
    )
    assert record["eventSourceARN"].endswith(":q")
    assert record["md5OfBody"] == "99914b932bd37a50b983c5e7c90ae93b"


@pytest.mark.parametrize(
    "response",
    [None, {}, {"batchItemFailures": []}, {"batchItemFailures": None}, "ok"],
)
def test_an_empty_or_absent_failure_list_is_a_full_success(response):
    assert failed_ids(response, RECORDS, partial=True) == set()


def test_listed_messages_stay_on_the_queue():
    response = {"batchItemFailures": [{"itemIdentifier": "m2"}]}

    assert failed_ids(response, RECORDS, partial=True) == {"m2"}


@pytest.mark.parametrize(
    "failures",
    [
        [{"itemIdentifier": ""}],
        [{"itemIdentifier": None}],
        [{"id": "m1"}],
        [{"itemIdentifier": "m9"}],
        "m1",
    ],
)
def test_a_malformed_failure_list_fails_the_whole_batch(failures):
    assert failed_ids({"batchItemFailures": failures}, RECORDS, partial=True) == {"m1", "m2"}


def test_without_report_batch_item_failures_a_response_is_a_full_success():
    response = {"batchItemFailures": [{"itemIdentifier": "m2"}]}

    assert failed_ids(response, RECORDS, partial=False) == set()
