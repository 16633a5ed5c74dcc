"""visitor-counter: GET /counter counts a visit; GET /health checks the table, read-only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from handlers.core.app import LambdaApp
from handlers.core.http import Request, Response
from handlers.core.log import logger
from handlers.counter.settings import FUNCTION_NAME, SETTINGS
from handlers.counter.store import CounterStore

app = LambdaApp(FUNCTION_NAME, SETTINGS)


@app.resource
def store() -> CounterStore:
    return CounterStore(app.config["COUNTERS_TABLE_NAME"])


@app.route("GET", "/counter")
def count_visit(request: Request) -> dict[str, Any]:
    return {"count": store().increment()}


@app.route("GET", "/health")
def health(request: Request) -> Response:
    checked = {"service": FUNCTION_NAME, "timestamp": datetime.now(UTC).isoformat()}
    try:
        count = store().current()
    except Exception as exc:
        # The reason stays in the log: a health endpoint is public.
        logger.exception("health check failed", exc)
        return Response(503, {"status": "unhealthy", "database": "error", **checked})
    return Response(
        200, {"status": "healthy", "database": "connected", "counter_value": count, **checked}
    )


lambda_handler = app.lambda_handler
