"""One error path: exceptions become answers through a registry keyed by exception class,
resolved through the class hierarchy, the same way for HTTP, WebSocket and S3 events."""

from __future__ import annotations

import json

import pytest

from handlers.core import errors
from handlers.core.app import LambdaApp
from handlers.core.config import Settings, common_settings
from tests.support.events import body_of, http_v2, s3_created, websocket


class Quota(Exception):
    """A service's own error, unknown to the core."""


class DailyQuota(Quota):
    pass


class StoreDown(Exception):
    pass


def _raiser(exc: Exception):
    def raise_it(*args):
        raise exc

    return raise_it


@pytest.fixture
def app(monkeypatch) -> LambdaApp:
    for name in ("LOG_LEVEL", "DEBUG", "METRICS_NAMESPACE"):
        monkeypatch.delenv(name, raising=False)
    app = LambdaApp("registry-demo", Settings(*common_settings()))

    @app.exception_handler(Quota)
    def quota(exc: Quota) -> errors.HttpError:
        return errors.TooManyRequests(f"{type(exc).__name__} reached", retry_after=30)

    return app


def _serve_everywhere(app: LambdaApp, exc: Exception) -> None:
    """Declare one HTTP route, one WebSocket route and the S3 handler, all raising `exc`."""
    app.route("GET", "/fail")(_raiser(exc))
    app.websocket("$connect")(_raiser(exc))
    app.s3(_raiser(exc))


def _http_and_ws_answers(app: LambdaApp) -> dict[str, tuple[int, dict]]:
    """(status, error body) of the HTTP and WebSocket answers."""
    http = app.lambda_handler(http_v2("GET", "/fail"), None)
    ws = app.lambda_handler(websocket("$connect"), None)
    return {
        "http": (http["statusCode"], body_of(http)),
        "websocket": (ws["statusCode"], body_of(ws)),
    }


def _answers(app: LambdaApp) -> dict[str, tuple[int, dict]]:
    """(status, error body) of the HTTP, WebSocket and S3 answers."""
    s3 = app.lambda_handler(s3_created("session-uploads/x/image-1"), None)
    return {**_http_and_ws_answers(app), "s3": (s3.pop("statusCode"), s3)}


def test_a_subclass_is_handled_by_its_registered_base_class(app):
    app.route("GET", "/fail")(_raiser(DailyQuota()))
    response = app.lambda_handler(http_v2("GET", "/fail"), None)
    assert response["statusCode"] == 429
    assert body_of(response) == {"error": "DailyQuota reached", "requestId": "req-1"}
    assert response["headers"]["Retry-After"] == "30"


def test_the_nearest_class_in_the_hierarchy_wins(app):
    @app.exception_handler(DailyQuota)
    def daily(exc: DailyQuota) -> errors.HttpError:
        return errors.HttpError("Come back tomorrow", status=403)

    app.route("GET", "/daily")(_raiser(DailyQuota()))
    app.route("GET", "/any")(_raiser(Quota()))
    assert app.lambda_handler(http_v2("GET", "/daily"), None)["statusCode"] == 403
    assert app.lambda_handler(http_v2("GET", "/any"), None)["statusCode"] == 429


def test_a_handler_for_one_http_error_replaces_the_default_for_it_only(app):
    @app.exception_handler(errors.NotFound)
    def not_found(exc: errors.NotFound) -> errors.HttpError:
        return errors.NotFound("No such thing here", extra={"hint": "see /docs"})

    app.route("GET", "/gone")(_raiser(errors.Gone("Expired")))
    missing = app.lambda_handler(http_v2("GET", "/nowhere"), None)
    assert (missing["statusCode"], body_of(missing)) == (
        404,
        {"hint": "see /docs", "error": "No such thing here", "requestId": "req-1"},
    )
    gone = app.lambda_handler(http_v2("GET", "/gone"), None)
    assert (gone["statusCode"], body_of(gone)) == (410, {"error": "Expired", "requestId": "req-1"})


def test_an_unregistered_exception_is_a_500_without_a_traceback(app, capsys):
    app.route("GET", "/fail")(_raiser(StoreDown("password=hunter2")))
    response = app.lambda_handler(http_v2("GET", "/fail"), None)
    assert response["statusCode"] == 500
    assert body_of(response) == {"error": "Internal error", "requestId": "req-1"}
    assert "hunter2" not in response["body"] and "Traceback" not in response["body"]
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any("StoreDown" in line.get("traceback", "") for line in logged)


def test_an_error_handler_that_fails_is_a_500_without_a_traceback(app):
    @app.exception_handler(StoreDown)
    def broken(exc: StoreDown) -> errors.HttpError:
        raise RuntimeError("handler bug, secret=hunter2")

    app.route("GET", "/fail")(_raiser(StoreDown()))
    response = app.lambda_handler(http_v2("GET", "/fail"), None)
    assert response["statusCode"] == 500
    assert body_of(response) == {"error": "Internal error", "requestId": "req-1"}
    assert "hunter2" not in response["body"]


def test_http_websocket_and_s3_errors_have_the_same_body_fields(app):
    _serve_everywhere(app, errors.HttpError("Partial", status=504, extra={"partial": True}))
    answers = _answers(app)
    assert {kind: status for kind, (status, _) in answers.items()} == {
        "http": 504,
        "websocket": 504,
        "s3": 504,
    }
    assert {kind: sorted(body) for kind, (_, body) in answers.items()} == {
        kind: ["error", "partial", "requestId"] for kind in answers
    }
    assert {body["error"] for _, body in answers.values()} == {"Partial"}


def test_a_registered_service_error_is_answered_alike_for_every_event_kind(app):
    _serve_everywhere(app, DailyQuota())
    answers = _answers(app)
    assert {status for status, _ in answers.values()} == {429}
    assert {body["error"] for _, body in answers.values()} == {"DailyQuota reached"}


def test_http_and_websocket_errors_keep_the_errors_headers(app):
    _serve_everywhere(app, errors.TooManyRequests(retry_after=7))
    http = app.lambda_handler(http_v2("GET", "/fail"), None)
    ws = app.lambda_handler(websocket("$connect"), None)
    assert http["headers"]["Retry-After"] == ws["headers"]["Retry-After"] == "7"


def test_an_unregistered_exception_in_a_record_handler_is_raised_so_lambda_retries(app):
    _serve_everywhere(app, StoreDown("table unavailable"))
    with pytest.raises(StoreDown):
        app.lambda_handler(s3_created("session-uploads/x/image-1"), None)


def test_an_unregistered_exception_on_http_and_websocket_is_a_500(app):
    _serve_everywhere(app, StoreDown())
    assert _http_and_ws_answers(app) == {
        "http": (500, {"error": "Internal error", "requestId": "req-1"}),
        "websocket": (500, {"error": "Internal error", "requestId": "ws-req-1"}),
    }
