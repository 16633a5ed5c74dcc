"""Artifact sizes and build time: cold vs incremental, beside a plain shutil.make_archive.

Run: .venv/bin/python benchmarks/bench_build.py   (or `make bench`)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from buildtools import zips  # noqa: E402

RUNS = 7


def _copy(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("build.py", "buildtools", "handlers", "pyproject.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def _median_ms(action, setup=lambda: None) -> float:
    samples = []
    for _ in range(RUNS):
        setup()
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _cli_ms(root: Path, *args: str, setup=lambda: None) -> float:
    command = [sys.executable, str(root / "build.py"), *args]
    return _median_ms(lambda: subprocess.run(command, check=True, capture_output=True), setup)


def _naive_zip(root: Path, package: str, out: Path) -> bytes:
    """What a hand-rolled build does: zip the folders as they are on disk (mtimes, modes, order)."""
    staging = out.with_suffix("")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "handlers").mkdir(parents=True)
    shutil.copy2(root / "handlers/__init__.py", staging / "handlers/__init__.py")
    for folder in ("core", package):
        shutil.copytree(root / "handlers" / folder, staging / "handlers" / folder)
    archive = shutil.make_archive(str(staging), "zip", staging)
    return Path(archive).read_bytes()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = _copy(Path(tmp) / "project")
        dist = root / "dist"
        services = zips.zip_services(root)

        def wipe() -> None:
            shutil.rmtree(dist, ignore_errors=True)

        cold = _median_ms(lambda: zips.build(root, dist), wipe)
        zips.build(root, dist)
        warm = _median_ms(lambda: zips.build(root, dist))
        counter = root / "handlers/counter/store.py"
        original = counter.read_text()
        edits = iter(range(1, RUNS + 1))

        def touch_counter() -> None:
            counter.write_text(original + "\n" * next(edits))

        one_changed = _median_ms(lambda: zips.build(root, dist), touch_counter)
        # The sizes below are of the real sources, not of the edited copy.
        counter.write_text(original)
        zips.build(root, dist)
        check = _median_ms(lambda: zips.check(root, dist))
        cli_cold = _cli_ms(root, setup=wipe)
        cli_warm = _cli_ms(root)

        naive_ms = _median_ms(
            lambda: [_naive_zip(root, s.package, Path(tmp) / "naive" / s.package) for s in services]
        )
        first = _naive_zip(root, "counter", Path(tmp) / "naive-a" / "counter")
        os.utime(counter, (1_900_000_000, 1_900_000_000))
        second = _naive_zip(root, "counter", Path(tmp) / "naive-b" / "counter")
        naive_reproducible = hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
        ours_a = (dist / "visitor-counter.zip").read_bytes()
        zips.build(root, dist)
        ours_reproducible = ours_a == (dist / "visitor-counter.zip").read_bytes()

        print(
            f"build time, median of {RUNS} ({len(services)} ZIPs)    build.py   shutil.make_archive"
        )
        print(f"  cold (empty dist/), in process        {cold:8.1f} ms  {naive_ms:8.1f} ms")
        print(f"  incremental, nothing changed          {warm:8.1f} ms  (always rebuilds)")
        print(f"  incremental, one service changed      {one_changed:8.1f} ms")
        print(f"  --check                               {check:8.1f} ms")
        print(f"  `python build.py` cold / unchanged    {cli_cold:8.1f} ms / {cli_warm:.1f} ms")
        same = f"{ours_reproducible!s:>8}     {naive_reproducible!s:>8}"
        print(f"  same bytes after an mtime change      {same}")
        print()
        print("artifact                      zip bytes  source bytes  files   make_archive bytes")
        for service in services:
            path = dist / f"{service.function_name}.zip"
            with zipfile.ZipFile(path) as archive:
                infos = archive.infolist()
            raw = sum(i.file_size for i in infos)
            naive = len(_naive_zip(root, service.package, Path(tmp) / "size" / service.package))
            size = path.stat().st_size
            name = service.function_name
            print(f"  {name:<26} {size:>9,}  {raw:>12,}  {len(infos):>5}   {naive:>10,}")


if __name__ == "__main__":
    main()
