"""What the local stack runs, as plain data: tables, buckets, queues, functions and API routes.

Filled from the Terraform (see local/from_terraform.py), never written by hand, so the local
stack cannot drift from what `terraform apply` creates.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Index:
    name: str
    hash_key: str
    hash_type: str = "S"
    range_key: str | None = None
    range_type: str = "S"
    projection: str = "ALL"


@dataclass(frozen=True)
class Table:
    name: str
    hash_key: str
    hash_type: str = "S"
    range_key: str | None = None
    range_type: str = "S"
    ttl_attribute: str | None = None
    indexes: tuple[Index, ...] = ()


@dataclass(frozen=True)
class Notification:
    """A bucket notification to a function."""

    function: str
    events: tuple[str, ...] = ("s3:ObjectCreated:*",)
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Bucket:
    name: str
    cors_rules: tuple[dict, ...] = ()
    notifications: tuple[Notification, ...] = ()


@dataclass(frozen=True)
class Queue:
    """An SQS queue; `dead_letter_queue` receives what was received `max_receive_count` times."""

    name: str
    visibility_timeout_s: int = 30
    message_retention_s: int = 345_600
    dead_letter_queue: str | None = None
    max_receive_count: int | None = None


@dataclass
class Function:
    """One Lambda function: `service` is its handlers/ sub-package."""

    name: str
    service: str
    handler: str
    package_type: str = "Zip"
    memory_mb: int = 256
    timeout_s: float = 30.0
    environment: dict[str, str] = field(default_factory=dict)
    reserved_concurrency: int | None = None  # None or -1: unreserved


@dataclass
class Topology:
    region: str
    tables: list[Table]
    buckets: list[Bucket]
    functions: dict[str, Function]  # by service
    http_routes: dict[str, str]  # route key -> function name
    websocket_routes: dict[str, str]  # route key -> function name
    cors: dict | None = None  # the HTTP API's cors_configuration
    websocket_stage: str = "dev"
    ssm_parameters: dict[str, str] = field(default_factory=dict)  # name -> description
    queues: list[Queue] = field(default_factory=list)
    # Queue -> function feeds (local.sqs_poller.EventSourceMapping), by function name.
    event_source_mappings: list = field(default_factory=list)
