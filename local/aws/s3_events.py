"""S3 event notifications: moto's own notification matching, delivered to the local workers.

moto already matches each new object against the bucket's notification configuration (events,
prefix and suffix filters, as put from Terraform) and then tries to invoke a function in its own
Lambda backend. local/aws/moto_process.py takes over that last step and hands the notification here;
we invoke our worker instead, asynchronously, as S3 does. The record is rebuilt with the fields
moto leaves out (sequencer, versionId) and with the key URL-encoded the way S3 encodes it.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote_plus

from local.functions.events import s3_object_created

Deliver = Callable[[str, dict], None]
DELIVERY_THREADS = 16


class S3EventBridge:
    """Receives moto's Lambda notifications and hands them to `deliver(function_name, event)`."""

    def __init__(self, deliver: Deliver, history: int = 50) -> None:
        self._deliver = deliver
        # S3 delivers a burst of uploads' events side by side; the function's pool bounds them.
        self._pool = ThreadPoolExecutor(
            max_workers=DELIVERY_THREADS, thread_name_prefix="s3-events"
        )
        self._lock = threading.Lock()
        self.delivered: deque[dict] = deque(maxlen=history)

    def receive(self, event_body: dict, fn_arn: str, region: str) -> None:
        """One notification moto matched: deliver it to the function, without waiting."""
        function_name = fn_arn.split(":function:", 1)[-1].split(":", 1)[0]
        event = _rebuild(event_body, region)
        with self._lock:
            self.delivered.append({"function": function_name, "event": event})
        with contextlib.suppress(RuntimeError):  # shut down: the stack is stopping
            self._pool.submit(self._deliver, function_name, event)

    def shutdown(self) -> None:
        """Wait for the deliveries in flight; later notifications are dropped."""
        self._pool.shutdown(wait=True, cancel_futures=True)


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
