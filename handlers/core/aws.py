"""AWS clients: created lazily, once per container, with timeouts and adaptive retries.

boto3 reads AWS_ENDPOINT_URL itself, so pointing the stack at moto needs nothing here.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

CLIENT_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    retries={"total_max_attempts": 3, "mode": "adaptive"},  # 3 attempts in all
)

_SERVICE_CONFIG = {
    # Presigned S3 URLs must be SigV4: SigV2 is refused in newer regions and is being retired.
    "s3": CLIENT_CONFIG.merge(Config(signature_version="s3v4")),
    # WebSocket pushes: short attempts, retried by the caller only while its deadline allows.
    "apigatewaymanagementapi": Config(
        connect_timeout=1, read_timeout=2, retries={"total_max_attempts": 1, "mode": "standard"}
    ),
}

_clients: dict[tuple, Any] = {}
_lock = threading.Lock()


def client(service: str, **kwargs: Any) -> Any:
    """The cached boto3 client for `service` (kwargs such as endpoint_url key the cache)."""
    key = (service, tuple(sorted(kwargs.items())))
    found = _clients.get(key)
    if found is None:
        # Creating clients is not thread-safe in boto3; using them is.
        with _lock:
            found = _clients.get(key)
            if found is None:
                config = _SERVICE_CONFIG.get(service, CLIENT_CONFIG)
                found = boto3.session.Session().client(service, config=config, **kwargs)
                _clients[key] = found
    return found


def reset() -> None:
    """Forget every client, so the next call builds a new one (tests, new endpoints)."""
    with _lock:
        _clients.clear()


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError, or ''."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""
