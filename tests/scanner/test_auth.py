"""The API key: read once, compared in constant time, and never open when unconfigured."""

from __future__ import annotations

import boto3
import pytest

from handlers.core import errors
from handlers.scanner.auth import UNAUTHORIZED, ApiKey


def test_the_right_key_passes() -> None:
    ApiKey(local_key="k1").check("k1")


@pytest.mark.parametrize("provided", [None, "", "k2", "k1 ", "K1"])
def test_a_missing_or_wrong_key_is_unauthorized(provided: str | None) -> None:
    with pytest.raises(errors.Unauthorized, match=UNAUTHORIZED):
        ApiKey(local_key="k1").check(provided)


def test_with_no_key_configured_every_request_is_refused(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(errors.Unauthorized):
        ApiKey().check("anything")
    assert "no API key configured" in capsys.readouterr().out


def test_the_key_is_read_from_the_ssm_secure_string_once(moto: None) -> None:
    boto3.client("ssm").put_parameter(Name="/scanner/key", Value="from-ssm", Type="SecureString")
    fetched: list[str] = []

    def fetch(name: str) -> str:
        from handlers.scanner.auth import key_from_ssm

        fetched.append(name)
        return key_from_ssm(name)

    key = ApiKey("/scanner/key", local_key="ignored", fetch=fetch)
    key.check("from-ssm")
    key.check("from-ssm")
    with pytest.raises(errors.Unauthorized):
        key.check("ignored")
    assert fetched == ["/scanner/key"]


def test_a_failed_ssm_read_is_retried_on_the_next_request() -> None:
    calls = []

    def flaky(name: str) -> str:
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("ssm unavailable")
        return "k"

    key = ApiKey("/p", fetch=flaky)
    with pytest.raises(RuntimeError):
        key.check("k")
    key.check("k")
    assert len(calls) == 2
