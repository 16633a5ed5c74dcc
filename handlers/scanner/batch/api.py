"""POST /scans, GET /scans/{batchId} and its two reports, declared on the scanner's app.

Every item is checked up front with the rules of POST /scan; the invalid ones are answered in
`rejected` and never queued. The routes take the same API key and rate limits as POST /scan.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from handlers.core import errors
from handlers.core.app import LambdaApp
from handlers.core.clock import iso_utc
from handlers.core.http import Request, Response
from handlers.core.log import logger
from handlers.core.spec import Param, Reply, too_many_requests
from handlers.scanner.batch.parts import BatchParts
from handlers.scanner.batch.queue import SiteMessage
from handlers.scanner.batch.store import COMPLETED, FAILED, POSITION_DIGITS, Batch, Item
from handlers.scanner.cache import cache_key
from handlers.scanner.options import PAGES_SCHEMA, read_fresh, read_pages
from handlers.scanner.target import MAX_URL_LENGTH, InvalidTarget, Target, parse_request

MAX_ITEMS = 1000
# 1,000 URLs of the longest length POST /scan accepts, quoted and separated, and the options.
MAX_BODY = MAX_ITEMS * (MAX_URL_LENGTH + 8) + 1024
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
DAY = 86_400
NOT_QUEUED = "could not be queued; submit it again"
KINDS = {"domains": "domain", "urls": "url"}
_CURSOR = re.compile(rf"\d{{{POSITION_DIGITS}}}")

Admit = Callable[[Request], None]


def _items_schema(description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_ITEMS,
        "items": {"type": "string"},
        "description": description,
    }


BATCH_BODY_SCHEMA = {
    "type": "object",
    "description": 'Exactly one of "domains" or "urls".',
    "properties": {
        "domains": _items_schema("Bare hosts; https://<domain>/ is scanned."),
        "urls": _items_schema("http(s) URLs on port 80 or 443."),
        "fresh": {"type": "boolean", "default": False, "description": "Skip the cache."},
        "pages": PAGES_SCHEMA,
    },
    "oneOf": [{"required": ["domains"]}, {"required": ["urls"]}],
}
ACCEPTED_SCHEMA = {
    "type": "object",
    "required": ["batchId", "total", "rejected"],
    "properties": {
        "batchId": {"type": "string", "format": "uuid"},
        "total": {"type": "integer", "description": "Sites queued."},
        "rejected": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["item", "error"],
                "properties": {"item": {"type": "string"}, "error": {"type": "string"}},
            },
        },
    },
}
STATUS_SCHEMA = {
    "type": "object",
    "required": ["batchId", "status", "total", "counts", "createdAt", "items", "nextCursor"],
    "properties": {
        "status": {"type": "string", "enum": ["queued", "running", "completed"]},
        "nextCursor": {"type": ["string", "null"]},
    },
}
LINK_SCHEMA = {
    "type": "object",
    "required": ["url", "expiresIn"],
    "properties": {"url": {"type": "string"}, "expiresIn": {"type": "integer"}},
}


def parse_batch_id(raw: str | None) -> str:
    """A batch id is a lower-case UUID; a 400 otherwise."""
    text = (raw or "").strip()
    try:
        parsed = uuid.UUID(text)
    except ValueError as exc:
        raise errors.BadRequest("batchId is not a valid batch id") from exc
    if str(parsed) != text:
        raise errors.BadRequest("batchId is not a valid batch id")
    return text


def parse_limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise errors.BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def parse_cursor(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    if not _CURSOR.fullmatch(raw):
        raise errors.BadRequest("cursor is not valid; pass the nextCursor of the previous page")
    return raw


BATCH_ID = Param(
    "batchId", "The id POST /scans answered.", {"type": "string", "format": "uuid"}, parse_batch_id
)
LIMIT = Param(
    "limit",
    f"Sites per page, 1 to {MAX_LIMIT}.",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    parse_limit,
)
CURSOR = Param("cursor", "nextCursor of the previous page.", {"type": "string"}, parse_cursor)


def read_items(body: dict[str, Any]) -> tuple[str, list[tuple[str, Target]], list[dict]]:
    """The kind ("domains" or "urls"), the valid items with their targets, and the rejected."""
    given = [kind for kind in KINDS if kind in body]
    if len(given) != 1:
        raise errors.BadRequest('give exactly one of "domains" or "urls"')
    kind = given[0]
    values = body[kind]
    if not isinstance(values, list) or not 1 <= len(values) <= MAX_ITEMS:
        raise errors.BadRequest(f'"{kind}" must be a list of 1 to {MAX_ITEMS} strings')
    accepted: list[tuple[str, Target]] = []
    rejected: list[dict[str, str]] = []
    seen: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            rejected.append({"item": str(value)[:MAX_URL_LENGTH], "error": "not a string"})
            continue
        try:
            target = parse_request({KINDS[kind]: value})
        except InvalidTarget as exc:
            rejected.append({"item": value[:MAX_URL_LENGTH], "error": str(exc)})
            continue
        if target.cache_key in seen:
            rejected.append({"item": value[:MAX_URL_LENGTH], "error": "listed twice"})
            continue
        seen.add(target.cache_key)
        accepted.append((value.strip(), target))
    return kind, accepted, rejected


def register(
    app: LambdaApp, admit: Admit, parts: Callable[[], BatchParts], clock: Callable[[], float]
) -> None:
    """Declare the batch routes on `app`; `admit` applies POST /scan's key and rate limits."""
    auth_replies = (
        Reply(401, "x-api-key missing or wrong, or no key configured."),
        too_many_requests("Over IP_LIMIT attempts per address per day or GLOBAL_LIMIT per hour."),
        Reply(503, "The API key could not be read from SSM."),
    )

    @app.route(
        "POST",
        "/scans",
        max_body=MAX_BODY,
        summary=f"Queue up to {MAX_ITEMS} sites to scan; invalid ones are rejected, not queued",
        body=BATCH_BODY_SCHEMA,
        security=("apiKey",),
        replies=(
            Reply(202, "The batch is queued.", ACCEPTED_SCHEMA),
            Reply(400, "A bad field, or no item can be scanned (`rejected` says why)."),
            *auth_replies,
        ),
    )
    def create(request: Request) -> Response:
        admit(request)
        body = request.json_object()
        kind, accepted, rejected = read_items(body)
        pages, fresh = read_pages(body), read_fresh(body)
        if not accepted:
            raise errors.BadRequest(
                "None of the items can be scanned", extra={"rejected": rejected}
            )
        batch = Batch(
            batch_id=app.new_id(),  # a UUID4
            total=len(accepted),
            created_at=iso_utc(clock()),
            pages=pages,
            fresh=fresh,
            kind=kind,
            rejected=rejected,
        )
        found = parts()
        items = [Item(index=i, item=text, url=t.url) for i, (text, t) in enumerate(accepted)]
        found.store.create(batch, items, expires_at=int(clock()) + found.retention_days * DAY)
        messages = [
            SiteMessage(
                batchId=batch.batch_id,
                index=i,
                url=t.url,
                host=t.host,
                cacheKey=cache_key(t.cache_key, pages),
                pages=pages,
                fresh=fresh,
            )
            for i, (_, t) in enumerate(accepted)
        ]
        refused = found.queue.send(messages)
        for index in refused:
            # Recorded as failed, so the batch still completes and says which to send again.
            found.store.finish(
                batch.batch_id,
                Item(
                    index=index,
                    item=items[index].item,
                    url=items[index].url,
                    state=FAILED,
                    error=NOT_QUEUED,
                ),
            )
        logger.info(
            "batch queued", batchId=batch.batch_id, total=batch.total, rejected=len(rejected)
        )
        return Response(
            202, {"batchId": batch.batch_id, "total": batch.total, "rejected": rejected}
        )

    @app.route(
        "GET",
        "/scans/{batchId}",
        summary="A batch's status, counts by state, and its sites' summaries, paged",
        path_params=(BATCH_ID,),
        query=(LIMIT, CURSOR),
        security=("apiKey",),
        replies=(
            Reply(200, "The batch.", STATUS_SCHEMA),
            Reply(404, "No such batch (or it expired)."),
            *auth_replies,
        ),
    )
    def status(request: Request) -> dict[str, Any]:
        admit(request)
        found = parts()
        batch = _batch_or_404(found, request.params["batchId"])
        items, next_cursor = found.store.page(
            batch.batch_id, request.params["limit"], request.params["cursor"]
        )
        return {
            "batchId": batch.batch_id,
            "status": batch.status,
            "total": batch.total,
            "counts": batch.counts(),
            "createdAt": batch.created_at,
            "completedAt": batch.completed_at,
            "rejected": batch.rejected,
            "items": [_site(found, i) for i in items],
            "nextCursor": next_cursor,
        }

    for report in ("csv", "json"):
        _declare_report(app, admit, parts, report, auth_replies)


def _declare_report(
    app: LambdaApp,
    admit: Admit,
    parts: Callable[[], BatchParts],
    report: str,
    auth_replies: tuple[Reply, ...],
) -> None:
    @app.route(
        "GET",
        f"/scans/{{batchId}}/results.{report}",
        summary=f"A presigned URL of the completed batch's results.{report}",
        path_params=(BATCH_ID,),
        security=("apiKey",),
        replies=(
            Reply(200, "Where to download the report, and for how long.", LINK_SCHEMA),
            Reply(404, "No such batch (or it expired)."),
            Reply(409, "The batch is not completed yet."),
            *auth_replies,
        ),
    )
    def link(request: Request) -> dict[str, Any]:
        admit(request)
        found = parts()
        batch = _batch_or_404(found, request.params["batchId"])
        if batch.status != COMPLETED:
            raise errors.HttpError(
                f"The batch is {batch.status}; its report exists once it is completed",
                status=409,
            )
        key = found.results.report_key(batch.batch_id, report)
        return {"url": found.results.url(key), "expiresIn": found.results.url_seconds}


def _batch_or_404(found: BatchParts, batch_id: str) -> Batch:
    batch = found.store.batch(batch_id)
    if batch is None:
        raise errors.NotFound("No such batch")
    return batch


def _site(found: BatchParts, item: Item) -> dict[str, Any]:
    return {
        "item": item.item,
        "url": item.url,
        "state": item.state,
        "error": item.error,
        "summary": item.summary,
        "screenshotUrl": found.results.url(item.screenshot_key) if item.screenshot_key else None,
    }
