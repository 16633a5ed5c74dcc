"""The vendor stubs as a real server (for browsers Python cannot route, such as Blacklight's):
TLS or plain HTTP on one port, answering by the Host header."""

from __future__ import annotations

import http.client
import ssl
from collections.abc import Iterator

import pytest

from tests.scanner.stub_server import vendor_stub_server


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with vendor_stub_server() as server:
        yield server.server_address[1]


def get(connection: http.client.HTTPConnection, host: str, path: str) -> tuple[int, str, str]:
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type") or "", response.read().decode()


def test_a_vendor_script_is_served_over_tls(port: int) -> None:
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE  # the throwaway certificate is self-signed
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=insecure, timeout=5)
    status, kind, body = get(connection, "connect.facebook.net", "/en_US/fbevents.js")
    assert (status, kind) == (200, "text/javascript")
    assert "fbq" in body


def test_a_beacon_is_answered_over_plain_http_on_the_same_port(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    assert get(connection, "bat.bing.com", "/action/0?ti=5123456")[:2] == (200, "image/gif")


def test_a_host_that_is_no_vendor_s_gets_404(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    assert get(connection, "update.googleapis.com", "/service/update2")[0] == 404
