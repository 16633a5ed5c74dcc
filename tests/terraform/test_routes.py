"""The APIs serve exactly the routes the handlers declare, in both directions."""

from __future__ import annotations

from terraform_model import TERRAFORM_DIR
from tests.terraform.conftest import service_app, services


def _declared_http_routes(stack) -> dict[str, str]:
    routes = {}
    for service in services():
        for method, path in service_app(service).routes:
            routes[f"{method} {path}"] = stack.functions[service].name
    return routes


def test_every_handler_route_is_in_the_http_api(stack):
    declared = _declared_http_routes(stack)

    assert set(declared) - set(stack.http_routes) == set()


def test_the_http_api_has_no_route_the_handlers_do_not_declare(stack):
    declared = _declared_http_routes(stack)

    assert set(stack.http_routes) - set(declared) == set()


def test_each_http_route_goes_to_the_function_that_declares_it(stack):
    assert stack.http_routes == _declared_http_routes(stack)


def test_websocket_routes_equal_the_realtime_handler_routes(stack):
    declared = set(service_app("realtime").websocket_routes)

    assert set(stack.websocket_routes) == declared
    assert set(stack.websocket_routes.values()) == {stack.functions["realtime"].name}


def test_http_integrations_use_payload_format_2(stack):
    integrations = [
        i
        for i in stack.raw["aws_apigatewayv2_integration"]
        if i["__tfmeta"]["path"].startswith("module.http_api.")
    ]

    assert integrations
    assert {i["payload_format_version"] for i in integrations} == {"2.0"}
    assert {i["integration_type"] for i in integrations} == {"AWS_PROXY"}


def test_post_scan_invokes_the_scanner_alias_live(stack):
    (http_api,) = [m for m in stack.raw["module"] if m["__tfmeta"]["path"] == "module.http_api"]

    assert http_api["routes"]["POST /scan"] == "scanner"
    assert http_api["integrations"]["scanner"]["qualifier"] == "live"
    permissions = [
        p
        for p in stack.raw["aws_lambda_permission"]
        if p["__tfmeta"]["path"].startswith("module.http_api.")
    ]
    assert any(p.get("qualifier") == "live" for p in permissions)


def test_http_invoke_permissions_are_scoped_to_the_api_execution_arn(stack):
    permissions = [
        p
        for p in stack.raw["aws_lambda_permission"]
        if p["__tfmeta"]["path"].startswith(("module.http_api.", "module.websocket_api."))
    ]

    assert permissions
    for permission in permissions:
        assert permission["principal"] == "apigateway.amazonaws.com"
        assert "execution_arn" in str(permission["source_arn"]), permission["source_arn"]


def test_the_default_stage_auto_deploys_with_throttling_and_json_access_logs(stack):
    (stage,) = [s for s in stack.raw["aws_apigatewayv2_stage"] if s["name"] == "$default"]

    assert stage["auto_deploy"] is True
    throttling = stack.settings["http_throttling"]
    assert stage["default_route_settings"]["throttling_rate_limit"] == throttling["rate_limit"]
    assert stage["default_route_settings"]["throttling_burst_limit"] == throttling["burst_limit"]
    assert stage["access_log_settings"]["format"].startswith("{")
    assert "sourceIp" not in stage["access_log_settings"]["format"]


def test_http_api_cors_allows_the_methods_of_its_routes(stack):
    methods = {route.split(" ")[0] for route in stack.http_routes}

    assert set(stack.http_cors.allow_methods) == methods
    assert stack.http_cors.allow_origins == ("*",)


def test_http_api_cors_lets_pages_send_and_read_the_headers_the_functions_use(stack):
    assert {"content-type", "x-api-key", "x-correlation-id"} <= set(stack.http_cors.allow_headers)
    assert {"x-correlation-id", "retry-after"} <= set(stack.http_cors.expose_headers)
    assert 0 < stack.http_cors.max_age <= 86400


def test_cors_is_configured_only_in_the_http_api_module():
    # API Gateway drops a function's CORS headers when the API has a CORS configuration.
    owners = [
        path.relative_to(TERRAFORM_DIR).as_posix()
        for path in TERRAFORM_DIR.rglob("*.tf")
        if "cors_configuration {" in path.read_text()
    ]
    assert owners == ["modules/http_api/main.tf"]
    assert not (TERRAFORM_DIR.parent / "handlers" / "core" / "cors.py").exists()


def test_the_websocket_urls_come_from_the_apis_own_endpoint_not_a_hard_coded_domain():
    module = TERRAFORM_DIR / "modules" / "websocket_api"
    text = (module / "main.tf").read_text() + (module / "outputs.tf").read_text()

    assert "aws_apigatewayv2_api.this.api_endpoint" in text
    assert ".execute-api.${" not in text, "a host spelled out instead of the API's endpoint"


def test_realtime_gets_the_https_management_endpoint_of_its_stage(stack):
    endpoint = stack.functions["realtime"].environment["WS_API_ENDPOINT"]

    assert endpoint.startswith("https://")
    assert endpoint.endswith(f".execute-api.{stack.region}.amazonaws.com/{stack.websocket_stage}")
