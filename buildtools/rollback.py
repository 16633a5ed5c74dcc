"""`build.py rollback`: pin the scanner function to an earlier image tag, through boto3 only.

The SSM parameter Terraform reads the tag from is set first (the desired state, so the next
`terraform apply` keeps the rollback instead of undoing it, even if a later step fails); then
the function moves to repo@digest, a version is published and alias `live` moves to it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

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


def _poll(
    lam: Any,
    name: str,
    done: Callable[[dict[str, Any]], bool],
    what: str,
    timeout: float,
    interval: float,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> dict[str, Any]:
    deadline = clock() + timeout
    while True:
        config = lam.get_function_configuration(FunctionName=name)
        if done(config):
            return config
        if clock() >= deadline:
            pending = config.get("State") == "Pending"
            status = "Pending" if pending else config.get("LastUpdateStatus")
            waiting = f" {what}" if what else ""
            raise BuildError(
                f"{name}: still {status} after {timeout:.0f}s{waiting}; check the Lambda console"
            )
        sleep(interval)


def wait_until_idle(
    lam: Any,
    name: str,
    timeout: float = 300.0,
    interval: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Poll until no update is in progress (Lambda refuses a new one with
    ResourceConflictException until then); a Failed earlier update may be overwritten."""

    def idle(config: dict[str, Any]) -> bool:
        return config.get("State") != "Pending" and config.get("LastUpdateStatus") != "InProgress"

    return _poll(lam, name, idle, "waiting for an earlier update", timeout, interval, sleep, clock)


def wait_until_updated(
    lam: Any,
    name: str,
    timeout: float = 300.0,
    interval: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Poll until LastUpdateStatus is Successful and return the configuration; raise on Failed
    or after `timeout` seconds."""

    def updated(config: dict[str, Any]) -> bool:
        if config.get("LastUpdateStatus") == "Failed":
            reason = config.get("LastUpdateStatusReason", "no reason given")
            raise BuildError(f"{name}: the code update failed: {reason}")
        return config.get("LastUpdateStatus", "Successful") == "Successful"

    return _poll(lam, name, updated, "", timeout, interval, sleep, clock)


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
