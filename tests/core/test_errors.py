"""Typed errors become `{error, requestId}`; anything else a generic 500, traceback logged."""

from __future__ import annotations

import json

from tests.support.events import LambdaContext, body_of, http_v2


def test_typed_error_keeps_its_status_and_message(app):
    response = app.lambda_handler(http_v2("GET", "/teapot"), None)
    assert response["statusCode"] == 418
    assert body_of(response) == {"error": "I'm a teapot", "requestId": "req-1"}


def test_unexpected_exception_is_a_generic_500(app):
    response = app.lambda_handler(http_v2("GET", "/boom"), None)
    assert response["statusCode"] == 500
    assert body_of(response) == {"error": "Internal error", "requestId": "req-1"}
    assert "hunter2" not in response["body"]


def test_unexpected_exception_traceback_goes_to_the_log(app, capsys):
    app.lambda_handler(http_v2("GET", "/boom"), None)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    failure = next(line for line in lines if line["message"] == "unhandled error")
    assert failure["level"] == "ERROR"
    assert "RuntimeError" in failure["traceback"]
    assert failure["route"] == "GET /boom"


def test_request_id_falls_back_to_the_lambda_context(app):
    event = http_v2("GET", "/nowhere")
    del event["requestContext"]["requestId"]
    response = app.lambda_handler(event, LambdaContext())
    assert body_of(response)["requestId"] == "lambda-req-1"


def test_missing_setting_is_a_500_and_the_log_names_it(app, monkeypatch, capsys):
    monkeypatch.delenv("GREETING")
    app.reset()
    response = app.lambda_handler(http_v2("GET", "/greeting"), None)
    assert response["statusCode"] == 500
    assert body_of(response) == {"error": "Internal error", "requestId": "req-1"}
    assert "GREETING" in capsys.readouterr().out
