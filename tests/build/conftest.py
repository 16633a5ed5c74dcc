"""Fixtures for the build tests: copies of the project tree and a way to run build.py on them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What build.py needs from a checkout; the copies hold nothing else.
TREE = ("build.py", "buildtools", "handlers", "pyproject.toml")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def copy_tree(target: Path) -> Path:
    """A fresh copy of the files build.py reads, at `target`."""
    target.mkdir(parents=True)
    for name in TREE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=_IGNORE)
        else:
            shutil.copy2(source, target / name)
    return target


def run_build(root: Path, *args: str, umask: int | None = None) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` in `root`, as a user would."""

    def preexec() -> None:
        if umask is not None:
            import os

            os.umask(umask)

    return subprocess.run(
        [sys.executable, str(root / "build.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec if umask is not None else None,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project tree outside git, in a temporary directory."""
    return copy_tree(tmp_path / "project")


@pytest.fixture
def build() -> Callable[..., subprocess.CompletedProcess]:
    return run_build


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ built once from the real tree, for the tests that only read artifacts."""
    root = copy_tree(tmp_path_factory.mktemp("built") / "project")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "dist"
