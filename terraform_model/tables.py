"""DynamoDB tables (aws_dynamodb_table) of the evaluated workspace."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from terraform_model.evaluation import blocks
from terraform_model.model import Index, Table
from terraform_model.resources import Resources


def build_tables(resources: Resources) -> dict[str, Table]:
    """Every table, by name."""
    tables = {}
    for block in resources.of_type("aws_dynamodb_table"):
        if not isinstance(block.get("name"), str) or not isinstance(block.get("hash_key"), str):
            resources.unresolved.append(f"{block['__tfmeta']['path']}: name or hash key")
            continue
        ttl = next((t for t in blocks(block.get("ttl")) if t.get("enabled")), None)
        indexes = _indexes(block)
        tables[block["name"]] = Table(
            name=block["name"],
            hash_key=block["hash_key"],
            attributes=_attributes(block, indexes),
            indexes=indexes,
            ttl_attribute=ttl["attribute_name"] if ttl else None,
            range_key=block["range_key"] if isinstance(block.get("range_key"), str) else None,
            billing_mode=block.get("billing_mode", "PROVISIONED"),
            encrypted=any(
                s.get("enabled") is True for s in blocks(block.get("server_side_encryption"))
            ),
            point_in_time_recovery=any(
                p.get("enabled") is True for p in blocks(block.get("point_in_time_recovery"))
            ),
            deletion_protection=block.get("deletion_protection_enabled") is True,
        )
    return tables


def _indexes(block: Mapping[str, Any]) -> tuple[Index, ...]:
    return tuple(
        Index(g["name"], g["hash_key"], g.get("projection_type", "ALL"))
        for g in blocks(block.get("global_secondary_index"))
    )


def _attributes(block: Mapping[str, Any], indexes: Iterable[Index]) -> dict[str, str]:
    """Key attributes and their types. tfparse renders only a resource's first dynamic block
    (the table module's indexes), so index keys missing here are the module's: type S."""
    attributes = {a["name"]: a["type"] for a in blocks(block.get("attribute"))}
    for index in indexes:
        attributes.setdefault(index.hash_key, "S")
    if isinstance(block.get("range_key"), str):
        attributes.setdefault(block["range_key"], "S")
    return attributes
