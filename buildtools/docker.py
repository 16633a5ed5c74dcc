"""Docker command lines (pure functions) and the one place that runs them."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from buildtools.errors import FAILED, UNAVAILABLE, BuildError
from buildtools.naming import IMAGE_NAME

DOCKERFILE = Path("handlers/scanner/Dockerfile")
PLATFORM = "linux/amd64"
_PINNED_FROM = re.compile(r"^FROM\s+(?:--platform=\S+\s+)?(\S+@sha256:([0-9a-f]{64}))(\s|$)", re.M)
_ANY_FROM = re.compile(r"^FROM\s+(\S+)", re.M)
_PLAYWRIGHT_PIN = re.compile(r"""["']playwright==([0-9][0-9A-Za-z.]*)["']""")
_PLAYWRIGHT_ARG = re.compile(r"^ARG\s+PLAYWRIGHT_VERSION=(\S+)", re.M)

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


def playwright_pin(pyproject_text: str) -> str:
    """The Playwright version pinned in pyproject.toml, which the image must use too."""
    match = _PLAYWRIGHT_PIN.search(pyproject_text)
    if match is None:
        raise BuildError("pyproject.toml pins no playwright==X.Y.Z")
    return match.group(1)


def dockerfile_playwright(dockerfile_text: str) -> str | None:
    """The default of the Dockerfile's PLAYWRIGHT_VERSION build argument."""
    match = _PLAYWRIGHT_ARG.search(dockerfile_text)
    return match.group(1) if match else None


def local_ref(tag: str) -> str:
    """pixel-detector:TAG"""
    return f"{IMAGE_NAME}:{tag}"


def build_command(tag: str, revision_tag: str, playwright: str, revision: str) -> list[str]:
    """docker buildx build for Lambda: amd64, a plain manifest (no provenance), loaded locally."""
    return [
        "docker", "buildx", "build",
        "--platform", PLATFORM,
        "--provenance=false",
        "--sbom=false",
        "--load",
        "--file", DOCKERFILE.as_posix(),
        "--build-arg", f"PLAYWRIGHT_VERSION={playwright}",
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
