"""Start `python -m local` as a child process on free ports and wait until it is serving.

Used by the end-to-end tests and the benchmark, which need a stack of their own.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
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
