"""The HTTP gateway's socket side: it serves the HttpApi on a port, as HTTP/1.1 does.

What the gateway answers is specified without sockets in test_http_api.py.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from local.gateways.http import HttpGateway, Route
from terraform_model import Cors


def answer(function: str, event: dict, request_id: str) -> object:
    return {
        "statusCode": 200,
        "body": json.dumps({"ip": event["requestContext"]["http"]["sourceIp"]}),
    }


@pytest.fixture(scope="module")
def gateway() -> Iterator[HttpGateway]:
    server = HttpGateway(
        "127.0.0.1", 0, [Route("GET /health", "counter")], answer, cors=Cors(allow_origins=("*",))
    )
    server.start()
    yield server
    server.stop()


def request(gateway: HttpGateway, method: str, path: str, headers=None):
    req = urllib.request.Request(gateway.url + path, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_request_reaches_the_function_with_the_clients_address(gateway):
    status, headers, body = request(gateway, "GET", "/health")
    assert status == 200
    assert json.loads(body) == {"ip": "127.0.0.1"}
    assert headers["apigw-requestid"]


def test_the_host_and_port_stand_in_for_a_missing_host_header(gateway):
    assert gateway.api.domain_name == f"127.0.0.1:{gateway.port}"


def test_head_is_answered_without_a_body(gateway):
    status, headers, body = request(gateway, "HEAD", "/nowhere")
    assert status == 404
    assert body == b""
    assert int(headers["Content-Length"]) > 0


def test_any_method_reaches_the_routes_rather_than_http_servers_501(gateway):
    status, _, body = request(gateway, "PROPFIND", "/health")
    assert status == 404
    assert json.loads(body) == {"message": "Not Found"}


def test_a_preflight_over_the_socket_is_a_204(gateway):
    status, headers, _ = request(
        gateway,
        "OPTIONS",
        "/health",
        headers={"Origin": "http://web.local", "Access-Control-Request-Method": "GET"},
    )
    assert status == 204
    assert headers["access-control-allow-origin"] == "*"
