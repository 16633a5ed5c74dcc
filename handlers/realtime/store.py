"""The sessions table, as the realtime function sees it: connections and completion."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from handlers.core import aws
from handlers.core.dynamo import from_attributes, to_attributes

COMPLETED = "COMPLETED"
CONNECTION_INDEX = "wsConnectionId-index"


def _conditional(call: Any, **kwargs: Any) -> dict[str, Any] | None:
    """Run a conditional write; None when its condition does not hold."""
    try:
        return call(**kwargs)
    except ClientError as exc:
        if aws.error_code(exc) == "ConditionalCheckFailedException":
            return None
        raise


class ConnectionStore:
    """Reads and conditional writes on session items for WebSocket and S3 events."""

    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    @property
    def _db(self) -> Any:
        return aws.client("dynamodb")

    def get(self, session_id: str) -> dict[str, Any] | None:
        found = self._db.get_item(
            TableName=self.table_name, Key={"sessionId": {"S": session_id}}, ConsistentRead=True
        )
        return from_attributes(found.get("Item"))

    def attach(self, session_id: str, connection_id: str, now: int) -> bool:
        """Record the desktop's connection on a live session; False if absent or expired."""
        return (
            _conditional(
                self._db.update_item,
                TableName=self.table_name,
                Key={"sessionId": {"S": session_id}},
                UpdateExpression="SET wsConnectionId = :connection",
                ConditionExpression="attribute_exists(sessionId) AND expiresAt > :now",
                ExpressionAttributeValues=to_attributes(
                    {":connection": connection_id, ":now": now}
                ),
            )
            is not None
        )

    def sessions_of(self, connection_id: str) -> list[str]:
        """Ids of the sessions holding `connection_id`, through the GSI (never a Scan)."""
        found = self._db.query(
            TableName=self.table_name,
            IndexName=CONNECTION_INDEX,
            KeyConditionExpression="wsConnectionId = :connection",
            ExpressionAttributeValues={":connection": {"S": connection_id}},
            ProjectionExpression="sessionId",
        )
        return [item["sessionId"]["S"] for item in found.get("Items", [])]

    def detach(self, session_id: str, connection_id: str) -> bool:
        """Clear the connection, unless another one has replaced it meanwhile."""
        return (
            _conditional(
                self._db.update_item,
                TableName=self.table_name,
                Key={"sessionId": {"S": session_id}},
                UpdateExpression="REMOVE wsConnectionId",
                ConditionExpression="wsConnectionId = :connection",
                ExpressionAttributeValues={":connection": {"S": connection_id}},
            )
            is not None
        )

    def complete(self, session_id: str, upload_key: str, now: int) -> dict[str, Any] | None:
        """Mark the session COMPLETED; None when absent or already completed (a duplicate)."""
        found = _conditional(
            self._db.update_item,
            TableName=self.table_name,
            Key={"sessionId": {"S": session_id}},
            UpdateExpression="SET #status = :completed, uploadKey = :key, completedAt = :now",
            ConditionExpression="attribute_exists(sessionId) AND #status <> :completed",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_attributes(
                {":completed": COMPLETED, ":key": upload_key, ":now": now}
            ),
            ReturnValues="ALL_NEW",
        )
        return None if found is None else from_attributes(found["Attributes"])

    def mark_expiry_reported(self, session_id: str, now: int) -> dict[str, Any] | None:
        """Record that the desktop was told of an upload after expiry; None if it already was.

        The ERROR push follows only a write that succeeded, so a redelivered event pushes nothing.
        """
        found = _conditional(
            self._db.update_item,
            TableName=self.table_name,
            Key={"sessionId": {"S": session_id}},
            UpdateExpression="SET expiryReportedAt = :now",
            ConditionExpression=(
                "attribute_exists(sessionId) AND attribute_not_exists(expiryReportedAt) "
                "AND #status <> :completed"
            ),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_attributes({":now": now, ":completed": COMPLETED}),
            ReturnValues="ALL_NEW",
        )
        return None if found is None else from_attributes(found["Attributes"])
