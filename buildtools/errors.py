"""The one exception the CLI turns into a single error line and an exit code."""

from __future__ import annotations

# Exit codes of build.py, documented in docs/build.md.
OK = 0
FAILED = 1  # a refused source, drift, an unknown tag or function, an AWS error
UNAVAILABLE = 2  # wrong usage, or a tool the command needs (docker, its engine) is missing


class BuildError(Exception):
    """A failure the user can act on; `str()` is the whole message, one line."""

    def __init__(self, message: str, exit_code: int = FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code
