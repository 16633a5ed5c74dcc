"""S3 buckets (aws_s3_bucket) with what their companion aws_s3_bucket_* resources declare."""

from __future__ import annotations

from typing import Any

from terraform_model.evaluation import blocks, clean
from terraform_model.model import Bucket, Notification
from terraform_model.resources import Resources


def build_buckets(resources: Resources) -> dict[str, Bucket]:
    """Every bucket, by name."""
    buckets = {}
    for block in resources.of_type("aws_s3_bucket"):
        name = block.get("bucket")
        if not isinstance(name, str):
            resources.unresolved.append(f"{block['__tfmeta']['path']}: bucket name")
            continue

        def companions(rtype: str, name: str = name) -> list[dict[str, Any]]:
            return [b for b in resources.of_type(rtype) if b.get("bucket") == name]

        sse = [
            default.get("sse_algorithm")
            for config in companions("aws_s3_bucket_server_side_encryption_configuration")
            for rule in blocks(config.get("rule"))
            for default in blocks(rule.get("apply_server_side_encryption_by_default"))
        ]
        ownership = [
            rule.get("object_ownership")
            for config in companions("aws_s3_bucket_ownership_controls")
            for rule in blocks(config.get("rule"))
        ]
        access = companions("aws_s3_bucket_public_access_block")
        policies = companions("aws_s3_bucket_policy")
        buckets[name] = Bucket(
            name=name,
            cors_rules=tuple(
                clean(rule)
                for config in companions("aws_s3_bucket_cors_configuration")
                for rule in blocks(config.get("cors_rule"))
            ),
            notifications=tuple(
                _notifications(resources, companions("aws_s3_bucket_notification"))
            ),
            lifecycle_rules=tuple(
                clean(rule)
                for config in companions("aws_s3_bucket_lifecycle_configuration")
                for rule in blocks(config.get("rule"))
            ),
            public_access_block={
                k: v for k, v in (access[0] if access else {}).items() if isinstance(v, bool)
            },
            object_ownership=ownership[0] if ownership else None,
            sse_algorithm=sse[0] if sse else None,
            policy=resources.policy_json(policies[0].get("policy")) if policies else None,
        )
    return buckets


def _notifications(resources: Resources, configs: list[dict[str, Any]]) -> list[Notification]:
    found = []
    for config in configs:
        for target in blocks(config.get("lambda_function")):
            found.append(
                Notification(
                    function=resources.function_name_of(target.get("lambda_function_arn")),
                    events=tuple(target.get("events") or ()),
                    prefix=target.get("filter_prefix") or "",
                    suffix=target.get("filter_suffix") or "",
                )
            )
    return found
