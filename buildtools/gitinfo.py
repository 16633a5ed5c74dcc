"""The git commit behind a set of sources, when the tree is a git checkout."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> str | None:
    if shutil.which("git") is None:
        return None
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


@functools.lru_cache(maxsize=8)
def is_checkout(root: Path) -> bool:
    """True when `root` is the top of a git work tree (not merely inside someone else's)."""
    top = _git(root, "rev-parse", "--show-toplevel")
    return top is not None and Path(top).resolve() == root.resolve()


def head(root: Path) -> str | None:
    """The commit checked out, or None outside git."""
    return _git(root, "rev-parse", "HEAD") if is_checkout(root) else None


def last_commit(root: Path, paths: list[str]) -> str | None:
    """The newest commit that touched `paths`: stable across unrelated commits, None outside git."""
    if not is_checkout(root):
        return None
    return _git(root, "log", "-1", "--format=%H", "--", *paths) or None


def is_dirty(root: Path, paths: list[str]) -> bool:
    """True when `paths` have uncommitted or untracked changes."""
    if not is_checkout(root):
        return False
    return bool(_git(root, "status", "--porcelain", "--", *paths))
