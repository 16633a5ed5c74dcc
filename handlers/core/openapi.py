"""The OpenAPI 3.1 document of an HTTP API, generated from the routes its functions declare."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from handlers.core.router import Route
from handlers.core.spec import ERROR_BODY, Param, Reply

OPENAPI_VERSION = "3.1.0"
API_KEY_HEADER = "x-api-key"
ERROR_REF = "#/components/schemas/Error"


def document(
    routes: Iterable[Route],
    title: str,
    version: str,
    servers: Iterable[str] = (),
    description: str = "",
) -> dict[str, Any]:
    """The document for `routes` (one API, possibly served by several functions)."""
    paths: dict[str, dict[str, Any]] = {}
    secured = False
    for route in sorted(routes, key=lambda r: (r.path, r.method)):
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
        secured = secured or bool(route.operation.security)
    doc: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version},
        "paths": paths,
    }
    if description:
        doc["info"]["description"] = description
    if servers:
        doc["servers"] = [{"url": url} for url in servers]
    doc["components"] = {"schemas": {"Error": ERROR_BODY}}
    if secured:
        doc["components"]["securitySchemes"] = {
            "apiKey": {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}
        }
    return doc


def routes_of(document_: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (METHOD, path) the document describes, sorted like `LambdaApp.routes`."""
    return sorted(
        (method.upper(), path)
        for path, operations in document_["paths"].items()
        for method in operations
    )


def _operation(route: Route) -> dict[str, Any]:
    spec = route.operation
    found: dict[str, Any] = {
        "operationId": _operation_id(route),
        "summary": spec.summary or route.key,
        "responses": {str(r.status): _reply(r) for r in sorted(spec.replies, key=_status)},
    }
    parameters = [_parameter(p, "path", True) for p in spec.path]
    parameters += [_parameter(p, "query", p.required) for p in spec.query]
    if parameters:
        found["parameters"] = parameters
    if spec.body is not None:
        found["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": spec.body}},
        }
    if spec.security:
        found["security"] = [{"apiKey": []}]
    return found


def _status(reply: Reply) -> int:
    return reply.status


def _operation_id(route: Route) -> str:
    words = [w.strip("{}") for w in route.path.strip("/").replace("-", "/").split("/") if w]
    return route.method.lower() + "".join(w[:1].upper() + w[1:] for w in words)


def _parameter(param: Param, where: str, required: bool) -> dict[str, Any]:
    return {
        "name": param.name,
        "in": where,
        "required": required,
        "description": param.description,
        "schema": param.schema,
    }


def _reply(reply: Reply) -> dict[str, Any]:
    found: dict[str, Any] = {"description": reply.description}
    if reply.schema is not None:
        schema = {"$ref": ERROR_REF} if reply.schema is ERROR_BODY else reply.schema
        found["content"] = {"application/json": {"schema": schema}}
    if reply.headers:
        found["headers"] = dict(reply.headers)
    return found
