"""Every input of the wrong size or shape is a 400 or 413, never a 500."""

from __future__ import annotations

import pytest

from handlers.core.app import LambdaApp
from handlers.core.config import Settings, common_settings
from handlers.core.http import Request
from handlers.core.validation import MAX_JSON_DEPTH, json_depth
from tests.support.events import body_of, http_v1, http_v2


@pytest.fixture
def json_app() -> LambdaApp:
    """An app with room for big bodies, so nesting (not size) is what is tested."""
    app = LambdaApp("json-demo", Settings(*common_settings()), max_body=256_000)

    @app.route("POST", "/echo")
    def echo(request: Request) -> dict:
        return {"received": request.json()}

    return app


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_past_the_recursion_limit_is_a_400_not_a_recursion_error(json_app):
    response = json_app.lambda_handler(http_v2("POST", "/echo", body=nested(100_000)), None)
    assert response["statusCode"] == 400
    assert body_of(response) == {
        "error": f"Request body nests deeper than {MAX_JSON_DEPTH} levels",
        "requestId": "req-1",
    }


def test_json_nested_to_the_cap_is_accepted(json_app):
    response = json_app.lambda_handler(http_v2("POST", "/echo", body=nested(MAX_JSON_DEPTH)), None)
    assert response["statusCode"] == 200


def test_json_nested_one_level_past_the_cap_is_a_400(json_app):
    body = nested(MAX_JSON_DEPTH + 1)
    assert json_app.lambda_handler(http_v2("POST", "/echo", body=body), None)["statusCode"] == 400


def test_brackets_inside_strings_do_not_count_as_nesting(json_app):
    body = '{"text": "' + "[{" * 500 + '", "escaped": "\\"[[[["}'
    response = json_app.lambda_handler(http_v2("POST", "/echo", body=body), None)
    assert response["statusCode"] == 200
    assert json_depth(body.encode()) == 1


@pytest.mark.parametrize(
    "cookies",
    ["a=b", 5, [1, 2], {"a": "b"}, [None]],
    ids=["text", "number", "numbers", "map", "null"],
)
def test_cookies_that_are_not_a_list_of_text_are_a_400(app, cookies):
    event = http_v2("GET", "/items/1")
    event["cookies"] = cookies
    response = app.lambda_handler(event, None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid Lambda event format"


def test_a_lone_surrogate_in_the_body_is_a_400(app):
    response = app.lambda_handler(http_v2("POST", "/items", body='{"name": "\ud800"}'), None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid Lambda event format"


@pytest.mark.parametrize("source_ip", ["\udcff", "not-an-address", "999.1.1.1", "1.2.3.4\n"])
def test_a_source_ip_that_is_not_an_address_is_a_400(app, source_ip):
    response = app.lambda_handler(http_v2("GET", "/items/1", source_ip=source_ip), None)
    assert response["statusCode"] == 400
    assert body_of(response)["error"] == "Invalid Lambda event format"


def test_a_rest_v1_source_ip_that_is_not_an_address_is_a_400(app):
    response = app.lambda_handler(http_v1("GET", "/items/1", source_ip="\udcff"), None)
    assert response["statusCode"] == 400


def test_a_method_that_is_not_text_is_a_400(app):
    event = http_v2("GET", "/items/1")
    event["requestContext"]["http"]["method"] = ["GET"]
    assert app.lambda_handler(event, None)["statusCode"] == 400
