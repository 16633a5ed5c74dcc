"""CORS response headers from ALLOWED_ORIGINS (default `*`)."""

from __future__ import annotations

from collections.abc import Sequence

ALLOWED_HEADERS = "content-type,x-api-key,x-correlation-id"
EXPOSED_HEADERS = "x-correlation-id,retry-after"


def cors_headers(origin: str | None, allowed_origins: Sequence[str]) -> dict[str, str]:
    """Headers letting `origin` read the response, or none when it is not allowed."""
    if not allowed_origins or "*" in allowed_origins:
        return {
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Expose-Headers": EXPOSED_HEADERS,
        }
    if origin and origin in allowed_origins:
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Expose-Headers": EXPOSED_HEADERS,
            "Vary": "Origin",
        }
    return {"Vary": "Origin"}


def preflight_headers(methods: Sequence[str]) -> dict[str, str]:
    """Extra headers answering an OPTIONS preflight for a path serving `methods`."""
    return {
        "Access-Control-Allow-Methods": ",".join(sorted({*methods, "OPTIONS"})),
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": "600",
        "Allow": ", ".join(sorted({*methods, "OPTIONS"})),
    }
