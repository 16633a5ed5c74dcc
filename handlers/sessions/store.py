"""The sessions table, as the HTTP API sees it: create, read, and request an upload."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from handlers.core import aws
from handlers.core.dynamo import from_attributes, to_attributes

AWAITING_SCAN = "AWAITING_SCAN"
UPLOAD_REQUESTED = "UPLOAD_REQUESTED"
COMPLETED = "COMPLETED"
SESSION_TTL_SECONDS = 30 * 60


class SessionStore:
    """Session items keyed by `sessionId`; every state change is a conditional write."""

    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    def create(self, session_id: str, now: int) -> dict[str, Any]:
        """Write a new AWAITING_SCAN session; never overwrites an existing id."""
        item = {
            "sessionId": session_id,
            "status": AWAITING_SCAN,
            "createdAt": now,
            "expiresAt": now + SESSION_TTL_SECONDS,
        }
        aws.client("dynamodb").put_item(
            TableName=self.table_name,
            Item=to_attributes(item),
            ConditionExpression="attribute_not_exists(sessionId)",
        )
        return item

    def get(self, session_id: str) -> dict[str, Any] | None:
        """The session, or None. Strongly consistent: the phone reads right after the create."""
        found = aws.client("dynamodb").get_item(
            TableName=self.table_name,
            Key={"sessionId": {"S": session_id}},
            ConsistentRead=True,
        )
        return from_attributes(found.get("Item"))

    def request_upload(self, session_id: str, upload_key: str, now: int) -> bool:
        """Move to UPLOAD_REQUESTED with `upload_key`; False when completed, expired or absent."""
        try:
            aws.client("dynamodb").update_item(
                TableName=self.table_name,
                Key={"sessionId": {"S": session_id}},
                UpdateExpression=(
                    "SET #status = :requested, uploadKey = :key, uploadRequestedAt = :now"
                ),
                ConditionExpression=(
                    "attribute_exists(sessionId) AND #status <> :completed AND expiresAt > :now"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_attributes(
                    {
                        ":requested": UPLOAD_REQUESTED,
                        ":completed": COMPLETED,
                        ":key": upload_key,
                        ":now": now,
                    }
                ),
            )
        except ClientError as exc:
            if aws.error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True
