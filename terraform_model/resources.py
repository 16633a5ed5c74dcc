"""One tfparse result with the look-ups every builder shares: ids to names and ARNs, module calls.

Values only AWS knows after an apply (API ids, computed ARNs) come back from tfparse as resource
ids; they are replaced here by the resource's name (in environment variables) or by the ARN the
resource will have (in IAM policies).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from terraform_model.evaluation import blocks, module_of, root_locals

_RESOURCE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Resources:
    """The evaluated workspace: its blocks by type and by id, its module calls and root values."""

    def __init__(self, raw: dict[str, Any], workspace: str, terraform_dir: Path) -> None:
        self.raw = raw
        self.workspace = workspace
        self.terraform_dir = terraform_dir
        self.locals = root_locals(raw)
        self.variables = {
            v["__tfmeta"]["label"]: v.get("default")
            for v in raw.get("variable", [])
            if not v["__tfmeta"]["filename"].startswith("modules/")
        }
        self.by_id: dict[str, tuple[str, dict[str, Any]]] = {}
        for rtype, found in raw.items():
            if isinstance(found, list):
                for block in found:
                    if isinstance(block, dict) and isinstance(block.get("id"), str):
                        self.by_id[block["id"]] = (rtype, block)
        self.modules = {m["__tfmeta"]["path"]: m for m in raw.get("module", [])}
        # What a builder had to leave out, with why: a name tfparse could not evaluate.
        self.unresolved: list[str] = []
        self.region = self._provider_region()
        self.account_id = self.module_arg("module.uploads_bucket", "account_id") or ""

    def of_type(self, rtype: str) -> list[dict[str, Any]]:
        """Every block of resource (or data) type `rtype`."""
        return self.raw.get(rtype, [])

    def in_module(self, rtype: str, module: str) -> list[dict[str, Any]]:
        """The blocks of `rtype` inside module call `module` ('' for the root)."""
        return [b for b in self.of_type(rtype) if module_of(b) == module]

    def module_arg(self, module_path: str, name: str) -> Any:
        """An argument of a module call, or None when tfparse left it unevaluated."""
        value = self.modules.get(module_path, {}).get(name)
        return None if isinstance(value, dict) and "__attribute__" in value else value

    def absolute(self, path: Any) -> str | None:
        """A path Terraform resolves against the root module, made absolute."""
        if not isinstance(path, str):
            return None
        return str((self.terraform_dir / path).resolve())

    def resolve(self, value: Any, *, as_arn: bool) -> Any:
        """`value` with tfparse resource ids inside its strings replaced by names (or ARNs)."""
        if isinstance(value, str):

            def swap(match: re.Match[str]) -> str:
                found = self.by_id.get(match.group(0))
                if found is None:
                    return match.group(0)
                rtype, block = found
                return self._arn_of(rtype, block) if as_arn else _name_of(rtype, block)

            return _RESOURCE_ID.sub(swap, value)
        if isinstance(value, list):
            return [self.resolve(v, as_arn=as_arn) for v in value]
        if isinstance(value, dict):
            return {k: self.resolve(v, as_arn=as_arn) for k, v in value.items()}
        return value

    def function_name_of(self, target: Any) -> str:
        """The function a reference invokes: an alias (Lambda's `live`) stands for its function."""
        found = self.by_id.get(target) if isinstance(target, str) else None
        if found is not None and found[0] == "aws_lambda_alias":
            return self.function_name_of(found[1].get("function_name"))
        return str(self.resolve(target, as_arn=False))

    def policy_json(self, policy: Any) -> dict[str, Any] | None:
        """The IAM JSON of a policy argument: a JSON string, or a policy document's id."""
        if not isinstance(policy, str):
            return None
        document = self.by_id.get(policy)
        if document and document[0] == "aws_iam_policy_document":
            return self._from_policy_document(document[1])
        try:
            return json.loads(self.resolve(policy, as_arn=True))
        except json.JSONDecodeError:
            return None

    def _provider_region(self) -> str:
        for provider in self.of_type("provider"):
            region = provider.get("region")
            if isinstance(region, str):
                return region
        return str(self.variables.get("region") or "us-east-1")

    def _arn_of(self, rtype: str, block: Mapping[str, Any]) -> str:
        name = _name_of(rtype, block)
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

    def _from_policy_document(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """IAM JSON of a data "aws_iam_policy_document" (tfparse gives only its blocks)."""
        statements = []
        for block in blocks(document.get("statement")):
            statement: dict[str, Any] = {"Effect": block.get("effect") or "Allow"}
            if block.get("sid"):
                statement["Sid"] = block["sid"]
            statement["Action"] = block.get("actions") or []
            statement["Resource"] = self.resolve(block.get("resources") or [], as_arn=True)
            principals = blocks(block.get("principals"))
            if principals:
                if all(p.get("type") == "*" for p in principals):
                    statement["Principal"] = "*"
                else:
                    statement["Principal"] = {
                        p.get("type"): self.resolve(p.get("identifiers"), as_arn=True)
                        for p in principals
                    }
            conditions: dict[str, dict[str, Any]] = {}
            for condition in blocks(block.get("condition")):
                values = self.resolve(condition.get("values") or [], as_arn=True)
                conditions.setdefault(condition.get("test"), {})[condition.get("variable")] = (
                    values[0] if len(values) == 1 else values
                )
            if conditions:
                statement["Condition"] = conditions
            statements.append(statement)
        return {"Version": "2012-10-17", "Statement": statements}


def _name_of(rtype: str, block: Mapping[str, Any]) -> str:
    for key in ("function_name", "name", "bucket", "dashboard_name", "alarm_name"):
        if isinstance(block.get(key), str):
            return block[key]
    return rtype
