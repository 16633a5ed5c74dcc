"""`load`: the Terraform root stack of one workspace, evaluated offline, as a Stack.

The root calls modules with for_each over maps (`module.function["sessions"]`,
`module.table["sessions"]`); tfparse expands them when the map holds no null value, which the
Terraform keeps to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from terraform_model.apis import build_http_api, build_websocket_api
from terraform_model.buckets import build_buckets
from terraform_model.checks import guard_errors, variable_errors
from terraform_model.evaluation import (
    DEFAULT_ACCOUNT_ID,
    TERRAFORM_DIR,
    TerraformModelError,
    evaluate,
)
from terraform_model.functions import build_functions
from terraform_model.model import Stack
from terraform_model.queues import build_event_source_mappings, build_queues
from terraform_model.resources import Resources
from terraform_model.tables import build_tables


class WorkspaceRefused(TerraformModelError):
    """The workspace is one the Terraform refuses to plan."""


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
    resources = Resources(
        evaluate(workspace, terraform_dir, merged), workspace, Path(terraform_dir)
    )
    http_api, websocket_api = build_http_api(resources), build_websocket_api(resources)
    tables, buckets = build_tables(resources), build_buckets(resources)
    functions = build_functions(resources)
    return Stack(
        workspace=workspace,
        region=resources.region,
        account_id=resources.account_id,
        settings=resources.locals.get("settings") or {},
        tables=tables,
        buckets=buckets,
        functions=functions,
        http_routes=http_api.routes,
        websocket_routes=websocket_api.routes,
        http_cors=http_api.cors,
        websocket_stage=websocket_api.stage,
        ssm_parameters={
            p["name"]: {k: p.get(k) for k in ("type", "description", "value")}
            for p in resources.of_type("aws_ssm_parameter")
            if p["__tfmeta"]["type"] == "resource"
        },
        queues=build_queues(resources),
        event_source_mappings=build_event_source_mappings(resources),
        guard_errors=guard_errors(resources),
        variable_errors=variable_errors(resources),
        unresolved=tuple(resources.unresolved),
        raw=resources.raw,
    )


def load_plannable(workspace: str = "dev") -> Stack:
    """The workspace's Stack, or WorkspaceRefused with the message `terraform plan` would give."""
    stack = load(workspace)
    if stack.guard_errors:
        raise WorkspaceRefused("; ".join(stack.guard_errors))
    return stack
