"""Names shared by build.py, Terraform and the runbook: keep them in this one place."""

from __future__ import annotations

import re

from buildtools.errors import UNAVAILABLE, BuildError

ENVIRONMENTS = ("dev", "staging", "prod")
PROJECT = "qrstack"  # Terraform's var.project default
IMAGE_NAME = "pixel-detector"
LIVE_ALIAS = "live"
# Docker's tag grammar; `latest` is refused on top of it because it pins nothing.
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]{0,30}$|^$")


def validate_tag(tag: str) -> str:
    """The tag, or a BuildError saying why it cannot name a release."""
    if tag.lower() == "latest":
        raise BuildError(
            "the tag `latest` is refused: give a release tag such as v1.2.3", UNAVAILABLE
        )
    if not _TAG.match(tag):
        raise BuildError(
            f"{tag!r} is not a valid image tag (letters, digits, _ . -, at most 128)", UNAVAILABLE
        )
    return tag


def validate_prefix(prefix: str) -> str:
    """The name prefix (may be empty), or a BuildError."""
    if not _PREFIX.match(prefix):
        raise BuildError(
            f"{prefix!r} is not a valid name prefix (lower-case letters, digits, -)", UNAVAILABLE
        )
    return prefix


def repository_name(env: str, prefix: str = "") -> str:
    """The environment's ECR repository, e.g. pixel-detector-prod."""
    return f"{prefix}{IMAGE_NAME}-{env}"


def function_name(env: str, prefix: str = "") -> str:
    """The scanner function, e.g. pixel-detector-prod."""
    return f"{prefix}{IMAGE_NAME}-{env}"


def image_tag_parameter(env: str, prefix: str = "", project: str = PROJECT) -> str:
    """The SSM parameter holding the tag Terraform deploys, e.g. /qrstack/prod/scanner/image/tag."""
    return f"/{prefix}{project}/{env}/scanner/image/tag"


def deployed_function_name(base: str, env: str, prefix: str = "") -> str:
    """A function's deployed name from its settings.py FUNCTION_NAME, e.g. visitor-counter-prod."""
    return f"{prefix}{base}-{env}"


def live_version_pin_parameter(
    base: str, env: str, prefix: str = "", project: str = PROJECT
) -> str:
    """The SSM parameter pinning a ZIP function's alias live: /qrstack/prod/rollback/<base>."""
    return f"/{prefix}{project}/{env}/rollback/{base}"
