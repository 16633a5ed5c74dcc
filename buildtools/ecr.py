"""`build.py push`: log into ECR through boto3, push the scanner image, record what was pushed."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from buildtools import docker, gitinfo, manifest
from buildtools.errors import BuildError
from buildtools.naming import PROJECT, image_tag_parameter, repository_name, validate_tag


def decode_authorization(data: dict[str, Any]) -> tuple[str, str, str]:
    """(registry host, username, password) from one get_authorization_token entry."""
    user, _, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
    registry = data["proxyEndpoint"].removeprefix("https://").removeprefix("http://").rstrip("/")
    return registry, user, password


def login(ecr: Any, runner: docker.Runner = docker.run_process) -> str:
    """docker login to the account's registry with a boto3 token; returns the registry host."""
    data = ecr.get_authorization_token()["authorizationData"][0]
    registry, user, password = decode_authorization(data)
    docker.run(docker.login_command(registry, user), runner, stdin=password.encode())
    return registry


def repository_uri(ecr: Any, repository: str) -> str:
    """The repository's URI; a missing repository is a BuildError pointing at terraform apply."""
    try:
        found = ecr.describe_repositories(repositoryNames=[repository])["repositories"]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "RepositoryNotFoundException":
            raise BuildError(
                f"ECR repository {repository} does not exist: "
                "run `terraform apply` for this environment first"
            ) from None
        raise
    return found[0]["repositoryUri"]


def image_digest(ecr: Any, repository: str, tag: str) -> str | None:
    """The digest `tag` points at in `repository`, or None."""
    try:
        images = ecr.describe_images(repositoryName=repository, imageIds=[{"imageTag": tag}])
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ImageNotFoundException":
            return None
        raise
    details = images.get("imageDetails", [])
    return details[0]["imageDigest"] if details else None


def record_tag(ssm: Any, env: str, prefix: str, tag: str, project: str = PROJECT) -> str:
    """Write the tag Terraform deploys next; returns the parameter name."""
    name = image_tag_parameter(env, prefix, project)
    ssm.put_parameter(
        Name=name,
        Value=tag,
        Type="String",
        Overwrite=True,
        Description="Scanner image tag terraform apply deploys; set by build.py push/rollback",
    )
    return name


def push(
    root: Path,
    dist: Path,
    env: str,
    tag: str,
    prefix: str,
    clients: Callable[[str], Any],
    runner: docker.Runner = docker.run_process,
    preflight: Callable[[], None] = docker.require_docker,
    out: Callable[[str], None] = print,
    project: str = PROJECT,
) -> dict[str, str]:
    """Push pixel-detector:TAG to the env's repository and point the SSM tag parameter at it."""
    validate_tag(tag)
    preflight()
    local = docker.local_ref(tag)
    try:
        docker.run(docker.inspect_command(local), runner)
    except BuildError:
        raise BuildError(
            f"no local image {local}: build it first with `make image TAG={tag}`"
        ) from None
    ecr = clients("ecr")
    repository = repository_name(env, prefix)
    uri = repository_uri(ecr, repository)
    existing = image_digest(ecr, repository, tag)
    if existing is not None:
        raise BuildError(
            f"{repository}:{tag} already exists ({existing}); "
            "release tags are immutable, choose a new tag"
        )
    login(ecr, runner)
    remote = f"{uri}:{tag}"
    docker.run(docker.tag_command(local, remote), runner)
    docker.run(docker.push_command(remote), runner)
    digest = image_digest(ecr, repository, tag)
    if digest is None:
        raise BuildError(f"pushed {remote} but ECR does not list the tag")
    record = _record(root, dist, env, prefix, tag, uri, digest, clients, project)
    out(
        f"pushed {remote} {digest}; {record['ssm_parameter']} = {tag} "
        "(the next terraform apply deploys it)"
    )
    return record


def _record(
    root: Path,
    dist: Path,
    env: str,
    prefix: str,
    tag: str,
    uri: str,
    digest: str,
    clients: Callable[[str], Any],
    project: str,
) -> dict[str, str]:
    """Point the SSM tag parameter at TAG and note the image in dist/manifest.json."""
    parameter = record_tag(clients("ssm"), env, prefix, tag, project)
    record = {
        "repository": repository_name(env, prefix),
        "tag": tag,
        "digest": digest,
        "image_uri": f"{uri}@{digest}",
        "commit": gitinfo.head(root),
        "ssm_parameter": parameter,
    }
    path = dist / "manifest.json"
    current = manifest.load(path)
    current["image"][env] = record
    manifest.save(path, current)
    return record


def release(
    clients: Callable[[str], Any],
    env: str,
    tag: str,
    *,
    build: Callable[[], object],
    push_image: Callable[[], dict[str, str]],
    checkout: tuple[Path, Path],
    prefix: str = "",
    project: str = PROJECT,
    out: Callable[[str], None] = print,
) -> dict[str, str]:
    """Make TAG the image the env deploys, idempotently: a tag ECR already has is only recorded
    (so a re-run after a failure converges); otherwise `build` then `push_image` run.
    `checkout` is (root, dist): where the commit is read and the manifest written."""
    validate_tag(tag)
    root, dist = checkout
    ecr = clients("ecr")
    repository = repository_name(env, prefix)
    uri = repository_uri(ecr, repository)
    digest = image_digest(ecr, repository, tag)
    if digest is None:
        build()
        return push_image()
    record = _record(root, dist, env, prefix, tag, uri, digest, clients, project)
    out(
        f"{repository}:{tag} is already in ECR ({digest}), not pushed again; "
        f"{record['ssm_parameter']} = {tag}"
    )
    return record
