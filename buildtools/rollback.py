"""`build.py rollback`: pin the scanner function to an earlier image tag, through boto3 only.

The SSM parameter Terraform reads the tag from is set first (the desired state, so the next
`terraform apply` keeps the rollback instead of undoing it, even if a later step fails); then
the function moves to repo@digest, a version is published and alias `live` moves to it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.exceptions import ClientError, WaiterError
from botocore.waiter import WaiterModel, create_waiter_with_client

from buildtools.ecr import image_digest, record_tag, repository_uri
from buildtools.errors import BuildError
from buildtools.naming import (
    LIVE_ALIAS,
    PROJECT,
    function_name,
    image_tag_parameter,
    repository_name,
)

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Running:
    """What a function version runs."""

    version: str
    digest: str | None
    tags: tuple[str, ...]

    def describe(self) -> str:
        tags = ",".join(self.tags) or "untagged"
        digest = self.digest[:19] if self.digest else "unknown digest"
        return f"{tags} ({digest}) version {self.version}"


def recent_images(ecr: Any, repository: str, limit: int = 10) -> list[dict[str, Any]]:
    """The newest tagged images of a repository, newest first."""
    images: list[dict[str, Any]] = []
    try:
        pages = ecr.get_paginator("describe_images").paginate(
            repositoryName=repository, filter={"tagStatus": "TAGGED"}
        )
        for page in pages:
            images += page["imageDetails"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "RepositoryNotFoundException":
            raise BuildError(f"ECR repository {repository} does not exist") from None
        raise
    images.sort(key=lambda image: image["imagePushedAt"], reverse=True)
    return images[:limit]


def format_images(images: list[dict[str, Any]], live_digest: str | None = None) -> list[str]:
    """One line per image: pushed date, tags, short digest, and which one is live."""
    lines = []
    for image in images:
        pushed = image["imagePushedAt"].strftime("%Y-%m-%d %H:%M UTC")
        marker = "  <- live" if image["imageDigest"] == live_digest else ""
        tags = ",".join(sorted(image.get("imageTags", [])))
        lines.append(f"  {pushed}  {tags:<24} {image['imageDigest'][:19]}{marker}")
    return lines or ["  (no tagged images)"]


def _digest_of(uri: str | None) -> str | None:
    found = _DIGEST.findall(uri or "")
    return found[0] if found else None


def _tags_of(ecr: Any, repository: str, digest: str | None) -> tuple[str, ...]:
    if digest is None:
        return ()
    try:
        details = ecr.describe_images(repositoryName=repository, imageIds=[{"imageDigest": digest}])
    except ClientError:
        return ()
    return tuple(sorted(details["imageDetails"][0].get("imageTags", [])))


def _function(lam: Any, name: str, qualifier: str | None = None) -> dict[str, Any]:
    kwargs = {"FunctionName": name} | ({"Qualifier": qualifier} if qualifier else {})
    try:
        return lam.get_function(**kwargs)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            raise BuildError(
                f"Lambda function {name} does not exist in this account and region"
            ) from None
        raise


def _live_version(lam: Any, name: str) -> str | None:
    try:
        return lam.get_alias(FunctionName=name, Name=LIVE_ALIAS)["FunctionVersion"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            return None
        raise


def running(lam: Any, ecr: Any, name: str, repository: str) -> Running:
    """What alias `live` runs (or $LATEST when there is no alias yet)."""
    version = _live_version(lam, name)
    code = _function(lam, name, version)["Code"]
    digest = _digest_of(code.get("ImageUri")) or _digest_of(code.get("ResolvedImageUri"))
    return Running(version or "$LATEST", digest, _tags_of(ecr, repository, digest))


# botocore has no waiter for "no update in progress" (function_updated_v2 fails on an earlier
# Failed update, which a new update may overwrite), so it is one more model for botocore's
# waiter, on the same GetFunction call.
_IDLE = WaiterModel(
    {
        "version": 2,
        "waiters": {
            "FunctionIdle": {
                "operation": "GetFunction",
                "delay": 2,
                "maxAttempts": 150,
                "acceptors": [
                    {
                        "matcher": "path",
                        "argument": "Configuration.State != 'Pending'"
                        " && Configuration.LastUpdateStatus != 'InProgress'",
                        "expected": True,
                        "state": "success",
                    }
                ],
            }
        },
    }
)


def _wait(
    lam: Any, name: str, waiter: str, model: WaiterModel, what: str, delay: float, attempts: int
) -> dict[str, Any]:
    """Run botocore's `waiter` on GetFunction; the configuration once it succeeds."""
    try:
        create_waiter_with_client(waiter, model, lam).wait(
            FunctionName=name, WaiterConfig={"Delay": delay, "MaxAttempts": attempts}
        )
    except WaiterError as exc:
        last = exc.last_response or {}
        if "Error" in last:
            error = last["Error"]
            raise BuildError(f"{name}: {error.get('Code')}: {error.get('Message')}") from None
        config = last.get("Configuration", {})
        if config.get("LastUpdateStatus") == "Failed":
            reason = config.get("LastUpdateStatusReason", "no reason given")
            raise BuildError(f"{name}: the code update failed: {reason}") from None
        pending = config.get("State") == "Pending"
        status = "Pending" if pending else config.get("LastUpdateStatus")
        waiting = f" {what}" if what else ""
        raise BuildError(
            f"{name}: still {status} after {delay * attempts:.0f}s ({attempts} checks){waiting}; "
            "check the Lambda console"
        ) from None
    return lam.get_function(FunctionName=name)["Configuration"]


def wait_until_idle(lam: Any, name: str, delay: float = 2.0, attempts: int = 150) -> dict[str, Any]:
    """Wait until no update is in progress (Lambda refuses a new one with
    ResourceConflictException until then); a Failed earlier update may be overwritten."""
    return _wait(lam, name, "FunctionIdle", _IDLE, "waiting for an earlier update", delay, attempts)


def wait_until_updated(
    lam: Any, name: str, delay: float = 2.0, attempts: int = 150
) -> dict[str, Any]:
    """botocore's function_updated_v2 waiter: the configuration once LastUpdateStatus is
    Successful; a BuildError on Failed or after `attempts` checks `delay` seconds apart."""
    return _wait(lam, name, "FunctionUpdatedV2", _lambda_waiters(), "", delay, attempts)


@functools.cache
def _lambda_waiters() -> WaiterModel:
    return botocore.session.get_session().get_waiter_model("lambda")


def list_tags(
    clients: Callable[[str], Any], env: str, prefix: str, out: Callable[[str], None] = print
) -> None:
    """Print the env's recent tags, marking the live one."""
    ecr, lam = clients("ecr"), clients("lambda")
    repository, name = repository_name(env, prefix), function_name(env, prefix)
    images = recent_images(ecr, repository)
    try:
        live = running(lam, ecr, name, repository).digest
    except BuildError:
        live = None
    out(f"recent tags of {repository} (newest first):")
    for line in format_images(images, live):
        out(line)


def _make_command(env: str, tag: str, prefix: str) -> str:
    return f"make rollback ENV={env} TAG={tag}" + (f" PREFIX={prefix}" if prefix else "")


def rollback(
    clients: Callable[[str], Any],
    env: str,
    tag: str,
    prefix: str = "",
    dry_run: bool = False,
    out: Callable[[str], None] = print,
    wait: Callable[[Any, str], dict[str, Any]] = wait_until_updated,
    project: str = PROJECT,
    wait_idle: Callable[[Any, str], dict[str, Any]] = wait_until_idle,
) -> Running:
    """Pin pixel-detector-{env} to TAG; returns what runs afterwards (or would, in a dry run)."""
    ecr, lam = clients("ecr"), clients("lambda")
    repository, name = repository_name(env, prefix), function_name(env, prefix)
    parameter = image_tag_parameter(env, prefix, project)
    uri = repository_uri(ecr, repository)
    digest = image_digest(ecr, repository, tag)
    if digest is None:
        out(f"tag {tag} is not in {repository}; the newest tags are:")
        for line in format_images(recent_images(ecr, repository)):
            out(line)
        raise BuildError(f"unknown tag {tag} in {repository}")
    before = running(lam, ecr, name, repository)
    target = f"{uri}@{digest}"
    out(f"before: {name} runs {before.describe()}")
    if dry_run:
        out(f"dry run: would set {parameter} = {tag}")
        out(f"dry run: would update {name} to {target}")
        out(f"dry run: would publish a version and move alias {LIVE_ALIAS} to it")
        return before

    # The desired state first: should a later step fail, the next terraform apply still
    # converges on this tag, and re-running the rollback finishes the move.
    record_tag(clients("ssm"), env, prefix, tag, project)
    out(f"{parameter} = {tag}: the next terraform apply deploys this image")
    try:
        _move(lam, name, target, tag, wait, wait_idle)
    except (BuildError, ClientError) as exc:
        cause = str(exc)
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            cause = f"{exc.operation_name}: {error.get('Code')}: {error.get('Message')}"
        raise BuildError(
            f"rollback of {name} to {tag} stopped: {cause}. {parameter} already records {tag}, "
            f"so the next terraform apply converges on it; re-run "
            f"`{_make_command(env, tag, prefix)}` to finish now"
        ) from None
    after = running(lam, ecr, name, repository)
    out(f"after:  {name} runs {after.describe()}")
    return after


def _move(
    lam: Any,
    name: str,
    target: str,
    tag: str,
    wait: Callable[[Any, str], dict[str, Any]],
    wait_idle: Callable[[Any, str], dict[str, Any]],
) -> None:
    """Point the function at `target`, publish a version and move alias live to it."""
    wait_idle(lam, name)
    lam.update_function_code(FunctionName=name, ImageUri=target, Publish=False)
    updated = wait(lam, name)
    # CodeSha256 and RevisionId make the publish fail rather than publish someone else's
    # concurrent change instead of the image just set.
    guards = {k: updated[k] for k in ("CodeSha256", "RevisionId") if updated.get(k)}
    version = lam.publish_version(FunctionName=name, Description=f"rollback to {tag}", **guards)[
        "Version"
    ]
    if _live_version(lam, name) is None:
        lam.create_alias(FunctionName=name, Name=LIVE_ALIAS, FunctionVersion=version)
    else:
        lam.update_alias(FunctionName=name, Name=LIVE_ALIAS, FunctionVersion=version)
