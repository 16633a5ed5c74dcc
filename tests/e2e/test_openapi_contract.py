"""make up serves the OpenAPI document, and schemathesis finds the API true to it: no 5xx, no
status, content type, header or body outside what the document says."""

from __future__ import annotations

import json
import urllib.request

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from requests.adapters import HTTPAdapter
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from local.gateways.openapi import api_document

pytestmark = pytest.mark.e2e

# Its own client address, so the generated requests spend no other test's rate-limit quota.
FUZZER_ADDRESS = "127.0.0.250"
EXAMPLES_PER_OPERATION = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class FromAddress(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def served_document(stack) -> dict:
    with urllib.request.urlopen(f"{stack.api}/openapi.json", timeout=10) as response:
        assert response.headers["Content-Type"] == "application/json"
        return json.loads(response.read())


def test_make_up_serves_the_document_generated_from_the_routes(stack):
    assert served_document(stack) == api_document(stack.model, stack.api)


@pytest.fixture(scope="module")
def api_schema(stack):
    return schemathesis.openapi.from_dict(served_document(stack))


@pytest.fixture(scope="module")
def fuzzer_session() -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(FUZZER_ADDRESS))
    return session


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_openapi_document(case, fuzzer_session, stack):
    case.call_and_validate(base_url=stack.api, session=fuzzer_session, checks=CHECKS, timeout=30)
