"""Plain-Python values to and from DynamoDB's typed attribute maps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_plain(v) for v in value]
    return value


def to_attributes(values: dict[str, Any]) -> dict[str, Any]:
    """Serialise a dict into DynamoDB attribute values, dropping None."""
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_attributes(item: dict[str, Any] | None) -> dict[str, Any] | None:
    """Deserialise an item; numbers come back as int or float, not Decimal."""
    if item is None:
        return None
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}
