"""`make cost`: the estimate of a real workspace, and one line plus exit 2 for a bad argument."""

from __future__ import annotations

import pytest

from buildtools.cost.__main__ import main


def test_prints_each_service_and_the_free_tier(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env", "prod", "--profile", "small"]) == 0

    out = capsys.readouterr().out
    for heading in ("upload sessions", "visitor counter", "pixel detector", "shared"):
        assert f"\n{heading} " in out
    assert "Always-free tier" in out
    assert "the Lambda free tier: " in out


def test_unknown_environment_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env", "qa"]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "make cost: unknown environment 'qa': use one of dev, prod, staging\n"


def test_unknown_profile_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env", "prod", "--profile", "huge"]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "make cost: unknown profile 'huge': use one of small, medium, large\n"
