"""A tiny app on the core, declared the way services declare theirs."""

from __future__ import annotations

import pytest

from handlers.core import errors
from handlers.core.app import LambdaApp
from handlers.core.config import Setting, Settings, common_settings
from handlers.core.http import Request, Response


def build_app() -> LambdaApp:
    app = LambdaApp(
        "demo",
        Settings(*common_settings(), Setting("GREETING", "Demo value.")),
        max_body=1024,
    )

    @app.route("GET", "/items/{itemId}")
    def get_item(request: Request) -> dict:
        return {"itemId": request.path_params["itemId"], "q": request.query.get("q")}

    @app.route("POST", "/items")
    def create_item(request: Request) -> Response:
        return Response(201, {"received": request.json_object()})

    @app.route("POST", "/raw")
    def raw(request: Request) -> dict:
        return {"bytes": len(request.body), "text": request.body.decode("utf-8", "replace")}

    @app.route("GET", "/teapot")
    def teapot(request: Request) -> dict:
        raise errors.HttpError("I'm a teapot", status=418)

    @app.route("GET", "/boom")
    def boom(request: Request) -> dict:
        raise RuntimeError("database password is hunter2")

    @app.route("GET", "/greeting")
    def greeting(request: Request) -> dict:
        return {"greeting": app.config["GREETING"]}

    return app


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> LambdaApp:
    monkeypatch.setenv("GREETING", "hello")
    for name in ("LOG_LEVEL", "DEBUG", "METRICS_NAMESPACE"):
        monkeypatch.delenv(name, raising=False)
    return build_app()
