"""Which addresses a scan may reach, and IPv4 literals read the way browsers read them."""

from __future__ import annotations

import ipaddress

import pytest

from handlers.scanner.addresses import (
    AddressPolicy,
    InvalidHost,
    is_public,
    parse_ip_literal,
    parse_ipv4_like_browser,
)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),  # decimal
        ("0x7f000001", "127.0.0.1"),  # hex
        ("0X7F000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),  # octal
        ("127.1", "127.0.0.1"),  # short form
        ("127.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0251.0376.0251.0376", "169.254.169.254"),
        ("0xa9fea9fe", "169.254.169.254"),
        ("10.0.0.1.", "10.0.0.1"),  # trailing dot
        ("0", "0.0.0.0"),
        ("8.8.8.8", "8.8.8.8"),
    ],
)
def test_ipv4_literals_are_read_as_browsers_read_them(host: str, address: str) -> None:
    assert parse_ipv4_like_browser(host) == ipaddress.IPv4Address(address)


@pytest.mark.parametrize("host", ["example.org", "abc10.com", "10.example", "0x.example", "a.b.c"])
def test_names_are_not_ip_literals(host: str) -> None:
    assert parse_ipv4_like_browser(host) is None


@pytest.mark.parametrize(
    "host", ["1.2.3.4.5", "256.1.1.1", "1.2.3.0x100", "4294967296", "08.1.1.1"]
)
def test_numeric_hosts_that_browsers_reject_are_invalid(host: str) -> None:
    with pytest.raises(InvalidHost):
        parse_ipv4_like_browser(host)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("[::1]", "::1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("[0:0:0:0:0:ffff:a9fe:a9fe]", "::ffff:169.254.169.254"),
        ("[fd12:3456::1]", "fd12:3456::1"),
        ("[2606:4700:4700::1111]", "2606:4700:4700::1111"),
    ],
)
def test_ipv6_literals_are_parsed(host: str, address: str) -> None:
    assert parse_ip_literal(host) == ipaddress.IPv6Address(address)


def test_ipv6_zone_identifiers_are_refused() -> None:
    with pytest.raises(InvalidHost):
        parse_ip_literal("[fe80::1%eth0]")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",  # loopback
        "10.1.2.3",  # RFC 1918
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",  # link-local: instance metadata
        "100.64.0.1",  # CGNAT
        "100.127.255.254",
        "0.0.0.0",  # unspecified
        "224.0.0.1",  # multicast
        "255.255.255.255",
        "198.18.0.1",
        "192.0.2.10",
        "::1",
        "::",
        "::ffff:8.8.8.8",  # IPv4-mapped, even of a public address
        "::ffff:127.0.0.1",
        "fd00::1",  # ULA
        "fc00::1",
        "fe80::1",  # link-local
        "64:ff9b::a9fe:a9fe",  # NAT64 of the metadata address
        "2002:7f00:1::",  # 6to4 of loopback
        "2001:db8::1",
        "ff02::1",
    ],
)
def test_non_global_addresses_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "172.32.0.1", "2606:4700::1111"])
def test_global_unicast_addresses_are_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_the_default_policy_permits_only_public_addresses() -> None:
    policy = AddressPolicy()
    assert policy.permits(ipaddress.ip_address("8.8.8.8"))
    assert not policy.permits(ipaddress.ip_address("127.0.0.1"))


def test_a_policy_can_allow_named_networks_only() -> None:
    policy = AddressPolicy(("127.0.0.0/8",))
    assert policy.permits(ipaddress.ip_address("127.0.0.1"))
    assert not policy.permits(ipaddress.ip_address("169.254.169.254"))
    assert not policy.permits(ipaddress.ip_address("::1"))


def test_allowing_private_addresses_is_not_reachable_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from handlers.scanner import settings

    for name in ("ALLOW_PRIVATE_ADDRESSES", "SCANNER_ALLOW_PRIVATE", "ALLOW_PRIVATE"):
        monkeypatch.setenv(name, "true")
    assert not AddressPolicy().permits(ipaddress.ip_address("127.0.0.1"))
    assert not any("PRIVATE" in name for name in settings.SETTINGS.names)
