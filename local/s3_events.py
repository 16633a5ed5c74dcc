"""S3 event notifications: moto's own notification matching, delivered to the local workers.

moto already matches each new object against the bucket's notification configuration (events,
prefix and suffix filters, as put from Terraform) and then tries to invoke a function in its own
Lambda backend. We take over that last step and invoke our worker instead, asynchronously, as S3
does. The record is rebuilt with the fields moto leaves out (sequencer, versionId) and with the
key URL-encoded the way S3 encodes it.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote_plus

from local.events import s3_object_created

Deliver = Callable[[str, dict], None]


class S3EventBridge:
    """Receives moto's Lambda notifications and hands them to `deliver(function_name, event)`."""

    def __init__(self, deliver: Deliver, history: int = 50) -> None:
        self._deliver = deliver
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="s3-events")
        self._lock = threading.Lock()
        self.delivered: deque[dict] = deque(maxlen=history)
        self._original = None

    def install(self) -> None:
        """Patch moto so Lambda-targeted S3 notifications come to us."""
        from moto.s3 import notifications

        self._original = notifications._invoke_awslambda
        notifications._invoke_awslambda = self._on_notification

    def uninstall(self) -> None:
        """Undo install() and wait for the deliveries in flight."""
        from moto.s3 import notifications

        if self._original is not None:
            notifications._invoke_awslambda = self._original
            self._original = None
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _on_notification(self, account_id: str, event_body: dict, fn_arn: str, region: str) -> None:
        function_name = fn_arn.split(":function:", 1)[-1].split(":", 1)[0]
        event = _rebuild(event_body, region)
        with self._lock:
            self.delivered.append({"function": function_name, "event": event})
        self._pool.submit(self._deliver, function_name, event)


def _rebuild(moto_event: dict, region: str) -> dict:
    record = moto_event["Records"][0]
    s3 = record["s3"]
    key = unquote_plus(s3["object"]["key"])
    return s3_object_created(
        bucket=s3["bucket"]["name"],
        key=key,
        size=int(s3["object"]["size"]),
        etag=s3["object"]["eTag"],
        event_name=record["eventName"],
        region=region,
        configuration_id=s3.get("configurationId") or "local",
    )
