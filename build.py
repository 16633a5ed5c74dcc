#!/usr/bin/env python3
"""Build, check, push and roll back the stack's Lambda artifacts.

    python build.py                       reproducible ZIPs + dist/manifest.json (make build)
    python build.py --check               exit 1 when dist/ does not match the sources (make check)
    python build.py image --tag TAG       build pixel-detector:TAG and :<git-sha> (make image)
    python build.py push --env ENV --tag TAG     push to ECR, set the SSM image tag (make push)
    python build.py release --env ENV --tag TAG  image + push unless ECR has it (make deploy)
    python build.py rollback --env ENV [--tag TAG] [--dry-run]   pin the scanner (make rollback)
    python build.py rollback --env ENV --function NAME [--version N] [--dry-run]
                                          move a ZIP function's alias live (make rollback FUNCTION=)

Exit codes: 0 success; 1 refused sources, drift, unknown tag or function, AWS error;
2 wrong usage or a missing tool (docker, its engine, buildx). Errors are one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from buildtools import naming
from buildtools.errors import FAILED, OK, UNAVAILABLE, BuildError

ROOT = Path(__file__).resolve().parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Reproducible Lambda ZIPs, the scanner image, ECR push and rollback.",
        epilog="Exit codes: 0 ok, 1 failed (refused source, drift, unknown tag/function, AWS "
        "error), 2 usage or missing docker.",
    )
    parser.add_argument("--check", action="store_true", help="fail when dist/ is out of date")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output directory")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    image = commands.add_parser("image", help="docker build the scanner image")
    image.add_argument("--tag", required=True, help="release tag, e.g. v1.2.3 (never latest)")

    def aws_target(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--env", required=True, choices=naming.ENVIRONMENTS)
        sub.add_argument("--prefix", default="", help="Terraform's name_prefix, e.g. alice-")
        sub.add_argument("--project", default=naming.PROJECT, help="Terraform's project name")
        sub.add_argument("--region", default=None, help="AWS region (default: AWS_REGION)")

    push = commands.add_parser("push", help="push the scanner image to the env's ECR repository")
    aws_target(push)
    push.add_argument("--tag", required=True, help="the local pixel-detector:TAG to push")

    release = commands.add_parser(
        "release", help="build and push TAG unless ECR has it; record it as the tag to deploy"
    )
    aws_target(release)
    release.add_argument("--tag", required=True, help="release tag, e.g. v1.2.3 (never latest)")

    rollback = commands.add_parser(
        "rollback",
        help="pin the scanner to an image tag, or a ZIP function's alias live to a version",
    )
    aws_target(rollback)
    rollback.add_argument("--tag", default=None, help="scanner tag to roll back to")
    rollback.add_argument(
        "--function", default=None, help="ZIP function (settings.py FUNCTION_NAME) to roll back"
    )
    rollback.add_argument(
        "--version", default=None, help="published version for --function; default the previous"
    )
    rollback.add_argument("--dry-run", action="store_true", help="show the change, make none")
    return parser


def _clients(region: str | None) -> Callable[[str], Any]:
    import boto3  # only the AWS commands need it

    session = boto3.session.Session(region_name=region)
    cache: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in cache:
            cache[service] = session.client(service)
        return cache[service]

    return client


def _zip_command(args: argparse.Namespace) -> None:
    from buildtools import zips

    if args.check:
        zips.require_clean(ROOT, args.dist)
        print("dist/ matches the sources")
        return
    for artifact in zips.build(ROOT, args.dist):
        print(artifact.line())


def _run(args: argparse.Namespace) -> None:
    if args.command is None:
        _zip_command(args)
    elif args.command == "image":
        from buildtools import image

        for ref in image.build_image(ROOT, args.tag):
            print(f"built {ref}")
    elif args.command in ("push", "release"):
        from buildtools import ecr, image

        naming.validate_prefix(args.prefix)
        clients = _clients(args.region)

        def push() -> dict[str, str]:
            return ecr.push(
                ROOT, args.dist, args.env, args.tag, args.prefix, clients, project=args.project
            )

        if args.command == "push":
            push()
        else:
            ecr.release(
                clients, args.env, args.tag, build=lambda: image.build_image(ROOT, args.tag),
                push_image=push, checkout=(ROOT, args.dist), prefix=args.prefix,
                project=args.project,
            )  # fmt: skip
    else:
        _rollback_command(args)


def _zip_functions() -> list[str]:
    from buildtools import services

    return [s.function_name for s in services.discover(ROOT) if s.package_type == "Zip"]


def _rollback_command(args: argparse.Namespace) -> None:
    from buildtools import alias_rollback, rollback

    if args.tag is not None and args.function is not None:
        raise BuildError(
            "give TAG (the scanner) or FUNCTION (a ZIP function), not both", UNAVAILABLE
        )
    if args.version is not None and args.function is None:
        raise BuildError(
            "VERSION goes with FUNCTION: make rollback ENV=<env> FUNCTION=<name> VERSION=<n>",
            UNAVAILABLE,
        )
    naming.validate_prefix(args.prefix)
    if args.tag is not None:
        naming.validate_tag(args.tag)
    clients = _clients(args.region)
    functions = _zip_functions()
    if args.function is not None:
        alias_rollback.rollback_function(
            clients, args.env, args.function, functions, args.version, args.prefix,
            args.project, args.dry_run,
        )  # fmt: skip
    elif args.tag is not None:
        rollback.rollback(
            clients, args.env, args.tag, args.prefix, args.dry_run, project=args.project
        )
    else:
        try:
            rollback.list_tags(clients, args.env, args.prefix)
        except BuildError as exc:
            print(f"scanner: {exc}")
        alias_rollback.list_versions(clients, args.env, functions, args.prefix, args.project)


def _aws_message(exc: Exception) -> str | None:
    try:
        from botocore import exceptions
    except ImportError:
        return None
    if isinstance(exc, exceptions.NoRegionError):
        return "no AWS region: pass --region or set AWS_REGION"
    if isinstance(exc, exceptions.NoCredentialsError):
        return "no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
    if isinstance(exc, exceptions.ClientError):
        error = exc.response.get("Error", {})
        return f"AWS {exc.operation_name} failed: {error.get('Code')}: {error.get('Message')}"
    if isinstance(exc, exceptions.BotoCoreError):
        return f"AWS call failed: {exc}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and a documented exit code."""
    args = _parser().parse_args(argv)
    if args.check and args.command is not None:
        print("build.py: error: --check goes without a command", file=sys.stderr)
        return UNAVAILABLE
    try:
        _run(args)
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("build.py: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("BUILD_DEBUG"):
            raise
        message = _aws_message(exc)
        if message is None:
            message = f"unexpected {type(exc).__name__}: {exc} (BUILD_DEBUG=1 shows the traceback)"
        print(f"build.py: error: {message}", file=sys.stderr)
        return FAILED
    return OK


if __name__ == "__main__":
    sys.exit(main())
