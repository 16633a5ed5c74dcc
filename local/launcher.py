"""Start `python -m local` as a child process on free ports and wait until it is serving.

Used by the end-to-end tests and the benchmarks, which need a stack of their own.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent


class StackDidNotStart(RuntimeError):
    """The child exited, or wrote no stack.json in time."""


def build_artifacts(dist: Path) -> None:
    """`python build.py --dist DIST`: the ZIPs the stack will run."""
    subprocess.run(
        [sys.executable, "build.py", "--dist", str(dist)], cwd=ROOT, check=True, capture_output=True
    )


def launch(
    state: Path,
    dist: Path,
    *extra_args: str,
    output: IO[Any] | int = subprocess.DEVNULL,
    env: dict[str, str] | None = None,
) -> subprocess.Popen:
    """A stack on free ports keeping its state (lock, stack.json) in `state`."""
    command = [
        sys.executable,
        "-m",
        "local",
        "--port",
        "0",
        "--state-dir",
        str(state),
        "--dist",
        str(dist),
        "--no-config-file",
        *extra_args,
    ]
    return subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env=env)


def wait_until_ready(process: subprocess.Popen, state: Path, timeout: float = 90) -> dict:
    """The stack's stack.json (URLs, pids) once written; StackDidNotStart otherwise."""
    info_path = state / "stack.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if info_path.exists():
            return json.loads(info_path.read_text())
        if process.poll() is not None:
            raise StackDidNotStart(f"the local stack exited with {process.returncode}")
        time.sleep(0.02)
    process.kill()
    raise StackDidNotStart(f"the local stack was not ready after {timeout:.0f} s")


def stop(process: subprocess.Popen, timeout: float = 30) -> int:
    """Ctrl-C, as a user stops `make up`; kill only if it does not stop in time."""
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


@dataclass(frozen=True)
class ScratchStack:
    """A started stack's URLs and how long it took from launch to serving."""

    urls: dict[str, str]
    ready_seconds: float
    state: Path


@contextmanager
def scratch_stack(*extra_args: str) -> Iterator[ScratchStack]:
    """A stack from freshly built ZIPs in a temporary folder, stopped on exit (benchmarks)."""
    with tempfile.TemporaryDirectory() as folder:
        state = Path(folder)
        build_artifacts(state / "dist")
        started = time.perf_counter()
        process = launch(state, state / "dist", *extra_args)
        try:
            urls = wait_until_ready(process, state)["urls"]
            yield ScratchStack(urls, time.perf_counter() - started, state)
        finally:
            if process.poll() is None:
                stop(process)
