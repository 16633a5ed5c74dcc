"""tfparse's offline evaluation of terraform/ for one workspace, cached, and how to read its output.

tfparse evaluates variables, locals, modules and `terraform.workspace` without a provider. The
result maps a resource type to its blocks; each block carries `__tfmeta` (path, file) and an id.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

TERRAFORM_DIR = Path(__file__).resolve().parent.parent / "terraform"
# moto's default account: evaluating with it makes bucket names match what moto creates.
DEFAULT_ACCOUNT_ID = "123456789012"


class TerraformModelError(RuntimeError):
    """The Terraform could not be evaluated, or lacks something the model needs."""


def evaluate(
    workspace: str,
    terraform_dir: str | os.PathLike[str] = TERRAFORM_DIR,
    variables: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The raw tfparse output of `terraform_dir` in `workspace` (resource type -> blocks)."""
    frozen = json.dumps(dict(variables or {}), sort_keys=True)
    # A fresh copy each time: callers may change what they get.
    return json.loads(_evaluate_cached(workspace, str(Path(terraform_dir).resolve()), frozen))


def allowed_workspaces(terraform_dir: str | os.PathLike[str] = TERRAFORM_DIR) -> tuple[str, ...]:
    """The workspaces the stack accepts: the environments its settings map overrides."""
    raw = evaluate("dev", terraform_dir, {"account_id": DEFAULT_ACCOUNT_ID})
    environments = root_locals(raw).get("environment_overrides") or {}
    return tuple(sorted(environments))


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


# --- reading the output -----------------------------------------------------------------------


def root_locals(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The root module's locals, merged over its files."""
    merged: dict[str, Any] = {}
    for block in raw.get("locals", []):
        if not block["__tfmeta"]["filename"].startswith("modules/"):
            merged.update({k: v for k, v in block.items() if k not in ("__tfmeta", "id")})
    return merged


def blocks(value: Any) -> list[dict[str, Any]]:
    """A nested block's instances: tfparse renders one as a dict and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def clean(value: Any) -> Any:
    """Nested data without tfparse's bookkeeping keys."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if k not in ("__tfmeta", "id")}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def module_of(block: Mapping[str, Any]) -> str:
    """'module.sessions_function' for a resource inside that module call, '' in the root."""
    path = block["__tfmeta"]["path"]
    return path.rsplit(".", 2)[0] if path.startswith("module.") else ""
