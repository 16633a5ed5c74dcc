"""`build.py image --tag TAG`: build the scanner's container image for Lambda."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from buildtools import docker, gitinfo, sources
from buildtools.errors import UNAVAILABLE, BuildError
from buildtools.naming import validate_tag
from buildtools.services import Service, discover


def scanner_service(root: Path) -> Service:
    """The one service packaged as an image."""
    images = [s for s in discover(root) if s.package_type == "Image"]
    if len(images) != 1:
        raise BuildError(f"expected exactly one Image service under handlers/, found {len(images)}")
    return images[0]


def revision_tag(root: Path) -> str:
    """The git commit as an image tag, marked -dirty when the tree has uncommitted changes."""
    sha = gitinfo.head(root)
    if sha is None:
        raise BuildError(
            f"{root} is not a git checkout: the image needs a commit to tag", UNAVAILABLE
        )
    return f"{sha}-dirty" if gitinfo.is_dirty(root, ["handlers"]) else sha


def plan(root: Path, tag: str) -> list[str]:
    """Check everything that can be checked without Docker, and return the build command."""
    validate_tag(tag)
    if not (root / docker.DOCKERFILE).is_file():
        raise BuildError(f"{docker.DOCKERFILE} not found")
    dockerfile = (root / docker.DOCKERFILE).read_text()
    docker.base_image(dockerfile)
    pins = docker.image_pins((root / "pyproject.toml").read_text())
    defaults = docker.dockerfile_pins(dockerfile)
    for package, version in pins.items():
        if defaults[package] != version:
            raise BuildError(
                f"{docker.DOCKERFILE}: {docker.version_arg(package)} must default to {version}, "
                "the pin in pyproject.toml"
            )
    service = scanner_service(root)
    sources.check(sources.collect(root, service), service)
    revision = revision_tag(root)
    return docker.build_command(tag, revision, pins, revision.removesuffix("-dirty"))


def build_image(
    root: Path,
    tag: str,
    runner: docker.Runner = docker.run_process,
    preflight: Callable[[], None] = docker.require_docker,
) -> list[str]:
    """Build pixel-detector:TAG and pixel-detector:<git-sha>; return the two local references."""
    command = plan(root, tag)
    preflight()
    docker.run(command, runner)
    return [command[i + 1] for i, arg in enumerate(command) if arg == "--tag"]
