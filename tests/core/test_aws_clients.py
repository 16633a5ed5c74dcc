"""Clients are lazy, cached per container, time-limited and retried adaptively."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from handlers.core import aws

ROOT = Path(__file__).resolve().parents[2]


def test_importing_a_service_creates_no_client_and_no_session():
    probe = (
        "import boto3, handlers.sessions.app, handlers.realtime.app, handlers.counter.app, "
        "handlers.scanner.app\n"
        "from handlers.core import aws\n"
        "assert aws._clients == {}, aws._clients\n"
        "assert boto3.DEFAULT_SESSION is None\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


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
