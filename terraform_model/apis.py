"""The HTTP API (routes and cors_configuration) and the WebSocket API (routes and stage)."""

from __future__ import annotations

from dataclasses import dataclass

from terraform_model.evaluation import blocks, clean, module_of
from terraform_model.model import Cors
from terraform_model.resources import Resources


@dataclass(frozen=True)
class HttpApi:
    routes: dict[str, str]  # "METHOD /path" -> function name
    cors: Cors | None


@dataclass(frozen=True)
class WebSocketApi:
    routes: dict[str, str]  # "$connect" -> function name
    stage: str


def build_http_api(resources: Resources) -> HttpApi:
    """The first HTTP API's routes, each to the function its integration invokes, and its CORS."""
    apis = [
        a for a in resources.of_type("aws_apigatewayv2_api") if a.get("protocol_type") == "HTTP"
    ]
    if not apis:
        return HttpApi(routes={}, cors=None)
    api = apis[0]
    module = module_of(api)
    targets = resources.module_arg(module, "routes") or {}
    integrations = resources.module_arg(module, "integrations") or {}
    routes = {}
    for route in resources.of_type("aws_apigatewayv2_route"):
        if route.get("api_id") == api["id"]:
            integration = integrations.get(targets.get(route["route_key"]), {})
            routes[route["route_key"]] = resources.function_name_of(
                integration.get("function_name", "")
            )
    declared = next(iter(blocks(api.get("cors_configuration"))), None)
    return HttpApi(routes=routes, cors=None if declared is None else _cors(clean(declared)))


def build_websocket_api(resources: Resources) -> WebSocketApi:
    """The first WebSocket API's routes (all to its one function) and its stage name."""
    apis = [
        a
        for a in resources.of_type("aws_apigatewayv2_api")
        if a.get("protocol_type") == "WEBSOCKET"
    ]
    if not apis:
        return WebSocketApi(routes={}, stage="")
    api = apis[0]
    function = (resources.module_arg(module_of(api), "function") or {}).get("function_name", "")
    routes = {
        r["route_key"]: resources.function_name_of(function)
        for r in resources.of_type("aws_apigatewayv2_route")
        if r.get("api_id") == api["id"]
    }
    stages = [
        s for s in resources.of_type("aws_apigatewayv2_stage") if s.get("api_id") == api["id"]
    ]
    return WebSocketApi(routes=routes, stage=stages[0]["name"] if stages else resources.workspace)


def _cors(declared: dict) -> Cors:
    return Cors(
        allow_origins=tuple(declared.get("allow_origins") or ()),
        allow_methods=tuple(declared.get("allow_methods") or ()),
        allow_headers=tuple(declared.get("allow_headers") or ()),
        expose_headers=tuple(declared.get("expose_headers") or ()),
        max_age=declared.get("max_age"),
        allow_credentials=bool(declared.get("allow_credentials")),
    )
