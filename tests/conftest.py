"""Fixtures every test folder shares: fake AWS credentials, moto, and a clean client cache."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer

from handlers.core import aws
from local.aws import post_policy

REGION = "us-east-1"


@pytest.fixture(autouse=True)
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fake credentials and a region, so nothing can ever reach a real account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    aws.reset()
    yield
    aws.reset()


@pytest.fixture
def moto() -> Iterator[None]:
    """In-process moto, with S3 enforcing presigned-POST policies as real S3 does."""
    post_policy.install()
    with mock_aws():
        yield


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 for tests that need real HTTP (uploads, threads)."""
    post_policy.install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def server_aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point boto3 at the moto server, and wipe its state after the test."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    aws.reset()
    yield moto_server
    import urllib.request

    urllib.request.urlopen(
        urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=10
    ).close()


def dynamodb() -> object:
    """A plain client for arranging and inspecting test state."""
    return boto3.client("dynamodb", region_name=REGION)
