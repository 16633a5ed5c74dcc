"""One route table serves HTTP API payload 2.0 and REST payload 1.0."""

from __future__ import annotations

import pytest

from tests.support.events import body_of, http_v1, http_v2


def test_path_parameters_reach_the_handler(app):
    response = app.lambda_handler(http_v2("GET", "/items/42", query={"q": "x"}), None)
    assert response["statusCode"] == 200
    assert body_of(response) == {"itemId": "42", "q": "x"}


def test_rest_payload_v1_uses_the_same_routes(app):
    response = app.lambda_handler(http_v1("GET", "/items/7"), None)
    assert response["statusCode"] == 200
    assert body_of(response)["itemId"] == "7"


def test_unknown_path_is_a_json_404(app):
    response = app.lambda_handler(http_v2("GET", "/nowhere"), None)
    assert response["statusCode"] == 404
    assert body_of(response) == {"error": "Not found", "requestId": "req-1"}
    assert response["headers"]["Content-Type"] == "application/json"


def test_wrong_method_is_a_405_with_allow_header(app):
    response = app.lambda_handler(http_v2("DELETE", "/items"), None)
    assert response["statusCode"] == 405
    assert response["headers"]["Allow"] == "POST"
    assert body_of(response) == {"error": "Method not allowed", "requestId": "req-1"}


def test_options_reaching_the_function_is_a_405_not_a_preflight(app):
    # API Gateway's CORS configuration answers preflights; in AWS they never reach the function.
    event = http_v2(
        "OPTIONS",
        "/items/1",
        headers={"origin": "https://a.example", "access-control-request-method": "GET"},
    )
    response = app.lambda_handler(event, None)
    assert response["statusCode"] == 405
    assert response["headers"]["Allow"] == "GET"
    assert body_of(response) == {"error": "Method not allowed", "requestId": "req-1"}


def test_options_for_an_unknown_path_is_a_404(app):
    response = app.lambda_handler(http_v2("OPTIONS", "/nowhere"), None)
    assert response["statusCode"] == 404
    assert body_of(response) == {"error": "Not found", "requestId": "req-1"}


@pytest.mark.parametrize("path", ["/items/1", "/nowhere", "/boom"])
def test_function_answers_carry_no_cors_headers(app, path):
    event = http_v2("GET", path, headers={"origin": "https://a.example"})
    headers = app.lambda_handler(event, None)["headers"]
    assert not [name for name in headers if name.lower().startswith("access-control-")]
    assert "Vary" not in headers


def test_base64_body_is_decoded(app):
    response = app.lambda_handler(http_v2("POST", "/raw", body=b"\x00\x01hi"), None)
    assert body_of(response) == {"bytes": 4, "text": "\x00\x01hi"}


def test_invalid_base64_body_is_a_400(app):
    event = http_v2("POST", "/raw", body="%%%not-base64")
    event["isBase64Encoded"] = True
    response = app.lambda_handler(event, None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Request body is not valid base64"


def test_json_body_is_parsed(app):
    response = app.lambda_handler(http_v2("POST", "/items", body={"name": "x"}), None)
    assert response["statusCode"] == 201
    assert body_of(response) == {"received": {"name": "x"}}


@pytest.mark.parametrize("body", ["{not json", "", "[1, 2]", '"text"'])
def test_body_that_is_not_a_json_object_is_a_400(app, body):
    response = app.lambda_handler(http_v2("POST", "/items", body=body), None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] in {
        "Request body is not valid JSON",
        "Request body must be a JSON object",
    }


def test_body_over_the_cap_is_a_413(app):
    response = app.lambda_handler(http_v2("POST", "/raw", body="x" * 1025), None)
    assert response["statusCode"] == 413
    assert body_of(response) == {"error": "Request body exceeds 1024 bytes", "requestId": "req-1"}


def test_trailing_slash_matches_the_same_route(app):
    assert app.lambda_handler(http_v2("GET", "/items/9/"), None)["statusCode"] == 200


def test_declared_routes_are_listed_as_data(app):
    assert ("GET", "/items/{itemId}") in app.routes
    assert ("POST", "/items") in app.routes


def test_declaring_a_route_twice_is_refused(app):
    with pytest.raises(ValueError, match="declared twice"):
        app.route("POST", "/items")(lambda request: {})


def test_handler_sees_the_lambda_context_and_cold_start(app):
    from tests.support.events import LambdaContext

    seen = {}

    @app.route("GET", "/context")
    def context_route(request):
        seen.update(context=request.context, cold=request.cold_start)
        return {}

    context = LambdaContext()
    app.lambda_handler(http_v2("GET", "/context"), context)
    assert seen == {"context": context, "cold": True}
    app.lambda_handler(http_v2("GET", "/context"), context)
    assert seen["cold"] is False


def test_the_request_a_handler_gets_is_read_only(app):
    from dataclasses import FrozenInstanceError

    refused = []

    @app.route("GET", "/mutate")
    def mutate(request):
        try:
            request.route = "GET /elsewhere"
        except FrozenInstanceError:
            refused.append(request.route)
        return {}

    assert app.lambda_handler(http_v2("GET", "/mutate"), None)["statusCode"] == 200
    assert refused == ["GET /mutate"]


def test_the_request_carries_its_route_and_parsed_params(app):
    seen = {}

    @app.route("GET", "/things/{thingId}")
    def thing(request):
        seen.update(route=request.route, path=request.path_params, id=request.request_id)
        return {}

    app.lambda_handler(http_v2("GET", "/things/t1"), None)
    assert seen == {"route": "GET /things/{thingId}", "path": {"thingId": "t1"}, "id": "req-1"}
