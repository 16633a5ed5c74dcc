"""Targets that do not parse, other ports and embedded-IPv4 addresses: refused, never a 500."""

from __future__ import annotations

import ipaddress
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from handlers.scanner.addresses import AddressPolicy, is_public
from handlers.scanner.egress import MARKER, EgressProxy
from handlers.scanner.target import PORTS_ONLY, BlockedAddress, HostGuard, InvalidTarget, parse_url
from tests.scanner.conftest import API_KEY, RecordingResolver
from tests.support.events import http_v2

REPO_ROOT = Path(__file__).resolve().parents[2]
UNPARSABLE = {
    "http://[::1": "its brackets do not enclose an IPv6 address",
    "http://a]/": "its brackets do not enclose an IPv6 address",
    "http://[127.0.0.1]/": "an IPv4 address cannot be in brackets",
    "https://ex\uff03ample.com/": "it contains characters that normalise to URL delimiters",
}


def scan(api, body) -> tuple[int, dict]:
    event = http_v2("POST", "/scan", body=body, headers={"x-api-key": API_KEY})
    response = api.lambda_handler(event, None)
    return response["statusCode"], json.loads(response["body"])


@pytest.mark.parametrize(("url", "reason"), UNPARSABLE.items(), ids=list(UNPARSABLE))
def test_a_url_that_does_not_parse_is_refused_with_a_reason(url, reason):
    with pytest.raises(InvalidTarget, match=reason):
        parse_url(url)


@pytest.mark.parametrize("url", list(UNPARSABLE))
def test_a_url_that_does_not_parse_is_a_400_from_the_api(api, url):
    status, body = scan(api, {"url": url})
    assert status == 400
    assert body["error"] == f"the url is not valid: {UNPARSABLE[url]}"


def test_deeply_nested_json_is_a_400_from_the_api(api):
    status, body = scan(api, "[" * 8000 + "]" * 8000)
    assert (status, body["error"]) == (400, "Request body nests deeper than 32 levels")


@pytest.mark.parametrize("url", list(UNPARSABLE))
def test_the_cli_refuses_a_url_that_does_not_parse_with_one_line_and_exit_2(url):
    done = subprocess.run(
        [sys.executable, "-m", "handlers.scanner", url],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        done.stderr
        == f"python -m handlers.scanner: error: the url is not valid: {UNPARSABLE[url]}\n"
    )


@pytest.mark.parametrize(
    "url", ["http://example.com:22/", "https://example.com:8443/", "http://93.184.216.34:3306/"]
)
def test_ports_other_than_80_and_443_are_refused(url):
    with pytest.raises(InvalidTarget, match=PORTS_ONLY):
        parse_url(url)


@pytest.mark.parametrize(
    "url", ["http://example.com:80/", "https://example.com:443/", "http://example.com:443/"]
)
def test_ports_80_and_443_are_allowed(url):
    assert parse_url(url).host == "example.com"


def test_a_port_scan_target_is_a_400_from_the_api(api):
    status, body = scan(api, {"url": "http://example.com:22/"})
    assert (status, body["error"]) == (400, PORTS_ONLY)


def test_the_port_policy_allows_only_web_ports_to_public_addresses():
    public = ipaddress.ip_address("93.184.216.34")
    policy = AddressPolicy()
    assert [policy.permits_port(public, p) for p in (80, 443, 22, 8080)] == [
        True,
        True,
        False,
        False,
    ]
    loopback = ipaddress.ip_address("127.0.0.1")
    assert AddressPolicy(("127.0.0.0/8",)).permits_port(loopback, 43210)


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:0:a9fe:a9fe",  # SIIT: 169.254.169.254
        "::ffff:0:808:808",  # SIIT, even of a public address
        "64:ff9b::a9fe:a9fe",  # NAT64
        "64:ff9b:1::808:808",  # local-use NAT64
        "2002:a9fe:a9fe::1",  # 6to4
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "::ffff:169.254.169.254",  # IPv4-mapped
        "::169.254.169.254",  # IPv4-compatible
    ],
)
def test_every_ipv6_form_embedding_an_ipv4_address_is_refused(address):
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(BlockedAddress):
        HostGuard(RecordingResolver()).addresses(f"[{address}]")


@pytest.fixture
def proxy() -> Iterator[tuple[EgressProxy, list[str]]]:
    blocked: list[str] = []
    running = EgressProxy(HostGuard(RecordingResolver()), on_blocked=blocked.append)
    yield running, blocked
    running.close()


def test_connect_to_another_port_of_a_public_host_is_refused(proxy):
    running, blocked = proxy
    with socket.create_connection(("127.0.0.1", running.port), timeout=5) as sock:
        sock.sendall(b"CONNECT public.test:22 HTTP/1.1\r\nHost: public.test:22\r\n\r\n")
        answer = sock.recv(200)
    assert answer.startswith(b"HTTP/1.1 403")
    assert f"{MARKER}: blocked".encode() in answer
    assert blocked == ["public.test"]


def test_plain_http_to_another_port_of_a_public_host_is_refused(proxy):
    running, blocked = proxy
    with socket.create_connection(("127.0.0.1", running.port), timeout=5) as sock:
        sock.sendall(b"GET http://public.test:6379/ HTTP/1.1\r\nHost: public.test:6379\r\n\r\n")
        assert sock.recv(200).startswith(b"HTTP/1.1 403")
    assert blocked == ["public.test"]


def test_a_malformed_proxy_request_is_dropped_without_an_error(proxy):
    running, _ = proxy
    with socket.create_connection(("127.0.0.1", running.port), timeout=5) as sock:
        sock.sendall(b"GET http://public.test:99999/ HTTP/1.1\r\n\r\n")
        assert sock.recv(200) == b""
