"""`build.py rollback --function`: move a ZIP function's alias `live` to a published version.

The pin goes first (the desired state, as the scanner's image tag does): the function's SSM
parameter records the version and the code that was live, so the next `terraform apply` keeps
the alias there while it deploys that same artifact (terraform/rollback.tf). Then the alias
moves. Rolling to the newest version clears the pin: the alias follows new versions again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError, WaiterError

from buildtools.errors import BuildError
from buildtools.naming import (
    IMAGE_NAME,
    LIVE_ALIAS,
    PROJECT,
    deployed_function_name,
    live_version_pin_parameter,
)

# What terraform/rollback.tf creates the pin parameters holding (local.no_pin): no pin.
NO_PIN = "(none)"
_VERSION = re.compile(r"^[1-9][0-9]{0,9}$")


@dataclass(frozen=True)
class Version:
    """One published version of a function."""

    number: int
    code_sha256: str
    modified: str  # LastModified as Lambda gives it, e.g. 2026-12-02T00:10:00.000+0000
    description: str

    def line(self, live: int | None, pinned: int | None) -> str:
        marks = [m for m, hit in (("<- live", live), ("(pinned)", pinned)) if hit == self.number]
        when = self.modified[:16].replace("T", " ") + " UTC" if self.modified else "?"
        text = f"  version {self.number:<4} {when}  code {self.code_sha256[:12]}"
        text += f"  {self.description}" if self.description else ""
        return text + ("  " + " ".join(marks) if marks else "")


@dataclass(frozen=True)
class Target:
    """The function, its pin parameter, and what its alias and versions are now."""

    name: str
    parameter: str
    live: int
    versions: tuple[Version, ...]  # oldest first
    code_sha256: str  # of $LATEST: the artifact Terraform last deployed

    @property
    def newest(self) -> int:
        return self.versions[-1].number


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code"))


def _configuration(lam: Any, name: str) -> dict[str, Any]:
    try:
        return lam.get_function_configuration(FunctionName=name)
    except ClientError as exc:
        if _code(exc) == "ResourceNotFoundException":
            raise BuildError(
                f"Lambda function {name} does not exist in this account and region"
            ) from None
        raise


def published_versions(lam: Any, name: str) -> tuple[Version, ...]:
    """Every published version of `name`, oldest first ($LATEST left out)."""
    _configuration(lam, name)  # a clear error for a function that does not exist
    found = []
    for page in lam.get_paginator("list_versions_by_function").paginate(FunctionName=name):
        for v in page["Versions"]:
            if _VERSION.match(v["Version"]):
                found.append(
                    Version(
                        int(v["Version"]),
                        v.get("CodeSha256", ""),
                        str(v.get("LastModified", "")),
                        v.get("Description", ""),
                    )
                )
    return tuple(sorted(found, key=lambda v: v.number))


def _live(lam: Any, name: str) -> int | None:
    try:
        version = lam.get_alias(FunctionName=name, Name=LIVE_ALIAS)["FunctionVersion"]
    except ClientError as exc:
        if _code(exc) == "ResourceNotFoundException":
            return None
        raise
    return int(version) if _VERSION.match(version) else None


def read_pin(ssm: Any, parameter: str) -> dict[str, str] | None:
    """The recorded pin ({"version", "codeSha256"}), None for no pin; BuildError when the
    parameter is missing (the Terraform that creates it was never applied)."""
    try:
        value = ssm.get_parameter(Name=parameter)["Parameter"]["Value"]
    except ClientError as exc:
        if _code(exc) == "ParameterNotFound":
            raise BuildError(
                f"{parameter} does not exist: apply this checkout's Terraform first "
                "(make plan, make apply), which creates it"
            ) from None
        raise
    try:
        pin = json.loads(value)
    except ValueError:
        return None
    return pin if isinstance(pin, dict) and "version" in pin else None


def _check_function(function: str, functions: Sequence[str]) -> None:
    if function in functions:
        return
    hint = ""
    if function == IMAGE_NAME:
        hint = "; the scanner rolls back by image tag: make rollback ENV=<env> TAG=<tag>"
    raise BuildError(
        f"unknown function {function!r}: FUNCTION is one of {', '.join(functions)}{hint}"
    )


def _check_version(version: str | None) -> int | None:
    if version is None:
        return None
    if not _VERSION.match(version):
        raise BuildError(
            f"unknown version {version!r}: VERSION is a published version number such as 3 "
            "(make rollback ENV=<env> without FUNCTION lists them)"
        )
    return int(version)


def _target(clients: Callable[[str], Any], name: str, parameter: str) -> Target:
    lam = clients("lambda")
    code = _configuration(lam, name)["CodeSha256"]
    versions = published_versions(lam, name)
    read_pin(clients("ssm"), parameter)  # fails early when Terraform never created it
    live = _live(lam, name)
    if live is None or not versions:
        raise BuildError(
            f"{name} has no alias {LIVE_ALIAS} on a published version: apply this checkout's "
            "Terraform first (make plan, make apply)"
        )
    return Target(name, parameter, live, versions, code)


def _choose(target: Target, wanted: int | None) -> int:
    numbers = [v.number for v in target.versions]
    if wanted is None:
        older = [n for n in numbers if n < target.live]
        if not older:
            raise BuildError(
                f"{target.name}: version {target.live} is its oldest published version, "
                "there is no previous one to roll back to"
            )
        return older[-1]
    if wanted not in numbers:
        shown = ", ".join(str(n) for n in numbers[-10:])
        raise BuildError(
            f"version {wanted} of {target.name} is not published; the newest published: {shown}"
        )
    return wanted


def _make_command(env: str, function: str, version: int, prefix: str) -> str:
    extra = f" PREFIX={prefix}" if prefix else ""
    return f"make rollback ENV={env} FUNCTION={function} VERSION={version}{extra}"


def _wait_active(lam: Any, name: str, version: int) -> None:
    """A version is Active before traffic goes to it (botocore's PublishedVersionActive)."""
    waiter = lam.get_waiter("published_version_active")
    try:
        waiter.wait(
            FunctionName=name, Qualifier=str(version), WaiterConfig={"Delay": 2, "MaxAttempts": 150}
        )
    except WaiterError as exc:
        raise BuildError(f"{name} version {version} did not become Active: {exc}") from None


def rollback_function(
    clients: Callable[[str], Any],
    env: str,
    function: str,
    functions: Sequence[str],
    version: str | None = None,
    prefix: str = "",
    project: str = PROJECT,
    dry_run: bool = False,
    out: Callable[[str], None] = print,
) -> int:
    """Move alias live of FUNCTION-{env} to `version` (default: the one before the live one);
    returns the version live afterwards (or that would be, in a dry run)."""
    _check_function(function, functions)
    wanted = _check_version(version)
    name = deployed_function_name(function, env, prefix)
    parameter = live_version_pin_parameter(function, env, prefix, project)
    target = _target(clients, name, parameter)
    chosen = _choose(target, wanted)
    lam = clients("lambda")
    if chosen == target.newest:
        pin, pin_text = NO_PIN, f"{NO_PIN} (alias {LIVE_ALIAS} follows the newest version again)"
    else:
        code = target.code_sha256
        pin = json.dumps({"version": str(chosen), "codeSha256": code}, separators=(",", ":"))
        pin_text = f"version {chosen} while the artifact is still code {code[:12]}"
    out(f"before: {name} alias {LIVE_ALIAS} -> version {target.live}")
    if dry_run:
        out(f"dry run: would set {parameter} = {pin_text}")
        out(f"dry run: would move alias {LIVE_ALIAS} of {name} to version {chosen}")
        return target.live

    clients("ssm").put_parameter(Name=parameter, Value=pin, Type="String", Overwrite=True)
    out(f"{parameter} = {pin_text}: the next terraform apply keeps it")
    try:
        _wait_active(lam, name, chosen)
        lam.update_alias(FunctionName=name, Name=LIVE_ALIAS, FunctionVersion=str(chosen))
    except (BuildError, ClientError) as exc:
        cause = str(exc)
        if isinstance(exc, ClientError):
            cause = f"{exc.operation_name}: {_code(exc)}: {exc.response['Error'].get('Message')}"
        raise BuildError(
            f"rollback of {name} to version {chosen} stopped: {cause}. {parameter} already "
            f"records it, so the next terraform apply moves the alias there; re-run "
            f"`{_make_command(env, function, chosen, prefix)}` to finish now"
        ) from None
    live = _live(lam, name)
    out(f"after:  {name} alias {LIVE_ALIAS} -> version {live}")
    return chosen


def list_versions(
    clients: Callable[[str], Any],
    env: str,
    functions: Sequence[str],
    prefix: str = "",
    project: str = PROJECT,
    out: Callable[[str], None] = print,
    limit: int = 5,
) -> None:
    """Print each ZIP function's newest versions, marking the live and the pinned one."""
    lam, ssm = clients("lambda"), clients("ssm")
    for function in functions:
        name = deployed_function_name(function, env, prefix)
        out(f"recent versions of {name} (newest first):")
        try:
            versions = published_versions(lam, name)
        except BuildError as exc:
            out(f"  ({exc})")
            continue
        try:
            pin = read_pin(ssm, live_version_pin_parameter(function, env, prefix, project))
        except BuildError:
            pin = None
        # A pin holds only while the deployed code is the one it was recorded against.
        holds = pin and versions and pin.get("codeSha256") == versions[-1].code_sha256
        pinned = int(pin["version"]) if holds and _VERSION.match(str(pin["version"])) else None
        live = _live(lam, name)
        for v in reversed(versions[-limit:]):
            out(v.line(live, pinned))
        if not versions:
            out("  (no published versions)")
