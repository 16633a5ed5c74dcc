"""The docker CLI for machines without a Docker engine, so `make deploy` runs build.py's image
and push steps unchanged: `docker push` stores an image manifest straight in (moto's) ECR.

Images "built" are remembered in FAKE_DOCKER_STATE; FAKE_DOCKER_FAIL=push makes every push
fail, as a lost connection to the registry would. Run: python -m tests.terraform.live.fake_docker
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import boto3

from tests.build.aws_fixtures import put_image


def _images() -> Path:
    return Path(os.environ["FAKE_DOCKER_STATE"])


def _exists(ref: str) -> bool:
    return ref in _images().read_text().split() if _images().exists() else False


def _remember(ref: str) -> None:
    with _images().open("a") as images:
        images.write(ref + "\n")


def _values(args: list[str], flag: str) -> list[str]:
    return [args[i + 1] for i, arg in enumerate(args[:-1]) if arg == flag]


def main(args: list[str]) -> int:
    """One docker command; the exit code docker would give."""
    if args[:1] == ["info"] or args[:2] == ["buildx", "version"]:
        print("27.0.0-fake")
        return 0
    if args[:2] == ["buildx", "build"]:
        for ref in _values(args, "--tag"):
            _remember(ref)
        return 0
    if args[:2] == ["image", "inspect"]:
        if _exists(args[-1]):
            return 0
        print(f"Error: No such image: {args[-1]}", file=sys.stderr)
        return 1
    if args[:1] == ["login"]:
        sys.stdin.read()
        return 0
    if args[:1] == ["tag"] and _exists(args[1]):
        _remember(args[2])
        return 0
    if args[:1] == ["push"] and _exists(args[1]):
        if os.environ.get("FAKE_DOCKER_FAIL") == "push":
            print("error: connection to the registry was reset", file=sys.stderr)
            return 1
        repository, tag = args[1].split("/", 1)[1].rsplit(":", 1)
        put_image(boto3.client("ecr"), repository, tag)
        return 0
    print(f"fake docker: unsupported command: {' '.join(args)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
