"""Lambda's SQS event source mapping, on one machine: poll a queue, invoke the function with a
batch of messages, delete the ones it processed.

The semantics are the mapping's: up to `batch_size` messages per invocation, at most
`maximum_concurrency` invocations at once, partial batch responses (`ReportBatchItemFailures`):
the messages the function lists stay on the queue, and so does the whole batch when the
function fails or answers something malformed. A message left on the queue is received again
once its visibility timeout ends, and the queue's redrive policy (moto applies it on receive)
moves it to the dead-letter queue after maxReceiveCount receives.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

from terraform_model import EventSourceMapping

SQS_MAX_BATCH = 10  # ReceiveMessage returns at most 10 messages
WAIT_SECONDS = 1
# Pollers of a mapping without maximum_concurrency: Lambda scales those itself, up to 1000.
DEFAULT_POLLERS = 2


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda builds from received messages (ReceiveMessage's shape -> records)."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": dict(m.get("Attributes") or {}),
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value.get("DataType"),
                    }
                    for name, value in (m.get("MessageAttributes") or {}).items()
                },
                "md5OfBody": m.get("MD5OfBody") or hashlib.md5(m["Body"].encode()).hexdigest(),  # noqa: S324 - SQS's own checksum
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for m in messages
        ]
    }


def failed_ids(response: Any, records: list[dict[str, Any]], partial: bool) -> set[str]:
    """The message ids to leave on the queue after the function answered `response`."""
    every = {r["messageId"] for r in records}
    if not partial:
        return set()
    if not isinstance(response, dict) or "batchItemFailures" not in response:
        return set()  # a response without the key reports full success
    listed = response["batchItemFailures"]
    if listed is None:
        return set()
    if not isinstance(listed, list):
        return every
    ids = set()
    for failure in listed:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        # An empty, malformed or unknown identifier fails the whole batch, as Lambda does.
        if not isinstance(identifier, str) or identifier not in every:
            return every
        ids.add(identifier)
    return ids


class SqsPoller:
    """Polls one queue for one mapping and invokes `invoke(event)` with each batch.

    `invoke` raises when the function fails. `retry_after_s`, when set, makes a failed message
    visible again after that many seconds instead of the queue's visibility timeout (tests).
    """

    def __init__(
        self,
        sqs: Any,
        mapping: EventSourceMapping,
        invoke: Callable[[dict[str, Any]], Any],
        region: str,
        log: Callable[[str], None] = lambda line: None,
        retry_after_s: int | None = None,
    ) -> None:
        self.sqs = sqs
        self.mapping = mapping
        self.invoke = invoke
        self.region = region
        self.log = log
        self.retry_after_s = retry_after_s
        self.queue_url = sqs.get_queue_url(QueueName=mapping.queue)["QueueUrl"]
        self.queue_arn = sqs.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def poll_once(self, wait_seconds: int = 0) -> int:
        """Receive one batch and deliver it; returns how many messages it held."""
        received = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=min(self.mapping.batch_size, SQS_MAX_BATCH),
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not received:
            return 0
        event = sqs_event(received, self.queue_arn, self.region)
        records = event["Records"]
        try:
            response = self.invoke(event)
        except Exception as exc:  # the function failed: the whole batch stays
            self.log(f"{self.mapping.function} failed on a batch of {len(records)}: {exc}")
            failed = {r["messageId"] for r in records}
        else:
            failed = failed_ids(response, records, self.mapping.reports_batch_item_failures)
        done = [r for r in records if r["messageId"] not in failed]
        for start in range(0, len(done), SQS_MAX_BATCH):
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(n), "ReceiptHandle": r["receiptHandle"]}
                    for n, r in enumerate(done[start : start + SQS_MAX_BATCH])
                ],
            )
        if failed and self.retry_after_s is not None:
            for record in records:
                if record["messageId"] in failed:
                    self.sqs.change_message_visibility(
                        QueueUrl=self.queue_url,
                        ReceiptHandle=record["receiptHandle"],
                        VisibilityTimeout=self.retry_after_s,
                    )
        if failed:
            self.log(f"{len(failed)} of {len(records)} messages back to {self.mapping.queue}")
        return len(records)

    def drain(self, max_batches: int = 10_000) -> int:
        """Deliver batches one after another until the queue answers none; returns messages."""
        total = 0
        for _ in range(max_batches):
            delivered = self.poll_once()
            if not delivered:
                return total
            total += delivered
        return total

    def start(self) -> None:
        """Poll in `maximum_concurrency` threads until stop()."""
        if not self.mapping.enabled:
            return
        for number in range(max(1, self.mapping.maximum_concurrency or DEFAULT_POLLERS)):
            thread = threading.Thread(
                target=self._run, name=f"sqs-{self.mapping.queue}-{number}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=WAIT_SECONDS + 5)
        self._threads.clear()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once(wait_seconds=WAIT_SECONDS)
            except Exception as exc:  # moto stopping, a network blip: keep polling
                if self._stop.is_set():
                    return
                self.log(f"polling {self.mapping.queue} failed: {exc}")
                self._stop.wait(1)
