"""What a scan request may name, and where its host really leads."""

from __future__ import annotations

import pytest

from handlers.scanner.addresses import AddressPolicy
from handlers.scanner.target import (
    BlockedAddress,
    HostGuard,
    InvalidTarget,
    UnresolvableHost,
    parse_request,
)
from tests.scanner.conftest import RecordingResolver


def test_a_domain_becomes_an_https_url_keyed_by_the_domain() -> None:
    target = parse_request({"domain": "Example.ORG"})
    assert (target.url, target.host, target.cache_key) == (
        "https://example.org/",
        "example.org",
        "example.org",
    )


def test_a_url_keeps_its_path_and_query_and_drops_the_fragment() -> None:
    target = parse_request({"url": "https://www.Example.org/book?x=1#top"})
    assert target.url == "https://www.example.org/book?x=1"
    assert target.host == "www.example.org"


def test_international_domain_names_are_idna_encoded() -> None:
    assert parse_request({"domain": "bücher.example"}).host == "xn--bcher-kva.example"


def test_a_name_that_merely_contains_digits_like_a_private_range_is_fine() -> None:
    assert parse_request({"domain": "abc10.com"}).host == "abc10.com"


@pytest.mark.parametrize(
    "url", ["http://0x7f000001/", "http://2130706433/", "http://0177.0.0.1/", "http://127.1/"]
)
def test_numeric_hosts_are_normalised_to_the_address_a_browser_would_use(url: str) -> None:
    assert parse_request({"url": url}).host == "127.0.0.1"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"url": "ftp://example.org/"}, "only http and https"),
        ({"url": "javascript:alert(1)"}, "only http and https"),
        ({"url": "file:///etc/passwd"}, "only http and https"),
        ({"url": "https://user:pw@example.org/"}, "credentials"),
        ({"url": "https://@example.org/"}, "credentials"),
        ({"url": "https:///nohost"}, "host is empty"),
        ({"url": "https://example.org:99999/"}, "port"),
        ({"url": "https://exa mple.org/"}, "whitespace"),
        ({"url": "https://" + "a" * 2100 + ".org/"}, "longer than 2048"),
        ({"domain": ("a" * 60 + ".") * 5 + "org"}, "longer than 253"),
        ({"domain": "-bad-.org"}, "not a valid domain"),
        ({"domain": "a" * 64 + ".org"}, "not a valid domain"),
        ({"domain": "example.org/path"}, "bare host name"),
        ({"domain": "256.1.1.1"}, "out of range"),
        ({"domain": ""}, "non-empty"),
        ({"domain": 42}, "non-empty string"),
        ({"url": ["x"]}, "non-empty string"),
        ({}, "exactly one"),
        ({"domain": "a.org", "url": "https://a.org/"}, "exactly one"),
        (["example.org"], "JSON object"),
    ],
)
def test_unscannable_requests_are_refused_with_a_reason(body: object, message: str) -> None:
    with pytest.raises(InvalidTarget, match=message):
        parse_request(body)


def guard(allow: object = False) -> HostGuard:
    return HostGuard(RecordingResolver(), AddressPolicy(allow))  # type: ignore[arg-type]


@pytest.mark.parametrize("host", ["internal.test", "metadata.test", "mixed.test", "v6private.test"])
def test_names_that_resolve_to_any_private_address_are_blocked(host: str) -> None:
    with pytest.raises(BlockedAddress):
        guard().addresses(host)


def test_a_name_whose_every_address_is_public_is_allowed() -> None:
    assert [str(a) for a in guard().addresses("public.test")] == [
        "93.184.216.34",
        "2606:2800:220:1:248:1893:25c8:1946",
    ]


@pytest.mark.parametrize("host", ["127.0.0.1", "169.254.169.254", "[::1]", "[::ffff:10.0.0.1]"])
def test_address_literals_are_checked_without_resolving(host: str) -> None:
    resolver = RecordingResolver()
    with pytest.raises(BlockedAddress):
        HostGuard(resolver).addresses(host)
    assert resolver.asked == []


def test_a_name_that_does_not_resolve_is_reported_as_such() -> None:
    with pytest.raises(UnresolvableHost):
        guard().addresses("nowhere.test")


def test_lookups_are_cached_for_a_short_while() -> None:
    resolver = RecordingResolver()
    now = [0.0]
    checker = HostGuard(resolver, ttl_seconds=30, clock=lambda: now[0])
    checker.addresses("public.test")
    checker.addresses("public.test")
    now[0] = 31
    checker.addresses("public.test")
    assert resolver.asked == ["public.test", "public.test"]


def test_loopback_is_reachable_only_through_the_explicit_policy() -> None:
    assert not guard().permits("127.0.0.1")
    assert guard(("127.0.0.0/8",)).permits("127.0.0.1")
    assert not guard(("127.0.0.0/8",)).permits("169.254.169.254")


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://[::1]:8080/", "[::1]"),
        ("http://[0:0:0:0:0:0:0:1]/", "[::1]"),
        ("http://[::ffff:7f00:1]/", "[::ffff:7f00:1]"),
        ("http://[FD00::AB]/", "[fd00::ab]"),
        ("http://[2606:4700:4700::1111]/", "[2606:4700:4700::1111]"),
    ],
)
def test_ipv6_hosts_are_canonicalised(url: str, host: str) -> None:
    assert parse_request({"url": url}).host == host


@pytest.mark.parametrize(
    "url", ["http://[::1]/", "http://[::ffff:7f00:1]/", "http://[fd00::ab]/", "http://[fe80::1]/"]
)
def test_non_global_ipv6_hosts_are_blocked(url: str) -> None:
    with pytest.raises(BlockedAddress):
        guard().addresses(parse_request({"url": url}).host)


def test_a_public_ipv6_host_is_allowed() -> None:
    assert guard().permits(parse_request({"url": "http://[2606:4700:4700::1111]/"}).host)
