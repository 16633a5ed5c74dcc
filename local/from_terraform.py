"""The local topology, read from the Terraform workspace through local/terraform_model.py."""

from __future__ import annotations

from local import terraform_model
from local.sqs_poller import EventSourceMapping
from local.topology import Bucket, Function, Index, Notification, Queue, Table, Topology

# Terraform's aws_s3_bucket_cors_configuration arguments -> the S3 API's CORSRule members.
_CORS_FIELDS = {
    "allowed_headers": "AllowedHeaders",
    "allowed_methods": "AllowedMethods",
    "allowed_origins": "AllowedOrigins",
    "expose_headers": "ExposeHeaders",
    "max_age_seconds": "MaxAgeSeconds",
    "id": "ID",
}


class WorkspaceRefused(RuntimeError):
    """The workspace is one the Terraform refuses to plan."""


def load_topology(workspace: str = "dev") -> Topology:
    """Everything the workspace's Terraform declares that the local stack needs."""
    stack = terraform_model.load(workspace)
    if stack.guard_errors:
        raise WorkspaceRefused("; ".join(stack.guard_errors))
    return Topology(
        region=stack.region,
        tables=[_table(t) for t in stack.tables.values()],
        buckets=[_bucket(b) for b in stack.buckets.values()],
        functions={
            service: Function(
                name=f.name,
                service=service,
                handler=f.handler,
                package_type=f.package_type,
                memory_mb=int(f.memory_mb),
                timeout_s=float(f.timeout_s),
                environment=dict(f.environment),
                reserved_concurrency=f.reserved_concurrency,
            )
            for service, f in stack.functions.items()
        },
        http_routes=dict(stack.http_routes),
        websocket_routes=dict(stack.websocket_routes),
        cors=_http_cors(stack.http_cors),
        websocket_stage=stack.websocket_stage or workspace,
        queues=[
            Queue(
                name=q.name,
                visibility_timeout_s=q.visibility_timeout_s,
                message_retention_s=q.message_retention_s,
                dead_letter_queue=q.dead_letter_queue,
                max_receive_count=q.max_receive_count,
            )
            for q in stack.queues.values()
        ],
        event_source_mappings=[
            EventSourceMapping(
                queue_name=m.queue,
                function=m.function,
                batch_size=m.batch_size,
                maximum_concurrency=m.maximum_concurrency or 2,
                report_batch_item_failures="ReportBatchItemFailures" in m.function_response_types,
                enabled=m.enabled,
            )
            for m in stack.event_source_mappings
        ],
    )


def _table(table: terraform_model.Table) -> Table:
    indexes = tuple(
        Index(
            name=i.name,
            hash_key=i.hash_key,
            hash_type=table.attributes.get(i.hash_key, "S"),
            projection=i.projection,
        )
        for i in table.indexes
    )
    return Table(
        name=table.name,
        hash_key=table.hash_key,
        hash_type=table.attributes.get(table.hash_key, "S"),
        ttl_attribute=table.ttl_attribute,
        range_key=table.range_key,
        range_type=table.attributes.get(table.range_key, "S") if table.range_key else "S",
        indexes=indexes,
    )


def _bucket(bucket: terraform_model.Bucket) -> Bucket:
    rules = tuple(
        {_CORS_FIELDS[k]: v for k, v in rule.items() if k in _CORS_FIELDS and v is not None}
        for rule in bucket.cors_rules
    )
    notifications = tuple(
        Notification(function=n.function, events=tuple(n.events), prefix=n.prefix, suffix=n.suffix)
        for n in bucket.notifications
    )
    return Bucket(name=bucket.name, cors_rules=rules, notifications=notifications)


def _http_cors(cors: dict) -> dict | None:
    if not cors:
        return None
    return {
        "allow_origins": list(cors.get("allow_origins") or []),
        "allow_methods": list(cors.get("allow_methods") or []),
        "allow_headers": list(cors.get("allow_headers") or []),
        "expose_headers": list(cors.get("expose_headers") or []),
        "max_age": cors.get("max_age"),
        "allow_credentials": bool(cors.get("allow_credentials") or False),
    }
