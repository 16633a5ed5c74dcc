"""The HTTP API gateway routes, translates and fails the way API Gateway's HTTP API does."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from local.http_gateway import Cors, HttpGateway, Route
from local.workers import InvocationError

ROUTES = [
    Route("GET /sessions/{sessionId}", "sessions"),
    Route("POST /sessions", "sessions"),
    Route("GET /health", "counter"),
    Route("GET /boom", "broken"),
    Route("GET /slow", "slow"),
    Route("GET /answer/{status}", "answer"),
]


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
        if function == "answer":
            status = int(event["pathParameters"]["status"])
            return {"statusCode": status, "body": json.dumps({"error": "from the function"})}
        return {
            "statusCode": 200,
            "headers": {"Content-Type": "application/json", "Access-Control-Allow-Origin": "x"},
            "body": json.dumps({"function": function}),
        }


@pytest.fixture(scope="module")
def all_functions() -> FakeFunctions:
    return FakeFunctions()


@pytest.fixture
def functions(all_functions: FakeFunctions) -> FakeFunctions:
    all_functions.events.clear()
    return all_functions


@pytest.fixture(scope="module")
def gateway(all_functions: FakeFunctions) -> Iterator[HttpGateway]:
    cors = Cors(
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["content-type", "x-correlation-id"],
        expose_headers=["x-correlation-id"],
        max_age=600,
    )
    server = HttpGateway("127.0.0.1", 0, ROUTES, all_functions, cors=cors)
    server.start()
    yield server
    server.stop()


def request(gateway: HttpGateway, method: str, path: str, body=None, headers=None):
    req = urllib.request.Request(
        gateway.url + path, method=method, data=body, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_request_reaches_the_function_of_its_route_with_path_parameters(gateway, functions):
    status, _, body = request(gateway, "GET", "/sessions/abc-1?x=1")
    assert status == 200
    assert json.loads(body) == {"function": "sessions"}
    function, event = functions.events[-1]
    assert function == "sessions"
    assert event["routeKey"] == "GET /sessions/{sessionId}"
    assert event["pathParameters"] == {"sessionId": "abc-1"}
    assert event["queryStringParameters"] == {"x": "1"}


def test_post_body_is_passed_as_text(gateway, functions):
    status, _, _ = request(
        gateway, "POST", "/sessions", b'{"a": 1}', {"Content-Type": "application/json"}
    )
    assert status == 200
    assert functions.events[-1][1]["body"] == '{"a": 1}'


def test_unknown_route_is_answered_404_by_the_gateway(gateway, functions):
    status, _, body = request(gateway, "GET", "/nowhere")
    assert status == 404
    assert json.loads(body) == {"message": "Not Found"}
    assert functions.events == []


def test_wrong_method_on_a_known_path_is_a_404_as_in_api_gateway(gateway, functions):
    status, _, body = request(gateway, "DELETE", "/sessions")
    assert status == 404
    assert json.loads(body) == {"message": "Not Found"}


@pytest.mark.parametrize("code", [404, 405, 429])
def test_function_status_codes_pass_through_unchanged(gateway, code):
    status, _, body = request(gateway, "GET", f"/answer/{code}")
    assert status == code
    assert json.loads(body) == {"error": "from the function"}


def test_function_error_becomes_api_gateways_500(gateway):
    status, _, body = request(gateway, "GET", "/boom")
    assert status == 500
    assert json.loads(body) == {"message": "Internal Server Error"}


def test_function_timeout_becomes_503(gateway):
    status, _, body = request(gateway, "GET", "/slow")
    assert status == 503
    assert json.loads(body) == {"message": "Service Unavailable"}


def test_cors_preflight_is_answered_by_the_gateway(gateway, functions):
    status, headers, _ = request(
        gateway,
        "OPTIONS",
        "/sessions",
        headers={"Origin": "http://web.local", "Access-Control-Request-Method": "POST"},
    )
    assert status == 204
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-allow-methods"] == "GET,POST"
    assert headers["access-control-max-age"] == "600"
    assert functions.events == []


def test_cors_configuration_replaces_the_functions_cors_headers(gateway):
    _, headers, _ = request(gateway, "GET", "/health", headers={"Origin": "http://web.local"})
    assert headers.get_all("access-control-allow-origin") == ["*"]
    assert headers["access-control-expose-headers"] == "x-correlation-id"


def test_literal_routes_win_over_parameter_routes():
    routes = [Route("GET /a/{id}", "param"), Route("GET /a/b", "literal"), Route("$default", "d")]
    server = HttpGateway("127.0.0.1", 0, routes, lambda *a: None)
    try:
        assert server.route_for("GET", "/a/b")[0].function == "literal"
        assert server.route_for("GET", "/a/c")[0].function == "param"
        assert server.route_for("PUT", "/x/y")[0].function == "d"
    finally:
        server.stop()
