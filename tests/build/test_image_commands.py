"""The scanner image: Dockerfile, docker command lines, and clear exits where Docker is absent.

No Docker engine exists here, so the commands are checked as data and docker itself is faked.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from buildtools import docker, image
from buildtools.errors import UNAVAILABLE, BuildError
from tests.build.conftest import ROOT

DOCKERFILE = (ROOT / "handlers/scanner/Dockerfile").read_text()
PYPROJECT = (ROOT / "pyproject.toml").read_text()


def _completed(code: int) -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess([], code, b"", b"")


def test_build_command_targets_lambda_amd64_without_provenance_and_tags_tag_and_commit():
    pins = {"playwright": "1.65.2", "publicsuffixlist": "1.1.2.20261023"}
    command = docker.build_command("v1.2.3", "abc123", pins, "abc123")
    assert command[:3] == ["docker", "buildx", "build"]
    assert command[command.index("--platform") + 1] == "linux/amd64"
    assert "--provenance=false" in command and "--load" in command
    assert command[command.index("--file") + 1] == "handlers/scanner/Dockerfile"
    tags = [command[i + 1] for i, arg in enumerate(command) if arg == "--tag"]
    assert tags == ["pixel-detector:v1.2.3", "pixel-detector:abc123"]
    assert "PLAYWRIGHT_VERSION=1.65.2" in command
    assert "PUBLICSUFFIXLIST_VERSION=1.1.2.20261023" in command
    assert command[-1] == "."


def test_plan_tags_the_image_with_the_checked_out_commit():
    command = image.plan(ROOT, "v1.2.3")
    tags = [command[i + 1] for i, arg in enumerate(command) if arg == "--tag"]
    assert tags[0] == "pixel-detector:v1.2.3"
    assert re.fullmatch(r"pixel-detector:[0-9a-f]{40}(-dirty)?", tags[1])


@pytest.mark.parametrize("tag", ["latest", "LATEST"])
def test_latest_is_refused(tag: str):
    with pytest.raises(BuildError) as caught:
        image.plan(ROOT, tag)
    assert caught.value.exit_code == UNAVAILABLE
    assert "latest" in str(caught.value)


def test_an_invalid_tag_is_refused():
    with pytest.raises(BuildError, match="not a valid image tag"):
        image.plan(ROOT, "v1/2")


def test_the_base_image_is_the_lambda_python_312_image_pinned_by_digest():
    assert re.fullmatch(
        r"public\.ecr\.aws/lambda/python:3\.12@sha256:[0-9a-f]{64}", docker.base_image(DOCKERFILE)
    )


def test_an_unpinned_base_image_is_refused():
    with pytest.raises(BuildError, match="not pinned"):
        docker.base_image("FROM public.ecr.aws/lambda/python:3.12\n")


def test_a_placeholder_digest_is_refused():
    with pytest.raises(BuildError, match="placeholder"):
        docker.base_image(f"FROM public.ecr.aws/lambda/python:3.12@sha256:{'0' * 64}\n")


def test_the_image_uses_the_package_versions_pinned_in_pyproject():
    pins = docker.image_pins(PYPROJECT)
    assert pins["playwright"] == "1.65.2"
    assert pins["publicsuffixlist"] == "1.1.2.20261023"
    assert docker.dockerfile_pins(DOCKERFILE) == pins


def test_a_dockerfile_version_that_differs_from_the_pin_is_refused(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    dockerfile = tmp_path / "handlers/scanner/Dockerfile"
    dockerfile.parent.mkdir(parents=True)
    dockerfile.write_text(
        DOCKERFILE.replace("PUBLICSUFFIXLIST_VERSION=1.1", "PUBLICSUFFIXLIST_VERSION=0.9")
    )
    with pytest.raises(
        BuildError, match=re.escape("PUBLICSUFFIXLIST_VERSION must default to 1.1.2.20261023")
    ):
        image.plan(tmp_path, "v1.2.3")


def test_the_dockerfile_runs_the_scanner_handler_with_browsers_inside_the_image():
    assert 'CMD ["handlers.scanner.app.lambda_handler"]' in DOCKERFILE
    assert "HOME=/tmp" in DOCKERFILE
    assert "PLAYWRIGHT_BROWSERS_PATH=/opt/ms-playwright" in DOCKERFILE
    assert "playwright install chromium" in DOCKERFILE


@pytest.mark.parametrize(
    "package",
    ["nss", "nspr", "atk", "at-spi2-atk", "cups-libs", "libdrm", "libxkbcommon", "libXcomposite",
     "libXdamage", "libXrandr", "mesa-libgbm", "pango", "alsa-lib", "cairo"],
)  # fmt: skip
def test_the_dockerfile_installs_the_libraries_chromium_needs(package: str):
    assert re.search(rf"\s{re.escape(package)}\s", DOCKERFILE)


def test_the_image_copies_only_the_package_root_core_and_scanner():
    copies = re.findall(r"^COPY\s+(\S+)", DOCKERFILE, re.M)
    assert copies == ["handlers/__init__.py", "handlers/core", "handlers/scanner"]


def test_the_build_context_excludes_everything_but_what_the_image_copies():
    lines = [
        line
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert lines[0] == "*"
    assert {line for line in lines if line.startswith("!")} == {
        "!handlers/__init__.py",
        "!handlers/core/",
        "!handlers/scanner/",
    }


def test_missing_docker_client_exits_2():
    with pytest.raises(BuildError) as caught:
        docker.require_docker(which=lambda name: None)
    assert caught.value.exit_code == UNAVAILABLE
    assert "docker is not installed" in str(caught.value)


def test_unreachable_docker_engine_exits_2():
    with pytest.raises(BuildError) as caught:
        docker.require_docker(runner=lambda argv, stdin: _completed(1), which=lambda n: "/x/docker")
    assert caught.value.exit_code == UNAVAILABLE
    assert "engine is not reachable" in str(caught.value)


def test_missing_buildx_exits_2():
    def runner(argv, stdin):
        return _completed(1 if "buildx" in argv else 0)

    with pytest.raises(BuildError, match="buildx") as caught:
        docker.require_docker(runner=runner, which=lambda n: "/x/docker")
    assert caught.value.exit_code == UNAVAILABLE


def test_build_image_runs_the_planned_command_once_docker_is_there():
    calls = []
    refs = image.build_image(
        ROOT, "v1.2.3", runner=lambda argv, stdin: calls.append(argv) or _completed(0),
        preflight=lambda: None,
    )  # fmt: skip
    assert calls == [image.plan(ROOT, "v1.2.3")]
    assert refs[0] == "pixel-detector:v1.2.3"


def test_a_failing_docker_build_is_one_error_naming_the_command():
    with pytest.raises(BuildError, match="docker buildx build` failed with exit code 17"):
        image.build_image(
            ROOT, "v1.2.3", runner=lambda argv, stdin: _completed(17), preflight=lambda: None
        )


def _cli(tmp_path: Path, fake_docker: str | None, *args: str) -> subprocess.CompletedProcess:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if fake_docker is not None:
        script = bin_dir / "docker"
        script.write_text(f"#!/bin/sh\n{fake_docker}\n")
        script.chmod(0o755)
    git_dir = os.path.dirname(subprocess.check_output(["which", "git"], text=True).strip())
    env = {"PATH": f"{bin_dir}:{git_dir}", "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_cli_image_without_docker_exits_2_with_one_line(tmp_path: Path):
    result = _cli(tmp_path, None, "image", "--tag", "v1.2.3")
    assert result.returncode == 2
    assert result.stderr == "build.py: error: docker is not installed (no `docker` on PATH)\n"


def test_cli_image_without_an_engine_exits_2_with_one_line(tmp_path: Path):
    result = _cli(tmp_path, 'echo "Cannot connect to the Docker daemon" >&2; exit 1', "image",
                  "--tag", "v1.2.3")  # fmt: skip
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "Docker engine is not reachable" in result.stderr


def test_cli_push_without_an_engine_exits_2_before_touching_aws(tmp_path: Path):
    result = _cli(tmp_path, "exit 1", "push", "--env", "prod", "--tag", "v1.2.3")
    assert result.returncode == 2
    assert "Docker engine is not reachable" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [["image", "--tag", "latest"], ["push", "--env", "dev", "--tag", "latest"],
     ["rollback", "--env", "dev", "--tag", "latest"]],
)  # fmt: skip
def test_cli_refuses_latest_everywhere_with_exit_2(tmp_path: Path, args: list[str]):
    result = _cli(tmp_path, "exit 1", *args)
    assert result.returncode == 2
    assert "the tag `latest` is refused" in result.stderr
