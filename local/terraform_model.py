"""The Terraform root stack, evaluated offline for one workspace, as plain Python data.

tfparse evaluates terraform/ (variables, locals, modules, `terraform.workspace`) without a
provider. This module turns its output into small dataclasses: tables, buckets, functions and
API routes. Tests use it to check the Terraform against the handlers, and `make up` uses it to
build the same stack on moto, so neither can drift from what `terraform apply` creates.

Values only AWS knows after an apply (API ids, computed ARNs) come back from tfparse as
resource ids; they are replaced here by the resource's name (in environment variables) or by
the ARN the resource will have (in IAM policies). An attribute AWS assigns, such as the
WebSocket API's endpoint, comes back as null: WS_API_ENDPOINT therefore reads
`https://<api name>.execute-api.<region>.amazonaws.com/<stage>`, a placeholder the local stack
overrides with its own gateway URL.

The root calls modules with for_each over maps (`module.function["sessions"]`,
`module.table["sessions"]`); tfparse expands them when the map holds no null value, which the
Terraform keeps to.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TERRAFORM_DIR = Path(__file__).resolve().parent.parent / "terraform"
# moto's default account: evaluating with it makes bucket names match what moto creates.
DEFAULT_ACCOUNT_ID = "123456789012"
_RESOURCE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class TerraformModelError(RuntimeError):
    """The Terraform could not be evaluated, or lacks something the model needs."""


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
    attributes: dict[str, str]
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
    """An S3 bucket with the settings its companion resources declare."""

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
    """An SQS queue, with the dead-letter queue its redrive policy names."""

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
    qualifier: str | None
    batch_size: int
    maximum_concurrency: int | None
    function_response_types: tuple[str, ...] = ()
    enabled: bool = True


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
    http_cors: dict[str, Any] = field(default_factory=dict)
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

    def table_keyed(self, hash_key: str) -> Table:
        """The table whose partition key is `hash_key` (each table's key is unique here)."""
        matches = [t for t in self.tables.values() if t.hash_key == hash_key]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} tables keyed by {hash_key!r}")
        return matches[0]


# --- public API -------------------------------------------------------------------------------


def load(
    workspace: str = "dev",
    terraform_dir: str | os.PathLike[str] = TERRAFORM_DIR,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    variables: Mapping[str, Any] | None = None,
) -> Stack:
    """Evaluate `terraform_dir` for `workspace` and return its resources as a Stack.

    `variables` are extra root variables (like `-var`); `account_id` stands in for the caller's
    account so names that embed it resolve offline. An unknown workspace still evaluates (with
    dev's settings); its `guard_errors` then hold the message `terraform plan` would fail with.
    """
    merged = {"account_id": account_id, **(variables or {})}
    if isinstance(merged.get("artifacts_dir"), str | os.PathLike):
        # tfparse's file() reads relative paths only: make the directory relative to the root.
        merged["artifacts_dir"] = os.path.relpath(merged["artifacts_dir"], terraform_dir)
    raw = evaluate(workspace, terraform_dir, merged)
    return _Builder(raw, workspace, Path(terraform_dir)).build()


def evaluate(
    workspace: str,
    terraform_dir: str | os.PathLike[str] = TERRAFORM_DIR,
    variables: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The raw tfparse output of `terraform_dir` in `workspace` (resource type -> blocks)."""
    frozen = json.dumps(dict(variables or {}), sort_keys=True)
    return json.loads(_evaluate_cached(workspace, str(Path(terraform_dir).resolve()), frozen))


def allowed_workspaces(terraform_dir: str | os.PathLike[str] = TERRAFORM_DIR) -> tuple[str, ...]:
    """The workspaces the stack accepts: the environments its settings map overrides."""
    raw = evaluate("dev", terraform_dir, {"account_id": DEFAULT_ACCOUNT_ID})
    environments = _root_locals(raw).get("environment_overrides") or {}
    return tuple(sorted(environments))


# --- evaluation -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _evaluate_cached(workspace: str, terraform_dir: str, frozen_vars: str) -> str:
    try:
        import tfparse
    except ImportError as exc:  # pragma: no cover - tfparse is a pinned dev dependency
        raise TerraformModelError("tfparse is not installed: make install") from exc
    variables = json.loads(frozen_vars)
    with tempfile.TemporaryDirectory(prefix="tfvars-") as tmp:
        vars_paths = []
        if variables:
            path = Path(tmp) / "model.tfvars"
            # JSON literals are valid HCL expressions (HCL objects accept ':' too).
            path.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in variables.items()))
            # tfparse resolves vars paths against the module directory.
            vars_paths.append(os.path.relpath(path, terraform_dir))
        try:
            result = tfparse.load_from_path(
                terraform_dir, workspace_name=workspace, vars_paths=vars_paths
            )
        except tfparse.ParseError as exc:
            raise TerraformModelError(f"cannot evaluate {terraform_dir}: {exc}") from exc
    return json.dumps(result)


def _root_locals(raw: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for block in raw.get("locals", []):
        if not block["__tfmeta"]["filename"].startswith("modules/"):
            merged.update({k: v for k, v in block.items() if k not in ("__tfmeta", "id")})
    return merged


def _blocks(value: Any) -> list[dict[str, Any]]:
    """tfparse renders one nested block as a dict and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _clean(value: Any) -> Any:
    """Drop tfparse's bookkeeping keys from nested data."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in ("__tfmeta", "id")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _module_of(block: Mapping[str, Any]) -> str:
    """'module.sessions_function' for a resource inside that module call, '' in the root."""
    path = block["__tfmeta"]["path"]
    return path.rsplit(".", 2)[0] if path.startswith("module.") else ""


class _Builder:
    """Turns one tfparse result into a Stack."""

    def __init__(self, raw: dict[str, Any], workspace: str, terraform_dir: Path) -> None:
        self.raw = raw
        self.workspace = workspace
        self.terraform_dir = terraform_dir
        self.locals = _root_locals(raw)
        self.variables = {
            v["__tfmeta"]["label"]: v.get("default")
            for v in raw.get("variable", [])
            if not v["__tfmeta"]["filename"].startswith("modules/")
        }
        self.by_id: dict[str, tuple[str, dict[str, Any]]] = {}
        for rtype, blocks in raw.items():
            if isinstance(blocks, list):
                for block in blocks:
                    if isinstance(block, dict) and isinstance(block.get("id"), str):
                        self.by_id[block["id"]] = (rtype, block)
        self.modules = {m["__tfmeta"]["path"]: m for m in raw.get("module", [])}
        self.unresolved: list[str] = []
        self.region = self._provider_region()
        self.account_id = self._module_arg("module.uploads_bucket", "account_id") or ""

    # values ------------------------------------------------------------------------------

    def _provider_region(self) -> str:
        for provider in self.raw.get("provider", []):
            region = provider.get("region")
            if isinstance(region, str):
                return region
        return str(self.variables.get("region") or "us-east-1")

    def _module_arg(self, module_path: str, name: str) -> Any:
        value = self.modules.get(module_path, {}).get(name)
        return None if isinstance(value, dict) and "__attribute__" in value else value

    def _name_of(self, rtype: str, block: Mapping[str, Any]) -> str:
        for key in ("function_name", "name", "bucket", "dashboard_name", "alarm_name"):
            if isinstance(block.get(key), str):
                return block[key]
        return rtype

    def _arn_of(self, rtype: str, block: Mapping[str, Any]) -> str:
        name = self._name_of(rtype, block)
        prefix = f"arn:aws:{{}}:{self.region}:{self.account_id}:"
        arns = {
            "aws_dynamodb_table": prefix.format("dynamodb") + f"table/{name}",
            "aws_lambda_function": prefix.format("lambda") + f"function:{name}",
            "aws_cloudwatch_log_group": prefix.format("logs") + f"log-group:{name}",
            "aws_ssm_parameter": prefix.format("ssm") + f"parameter{name}",
            "aws_sns_topic": prefix.format("sns") + name,
            "aws_ecr_repository": prefix.format("ecr") + f"repository/{name}",
            "aws_s3_bucket": f"arn:aws:s3:::{name}",
            "aws_iam_role": f"arn:aws:iam::{self.account_id}:role/{name}",
            "aws_sqs_queue": prefix.format("sqs") + name,
        }
        return arns.get(rtype, f"{rtype}:{name}")

    def _resolve(self, value: Any, *, as_arn: bool) -> Any:
        """Replace tfparse resource ids inside strings by names (or ARNs)."""
        if isinstance(value, str):

            def swap(match: re.Match[str]) -> str:
                found = self.by_id.get(match.group(0))
                if found is None:
                    return match.group(0)
                rtype, block = found
                return self._arn_of(rtype, block) if as_arn else self._name_of(rtype, block)

            return _RESOURCE_ID.sub(swap, value)
        if isinstance(value, list):
            return [self._resolve(v, as_arn=as_arn) for v in value]
        if isinstance(value, dict):
            return {k: self._resolve(v, as_arn=as_arn) for k, v in value.items()}
        return value

    def _in_module(self, rtype: str, module: str) -> list[dict[str, Any]]:
        return [b for b in self.raw.get(rtype, []) if _module_of(b) == module]

    # pieces ------------------------------------------------------------------------------

    def tables(self) -> dict[str, Table]:
        tables = {}
        for block in self.raw.get("aws_dynamodb_table", []):
            if not isinstance(block.get("name"), str) or not isinstance(block.get("hash_key"), str):
                self.unresolved.append(f"{block['__tfmeta']['path']}: name or hash key")
                continue
            ttl = next((t for t in _blocks(block.get("ttl")) if t.get("enabled")), None)
            indexes = self._indexes(block)
            table = Table(
                name=block["name"],
                hash_key=block["hash_key"],
                attributes=self._attributes(block, indexes),
                indexes=indexes,
                ttl_attribute=ttl["attribute_name"] if ttl else None,
                range_key=block.get("range_key")
                if isinstance(block.get("range_key"), str)
                else None,
                billing_mode=block.get("billing_mode", "PROVISIONED"),
                encrypted=any(
                    s.get("enabled") is True for s in _blocks(block.get("server_side_encryption"))
                ),
                point_in_time_recovery=any(
                    p.get("enabled") is True for p in _blocks(block.get("point_in_time_recovery"))
                ),
                deletion_protection=block.get("deletion_protection_enabled") is True,
            )
            tables[table.name] = table
        return tables

    def _indexes(self, block: Mapping[str, Any]) -> tuple[Index, ...]:
        return tuple(
            Index(g["name"], g["hash_key"], g.get("projection_type", "ALL"))
            for g in _blocks(block.get("global_secondary_index"))
        )

    def _attributes(self, block: Mapping[str, Any], indexes: Iterable[Index]) -> dict[str, str]:
        """Key attributes and their types. tfparse renders only a resource's first dynamic block
        (the table module's indexes), so index keys missing here are the module's: type S."""
        attributes = {a["name"]: a["type"] for a in _blocks(block.get("attribute"))}
        for index in indexes:
            attributes.setdefault(index.hash_key, "S")
        if isinstance(block.get("range_key"), str):
            attributes.setdefault(block["range_key"], "S")
        return attributes

    def buckets(self) -> dict[str, Bucket]:
        def for_bucket(rtype: str, name: str) -> list[dict[str, Any]]:
            return [b for b in self.raw.get(rtype, []) if b.get("bucket") == name]

        buckets = {}
        for block in self.raw.get("aws_s3_bucket", []):
            name = block.get("bucket")
            if not isinstance(name, str):
                self.unresolved.append(f"{block['__tfmeta']['path']}: bucket name")
                continue
            notifications = []
            for config in for_bucket("aws_s3_bucket_notification", name):
                for target in _blocks(config.get("lambda_function")):
                    function = self._resolve(target.get("lambda_function_arn"), as_arn=False)
                    notifications.append(
                        Notification(
                            function=function,
                            events=tuple(target.get("events") or ()),
                            prefix=target.get("filter_prefix") or "",
                            suffix=target.get("filter_suffix") or "",
                        )
                    )
            sse = [
                default.get("sse_algorithm")
                for config in for_bucket("aws_s3_bucket_server_side_encryption_configuration", name)
                for rule in _blocks(config.get("rule"))
                for default in _blocks(rule.get("apply_server_side_encryption_by_default"))
            ]
            ownership = [
                rule.get("object_ownership")
                for config in for_bucket("aws_s3_bucket_ownership_controls", name)
                for rule in _blocks(config.get("rule"))
            ]
            access = for_bucket("aws_s3_bucket_public_access_block", name)
            policies = for_bucket("aws_s3_bucket_policy", name)
            buckets[name] = Bucket(
                name=name,
                cors_rules=tuple(
                    _clean(rule)
                    for config in for_bucket("aws_s3_bucket_cors_configuration", name)
                    for rule in _blocks(config.get("cors_rule"))
                ),
                notifications=tuple(notifications),
                lifecycle_rules=tuple(
                    _clean(rule)
                    for config in for_bucket("aws_s3_bucket_lifecycle_configuration", name)
                    for rule in _blocks(config.get("rule"))
                ),
                public_access_block={
                    k: v for k, v in (access[0] if access else {}).items() if isinstance(v, bool)
                },
                object_ownership=ownership[0] if ownership else None,
                sse_algorithm=sse[0] if sse else None,
                policy=self._policy_json(policies[0]) if policies else None,
            )
        return buckets

    def _policy_json(self, block: Mapping[str, Any]) -> dict[str, Any] | None:
        policy = block.get("policy")
        if not isinstance(policy, str):
            return None
        document = self.by_id.get(policy)
        if document and document[0] == "aws_iam_policy_document":
            return self._from_policy_document(document[1])
        try:
            return json.loads(self._resolve(policy, as_arn=True))
        except json.JSONDecodeError:
            return None

    def _from_policy_document(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """IAM JSON of a data "aws_iam_policy_document" (tfparse gives only its blocks)."""
        statements = []
        for block in _blocks(document.get("statement")):
            statement: dict[str, Any] = {"Effect": block.get("effect") or "Allow"}
            if block.get("sid"):
                statement["Sid"] = block["sid"]
            statement["Action"] = block.get("actions") or []
            statement["Resource"] = self._resolve(block.get("resources") or [], as_arn=True)
            principals = _blocks(block.get("principals"))
            if principals:
                if all(p.get("type") == "*" for p in principals):
                    statement["Principal"] = "*"
                else:
                    statement["Principal"] = {
                        p.get("type"): self._resolve(p.get("identifiers"), as_arn=True)
                        for p in principals
                    }
            conditions: dict[str, dict[str, Any]] = {}
            for condition in _blocks(block.get("condition")):
                values = self._resolve(condition.get("values") or [], as_arn=True)
                conditions.setdefault(condition.get("test"), {})[condition.get("variable")] = (
                    values[0] if len(values) == 1 else values
                )
            if conditions:
                statement["Condition"] = conditions
            statements.append(statement)
        return {"Version": "2012-10-17", "Statement": statements}

    def functions(self) -> dict[str, Function]:
        functions = {}
        roles = {b["id"]: b for b in self.raw.get("aws_iam_role", [])}
        log_groups = {b.get("name"): b for b in self.raw.get("aws_cloudwatch_log_group", [])}
        for block in self.raw.get("aws_lambda_function", []):
            module = _module_of(block)
            call = self.modules.get(module, {})
            service = call.get("service") or (block.get("tags") or {}).get("Service")
            if not isinstance(service, str) or not isinstance(block.get("function_name"), str):
                self.unresolved.append(f"{block['__tfmeta']['path']}: service or function name")
                continue
            role = roles.get(block.get("role"))
            policies = [
                json.loads(self._resolve(p["policy"], as_arn=True))
                for p in self.raw.get("aws_iam_role_policy", [])
                if role is not None
                and p.get("role") == role["id"]
                and isinstance(p.get("policy"), str)
            ]
            log_group_name = next(
                (c.get("log_group") for c in _blocks(block.get("logging_config"))),
                f"/aws/lambda/{block['function_name']}",
            )
            log_group = log_groups.get(log_group_name)
            aliases = self._in_module("aws_lambda_alias", module)
            environment = self._environment(block, call)
            applied = block.get("reserved_concurrent_executions")
            reserved = (self.locals.get("settings") or {}).get("reserved_concurrency") or {}
            functions[service] = Function(
                service=service,
                name=block["function_name"],
                handler=block.get("handler") or call.get("handler"),
                package_type=block.get("package_type") or "Zip",
                runtime=block.get("runtime"),
                memory_mb=block.get("memory_size", 128),
                timeout_s=block.get("timeout", 3),
                environment=environment,
                reserved_concurrency=reserved.get(service, applied),
                applied_reserved_concurrency=applied,
                role=role.get("name") if role else None,
                policy_statements=tuple(s for p in policies for s in p.get("Statement") or []),
                log_group=log_group.get("name") if log_group else None,
                log_retention_days=log_group.get("retention_in_days") if log_group else None,
                alarms=tuple(self._alarms(block["function_name"])),
                alias=aliases[0]["name"] if aliases else None,
                publish=block.get("publish") is True,
                artifact=self._absolute(block.get("filename")),
                source_code_hash=block.get("source_code_hash"),
            )
        return functions

    def _environment(self, block: Mapping[str, Any], call: Mapping[str, Any]) -> dict[str, str]:
        """The function's environment; tfparse leaves the whole map unresolved inside the module
        when one value is unknown until apply, so the module call's argument is read then."""
        variables: Any = {}
        for env in _blocks(block.get("environment")):
            variables = env.get("variables") or {}
        if not isinstance(variables, dict) or "__attribute__" in variables:
            variables = call.get("environment") or {}
        return {
            name: self._after_apply(block)
            if value is None
            else str(self._resolve(value, as_arn=False))
            for name, value in variables.items()
        }

    def _after_apply(self, function: Mapping[str, Any]) -> str:
        """What stands in for an environment value AWS assigns at apply. The stack passes one:
        the management endpoint of the WebSocket API that invokes the function."""
        for api in self.raw.get("aws_apigatewayv2_api", []):
            if api.get("protocol_type") != "WEBSOCKET":
                continue
            call = self.modules.get(_module_of(api), {})
            if (call.get("function") or {}).get("function_name") == function.get("function_name"):
                stage = (call.get("stage") or {}).get("name") or self.workspace
                return f"https://{api['name']}.execute-api.{self.region}.amazonaws.com/{stage}"
        return "(known after apply)"

    def _absolute(self, path: Any) -> str | None:
        """A path Terraform resolves against the root module, made absolute."""
        if not isinstance(path, str):
            return None
        return str((self.terraform_dir / path).resolve())

    def _alarms(self, function_name: str) -> Iterable[Alarm]:
        """The alarms on the function's metrics (dimension FunctionName). Read from the calls of
        the metric_alarm module: tfparse renders a dynamic block of many module instances
        unreliably, and keeps no metric_query ids."""
        for call in self.modules.values():
            if not str(call.get("source", "")).endswith("metric_alarm"):
                continue
            metrics = list((call.get("metrics") or {}).values())
            if not any(
                (m.get("dimensions") or {}).get("FunctionName") == function_name for m in metrics
            ):
                continue
            # An expression over one metric only names it.
            named = metrics[0] if len(metrics) == 1 else None
            yield Alarm(
                name=call["name"],
                metric=named["metric_name"] if named else call.get("expression", ""),
                threshold=call.get("threshold"),
                statistic=named.get("stat", "Sum") if named else None,
                actions=tuple(self._resolve([call.get("topic_arn")], as_arn=True)),
            )

    def apis(self) -> tuple[dict[str, str], dict[str, Any], dict[str, str], str]:
        """HTTP routes, HTTP CORS, WebSocket routes and the WebSocket stage name."""
        apis = {b["id"]: b for b in self.raw.get("aws_apigatewayv2_api", [])}
        http = [a for a in apis.values() if a.get("protocol_type") == "HTTP"]
        ws = [a for a in apis.values() if a.get("protocol_type") == "WEBSOCKET"]

        http_routes: dict[str, str] = {}
        cors: dict[str, Any] = {}
        if http:
            module = _module_of(http[0])
            declared = [
                r["route_key"]
                for r in self.raw.get("aws_apigatewayv2_route", [])
                if r.get("api_id") == http[0]["id"]
            ]
            targets = self._module_arg(module, "routes") or {}
            integrations = self._module_arg(module, "integrations") or {}
            for route_key in declared:
                integration = integrations.get(targets.get(route_key), {})
                http_routes[route_key] = integration.get("function_name", "")
            cors = _clean(next(iter(_blocks(http[0].get("cors_configuration"))), {}))

        ws_routes: dict[str, str] = {}
        stage = ""
        if ws:
            module = _module_of(ws[0])
            function = (self._module_arg(module, "function") or {}).get("function_name", "")
            ws_routes = {
                r["route_key"]: function
                for r in self.raw.get("aws_apigatewayv2_route", [])
                if r.get("api_id") == ws[0]["id"]
            }
            stages = [
                s
                for s in self.raw.get("aws_apigatewayv2_stage", [])
                if s.get("api_id") == ws[0]["id"]
            ]
            stage = stages[0]["name"] if stages else ""
        return http_routes, cors, ws_routes, stage

    def queues(self) -> dict[str, Queue]:
        blocks = [b for b in self.raw.get("aws_sqs_queue", []) if isinstance(b.get("name"), str)]
        arns = {b["id"]: b["name"] for b in blocks}
        queues = {}
        for block in blocks:
            redrive = block.get("redrive_policy")
            policy = json.loads(redrive) if isinstance(redrive, str) else {}
            target = str(policy.get("deadLetterTargetArn") or "")
            dead_letter = arns.get(target) or (target.rsplit(":", 1)[-1] if target else None)
            queues[block["name"]] = Queue(
                name=block["name"],
                visibility_timeout_s=int(block.get("visibility_timeout_seconds") or 30),
                message_retention_s=int(block.get("message_retention_seconds") or 345_600),
                encrypted=block.get("sqs_managed_sse_enabled") is True
                or bool(block.get("kms_master_key_id")),
                dead_letter_queue=dead_letter,
                max_receive_count=int(policy["maxReceiveCount"]) if policy else None,
            )
        return queues

    def event_source_mappings(self) -> tuple[EventSourceMapping, ...]:
        mappings = []
        for block in self.raw.get("aws_lambda_event_source_mapping", []):
            source = self._resolve(block.get("event_source_arn"), as_arn=False)
            function = self._resolve(block.get("function_name"), as_arn=False)
            if not isinstance(source, str) or not isinstance(function, str):
                self.unresolved.append(f"{block['__tfmeta']['path']}: queue or function")
                continue
            # function_name is "<function arn>:<alias>": the name is the function's.
            name, _, qualifier = function.partition(":")
            scaling = next(iter(_blocks(block.get("scaling_config"))), {})
            mappings.append(
                EventSourceMapping(
                    queue=source.rsplit(":", 1)[-1],
                    function=name,
                    qualifier=qualifier or None,
                    batch_size=int(block.get("batch_size") or 10),
                    maximum_concurrency=scaling.get("maximum_concurrency"),
                    function_response_types=tuple(block.get("function_response_types") or ()),
                    enabled=block.get("enabled") is not False,
                )
            )
        return tuple(mappings)

    def guard_errors(self) -> tuple[str, ...]:
        errors = []
        for block in self.raw.get("terraform_data", []):
            if block["__tfmeta"].get("path") != "terraform_data.workspace_guard":
                continue
            for lifecycle in _blocks(block.get("lifecycle")):
                for condition in _blocks(lifecycle.get("precondition")):
                    if condition.get("condition") is not True:
                        errors.append(condition.get("error_message", "precondition failed"))
        return tuple(errors)

    def variable_errors(self) -> tuple[str, ...]:
        errors = []
        for variable in self.raw.get("variable", []):
            if variable["__tfmeta"]["filename"].startswith("modules/"):
                continue
            for validation in _blocks(variable.get("validation")):
                if validation.get("condition") is False:
                    errors.append(validation.get("error_message", "invalid value"))
        return tuple(errors)

    def build(self) -> Stack:
        http_routes, cors, ws_routes, stage = self.apis()
        tables, buckets, functions = self.tables(), self.buckets(), self.functions()
        return Stack(
            workspace=self.workspace,
            region=self.region,
            account_id=self.account_id,
            settings=self.locals.get("settings") or {},
            tables=tables,
            buckets=buckets,
            functions=functions,
            http_routes=http_routes,
            websocket_routes=ws_routes,
            http_cors=cors,
            websocket_stage=stage,
            ssm_parameters={
                p["name"]: {k: p.get(k) for k in ("type", "description", "value")}
                for p in self.raw.get("aws_ssm_parameter", [])
                if p["__tfmeta"]["type"] == "resource"
            },
            queues=self.queues(),
            event_source_mappings=self.event_source_mappings(),
            guard_errors=self.guard_errors(),
            variable_errors=self.variable_errors(),
            unresolved=tuple(self.unresolved),
            raw=self.raw,
        )
