"""The HTTP API routes, translates and fails the way API Gateway's HTTP API does (no sockets)."""

from __future__ import annotations

import json
import re

import pytest

import terraform_model
from local.functions.workers import InvocationError
from local.gateways.http import MAX_BODY, HttpApi, Response, Route
from terraform_model import Cors

ROUTES = [
    Route("GET /sessions/{sessionId}", "sessions"),
    Route("POST /sessions", "sessions"),
    Route("GET /health", "counter"),
    Route("GET /boom", "broken"),
    Route("GET /slow", "slow"),
    Route("GET /odd", "malformed"),
    Route("GET /answer/{status}", "answer"),
]
CORS = Cors(
    allow_origins=("*",),
    allow_methods=("GET", "POST"),
    allow_headers=("content-type", "x-correlation-id"),
    expose_headers=("x-correlation-id",),
    max_age=600,
)
PREFLIGHT = [("Origin", "http://web.local"), ("Access-Control-Request-Method", "POST")]


class FakeFunctions:
    """Records events and answers like the functions would."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []

    def __call__(self, function: str, event: dict, request_id: str) -> object:
        self.events.append((function, event))
        if function == "broken":
            raise InvocationError({"errorMessage": "boom", "errorType": "ValueError"})
        if function == "slow":
            raise InvocationError({"errorMessage": "timed out"}, timed_out=True)
        if function == "malformed":
            return {"statusCode": "not a number"}
        if function == "answer":
            status = int(event["pathParameters"]["status"])
            return {"statusCode": status, "body": json.dumps({"error": "from the function"})}
        return {
            "statusCode": 200,
            "headers": {"Content-Type": "application/json", "Access-Control-Allow-Origin": "x"},
            "body": json.dumps({"function": function}),
        }


@pytest.fixture
def functions() -> FakeFunctions:
    return FakeFunctions()


@pytest.fixture
def api(functions: FakeFunctions) -> HttpApi:
    return HttpApi(
        ROUTES, functions, cors=CORS, documents={"/openapi.json": lambda: {"openapi": "3.1.0"}}
    )


def call(api: HttpApi, method: str, path: str, body: bytes = b"", headers=()) -> Response:
    return api.handle(method, path, list(headers), body, "203.0.113.7")


def header(response: Response, name: str) -> list[str]:
    return [v for k, v in response.headers if k.lower() == name]


def test_request_reaches_the_function_of_its_route_with_path_parameters(api, functions):
    response = call(api, "GET", "/sessions/abc-1?x=1")
    assert response.status == 200
    assert json.loads(response.body) == {"function": "sessions"}
    function, event = functions.events[-1]
    assert function == "sessions"
    assert event["routeKey"] == "GET /sessions/{sessionId}"
    assert event["pathParameters"] == {"sessionId": "abc-1"}
    assert event["queryStringParameters"] == {"x": "1"}


def test_the_event_carries_the_callers_ip_and_host(api, functions):
    call(api, "GET", "/health", headers=[("Host", "api.local:8701")])
    context = functions.events[-1][1]["requestContext"]
    assert context["http"]["sourceIp"] == "203.0.113.7"
    assert context["domainName"] == "api.local:8701"


def test_post_body_is_passed_as_text(api, functions):
    response = call(api, "POST", "/sessions", b'{"a": 1}', [("Content-Type", "application/json")])
    assert response.status == 200
    assert functions.events[-1][1]["body"] == '{"a": 1}'


def test_every_answer_carries_an_api_gateway_request_id(api):
    for path in ("/health", "/nowhere", "/boom"):
        [request_id] = header(call(api, "GET", path), "apigw-requestid")
        assert request_id.endswith("=")


def test_unknown_route_is_answered_404_by_the_gateway(api, functions):
    response = call(api, "GET", "/nowhere")
    assert response.status == 404
    assert json.loads(response.body) == {"message": "Not Found"}
    assert functions.events == []


def test_wrong_method_on_a_known_path_is_a_404_as_in_api_gateway(api):
    response = call(api, "DELETE", "/sessions")
    assert response.status == 404
    assert json.loads(response.body) == {"message": "Not Found"}


@pytest.mark.parametrize("code", [404, 405, 429])
def test_function_status_codes_pass_through_unchanged(api, code):
    response = call(api, "GET", f"/answer/{code}")
    assert response.status == code
    assert json.loads(response.body) == {"error": "from the function"}


def test_function_error_becomes_api_gateways_500(api):
    response = call(api, "GET", "/boom")
    assert response.status == 500
    assert json.loads(response.body) == {"message": "Internal Server Error"}


def test_function_timeout_becomes_503(api):
    response = call(api, "GET", "/slow")
    assert response.status == 503
    assert json.loads(response.body) == {"message": "Service Unavailable"}


def test_a_malformed_function_result_becomes_a_500(api):
    response = call(api, "GET", "/odd")
    assert response.status == 500
    assert json.loads(response.body) == {"message": "Internal Server Error"}


def test_a_body_over_the_payload_quota_is_a_413_and_reaches_no_function(api, functions):
    response = call(api, "POST", "/sessions", b"x" * (MAX_BODY + 1))
    assert response.status == 413
    assert json.loads(response.body) == {"message": "Request Entity Too Large"}
    assert functions.events == []


def test_a_request_refused_before_its_body_is_read_is_answered_by_the_gateway(api):
    response = api.refusal(400, [("Origin", "http://web.local")])
    assert response.status == 400
    assert json.loads(response.body) == {"message": "Bad Request"}
    assert header(response, "access-control-allow-origin") == ["*"]


def test_the_gateway_serves_its_documents_without_a_function(api, functions):
    response = call(api, "GET", "/openapi.json")
    assert response.status == 200
    assert json.loads(response.body) == {"openapi": "3.1.0"}
    assert functions.events == []


def test_cors_preflight_is_answered_by_the_gateway(api, functions):
    response = call(api, "OPTIONS", "/sessions", headers=PREFLIGHT)
    assert response.status == 204
    assert response.body == b""
    assert header(response, "access-control-allow-origin") == ["*"]
    assert header(response, "access-control-allow-methods") == ["GET,POST"]
    assert header(response, "access-control-allow-headers") == ["content-type,x-correlation-id"]
    assert header(response, "access-control-max-age") == ["600"]
    assert functions.events == []


def test_a_preflight_is_answered_on_any_path_as_api_gateway_does(api, functions):
    response = call(api, "OPTIONS", "/no/such/route", headers=PREFLIGHT)
    assert response.status == 204
    assert functions.events == []


def test_a_preflight_from_an_origin_not_allowed_gets_no_cors_headers(functions):
    api = HttpApi(ROUTES, functions, cors=Cors(allow_origins=("https://web.example",)))
    response = call(api, "OPTIONS", "/sessions", headers=PREFLIGHT)
    assert response.status == 204
    assert not [k for k, _ in response.headers if k.startswith("access-control-")]


def test_an_allowed_origin_is_echoed_with_vary_and_credentials(functions):
    cors = Cors(allow_origins=("http://web.local",), allow_credentials=True)
    api = HttpApi(ROUTES, functions, cors=cors)
    response = call(api, "GET", "/health", headers=[("Origin", "http://web.local")])
    assert header(response, "access-control-allow-origin") == ["http://web.local"]
    assert header(response, "vary") == ["origin"]
    assert header(response, "access-control-allow-credentials") == ["true"]


def test_an_options_request_that_is_no_preflight_goes_to_the_routes(api, functions):
    response = call(api, "OPTIONS", "/sessions", headers=[("Origin", "http://web.local")])
    assert response.status == 404
    assert functions.events == []


def test_cors_configuration_replaces_the_functions_cors_headers(api):
    response = call(api, "GET", "/health", headers=[("Origin", "http://web.local")])
    assert header(response, "access-control-allow-origin") == ["*"]
    assert header(response, "access-control-expose-headers") == ["x-correlation-id"]


def test_without_a_cors_configuration_the_functions_headers_pass_and_options_is_routed(functions):
    api = HttpApi(ROUTES, functions)
    response = call(api, "GET", "/health", headers=[("Origin", "http://web.local")])
    assert header(response, "access-control-allow-origin") == ["x"]
    assert call(api, "OPTIONS", "/sessions", headers=PREFLIGHT).status == 404


def test_the_local_preflight_answers_what_terraforms_cors_configuration_declares(functions):
    declared = terraform_model.load("dev").http_cors
    api = HttpApi(ROUTES, functions, cors=declared)
    response = call(api, "OPTIONS", "/sessions", headers=PREFLIGHT)
    assert response.status == 204
    assert header(response, "access-control-max-age") == [str(declared.max_age)]
    assert header(response, "access-control-allow-methods") == [",".join(declared.allow_methods)]
    assert header(response, "access-control-allow-headers") == [",".join(declared.allow_headers)]


def test_literal_routes_win_over_parameter_routes():
    routes = [Route("GET /a/{id}", "param"), Route("GET /a/b", "literal"), Route("$default", "d")]
    api = HttpApi(routes, lambda *a: None)
    assert api.route_for("GET", "/a/b")[0].function == "literal"
    assert api.route_for("GET", "/a/c")[0].function == "param"
    assert api.route_for("PUT", "/x/y")[0].function == "d"


def test_a_greedy_parameter_takes_the_rest_of_the_path_decoded():
    route = Route("ANY /files/{path+}", "files")
    assert route.match("PUT", "/files/a/b%20c") == {"path": "a/b c"}
    assert route.match("GET", "/files") is None


def test_route_patterns_are_compiled_once_when_the_route_is_made(monkeypatch):
    route = Route("GET /sessions/{sessionId}", "sessions")

    def no_compiling(*args, **kwargs):
        raise AssertionError("a route compiled its pattern while matching")

    monkeypatch.setattr(re, "compile", no_compiling)
    assert route.match("GET", "/sessions/a") == {"sessionId": "a"}
    assert route.match("GET", "/sessions/b/c") is None
