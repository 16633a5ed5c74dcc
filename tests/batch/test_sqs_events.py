"""LambdaApp's SQS kind: recognised, routed to the app's SQS handler, never silently acked."""

from __future__ import annotations

from handlers.core.events import EventKind, classify
from local.aws.sqs_poller import sqs_event

EVENT = sqs_event(
    [{"MessageId": "m1", "ReceiptHandle": "r1", "Body": "{}"}],
    "arn:aws:sqs:us-east-1:123456789012:q",
    "us-east-1",
)


def test_an_sqs_event_is_told_apart_from_s3_and_http():
    assert classify(EVENT) is EventKind.SQS
    assert classify({"Records": [{"eventSource": "aws:sqs"}]}) is EventKind.UNKNOWN


def test_with_a_broken_configuration_every_message_goes_back_to_the_queue(monkeypatch):
    from handlers.scanner import app as scanner_app

    monkeypatch.delenv("SCAN_QUEUE_NAME", raising=False)
    scanner_app.app.reset()
    try:
        answer = scanner_app.lambda_handler(EVENT, None)
    finally:
        scanner_app.app.reset()

    assert answer == {"batchItemFailures": [{"itemIdentifier": "m1"}]}


def test_an_unreadable_message_is_returned_to_the_queue(batches):
    answer = batches.invoke_sqs(EVENT)

    assert answer == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert batches.scanner.calls == []
