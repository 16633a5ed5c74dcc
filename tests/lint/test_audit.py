"""make lint's pip-audit report: findings fail it, an unreachable service is one line and passes."""

from __future__ import annotations

import json
import subprocess

import pytest

from buildtools import audit


def runner(stdout: str, stderr: str = "", returncode: int = 0):
    seen: list[list[str]] = []

    def run(args):
        seen.append(list(args))
        return subprocess.CompletedProcess(args, returncode, stdout, stderr)

    run.seen = seen
    return run


def report(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_vulnerable_pin_is_reported_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    vulnerability = {"id": "PYSEC-1", "fix_versions": ["2.11.3"]}
    out = report(
        {"name": "jinja2", "version": "2.4.1", "vulns": [vulnerability]},
        {"name": "ruff", "version": "0.17.6", "vulns": []},
    )

    assert audit.main(["jinja2==2.4.1", "ruff==0.17.6"], runner(out, returncode=1)) == 1

    assert capsys.readouterr().out == (
        "pip-audit: jinja2==2.4.1: PYSEC-1 (fixed in 2.11.3)\n"
        "pip-audit: 2 packages audited, 1 known vulnerabilities, 0 not audited\n"
    )


def test_clean_pins_pass_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    out = report({"name": "ruff", "version": "0.17.6", "vulns": []})

    assert audit.main(["ruff==0.17.6"], runner(out)) == 0

    assert "1 packages audited, 0 known vulnerabilities" in capsys.readouterr().out


def test_an_unreachable_service_is_one_line_and_passes(capsys: pytest.CaptureFixture[str]) -> None:
    out = report({"name": "ruff", "skip_reason": "Dependency not found on PyPI"})

    assert audit.main(["ruff==0.17.6"], runner(out)) == 0

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("pip-audit: vulnerability service unreachable, nothing audited")


def test_no_report_at_all_is_one_line_and_passes(capsys: pytest.CaptureFixture[str]) -> None:
    run = runner("", stderr="ConnectionError: api.osv.dev unreachable", returncode=1)

    assert audit.main(["ruff==0.17.6"], run) == 0

    assert capsys.readouterr().out == (
        "pip-audit: vulnerability service unreachable, nothing audited "
        "(ConnectionError: api.osv.dev unreachable)\n"
    )


def test_the_audit_reads_the_dev_pins_as_written() -> None:
    pins = audit.dev_pins()

    assert pins and all("==" in pin for pin in pins)
    assert any(pin.startswith("pip-audit==") for pin in pins)
