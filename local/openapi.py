"""The HTTP API's OpenAPI 3.1 document, from the routes the topology's functions declare.

    python -m local.openapi [--server URL] > openapi.json

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
from local.topology import Topology

TITLE = "QR upload, visitor counter and pixel detector"
VERSION = "1.0.0"
DESCRIPTION = (
    "Every error body is {error, requestId}. Rate-limited routes answer 429 with Retry-After. "
    "Generated from the routes and validators in handlers/."
)


def declared_routes(topology: Topology) -> list[Route]:
    """The routes each function's app declares, for the functions the HTTP API invokes."""
    served = set(topology.http_routes.values())
    routes: list[Route] = []
    for service, function in sorted(topology.functions.items()):
        if function.name in served:
            app = importlib.import_module(f"handlers.{service}.app").app
            routes.extend(app.router.routes)
    return routes


def api_document(topology: Topology, server: str | None = None) -> dict[str, Any]:
    """The document, with `server` as its one server URL when given."""
    return document(
        declared_routes(topology),
        title=TITLE,
        version=VERSION,
        servers=[server] if server else [],
        description=DESCRIPTION,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.openapi", description=__doc__)
    parser.add_argument("--workspace", default="dev", help="Terraform workspace to read")
    parser.add_argument("--server", default=None, help="the API's base URL to put in servers")
    args = parser.parse_args(argv)
    from local.from_terraform import load_topology

    json.dump(api_document(load_topology(args.workspace), args.server), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
