"""Generated events into every function: nothing escapes, nothing is a 5xx, nothing leaks.

The functions run against a working moto, so no 5xx is expected at all here: the 5xx the API
documents are dependency failures (DynamoDB, S3, SSM, Chromium), and none happens in this run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import FUZZ
from tests.fuzz.strategies import (
    anything,
    http_v1_events,
    http_v2_events,
    s3_events,
    websocket_events,
)

ROOT = str(Path(__file__).resolve().parents[2])
LEAKS = ("Traceback (most recent call last)", 'File "', ROOT, "site-packages")
FUNCTIONS = ("sessions", "realtime", "counter", "scanner")


def check(result: Any) -> None:
    """The properties every answer must have, whatever the event."""
    assert isinstance(result, dict)
    status = result.get("statusCode")
    assert isinstance(status, int)
    assert 200 <= status < 500, result
    text = json.dumps(result)
    for leak in LEAKS:
        assert leak not in text, result
    body = result.get("body")
    if isinstance(body, str) and body:
        assert isinstance(json.loads(body), dict)


def invoke(apps: dict, meant_for: tuple[str, Any], misdirected: str | None) -> None:
    """Send the event to the function it was meant for, or to `misdirected` when drawn."""
    owner, event = meant_for
    check(apps[misdirected or owner].lambda_handler(event, None))


# Mostly the function the event was meant for; sometimes any other one.
misdirections = st.one_of(st.none(), st.none(), st.none(), st.sampled_from(FUNCTIONS))


KINDS = {
    "http-api-payload-2.0": http_v2_events(),
    "rest-api-payload-1.0": http_v1_events(),
    "websocket": websocket_events(),
    "s3": s3_events(),
}


@pytest.mark.parametrize("kind", list(KINDS))
@FUZZ
@given(data=st.data(), misdirected=misdirections)
def test_events_of_each_kind(apps, kind, data, misdirected):
    invoke(apps, data.draw(KINDS[kind], label=kind), misdirected)


@FUZZ
@given(function=st.sampled_from(FUNCTIONS), event=anything)
def test_any_json_at_all(apps, function, event):
    invoke(apps, (function, event), None)
