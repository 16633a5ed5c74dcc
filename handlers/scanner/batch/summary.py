"""What GET /scans/{batchId} shows of each site: the findings, without evidence or cookies."""

from __future__ import annotations

from typing import Any

# Each list is capped, so one site's summary stays far below DynamoDB's 400 KB per item; the
# full result is in the results bucket and the reports.
MAX_ENTRIES = 50


def summary_of(result: dict[str, Any]) -> dict[str, Any]:
    """The findings of one scan result: pixels (vendor, ids, events), leaks, fingerprinting,
    key logging and session recorders."""
    return {
        "pixels": [
            {
                "vendor": pixel.get("vendor"),
                "ids": list(pixel.get("ids") or [])[:MAX_ENTRIES],
                "events": list(pixel.get("events") or [])[:MAX_ENTRIES],
            }
            for pixel in (result.get("pixels") or [])[:MAX_ENTRIES]
        ],
        "leaks": list(result.get("leaks") or [])[:MAX_ENTRIES],
        "fingerprinting": list(result.get("fingerprinting") or [])[:MAX_ENTRIES],
        "keyLogging": list(result.get("keyLogging") or [])[:MAX_ENTRIES],
        "sessionRecorders": list(result.get("sessionRecorders") or [])[:MAX_ENTRIES],
    }
