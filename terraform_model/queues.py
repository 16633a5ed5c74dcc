"""SQS queues (aws_sqs_queue) and the event source mappings (aws_lambda_event_source_mapping)
that feed them to functions."""

from __future__ import annotations

import json

from terraform_model.evaluation import blocks
from terraform_model.model import EventSourceMapping, Queue
from terraform_model.resources import Resources


def build_queues(resources: Resources) -> dict[str, Queue]:
    """Every queue, by name, with the dead-letter queue its redrive policy names."""
    declared = [b for b in resources.of_type("aws_sqs_queue") if isinstance(b.get("name"), str)]
    names = {b["id"]: b["name"] for b in declared}
    queues = {}
    for block in declared:
        redrive = block.get("redrive_policy")
        policy = json.loads(redrive) if isinstance(redrive, str) else {}
        target = str(policy.get("deadLetterTargetArn") or "")
        dead_letter = names.get(target) or (target.rsplit(":", 1)[-1] if target else None)
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


def build_event_source_mappings(resources: Resources) -> tuple[EventSourceMapping, ...]:
    """Every queue -> function mapping; an alias target names the function behind it."""
    mappings = []
    for block in resources.of_type("aws_lambda_event_source_mapping"):
        source = resources.resolve(block.get("event_source_arn"), as_arn=False)
        target = block.get("function_name")
        if not isinstance(source, str) or not isinstance(target, str):
            resources.unresolved.append(f"{block['__tfmeta']['path']}: queue or function")
            continue
        # function_name is an alias's ARN, or "<function>:<qualifier>".
        function, _, qualifier = resources.function_name_of(target).partition(":")
        scaling = next(iter(blocks(block.get("scaling_config"))), {})
        mappings.append(
            EventSourceMapping(
                queue=source.rsplit(":", 1)[-1],
                function=function,
                qualifier=qualifier or None,
                batch_size=int(block.get("batch_size") or 10),
                maximum_concurrency=scaling.get("maximum_concurrency"),
                function_response_types=tuple(block.get("function_response_types") or ()),
                enabled=block.get("enabled") is not False,
            )
        )
    return tuple(mappings)
