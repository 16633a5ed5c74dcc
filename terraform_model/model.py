"""The resources of one evaluated workspace as plain data: a dataclass per kind Terraform makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Index:
    """A global secondary index."""

    name: str
    hash_key: str
    projection: str = "ALL"


@dataclass(frozen=True)
class Table:
    """A DynamoDB table as declared: keys, attribute types, GSIs, TTL and protection flags."""

    name: str
    hash_key: str
    attributes: dict[str, str]  # key attribute -> DynamoDB type ("S", "N", "B")
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None
    range_key: str | None = None
    billing_mode: str = "PAY_PER_REQUEST"
    encrypted: bool = False
    point_in_time_recovery: bool = False
    deletion_protection: bool = False


@dataclass(frozen=True)
class Notification:
    """A bucket event notification to a Lambda function (by function name)."""

    function: str
    events: tuple[str, ...]
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Bucket:
    """An S3 bucket with what its companion resources declare, in Terraform's argument names."""

    name: str
    cors_rules: tuple[dict[str, Any], ...] = ()
    notifications: tuple[Notification, ...] = ()
    lifecycle_rules: tuple[dict[str, Any], ...] = ()
    public_access_block: dict[str, bool] = field(default_factory=dict)
    object_ownership: str | None = None
    sse_algorithm: str | None = None
    policy: dict[str, Any] | None = None


@dataclass(frozen=True)
class Queue:
    """An SQS queue; `dead_letter_queue` receives what was received `max_receive_count` times."""

    name: str
    visibility_timeout_s: int = 30
    message_retention_s: int = 345_600
    encrypted: bool = False
    dead_letter_queue: str | None = None
    max_receive_count: int | None = None


@dataclass(frozen=True)
class EventSourceMapping:
    """A queue feeding a function (by function name; `qualifier` is the alias it invokes)."""

    queue: str
    function: str
    batch_size: int = 10
    maximum_concurrency: int | None = None  # None: Lambda scales the pollers itself
    function_response_types: tuple[str, ...] = ()
    enabled: bool = True
    qualifier: str | None = None

    @property
    def reports_batch_item_failures(self) -> bool:
        """Partial batch responses: the function lists the messages that failed."""
        return "ReportBatchItemFailures" in self.function_response_types


@dataclass(frozen=True)
class Alarm:
    """A CloudWatch alarm: its name, what it measures and where it notifies."""

    name: str
    metric: str  # metric name, or the metric-math expression over several
    threshold: float
    statistic: str | None
    actions: tuple[str, ...]


@dataclass
class Function:
    """One Lambda function: `service` is its handlers/ sub-package."""

    service: str
    name: str
    handler: str
    package_type: str
    runtime: str | None
    memory_mb: int
    timeout_s: int
    environment: dict[str, str]
    # The environment's reservation (-1: unreserved), which the local worker pools size by;
    # Terraform applies it only where lambda_concurrency_limit says the account can afford it.
    reserved_concurrency: int | None = None
    applied_reserved_concurrency: int | None = None  # what apply sets (-1 without the limit)
    role: str | None = None
    policy_statements: tuple[dict[str, Any], ...] = ()
    log_group: str | None = None
    log_retention_days: int | None = None
    alarms: tuple[Alarm, ...] = ()
    alias: str | None = None
    publish: bool = False
    artifact: str | None = None  # absolute path of the ZIP Terraform uploads (Zip only)
    source_code_hash: str | None = None


@dataclass(frozen=True)
class Cors:
    """An HTTP API's cors_configuration: with one, API Gateway answers preflights itself."""

    allow_origins: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None
    allow_credentials: bool = False


@dataclass
class Stack:
    """Everything `terraform apply` would create in one workspace, as plain data."""

    workspace: str
    region: str
    account_id: str
    settings: dict[str, Any]
    tables: dict[str, Table]  # by table name
    buckets: dict[str, Bucket]  # by bucket name
    functions: dict[str, Function]  # by service folder
    http_routes: dict[str, str]  # "METHOD /path" -> function name
    websocket_routes: dict[str, str]  # "$connect" -> function name
    http_cors: Cors | None = None  # None: the HTTP API has no cors_configuration
    websocket_stage: str = ""
    ssm_parameters: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> attrs
    queues: dict[str, Queue] = field(default_factory=dict)  # by queue name
    event_source_mappings: tuple[EventSourceMapping, ...] = ()
    # Failing preconditions of terraform_data.workspace_guard, the checks of configuration alone
    # (workspace, sizes, names, reserved concurrency). The scanner's image guard reads live SSM
    # and ECR at plan time, which no offline model can see.
    guard_errors: tuple[str, ...] = ()
    variable_errors: tuple[str, ...] = ()  # failing root variable validations
    unresolved: tuple[str, ...] = ()  # resources left out: a name tfparse could not evaluate
    raw: dict[str, Any] = field(default_factory=dict, repr=False)  # tfparse output

    def function_named(self, name: str) -> Function:
        """The function whose deployed name is `name`."""
        for function in self.functions.values():
            if function.name == name:
                return function
        raise KeyError(name)

    def table_keyed(self, hash_key: str, range_key: str | None = None) -> Table:
        """The table whose key is (`hash_key`, `range_key`) (each table's key is unique here)."""
        matches = [
            t for t in self.tables.values() if (t.hash_key, t.range_key) == (hash_key, range_key)
        ]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} tables keyed by {hash_key!r}, {range_key!r}")
        return matches[0]

    def bucket_notifying(self) -> Bucket:
        """The one bucket that notifies a function (the uploads bucket)."""
        matches = [b for b in self.buckets.values() if b.notifications]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} buckets notify a function")
        return matches[0]
