"""On POST /scan every attempt counts against its address, and only valid keys count globally."""

from __future__ import annotations

import json

import pytest

from tests.scanner.conftest import API_KEY, configure_api
from tests.support.events import http_v2


def scan(api, headers: dict, source_ip: str) -> tuple[int, str]:
    event = http_v2("POST", "/scan", body={}, headers=headers, source_ip=source_ip)
    response = api.lambda_handler(event, None)
    return response["statusCode"], json.loads(response["body"])["error"]


@pytest.fixture
def limited(api, monkeypatch):
    configure_api(monkeypatch, IP_LIMIT="3", GLOBAL_LIMIT="2")
    api.app.reset()
    return api


def test_wrong_keys_never_use_up_the_global_window(limited):
    for n in range(10):
        assert scan(limited, {"x-api-key": "guess"}, f"198.51.100.{n}")[0] == 401
    # Two valid requests fit the global window of 2, after ten wrong keys.
    assert scan(limited, {"x-api-key": API_KEY}, "203.0.113.1")[0] == 400
    assert scan(limited, {"x-api-key": API_KEY}, "203.0.113.2")[0] == 400
    assert scan(limited, {"x-api-key": API_KEY}, "203.0.113.3") == (
        429,
        "Too many requests; try again later",
    )


def test_every_attempt_counts_against_its_address_so_keys_cannot_be_guessed(limited):
    for _ in range(3):
        assert scan(limited, {"x-api-key": "guess"}, "198.51.100.7")[0] == 401
    assert scan(limited, {"x-api-key": "guess"}, "198.51.100.7") == (
        429,
        "Too many requests from this address",
    )
    assert scan(limited, {"x-api-key": API_KEY}, "198.51.100.7")[0] == 429
