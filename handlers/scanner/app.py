"""pixel-detector: POST /scan, a thin layer over PixelScanner with auth, limits, cache, metrics;
the batch routes (POST /scans, GET /scans/...) and the SQS worker that scans their sites."""

from __future__ import annotations

from typing import Any

from handlers.core import errors, metrics
from handlers.core.app import LambdaApp
from handlers.core.http import Request, Response
from handlers.core.log import logger
from handlers.core.ratelimit import RateLimiter
from handlers.core.spec import Reply, too_many_requests
from handlers.scanner import result as codes
from handlers.scanner.auth import ApiKey
from handlers.scanner.batch import api as batch_api
from handlers.scanner.batch.parts import BatchParts
from handlers.scanner.batch.worker import SiteWorker
from handlers.scanner.budget import MIN_BUDGET_SECONDS, time_budget
from handlers.scanner.cache import ScanCache, cache_key
from handlers.scanner.engine import PixelScanner
from handlers.scanner.options import PAGES_SCHEMA, read_fresh, read_pages
from handlers.scanner.result import ScanResult
from handlers.scanner.settings import FUNCTION_NAME, SETTINGS
from handlers.scanner.target import SCAN_REQUEST_SCHEMA, InvalidTarget, parse_request

MAX_BODY = 16_384

app = LambdaApp(FUNCTION_NAME, SETTINGS)

STATUS = {
    codes.INVALID_TARGET: 400,
    codes.BLOCKED_ADDRESS: 400,
    codes.NAVIGATION_FAILED: 502,
    codes.TIMEOUT: 504,
    codes.BROWSER_FAILED: 500,
}


@app.resource
def api_key() -> ApiKey:
    config = app.config
    return ApiKey(config["SCANNER_API_KEY_PARAM"], config["SCANNER_API_KEY"])


@app.resource
def limiter() -> RateLimiter:
    return RateLimiter.from_config(app.config, scope="scan", clock=lambda: app.clock())


@app.resource
def cache() -> ScanCache:
    return ScanCache(app.config["SCAN_CACHE_TABLE_NAME"], clock=lambda: app.clock())


@app.resource
def scanner() -> PixelScanner:
    """One scanner, and so one Chromium, per container."""
    return PixelScanner(executable_path=app.config["CHROMIUM_PATH"] or None)


def admit(request: Request) -> None:
    """The API key and rate limits of every scanner route."""
    # Every attempt counts against its address, so guessing keys spends that address's quota;
    # only requests with a valid key count in the global window, so nobody without the key
    # can use it up for everyone.
    limiter().check_client(request.source_ip)
    api_key().check(request.headers.get("x-api-key"))
    limiter().check_global(request.source_ip)


@app.resource
def batch_parts() -> BatchParts:
    return BatchParts.from_config(app.config)


SCAN_BODY_SCHEMA = {
    **SCAN_REQUEST_SCHEMA,
    "properties": {**SCAN_REQUEST_SCHEMA["properties"], "pages": PAGES_SCHEMA},
}
# Every field of a result, in every 200: cached results from before a field existed get its default.
RESULT_SCHEMA = {"type": "object", "required": list(ScanResult.__dataclass_fields__)}


@app.route(
    "POST",
    "/scan",
    max_body=MAX_BODY,
    summary="Scan one site for tracking pixels in headless Chromium",
    body=SCAN_BODY_SCHEMA,
    security=("apiKey",),
    replies=(
        Reply(200, "The scan result.", RESULT_SCHEMA),
        Reply(400, "Not a scannable http(s) target, a non-public address, or a bad field."),
        Reply(401, "x-api-key missing or wrong, or no key configured."),
        too_many_requests("Over IP_LIMIT attempts per address per day or GLOBAL_LIMIT per hour."),
        Reply(500, "Chromium could not start or died (with the partial `result`)."),
        Reply(502, "The site did not load."),
        Reply(503, "The API key could not be read from SSM."),
        Reply(504, "The scan ran out of time (with the partial `result`)."),
    ),
)
def scan(request: Request) -> Response | dict[str, Any]:
    admit(request)
    body = request.json_object()
    try:
        target = parse_request(body)
    except InvalidTarget as exc:
        raise errors.BadRequest(str(exc)) from exc
    fresh = read_fresh(body)
    pages = read_pages(body)
    key = cache_key(target.cache_key, pages)
    cold = request.cold_start
    if not fresh and (hit := cache().get(key)) is not None:
        _emit(hit, cold=cold, cached=True, launched=False)
        return {**ScanResult.from_dict(hit).to_dict(), "cached": True}
    budget = time_budget(request.context, app.config["SCAN_TIMEOUT"])
    if budget < MIN_BUDGET_SECONDS:
        raise errors.GatewayTimeout("Not enough time left in this invocation to scan")
    engine = scanner()
    launches = engine.runtime.launches
    found = engine.scan(target, timeout=budget, pages=pages).to_dict()
    _emit(found, cold=cold, cached=False, launched=engine.runtime.launches > launches)
    if found["error"] is None:
        cache().put(key, found)
        return found
    status = STATUS.get(found["error"], 500)
    logger.warning("scan failed", domain=found["domain"], scanError=found["error"], status=status)
    extra = {"result": found} if found["partial"] else None
    raise errors.HttpError(found["errorMessage"] or "Scan failed", status=status, extra=extra)


def _emit(found: dict[str, Any], cold: bool, cached: bool, launched: bool) -> None:
    metrics.emit(
        {
            "ScanDuration": (found.get("durationMs", 0), "Milliseconds"),
            "PixelsFound": (len(found.get("pixels") or []), "Count"),
            "ColdStart": (1 if cold else 0, "Count"),
        },
        properties={
            "metric": "scan_complete",
            "domain": found.get("domain"),
            "cached": cached,
            "browserLaunched": launched,
            "scanError": found.get("error"),
            "partial": bool(found.get("partial")),
        },
    )


batch_api.register(app, admit, batch_parts, clock=lambda: app.clock())


@app.sqs
def batch_sites(records: list[dict[str, Any]], context: Any) -> list[str]:
    """Scan the batch sites SQS delivers; the ids returned go back to the queue."""
    worker = SiteWorker(
        parts=batch_parts(),
        scanner=scanner,
        cache=cache(),
        clock=lambda: app.clock(),
        scan_timeout=app.config["BATCH_SCAN_TIMEOUT"],
    )
    return worker.handle(records, context)


lambda_handler = app.lambda_handler
