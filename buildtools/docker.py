"""Docker command lines (pure functions) and the one place that runs them."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from buildtools.errors import FAILED, UNAVAILABLE, BuildError
from buildtools.naming import IMAGE_NAME
from buildtools.sources import IMAGE_PACKAGES

DOCKERFILE = Path("handlers/scanner/Dockerfile")
PLATFORM = "linux/amd64"
_PINNED_FROM = re.compile(r"^FROM\s+(?:--platform=\S+\s+)?(\S+@sha256:([0-9a-f]{64}))(\s|$)", re.M)
_ANY_FROM = re.compile(r"^FROM\s+(\S+)", re.M)

# (argv, stdin) -> CompletedProcess; tests replace it with a recorder.
Runner = Callable[[Sequence[str], bytes | None], subprocess.CompletedProcess]


def run_process(argv: Sequence[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run a command, letting its output stream to the terminal."""
    return subprocess.run(list(argv), input=stdin, check=False)


def _quiet(argv: Sequence[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), input=stdin, capture_output=True, check=False, timeout=60)


def base_image(dockerfile_text: str) -> str:
    """The FROM image, which must be pinned by a real sha256 digest."""
    pinned = _PINNED_FROM.search(dockerfile_text)
    if pinned is None:
        found = _ANY_FROM.search(dockerfile_text)
        raise BuildError(
            f"{DOCKERFILE}: base image {found.group(1) if found else '(none)'} is not pinned "
            "by @sha256 digest"
        )
    if set(pinned.group(2)) == {"0"}:
        raise BuildError(f"{DOCKERFILE}: the base image digest is still the placeholder")
    return pinned.group(1)


def version_arg(package: str) -> str:
    """The Dockerfile build argument carrying a package's version: PLAYWRIGHT_VERSION, ..."""
    return f"{package.upper()}_VERSION"


def image_pins(pyproject_text: str) -> dict[str, str]:
    """The versions pyproject.toml pins for the packages the image adds, which it must use too."""
    pins = {}
    for package in sorted(IMAGE_PACKAGES):
        match = re.search(rf"""["']{package}==([0-9][0-9A-Za-z.]*)["']""", pyproject_text)
        if match is None:
            raise BuildError(f"pyproject.toml pins no {package}==X.Y.Z")
        pins[package] = match.group(1)
    return pins


def dockerfile_pins(dockerfile_text: str) -> dict[str, str | None]:
    """The defaults of the Dockerfile's <PACKAGE>_VERSION build arguments (None where absent)."""
    found = {}
    for package in sorted(IMAGE_PACKAGES):
        match = re.search(rf"^ARG\s+{version_arg(package)}=(\S+)", dockerfile_text, re.M)
        found[package] = match.group(1) if match else None
    return found


def local_ref(tag: str) -> str:
    """pixel-detector:TAG"""
    return f"{IMAGE_NAME}:{tag}"


def build_command(tag: str, revision_tag: str, pins: dict[str, str], revision: str) -> list[str]:
    """docker buildx build for Lambda: amd64, a plain manifest (no provenance), loaded locally."""
    return [
        "docker", "buildx", "build",
        "--platform", PLATFORM,
        "--provenance=false",
        "--sbom=false",
        "--load",
        "--file", DOCKERFILE.as_posix(),
        *(arg for package, version in sorted(pins.items())
          for arg in ("--build-arg", f"{version_arg(package)}={version}")),
        "--label", f"org.opencontainers.image.revision={revision}",
        "--tag", local_ref(tag),
        "--tag", local_ref(revision_tag),
        ".",
    ]  # fmt: skip


def inspect_command(ref: str) -> list[str]:
    """Succeeds only when the image exists locally."""
    return ["docker", "image", "inspect", "--format", "{{.Id}}", ref]


def tag_command(source: str, target: str) -> list[str]:
    return ["docker", "tag", source, target]


def push_command(ref: str) -> list[str]:
    return ["docker", "push", ref]


def login_command(registry: str, username: str) -> list[str]:
    """docker login reading the password from stdin, so it never shows in `ps`."""
    return ["docker", "login", "--username", username, "--password-stdin", registry]


def require_docker(
    runner: Runner = _quiet, which: Callable[[str], str | None] = shutil.which
) -> None:
    """Raise BuildError (exit 2) unless the docker client, its engine and buildx are usable."""
    if which("docker") is None:
        raise BuildError("docker is not installed (no `docker` on PATH)", UNAVAILABLE)
    try:
        engine = runner(["docker", "info", "--format", "{{.ServerVersion}}"], None)
    except (OSError, subprocess.SubprocessError) as exc:
        raise BuildError(f"docker could not be run: {exc}", UNAVAILABLE) from None
    if engine.returncode != 0:
        raise BuildError(
            "the Docker engine is not reachable (is the daemon running, or DOCKER_HOST set?)",
            UNAVAILABLE,
        )
    if runner(["docker", "buildx", "version"], None).returncode != 0:
        raise BuildError("docker buildx is not installed; it builds the Lambda image", UNAVAILABLE)


def run(argv: Sequence[str], runner: Runner = run_process, stdin: bytes | None = None) -> None:
    """Run one docker command; a non-zero exit becomes a BuildError naming it."""
    try:
        result = runner(argv, stdin)
    except (OSError, subprocess.SubprocessError) as exc:
        raise BuildError(f"`{' '.join(argv[:3])}` could not run: {exc}", UNAVAILABLE) from None
    if result.returncode != 0:
        raise BuildError(
            f"`{' '.join(argv[:3])}` failed with exit code {result.returncode}", FAILED
        )
