"""This process's descendants, read from /proc: the browser, its memory, a last-resort kill."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

_PROC = Path("/proc")


def _parent_of(pid: int) -> int | None:
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces; fields resume after the last ')'.
    return int(stat.rsplit(")", 1)[1].split()[1])


def descendants(root: int | None = None) -> list[int]:
    """Every live process below `root` (default: this process)."""
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir() if _PROC.exists() else ():
        if entry.name.isdigit():
            parent = _parent_of(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of one process, 0 when it is gone."""
    try:
        for line in (_PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def kill_tree(pid: int) -> None:
    """SIGKILL `pid` and everything below it."""
    for victim in [pid, *descendants(pid)]:
        with contextlib.suppress(OSError):
            os.kill(victim, signal.SIGKILL)


def new_children(before: set[int], parent: int | None = None) -> list[int]:
    """Direct children of `parent` (default: this process) that were not in `before`."""
    parent = os.getpid() if parent is None else parent
    return [pid for pid in descendants(parent) if pid not in before and _parent_of(pid) == parent]
