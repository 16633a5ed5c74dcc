"""Batches as the API reports them, for the report page's tests and its Lighthouse benchmark."""

from __future__ import annotations

from tests.web.stub_batch_api import BATCH_ID, Batch, Reply, StubBatchApi

# A click label from a scanned page: the page must show it as text, never run it as HTML.
HOSTILE_LABEL = 'click:<img src=x onerror="window.pwned=1">Book'


def clinic(shot_url: str) -> dict:
    return {
        "item": "clinic.example",
        "url": "https://clinic.example/",
        "state": "done",
        "error": None,
        "summary": {
            "pixels": [
                {
                    "vendor": "Meta Pixel",
                    "ids": ["1234567890"],
                    "events": [
                        {"name": "PageView", "firstSeenStep": "load"},
                        {"name": "Lead", "firstSeenStep": HOSTILE_LABEL},
                    ],
                },
                {
                    "vendor": "Google Analytics 4",
                    "ids": ["G-ABC123"],
                    "events": [{"name": "page_view", "firstSeenStep": "load"}],
                },
            ],
            "leaks": [{"vendor": "Meta Pixel", "kind": "email", "step": "click:Book"}],
            "fingerprinting": [{"kind": "canvas", "domain": "fp.example"}],
            "keyLogging": [{"domain": "rec.example", "fields": ["email", "phone"]}],
            "sessionRecorders": [{"vendor": "Hotjar", "domain": "hotjar.com"}],
        },
        "screenshotUrl": shot_url,
    }


def quiet(item: str, shot_url: str | None, state: str = "done", err: str | None = None) -> dict:
    empty = {k: [] for k in ("pixels", "leaks", "fingerprinting", "keyLogging", "sessionRecorders")}
    return {
        "item": item,
        "url": f"https://{item}/",
        "state": state,
        "error": err,
        "summary": empty if state in ("done", "failed") else None,
        "screenshotUrl": shot_url,
    }


def snapshot(status: str, items: list[dict]) -> dict:
    counts = {s: sum(1 for i in items if i["state"] == s) for s in ("queued", "running")}
    counts |= {s: sum(1 for i in items if i["state"] == s) for s in ("done", "failed")}
    return {
        "batchId": BATCH_ID,
        "status": status,
        "total": len(items),
        "counts": counts,
        "createdAt": "2026-12-02T01:00:00Z",
        "completedAt": "2026-12-02T01:01:00Z" if status == "completed" else None,
        "items": items,
    }


def accepted(total: int, rejected: list[dict] | None = None) -> Reply:
    return Reply(202, {"batchId": BATCH_ID, "total": total, "rejected": rejected or []})


def three_site_batch(api: StubBatchApi) -> None:
    """clinic (trackers), hospital (none) and down (failed): running after one poll, then done."""
    done = [
        clinic(api.shot_url("clinic")),
        quiet("hospital.example", api.shot_url("hospital")),
        quiet("down.example", None, "failed", "navigation_failed"),
    ]
    running = [
        done[0],
        quiet("hospital.example", None, "running"),
        quiet("down.example", None, "queued"),
    ]
    api.accept = accepted(3, [{"item": "not a domain", "error": "not a domain name or URL"}])
    api.batch = Batch([snapshot("running", running), snapshot("completed", done)])
