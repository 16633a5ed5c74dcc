"""The OpenAPI document comes from the routes: it equals app.routes and Terraform's routes."""

from __future__ import annotations

import importlib

import pytest

import terraform_model
from handlers.core.openapi import OPENAPI_VERSION, routes_of
from local.gateways.openapi import api_document


@pytest.fixture(scope="module")
def document() -> dict:
    return api_document(terraform_model.load_plannable("dev"), "http://127.0.0.1:8701")


def declared_routes() -> list[tuple[str, str]]:
    services = ("sessions", "counter", "scanner")
    return sorted(
        route for s in services for route in importlib.import_module(f"handlers.{s}.app").app.routes
    )


def test_the_document_describes_exactly_the_routes_the_apps_declare(document):
    assert routes_of(document) == declared_routes()


def test_the_document_describes_exactly_the_routes_terraform_creates(document):
    terraform = sorted(tuple(key.split(" ", 1)) for key in terraform_model.load("dev").http_routes)
    assert routes_of(document) == terraform


def test_it_is_a_valid_openapi_3_1_document(document):
    import schemathesis

    assert document["openapi"] == OPENAPI_VERSION
    schema = schemathesis.openapi.from_dict(document)
    assert len(list(schema.get_all_operations())) == len(declared_routes())


def test_declared_parameters_and_their_validators_are_in_the_document(document):
    upload = document["paths"]["/upload-url"]["get"]
    params = {p["name"]: p for p in upload["parameters"]}
    assert params["sessionId"]["required"] is True
    assert params["sessionId"]["schema"]["format"] == "uuid"
    assert "image/png" in params["contentType"]["schema"]["enum"]
    status = document["paths"]["/sessions/{sessionId}"]["get"]
    assert status["parameters"][0]["in"] == "path"


def test_every_route_documents_its_statuses(document):
    statuses = {
        (method.upper(), path): sorted(int(s) for s in op["responses"])
        for path, ops in document["paths"].items()
        for method, op in ops.items()
    }
    assert statuses[("POST", "/log")] == [202, 400, 413, 429]
    assert statuses[("POST", "/sessions")] == [200, 429, 500]
    assert statuses[("GET", "/upload-url")] == [200, 400, 404, 500]
    assert statuses[("POST", "/scan")] == [200, 400, 401, 413, 429, 500, 502, 503, 504]
    assert statuses[("GET", "/health")] == [200, 503]


def test_post_scan_requires_the_api_key_header(document):
    assert document["paths"]["/scan"]["post"]["security"] == [{"apiKey": []}]
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert (scheme["in"], scheme["name"]) == ("header", "x-api-key")
