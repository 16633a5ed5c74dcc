"""`python -m handlers.scanner URL` as a real process: the refusals it prints and exits with."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "handlers.scanner", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("url", "host"),  # the engine refuses these before any browser starts
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://169.254.169.254/", "169.254.169.254"),
        ("http://0x7f000001/", "127.0.0.1"),
    ],
)
def test_a_private_target_prints_a_blocked_address_result_and_exits_1(url: str, host: str) -> None:
    done = run_cli(url)
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["error"] == "blocked_address"
    assert result["errorMessage"] == f"{host} leads to a non-public address"
    assert (result["pixels"], result["finalUrl"]) == ([], None)
    assert done.stderr == ""


def test_help_describes_the_command_and_exits_0() -> None:
    done = run_cli("--help")
    assert done.returncode == 0
    assert done.stdout.startswith("usage: python -m handlers.scanner")
    assert "--timeout" in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("ftp://x", "only http and https urls can be scanned"),
        ("https://user:secret@example.org/", "urls with credentials are not allowed"),
    ],
)
def test_an_unusable_target_gets_one_line_on_stderr_and_exit_2(target: str, message: str) -> None:
    done = run_cli(target)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"python -m handlers.scanner: error: {message}\n"
    assert "secret" not in done.stderr


def test_a_missing_target_is_a_usage_error_with_exit_2() -> None:
    done = run_cli()
    assert done.returncode == 2
    assert "the following arguments are required: target" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_printed_result_carries_every_report_field() -> None:
    done = run_cli("http://127.0.0.1/", "--pages", "2")
    result = json.loads(done.stdout)
    for name in ("fingerprinting", "keyLogging", "sessionRecorders", "leaks", "cookies"):
        assert result[name] == []
    assert (result["thirdPartyCookies"], result["pagesVisited"]) == (0, [])


@pytest.mark.parametrize("pages", ["0", "4", "two"])
def test_pages_outside_one_to_three_is_a_usage_error(pages: str) -> None:
    done = run_cli("https://example.org/", "--pages", pages)
    assert done.returncode == 2
    assert "argument --pages: invalid" in done.stderr
    assert done.stdout == ""
