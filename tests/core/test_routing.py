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
    assert response["headers"]["Allow"] == "OPTIONS, POST"
    assert body_of(response) == {"error": "Method not allowed", "requestId": "req-1"}


def test_preflight_is_answered_with_cors_headers(app):
    response = app.lambda_handler(http_v2("OPTIONS", "/items/1"), None)
    assert response["statusCode"] == 204
    assert response["headers"]["Access-Control-Allow-Origin"] == "*"
    assert response["headers"]["Access-Control-Allow-Methods"] == "GET,OPTIONS"
    assert "x-correlation-id" in response["headers"]["Access-Control-Allow-Headers"]


def test_preflight_for_an_unknown_path_is_a_404(app):
    response = app.lambda_handler(http_v2("OPTIONS", "/nowhere"), None)
    assert response["statusCode"] == 404
    assert body_of(response)["error"] == "Not found"


def test_listed_origin_is_echoed_back(app, monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://a.example, https://b.example")
    app.reset()
    event = http_v2("GET", "/items/1", headers={"origin": "https://b.example"})
    headers = app.lambda_handler(event, None)["headers"]
    assert headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert headers["Vary"] == "Origin"


def test_unlisted_origin_gets_no_allow_origin(app, monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://a.example")
    app.reset()
    event = http_v2("GET", "/items/1", headers={"origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in app.lambda_handler(event, None)["headers"]


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
