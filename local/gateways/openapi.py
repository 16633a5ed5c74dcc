"""The HTTP API's OpenAPI 3.1 document, from the routes its functions' apps declare.

    python -m local.gateways.openapi [--server URL] > openapi.json

`make up` serves it at `<HTTP API>/openapi.json`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any

from handlers.core.openapi import document
from handlers.core.router import Route
from terraform_model import Stack

TITLE = "QR upload, visitor counter and pixel detector"
VERSION = "1.0.0"
DESCRIPTION = (
    "Every error body is {error, requestId}. Rate-limited routes answer 429 with Retry-After. "
    "Generated from the routes and validators in handlers/."
)


def declared_routes(model: Stack) -> list[Route]:
    """The routes each function's app declares, for the functions the HTTP API invokes."""
    served = set(model.http_routes.values())
    routes: list[Route] = []
    for service, function in sorted(model.functions.items()):
        if function.name in served:
            app = importlib.import_module(f"handlers.{service}.app").app
            routes.extend(app.router.routes)
    return routes


def api_document(model: Stack, server: str | None = None) -> dict[str, Any]:
    """The document, with `server` as its one server URL when given."""
    return document(
        declared_routes(model),
        title=TITLE,
        version=VERSION,
        servers=[server] if server else [],
        description=DESCRIPTION,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.gateways.openapi", description=__doc__)
    parser.add_argument("--workspace", default="dev", help="Terraform workspace to read")
    parser.add_argument("--server", default=None, help="the API's base URL to put in servers")
    args = parser.parse_args(argv)
    from terraform_model import load_plannable

    json.dump(api_document(load_plannable(args.workspace), args.server), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
