"""`build.py push`: ECR login through boto3, tag and push, digest in the manifest, SSM tag set."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import boto3
import pytest

from buildtools import ecr
from buildtools.errors import BuildError
from tests.build.aws_fixtures import put_image

REGION = "us-east-1"
REPOSITORY = "pixel-detector-prod"
REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com"


def _clients(service: str):
    return boto3.client(service, region_name=REGION)


class FakeDocker:
    """Records docker commands; `docker push` stores the image in moto's ECR, like a push."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[tuple[list[str], bytes | None]] = []
        self.fail_on = fail_on

    def __call__(self, argv, stdin=None) -> subprocess.CompletedProcess:
        self.calls.append((list(argv), stdin))
        if self.fail_on and self.fail_on in argv:
            return subprocess.CompletedProcess(argv, 1)
        if argv[1] == "push":
            repository, tag = argv[2].split("/", 1)[1].rsplit(":", 1)
            put_image(_clients("ecr"), repository, tag)
        return subprocess.CompletedProcess(argv, 0)

    def commands(self) -> list[list[str]]:
        return [argv for argv, _ in self.calls]


@pytest.fixture
def repository(moto) -> str:
    _clients("ecr").create_repository(repositoryName=REPOSITORY)
    return REPOSITORY


def _push(tmp_path: Path, docker: FakeDocker, tag: str = "v1.2.3", env: str = "prod"):
    return ecr.push(
        tmp_path, tmp_path / "dist", env, tag, "", _clients, runner=docker,
        preflight=lambda: None, out=lambda line: None,
    )  # fmt: skip


def test_decode_authorization_splits_moto_token_into_registry_user_and_password(moto):
    data = _clients("ecr").get_authorization_token()["authorizationData"][0]
    registry, user, password = ecr.decode_authorization(data)
    assert registry == REGISTRY
    assert user == "AWS"
    assert f"{user}:{password}" == base64.b64decode(data["authorizationToken"]).decode()


def test_login_passes_the_boto3_token_on_stdin_never_on_the_command_line(moto):
    docker = FakeDocker()
    assert ecr.login(_clients("ecr"), docker) == REGISTRY
    ((argv, stdin),) = docker.calls
    assert argv == ["docker", "login", "--username", "AWS", "--password-stdin", REGISTRY]
    assert stdin and stdin.decode() not in " ".join(argv)


def test_push_tags_and_pushes_to_the_env_repository(tmp_path: Path, repository: str):
    docker = FakeDocker()
    _push(tmp_path, docker)
    remote = f"{REGISTRY}/{REPOSITORY}:v1.2.3"
    assert docker.commands() == [
        ["docker", "image", "inspect", "--format", "{{.Id}}", "pixel-detector:v1.2.3"],
        ["docker", "login", "--username", "AWS", "--password-stdin", REGISTRY],
        ["docker", "tag", "pixel-detector:v1.2.3", remote],
        ["docker", "push", remote],
    ]


def test_push_records_the_pushed_digest_in_the_manifest(tmp_path: Path, repository: str):
    record = _push(tmp_path, FakeDocker())
    image = json.loads((tmp_path / "dist/manifest.json").read_text())["image"]["prod"]
    digest = _clients("ecr").describe_images(
        repositoryName=REPOSITORY, imageIds=[{"imageTag": "v1.2.3"}]
    )["imageDetails"][0]["imageDigest"]
    assert image == record
    assert image["digest"] == digest
    assert image["image_uri"] == f"{REGISTRY}/{REPOSITORY}@{digest}"
    assert image["tag"] == "v1.2.3"


def test_push_keeps_the_function_entries_of_the_manifest(tmp_path: Path, repository: str):
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist/manifest.json").write_text('{"functions": {"x": {"sha256": "a"}}}')
    _push(tmp_path, FakeDocker())
    manifest = json.loads((tmp_path / "dist/manifest.json").read_text())
    assert manifest["functions"] == {"x": {"sha256": "a"}}


def test_push_sets_the_ssm_image_tag_terraform_deploys(tmp_path: Path, repository: str):
    _push(tmp_path, FakeDocker())
    parameter = _clients("ssm").get_parameter(Name="/qrstack/prod/scanner/image/tag")
    assert parameter["Parameter"]["Value"] == "v1.2.3"


def test_push_refuses_a_tag_already_in_the_repository(tmp_path: Path, repository: str):
    put_image(_clients("ecr"), REPOSITORY, "v1.2.3")
    docker = FakeDocker()
    with pytest.raises(BuildError, match="already exists"):
        _push(tmp_path, docker)
    assert ["docker", "push"] not in [argv[:2] for argv in docker.commands()]


def test_push_to_a_missing_repository_points_at_terraform_apply(tmp_path: Path, moto):
    with pytest.raises(BuildError, match=r"pixel-detector-prod does not exist.*terraform apply"):
        _push(tmp_path, FakeDocker())


def test_push_without_the_local_image_fails_before_logging_in(tmp_path: Path, repository: str):
    docker = FakeDocker(fail_on="inspect")
    with pytest.raises(BuildError, match=r"no local image pixel-detector:v1\.2\.3") as caught:
        _push(tmp_path, docker)
    assert caught.value.exit_code == 1
    assert len(docker.calls) == 1
