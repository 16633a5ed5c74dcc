"""visitor-counter: GET /counter counts a visit; GET /health checks the table, read-only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from handlers.core.app import LambdaApp
from handlers.core.http import Request, Response
from handlers.core.log import logger
from handlers.core.spec import Reply
from handlers.counter.settings import FUNCTION_NAME, SETTINGS
from handlers.counter.store import CounterStore

app = LambdaApp(FUNCTION_NAME, SETTINGS)


@app.resource
def store() -> CounterStore:
    return CounterStore(app.config["COUNTERS_TABLE_NAME"])


CHECKED = {
    "service": {"type": "string"},
    "timestamp": {"type": "string", "format": "date-time"},
}


@app.route(
    "GET",
    "/counter",
    summary="Count one visit and return the new total",
    replies=(
        Reply(
            200,
            "The count after this visit.",
            {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}},
        ),
        Reply(500, "DynamoDB failed; nothing was counted."),
    ),
)
def count_visit(request: Request) -> dict[str, Any]:
    return {"count": store().increment()}


@app.route(
    "GET",
    "/health",
    summary="Whether the counters table answers (read-only)",
    replies=(
        Reply(
            200,
            "Healthy.",
            {
                "type": "object",
                "required": ["status", "database", "counter_value"],
                "properties": {
                    "status": {"const": "healthy"},
                    "database": {"const": "connected"},
                    "counter_value": {"type": "integer"},
                    **CHECKED,
                },
            },
        ),
        Reply(
            503,
            "The table did not answer; the reason is in the log only.",
            {
                "type": "object",
                "required": ["status", "database"],
                "properties": {
                    "status": {"const": "unhealthy"},
                    "database": {"const": "error"},
                    **CHECKED,
                },
            },
        ),
    ),
)
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
