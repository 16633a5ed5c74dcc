"""The same sources give the same bytes, whatever the mtimes, modes, umask, path or file order."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.build.conftest import ROOT, TREE, copy_tree


def _shuffled_copy(target: Path) -> Path:
    """A copy written in reverse order, with other mtimes and permissions than the original."""
    files = []
    for name in TREE:
        source = ROOT / name
        files += [source] if source.is_file() else sorted(source.rglob("*"))
    for source in reversed(files):
        if source.is_dir() or "__pycache__" in source.parts or source.suffix == ".pyc":
            continue
        dest = target / source.relative_to(ROOT)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        dest.chmod(0o755 if dest.suffix == ".py" else 0o600)
        os.utime(dest, (1_900_000_000, 1_900_000_000))
    return target


def _artifacts(dist: Path) -> dict[str, str]:
    manifest = json.loads((dist / "manifest.json").read_text())
    return {name: entry["sha256"] for name, entry in manifest["functions"].items()}


def test_two_copies_with_other_names_mtimes_modes_order_and_umask_give_identical_zips(
    tmp_path: Path, build
):
    first = copy_tree(tmp_path / "checkout-one")
    second = _shuffled_copy(tmp_path / "a" / "differently named checkout")
    assert build(first, umask=0o022).returncode == 0
    assert build(second, umask=0o077).returncode == 0
    assert _artifacts(first / "dist") == _artifacts(second / "dist")
    for zip_path in (first / "dist").glob("*.zip"):
        assert zip_path.read_bytes() == (second / "dist" / zip_path.name).read_bytes()


def test_windows_line_endings_give_the_same_zip(tmp_path: Path, build):
    first = copy_tree(tmp_path / "unix")
    second = copy_tree(tmp_path / "windows")
    for path in (second / "handlers").rglob("*.py"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert build(first).returncode == 0
    assert build(second).returncode == 0
    assert _artifacts(first / "dist") == _artifacts(second / "dist")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_fresh_clones_give_identical_manifests(tmp_path: Path, build):
    manifests = []
    for name in ("clone-a", "clone-b"):
        target = tmp_path / name
        subprocess.run(
            ["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(target)],
            check=True,
            timeout=120,
        )
        result = build(target)
        assert result.returncode == 0, result.stderr
        manifests.append((target / "dist/manifest.json").read_text())
    assert manifests[0] == manifests[1]
    commits = {e["commit"] for e in json.loads(manifests[0])["functions"].values()}
    assert all(commit and len(commit) == 40 for commit in commits)
