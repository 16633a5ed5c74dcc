"""Lambda functions (aws_lambda_function) with their role's policies, logs, alarms and alias."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from terraform_model.evaluation import blocks, module_of
from terraform_model.model import Alarm, Function
from terraform_model.resources import Resources


def build_functions(resources: Resources) -> dict[str, Function]:
    """Every function, by service (its handlers/ sub-package)."""
    functions = {}
    roles = {b["id"]: b for b in resources.of_type("aws_iam_role")}
    log_groups = {b.get("name"): b for b in resources.of_type("aws_cloudwatch_log_group")}
    reserved = (resources.locals.get("settings") or {}).get("reserved_concurrency") or {}
    for block in resources.of_type("aws_lambda_function"):
        module = module_of(block)
        call = resources.modules.get(module, {})
        service = call.get("service") or (block.get("tags") or {}).get("Service")
        name = block.get("function_name")
        if not isinstance(service, str) or not isinstance(name, str):
            resources.unresolved.append(f"{block['__tfmeta']['path']}: service or function name")
            continue
        role = roles.get(block.get("role"))
        policies = [
            json.loads(resources.resolve(p["policy"], as_arn=True))
            for p in resources.of_type("aws_iam_role_policy")
            if role is not None and p.get("role") == role["id"] and isinstance(p.get("policy"), str)
        ]
        log_group_name = next(
            (c.get("log_group") for c in blocks(block.get("logging_config"))),
            f"/aws/lambda/{name}",
        )
        log_group = log_groups.get(log_group_name)
        aliases = resources.in_module("aws_lambda_alias", module)
        applied = block.get("reserved_concurrent_executions")
        functions[service] = Function(
            service=service,
            name=name,
            handler=block.get("handler") or call.get("handler"),
            package_type=block.get("package_type") or "Zip",
            runtime=block.get("runtime"),
            memory_mb=block.get("memory_size", 128),
            timeout_s=block.get("timeout", 3),
            environment=_environment(resources, block, call),
            reserved_concurrency=reserved.get(service, applied),
            applied_reserved_concurrency=applied,
            role=role.get("name") if role else None,
            policy_statements=tuple(s for p in policies for s in p.get("Statement") or []),
            log_group=log_group.get("name") if log_group else None,
            log_retention_days=log_group.get("retention_in_days") if log_group else None,
            alarms=tuple(_alarms(resources, name)),
            alias=aliases[0]["name"] if aliases else None,
            publish=block.get("publish") is True,
            artifact=resources.absolute(block.get("filename")),
            source_code_hash=block.get("source_code_hash"),
        )
    return functions


def _environment(
    resources: Resources, block: Mapping[str, Any], call: Mapping[str, Any]
) -> dict[str, str]:
    """The function's environment; tfparse leaves the whole map unresolved inside the module
    when one value is unknown until apply, so the module call's argument is read then."""
    variables: Any = {}
    for env in blocks(block.get("environment")):
        variables = env.get("variables") or {}
    if not isinstance(variables, dict) or "__attribute__" in variables:
        variables = call.get("environment") or {}
    return {
        name: _after_apply(resources, block)
        if value is None
        else str(resources.resolve(value, as_arn=False))
        for name, value in variables.items()
    }


def _after_apply(resources: Resources, function: Mapping[str, Any]) -> str:
    """What stands in for an environment value AWS assigns at apply. The stack passes one: the
    management endpoint of the WebSocket API that invokes the function, which reads
    `https://<api name>.execute-api.<region>.amazonaws.com/<stage>` here (the local stack
    overrides it with its own gateway URL)."""
    for api in resources.of_type("aws_apigatewayv2_api"):
        if api.get("protocol_type") != "WEBSOCKET":
            continue
        call = resources.modules.get(module_of(api), {})
        if (call.get("function") or {}).get("function_name") == function.get("function_name"):
            stage = (call.get("stage") or {}).get("name") or resources.workspace
            return f"https://{api['name']}.execute-api.{resources.region}.amazonaws.com/{stage}"
    return "(known after apply)"


def _alarms(resources: Resources, function_name: str) -> Iterable[Alarm]:
    """The alarms on the function's metrics (dimension FunctionName). Read from the calls of the
    metric_alarm module: tfparse renders a dynamic block of many module instances unreliably,
    and keeps no metric_query ids."""
    for call in resources.modules.values():
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
            actions=tuple(resources.resolve([call.get("topic_arn")], as_arn=True)),
        )
