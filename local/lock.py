"""One local stack per state directory: an flock held for the stack's lifetime."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another stack holds the lock; `info` is what it wrote to stack.json (pid, URLs)."""

    def __init__(self, info: dict) -> None:
        pid = info.get("pid", "?")
        super().__init__(f"the local stack is already running (pid {pid})")
        self.info = info


class StackLock:
    """Hold `<state_dir>/up.lock`; the kernel releases it when the process dies, however it dies."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.path = state_dir / "up.lock"
        self.info_path = state_dir / "stack.json"
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(self.read_info()) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def read_info(self) -> dict:
        """What the running stack published, or {} before it has."""
        try:
            return json.loads(self.info_path.read_text())
        except (OSError, ValueError):
            try:
                return {"pid": int(self.path.read_text().strip() or 0)}
            except (OSError, ValueError):
                return {}

    def publish(self, info: dict) -> None:
        """Write stack.json (pid and URLs) for the next `make up`, tests and tools."""
        temporary = self.info_path.with_suffix(".tmp")
        # It holds the local scanner key: readable by this user only.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(json.dumps(info, indent=2) + "\n")
        temporary.replace(self.info_path)

    def release(self) -> None:
        """Remove stack.json and let go of the lock."""
        if self._fd is None:
            return
        self.info_path.unlink(missing_ok=True)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
