"""CORS as API Gateway's HTTP API applies its cors_configuration (read from Terraform's model).

With a configuration, API Gateway answers every preflight itself, whatever the routes, and puts
its own CORS headers on each response in place of those the function returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from terraform_model import Cors

Headers = list[tuple[str, str]]


def is_preflight(method: str, headers: Mapping[str, str]) -> bool:
    """OPTIONS with Origin and Access-Control-Request-Method (`headers` keyed lower-case)."""
    return (
        method == "OPTIONS"
        and bool(headers.get("origin"))
        and bool(headers.get("access-control-request-method"))
    )


def preflight_headers(cors: Cors, origin: str) -> Headers:
    """The headers of the gateway's answer to a preflight from `origin` (none when not allowed)."""
    headers = _origin_headers(cors, origin)
    if not headers:
        return []
    if cors.allow_methods:
        headers.append(("access-control-allow-methods", ",".join(cors.allow_methods)))
    if cors.allow_headers:
        headers.append(("access-control-allow-headers", ",".join(cors.allow_headers)))
    if cors.max_age is not None:
        headers.append(("access-control-max-age", str(cors.max_age)))
    return headers


def response_headers(
    cors: Cors, origin: str, function_headers: Iterable[tuple[str, str]]
) -> Headers:
    """A routed response's headers: the function's without its CORS ones, plus the gateway's."""
    kept = [h for h in function_headers if not h[0].lower().startswith("access-control-")]
    added = _origin_headers(cors, origin)
    if added and cors.expose_headers:
        added.append(("access-control-expose-headers", ",".join(cors.expose_headers)))
    return kept + added


def _origin_headers(cors: Cors, origin: str) -> Headers:
    if not origin or not ("*" in cors.allow_origins or origin in cors.allow_origins):
        return []
    # A wildcard cannot go with credentials: the browser needs the origin echoed then.
    allowed = "*" if "*" in cors.allow_origins and not cors.allow_credentials else origin
    headers = [("access-control-allow-origin", allowed)]
    if allowed != "*":
        headers.append(("vary", "origin"))
    if cors.allow_credentials:
        headers.append(("access-control-allow-credentials", "true"))
    return headers
