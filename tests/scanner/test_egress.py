"""The egress proxy: the browser's only way out, checking every connection it makes."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator

import pytest

from handlers.scanner.addresses import AddressPolicy
from handlers.scanner.egress import MARKER, EgressProxy
from handlers.scanner.target import HostGuard
from tests.scanner.conftest import RecordingResolver
from tests.scanner.fixture_site import FixtureSite


@pytest.fixture
def blocked() -> list[str]:
    return []


@pytest.fixture
def proxy(blocked: list[str]) -> Iterator[EgressProxy]:
    guard = HostGuard(RecordingResolver(), AddressPolicy(("127.0.0.0/8",)))
    running = EgressProxy(guard, on_blocked=blocked.append)
    yield running
    running.close()


def via_proxy(proxy: EgressProxy, url: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
    connection.request("GET", url)
    return connection.getresponse()


def test_plain_http_to_a_permitted_address_is_forwarded(
    proxy: EgressProxy, site: FixtureSite
) -> None:
    response = via_proxy(proxy, site.url("/plain.html"))
    assert response.status == 200
    assert b"Riverside Clinic" in response.read()


def test_plain_http_to_the_metadata_address_is_refused(
    proxy: EgressProxy, blocked: list[str]
) -> None:
    response = via_proxy(proxy, "http://169.254.169.254/latest/meta-data/")
    assert (response.status, response.getheader(MARKER)) == (403, "blocked")
    assert blocked == ["169.254.169.254"]


def test_a_name_resolving_privately_is_refused_at_connect_time(
    proxy: EgressProxy, blocked: list[str]
) -> None:
    response = via_proxy(proxy, "http://internal.test/")
    assert (response.status, response.getheader(MARKER)) == (403, "blocked")
    assert blocked == ["internal.test"]


def test_an_unreachable_site_is_reported_as_such(proxy: EgressProxy, blocked: list[str]) -> None:
    response = via_proxy(proxy, "http://nowhere.test/")
    assert (response.status, response.getheader(MARKER)) == (502, "unreachable")
    assert blocked == []


def test_connect_tunnels_to_blocked_addresses_are_refused(
    proxy: EgressProxy, blocked: list[str]
) -> None:
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall(b"CONNECT 10.0.0.1:443 HTTP/1.1\r\nHost: 10.0.0.1:443\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 403")
    assert blocked == ["10.0.0.1"]


def test_connect_tunnels_to_permitted_addresses_carry_bytes(
    proxy: EgressProxy, site: FixtureSite
) -> None:
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall(f"CONNECT 127.0.0.1:{site.port} HTTP/1.1\r\n\r\n".encode())
        assert sock.recv(100).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /plain.html HTTP/1.0\r\nHost: x\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.0 200")
