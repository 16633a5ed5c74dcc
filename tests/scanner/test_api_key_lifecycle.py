"""The API key: never Terraform's placeholder, re-read after a TTL, compared in constant time."""

from __future__ import annotations

import hmac
import json

import pytest
from botocore.exceptions import EndpointConnectionError

import terraform_model
from handlers.core import errors
from handlers.scanner.auth import KEY_TTL_SECONDS, UNAUTHORIZED, ApiKey, is_placeholder


class Ssm:
    """A parameter store whose value the test rotates, counting the reads."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.reads = 0
        self.down = False

    def __call__(self, name: str) -> str:
        self.reads += 1
        if self.down:
            raise EndpointConnectionError(endpoint_url="https://ssm.example")
        return self.value


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def seeded_value() -> str:
    """The value Terraform gives the SSM parameter when it creates it."""
    stack = terraform_model.load("dev")
    [value] = [p["value"] for name, p in stack.ssm_parameters.items() if name.endswith("/api-key")]
    return value


def test_the_value_terraform_seeds_is_recognised_as_the_placeholder(seeded_value):
    assert is_placeholder(seeded_value)


def test_the_value_terraform_seeds_is_never_a_valid_key(seeded_value, capsys):
    key = ApiKey("/scanner/api-key", fetch=Ssm(seeded_value))
    with pytest.raises(errors.Unauthorized, match=UNAUTHORIZED):
        key.check(seeded_value)
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert line["level"] == "ERROR"
    assert "placeholder" in line["message"]
    assert seeded_value not in json.dumps(line)


def test_a_rotated_key_takes_effect_after_the_ttl(capsys):
    ssm, clock = Ssm("old-key-0123456789"), Clock()
    key = ApiKey("/p", fetch=ssm, clock=clock)
    key.check("old-key-0123456789")
    ssm.value = "new-key-9876543210"
    clock.now += KEY_TTL_SECONDS - 1
    key.check("old-key-0123456789")  # still cached
    clock.now += 1
    with pytest.raises(errors.Unauthorized):
        key.check("old-key-0123456789")
    key.check("new-key-9876543210")
    assert ssm.reads == 2


def test_the_ttl_is_a_few_minutes():
    assert 30 <= KEY_TTL_SECONDS <= 300


def test_ssm_down_at_refresh_keeps_the_cached_key():
    ssm, clock = Ssm("key-0123456789"), Clock()
    key = ApiKey("/p", fetch=ssm, clock=clock)
    key.check("key-0123456789")
    ssm.down, clock.now = True, clock.now + KEY_TTL_SECONDS
    key.check("key-0123456789")


def test_ssm_down_with_no_key_yet_is_a_503_not_a_500(capsys):
    ssm = Ssm("key-0123456789")
    ssm.down = True
    with pytest.raises(errors.ServiceUnavailable):
        ApiKey("/p", fetch=ssm).check("key-0123456789")
    assert "could not be read" in capsys.readouterr().out


@pytest.mark.parametrize("provided", ["\udcff", "k\ud800ey", "é" * 64])
def test_a_key_no_client_could_type_is_a_401_not_a_500(provided):
    with pytest.raises(errors.Unauthorized):
        ApiKey(local_key="key-0123456789").check(provided)


def test_the_comparison_is_constant_time_over_equal_length_digests(monkeypatch):
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    ApiKey(local_key="key-0123456789").check("key-0123456789")
    with pytest.raises(errors.Unauthorized):
        ApiKey(local_key="key-0123456789").check("short")
    assert [(len(a), len(b)) for a, b in compared] == [(32, 32), (32, 32)]
