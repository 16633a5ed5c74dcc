"""The web-quality benchmark's npm install: one clear line without npm, nothing run twice."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

# benchmarks/ is a folder of scripts, not a package
import npm_scratch

PACKAGE = Path(__file__).resolve().parents[2] / "benchmarks" / "lighthouse"


def test_without_npm_the_bench_stops_with_one_line_saying_so(monkeypatch, tmp_path):
    monkeypatch.setattr(npm_scratch.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit) as stopped:
        npm_scratch.install(PACKAGE, tmp_path / "lh", "the web-quality benchmark (Lighthouse)")
    message = str(stopped.value)
    assert message == (
        "node and npm are needed for the web-quality benchmark (Lighthouse):"
        " apt-get install nodejs npm"
    )
    assert not (tmp_path / "lh").exists()


def test_an_install_of_the_same_lock_file_is_not_repeated(monkeypatch, tmp_path):
    scratch = tmp_path / "lh"
    scratch.mkdir()
    lock = (PACKAGE / "package-lock.json").read_bytes()
    (scratch / ".installed-lock").write_text(hashlib.sha256(lock).hexdigest())
    monkeypatch.setattr(npm_scratch.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(npm_scratch.subprocess, "run", lambda *a, **k: pytest.fail("npm ran"))
    assert npm_scratch.install(PACKAGE, scratch, "Lighthouse") == scratch
