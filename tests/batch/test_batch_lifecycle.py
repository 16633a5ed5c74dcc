"""A batch from queue to report: progress, completion exactly once, failing sites, the
dead-letter queue, duplicate deliveries, all through the local event source mapping."""

from __future__ import annotations

import csv
import io
import json

import boto3
import pytest

from handlers.scanner.batch.queue import SiteMessage
from tests.batch.conftest import BUCKET, DLQ, MAX_RECEIVE_COUNT, PNG, QUEUE
from tests.conftest import REGION


def _s3_object(key: str) -> bytes:
    return boto3.client("s3", region_name=REGION).get_object(Bucket=BUCKET, Key=key)["Body"].read()


def _status(batches, batch_id: str) -> dict:
    status, body = batches.get(f"/scans/{batch_id}")
    assert status == 200
    return body


def test_an_accepted_batch_is_queued_with_every_site_waiting(batches):
    _, accepted = batches.post({"domains": ["a.example.org", "b.example.org"]})

    body = _status(batches, accepted["batchId"])

    assert body["status"] == "queued"
    assert body["counts"] == {"queued": 2, "running": 0, "done": 0, "failed": 0}
    assert body["completedAt"] is None
    assert [(i["item"], i["state"], i["summary"]) for i in body["items"]] == [
        ("a.example.org", "queued", None),
        ("b.example.org", "queued", None),
    ]


def test_progress_shows_finished_sites_before_the_batch_completes(batches):
    _, accepted = batches.post({"domains": [f"s{n}.example.org" for n in range(3)]})

    assert batches.poller.poll_once() == 2  # the mapping's batch size
    body = _status(batches, accepted["batchId"])

    assert body["status"] == "running"
    assert body["counts"] == {"queued": 1, "running": 0, "done": 2, "failed": 0}
    done = [i for i in body["items"] if i["state"] == "done"]
    assert done[0]["summary"]["pixels"] == [{"vendor": "Meta Pixel", "ids": ["1"], "events": []}]
    assert done[0]["screenshotUrl"].startswith("https://")


def test_a_batch_completes_once_with_both_reports(batches):
    _, accepted = batches.post({"domains": ["a.example.org", "b.example.org"], "pages": 2})
    batch = accepted["batchId"]

    assert batches.run() == 2
    body = _status(batches, batch)

    assert body["status"] == "completed"
    assert body["completedAt"] == "2023-11-14T22:13:20Z"
    assert body["counts"] == {"queued": 0, "running": 0, "done": 2, "failed": 0}
    assert {call[1:] for call in batches.scanner.calls} == {(2, True)}
    report = json.loads(_s3_object(f"batches/{batch}/results.json"))
    assert [(r["item"], r["state"], r["error"]) for r in report] == [
        ("a.example.org", "done", None),
        ("b.example.org", "done", None),
    ]
    rows = list(csv.DictReader(io.StringIO(_s3_object(f"batches/{batch}/results.csv").decode())))
    assert [row["item"] for row in rows] == ["a.example.org", "b.example.org"]
    for name in ("csv", "json"):
        status, link = batches.get(f"/scans/{batch}/results.{name}")
        assert status == 200
        assert f"batches/{batch}/results.{name}" in link["url"]
        assert link["expiresIn"] == 900


def test_a_site_screenshot_is_stored_as_png(batches):
    _, accepted = batches.post({"domains": ["a.example.org"]})
    batches.run()

    assert _s3_object(f"batches/{accepted['batchId']}/sites/0000.png") == PNG


def test_a_site_that_times_out_is_recorded_failed_and_not_retried(batches):
    batches.scanner.errors["slow.example.org"] = "timeout"
    _, accepted = batches.post({"domains": ["slow.example.org", "a.example.org"]})

    batches.run()
    body = _status(batches, accepted["batchId"])

    assert body["status"] == "completed"
    assert body["counts"] == {"queued": 0, "running": 0, "done": 1, "failed": 1}
    failed = body["items"][0]
    assert (failed["state"], failed["error"], failed["screenshotUrl"]) == (
        "failed",
        "timeout on slow.example.org",
        None,
    )
    assert [c[0] for c in batches.scanner.calls].count("https://slow.example.org/") == 1
    assert (batches.depth(QUEUE), batches.depth(DLQ)) == (0, 0)


def test_a_site_the_scanner_crashes_on_is_recorded_failed_once(batches):
    batches.scanner.crash.add("bad.example.org")
    _, accepted = batches.post({"domains": ["bad.example.org"]})

    batches.run()
    body = _status(batches, accepted["batchId"])

    assert body["status"] == "completed"
    assert body["items"][0]["error"] == "The scanner failed on this site"
    assert len(batches.scanner.calls) == 1


def test_a_site_whose_result_cannot_be_stored_goes_to_the_dlq_after_max_receive_count(batches):
    _, accepted = batches.post({"domains": ["a.example.org"], "fresh": True})
    s3 = boto3.client("s3", region_name=REGION)
    s3.delete_bucket(Bucket=BUCKET)  # every write of the result now fails: an AWS error

    batches.run()

    assert len(batches.scanner.calls) == MAX_RECEIVE_COUNT
    assert (batches.depth(QUEUE), batches.depth(DLQ)) == (0, 1)
    body = _status(batches, accepted["batchId"])
    assert body["status"] == "running"
    assert body["counts"] == {"queued": 0, "running": 1, "done": 0, "failed": 0}


def test_an_unreadable_message_goes_to_the_dlq_without_a_scan(batches):
    url = batches.sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    batches.sqs.send_message(QueueUrl=url, MessageBody="not json")

    batches.run()

    assert batches.scanner.calls == []
    assert (batches.depth(QUEUE), batches.depth(DLQ)) == (0, 1)


def test_a_duplicate_delivery_scans_and_counts_the_site_once(batches):
    _, accepted = batches.post({"domains": ["a.example.org", "b.example.org"]})
    url = batches.sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    (first,) = batches.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
    batches.sqs.change_message_visibility(
        QueueUrl=url, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0
    )
    # SQS delivers at least once: the same site arrives twice.
    batches.sqs.send_message(QueueUrl=url, MessageBody=first["Body"])

    assert batches.run() == 3
    body = _status(batches, accepted["batchId"])

    site = SiteMessage.from_body(first["Body"]).url
    assert [c[0] for c in batches.scanner.calls].count(site) == 1
    assert body["counts"] == {"queued": 0, "running": 0, "done": 2, "failed": 0}
    assert body["status"] == "completed"


def test_a_delivery_after_completion_changes_nothing(batches):
    _, accepted = batches.post({"domains": ["a.example.org"]})
    url = batches.sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    (message,) = batches.sqs.receive_message(QueueUrl=url)["Messages"]
    batches.sqs.change_message_visibility(
        QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
    )
    batches.run()
    before = batches.batch_row(accepted["batchId"])

    batches.sqs.send_message(QueueUrl=url, MessageBody=message["Body"])
    batches.run()

    assert batches.batch_row(accepted["batchId"]) == before
    assert len(batches.scanner.calls) == 1


def test_a_cached_result_is_used_unless_the_batch_asks_for_fresh_scans(batches):
    batches.post({"domains": ["a.example.org"]})
    batches.run()
    batches.post({"domains": ["a.example.org"]})
    batches.run()
    assert len(batches.scanner.calls) == 1

    batches.post({"domains": ["a.example.org"], "fresh": True})
    batches.run()

    assert len(batches.scanner.calls) == 2


@pytest.mark.parametrize("count", [1, 2])
def test_a_worker_with_no_time_left_returns_the_site_to_the_queue(batches, count):
    from tests.support.events import LambdaContext

    batches.post({"domains": [f"s{n}.example.org" for n in range(count)]})
    url = batches.sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    received = batches.sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]
    )["Messages"]
    from local.aws.sqs_poller import sqs_event

    event = sqs_event(received, "arn:aws:sqs:us-east-1:123456789012:scans-test", REGION)
    answer = batches.app.lambda_handler(event, LambdaContext(remaining_ms=10_000))

    assert answer == {"batchItemFailures": [{"itemIdentifier": m["MessageId"]} for m in received]}
    assert batches.scanner.calls == []
