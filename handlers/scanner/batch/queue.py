"""The batch queue: one message per site, which the event source mapping feeds to the scanner."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from handlers.core import aws

SEND_BATCH = 10  # SQS's largest SendMessageBatch
MESSAGE_VERSION = 1


class BadMessage(ValueError):
    """A message that is not a site of a batch; it can never succeed."""


@dataclass(frozen=True)
class SiteMessage:
    """What one message asks: scan this site of this batch."""

    batchId: str
    index: int
    url: str
    host: str
    cacheKey: str
    pages: int
    fresh: bool

    def to_body(self) -> str:
        return json.dumps({"v": MESSAGE_VERSION, **asdict(self)}, separators=(",", ":"))

    @classmethod
    def from_body(cls, body: Any) -> SiteMessage:
        """Parse a message body; BadMessage when it is not one this code wrote."""
        try:
            data = json.loads(body)
        except (TypeError, ValueError) as exc:
            raise BadMessage("the body is not JSON") from exc
        if not isinstance(data, dict) or data.get("v") != MESSAGE_VERSION:
            raise BadMessage("the body is not a batch site message")
        fields = {k: data.get(k) for k in cls.__dataclass_fields__}
        types = {"index": int, "pages": int, "fresh": bool}
        for name, value in fields.items():
            wanted = types.get(name, str)
            if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
                raise BadMessage(f"the message's {name} is missing or not a {wanted.__name__}")
        return cls(**fields)


class ScanQueue:
    """Sends site messages to the queue named `queue_name` (its URL is looked up once)."""

    def __init__(self, queue_name: str) -> None:
        self.queue_name = queue_name
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            self._url = aws.client("sqs").get_queue_url(QueueName=self.queue_name)["QueueUrl"]
        return self._url

    def send(self, messages: list[SiteMessage]) -> list[int]:
        """Queue every message; returns the indexes SQS refused even after one retry."""
        refused: list[int] = []
        for start in range(0, len(messages), SEND_BATCH):
            chunk = {str(m.index): m for m in messages[start : start + SEND_BATCH]}
            for _ in range(2):
                answer = aws.client("sqs").send_message_batch(
                    QueueUrl=self.url,
                    Entries=[{"Id": key, "MessageBody": m.to_body()} for key, m in chunk.items()],
                )
                chunk = {f["Id"]: chunk[f["Id"]] for f in answer.get("Failed", [])}
                if not chunk:
                    break
            refused.extend(m.index for m in chunk.values())
        return refused
