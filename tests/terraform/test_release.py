"""`build.py release`, make deploy's image step: build and push a tag ECR lacks, only record one
it has, so re-running a deploy after any failure converges."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from buildtools import ecr
from buildtools.errors import BuildError
from tests.build.aws_fixtures import put_image

REGION, REPOSITORY, PARAMETER = "us-east-1", "pixel-detector-dev", "/qrstack/dev/scanner/image/tag"


def _clients(service: str):
    """moto's clients (the `moto` fixture is active), as build.py makes them."""
    return boto3.client(service, region_name=REGION)


class Steps:
    """The build and push release runs, recorded; push stores the image as docker push would."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def build(self) -> None:
        self.calls.append("build")

    def push(self) -> dict[str, str]:
        self.calls.append("push")
        put_image(_clients("ecr"), REPOSITORY, "v1.0.0")
        return {"tag": "v1.0.0"}


def _release(tmp_path: Path, steps: Steps, tag: str = "v1.0.0") -> dict[str, str]:
    return ecr.release(
        _clients, "dev", tag, build=steps.build, push_image=steps.push,
        checkout=(tmp_path, tmp_path / "dist"), out=lambda line: None,
    )  # fmt: skip


@pytest.fixture
def repository(moto) -> str:
    _clients("ecr").create_repository(repositoryName=REPOSITORY)
    _clients("ssm").put_parameter(Name=PARAMETER, Value="(none)", Type="String")
    return REPOSITORY


def test_a_tag_ecr_lacks_is_built_then_pushed(tmp_path, repository):
    steps = Steps()

    assert _release(tmp_path, steps) == {"tag": "v1.0.0"}
    assert steps.calls == ["build", "push"]


def test_a_tag_ecr_has_is_recorded_without_docker(tmp_path, repository):
    digest = put_image(_clients("ecr"), REPOSITORY, "v1.0.0")
    steps = Steps()

    record = _release(tmp_path, steps)

    assert steps.calls == []
    assert record["digest"] == digest
    assert _clients("ssm").get_parameter(Name=PARAMETER)["Parameter"]["Value"] == "v1.0.0"
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text())
    assert manifest["image"]["dev"]["image_uri"].endswith(f"/{REPOSITORY}@{digest}")


def test_releasing_an_earlier_tag_points_the_deploy_back_at_it(tmp_path, repository):
    put_image(_clients("ecr"), REPOSITORY, "v1.0.0")
    put_image(_clients("ecr"), REPOSITORY, "v1.1.0")

    _release(tmp_path, Steps(), tag="v1.0.0")

    assert _clients("ssm").get_parameter(Name=PARAMETER)["Parameter"]["Value"] == "v1.0.0"


def test_without_the_repository_release_says_to_create_it_first(tmp_path, moto):
    with pytest.raises(BuildError, match="ECR repository pixel-detector-dev does not exist"):
        _release(tmp_path, Steps())


def test_latest_is_refused_before_anything_runs(tmp_path, repository):
    steps = Steps()

    with pytest.raises(BuildError, match="`latest` is refused"):
        _release(tmp_path, steps, tag="latest")
    assert steps.calls == []
