"""npm packages the benchmarks need, installed from a pinned lock file into a scratch folder
under .bench/ (git ignores it), once per lock file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path


def install(package: Path, scratch: Path, purpose: str, env: dict[str, str] | None = None) -> Path:
    """`npm ci` of package/package-lock.json into scratch; exits with one line without npm."""
    if not shutil.which("npm") or not shutil.which("node"):
        raise SystemExit(f"node and npm are needed for {purpose}: apt-get install nodejs npm")
    lock = (package / "package-lock.json").read_bytes()
    marker = scratch / ".installed-lock"
    stamp = hashlib.sha256(lock).hexdigest()
    if marker.exists() and marker.read_text() == stamp:
        return scratch
    scratch.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(package / name, scratch / name)
    print(f"installing {purpose} into {scratch} (npm ci) ...", flush=True)
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=scratch,
        env={**os.environ, **(env or {})},
        check=True,
    )
    marker.write_text(stamp)
    return scratch
