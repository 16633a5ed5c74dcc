"""Pushes messages to WebSocket clients through the API Gateway management API."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from handlers.core import aws


class Delivery(Enum):
    SENT = "sent"
    GONE = "gone"
    FAILED = "failed"


class Notifier:
    """Posts JSON to a connection; tells apart a gone client from a failed send."""

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url

    def send(self, connection_id: str, message: dict[str, Any]) -> Delivery:
        client = aws.client("apigatewaymanagementapi", endpoint_url=self.endpoint_url)
        try:
            client.post_to_connection(
                ConnectionId=connection_id, Data=json.dumps(message).encode("utf-8")
            )
        except ClientError as exc:
            if aws.error_code(exc) == "GoneException":
                return Delivery.GONE
            return Delivery.FAILED
        except BotoCoreError:
            # Timeouts and unreachable endpoints: the upload is still complete, only the push
            # is lost, and the desktop falls back to polling GET /sessions/{id}.
            return Delivery.FAILED
        return Delivery.SENT
