"""The results bucket: each site's result JSON and screenshot, the batch's reports, and
presigned GETs of them (the bucket itself is private)."""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from handlers.core import aws
from handlers.scanner.batch.store import position
from handlers.scanner.report_rows import write_csv

URL_SECONDS = 900
READERS = 8  # parallel GETs when a report gathers a batch's results
REPORTS = {
    "csv": ("results.csv", "text/csv; charset=utf-8"),
    "json": ("results.json", "application/json"),
}


class ResultsBucket:
    """Object keys under `batches/{batchId}/` and presigned URLs for them."""

    url_seconds = URL_SECONDS

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    @staticmethod
    def result_key(batch_id: str, index: int) -> str:
        return f"batches/{batch_id}/sites/{position(index)}.json"

    @staticmethod
    def screenshot_key(batch_id: str, index: int) -> str:
        return f"batches/{batch_id}/sites/{position(index)}.png"

    @staticmethod
    def report_key(batch_id: str, report: str) -> str:
        return f"batches/{batch_id}/{REPORTS[report][0]}"

    def put_result(self, batch_id: str, index: int, result: dict[str, Any]) -> str:
        key = self.result_key(batch_id, index)
        self._put(key, json.dumps(result, separators=(",", ":")).encode(), "application/json")
        return key

    def put_screenshot(self, batch_id: str, index: int, png: bytes) -> str:
        key = self.screenshot_key(batch_id, index)
        self._put(key, png, "image/png")
        return key

    def read_results(self, keys: list[str]) -> list[dict[str, Any]]:
        """The JSON objects at `keys`, in order."""

        def read(key: str) -> dict[str, Any]:
            body = aws.client("s3").get_object(Bucket=self.bucket, Key=key)["Body"]
            return json.loads(body.read())

        with ThreadPoolExecutor(max_workers=READERS) as pool:
            return list(pool.map(read, keys))

    def put_reports(self, batch_id: str, results: list[dict[str, Any]]) -> None:
        """results.json (every site's result, with its item, state and error) and results.csv
        (one row per site); rewriting them gives the same objects."""
        self._put(
            self.report_key(batch_id, "json"),
            json.dumps(results, separators=(",", ":")).encode(),
            REPORTS["json"][1],
            attachment=REPORTS["json"][0],
        )
        text = io.StringIO()
        write_csv(results, text)
        self._put(
            self.report_key(batch_id, "csv"),
            text.getvalue().encode("utf-8"),
            REPORTS["csv"][1],
            attachment=REPORTS["csv"][0],
        )

    def url(self, key: str) -> str:
        """A presigned GET of `key`, valid URL_SECONDS."""
        return aws.client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=URL_SECONDS
        )

    def _put(self, key: str, body: bytes, content_type: str, attachment: str = "") -> None:
        extra = {"ContentDisposition": f'attachment; filename="{attachment}"'} if attachment else {}
        aws.client("s3").put_object(
            Bucket=self.bucket, Key=key, Body=body, ContentType=content_type, **extra
        )
