"""Clients are lazy, cached per container, time-limited and retried adaptively."""

from __future__ import annotations

from handlers.core import aws


def test_nothing_is_created_until_asked():
    assert aws._clients == {}


def test_client_is_created_once_per_container():
    assert aws.client("dynamodb") is aws.client("dynamodb")


def test_client_has_timeouts_and_adaptive_retries():
    config = aws.client("s3").meta.config
    assert config.connect_timeout == 2
    assert config.read_timeout == 5
    assert config.retries == {"total_max_attempts": 3, "mode": "adaptive"}


def test_endpoint_url_from_the_environment_is_honoured(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5999")
    aws.reset()
    assert aws.client("dynamodb").meta.endpoint_url == "http://127.0.0.1:5999"


def test_reset_forgets_clients():
    first = aws.client("dynamodb")
    aws.reset()
    assert aws.client("dynamodb") is not first
