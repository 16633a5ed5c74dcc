"""`make lint`'s dependency audit: pip-audit on the pinned development dependencies, as a report.

Known vulnerabilities fail lint: a pin needs bumping. A vulnerability service that cannot be
reached (no network, or a PyPI mirror that does not serve per-version metadata) prints one line
and passes, so lint still works offline; the report says which pins went unaudited.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# pip-audit gives up on one package after this long; the whole audit is a few dozen requests.
TIMEOUT_S = 15


@dataclass(frozen=True)
class Finding:
    """One known vulnerability of one pinned package."""

    package: str
    version: str
    vulnerability: str
    fixed_in: tuple[str, ...]


@dataclass(frozen=True)
class Audit:
    """What pip-audit reported: findings, and the pins it could not audit (with why)."""

    audited: tuple[str, ...]
    findings: tuple[Finding, ...]
    skipped: dict[str, str]


def dev_pins(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The `dev` extra of pyproject.toml: every development tool, pinned."""
    return tomllib.loads(pyproject.read_text())["project"]["optional-dependencies"]["dev"]


def parse(report: str) -> Audit:
    """pip-audit's JSON report as an Audit."""
    dependencies = json.loads(report)["dependencies"]
    skipped = {d["name"]: d["skip_reason"] for d in dependencies if "skip_reason" in d}
    audited = tuple(d["name"] for d in dependencies if "skip_reason" not in d)
    findings = tuple(
        Finding(d["name"], d["version"], v["id"], tuple(v.get("fix_versions", ())))
        for d in dependencies
        if "skip_reason" not in d
        for v in d.get("vulns", ())
    )
    return Audit(audited, findings, skipped)


def render(audit: Audit) -> str:
    """The report lint prints: findings, then what was audited and what was not."""
    lines = []
    if not audit.audited and audit.skipped:
        return (
            "pip-audit: vulnerability service unreachable, nothing audited "
            f"({len(audit.skipped)} packages; e.g. {next(iter(audit.skipped.values()))})\n"
        )
    for f in audit.findings:
        fixed = ", ".join(f.fixed_in) or "no fixed release yet"
        lines.append(f"pip-audit: {f.package}=={f.version}: {f.vulnerability} (fixed in {fixed})")
    lines.append(
        f"pip-audit: {len(audit.audited)} packages audited, {len(audit.findings)} known "
        f"vulnerabilities, {len(audit.skipped)} not audited"
    )
    lines += [f"pip-audit:   not audited: {name}: {why}" for name, why in audit.skipped.items()]
    return "\n".join(lines) + "\n"


Runner = Callable[[Sequence[str]], subprocess.CompletedProcess]


def _pip_audit(args: Sequence[str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pip_audit", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def main(pins: Sequence[str] | None = None, run: Runner = _pip_audit) -> int:
    """Audit `pins` (default: the dev extra) and print the report; 1 when a pin is vulnerable."""
    with tempfile.TemporaryDirectory(prefix="pip-audit-") as scratch:
        requirements = Path(scratch) / "requirements.txt"
        requirements.write_text("\n".join(pins if pins is not None else dev_pins()) + "\n")
        # --no-deps: the pins as written (all ==), without resolving, which needs no index.
        args = ["-r", str(requirements), "--no-deps", "--progress-spinner", "off"]
        result = run([*args, "--timeout", str(TIMEOUT_S), "-f", "json"])
    try:
        audit = parse(result.stdout)
    except (ValueError, KeyError):
        why = (result.stderr.strip().splitlines() or ["no report"])[-1]
        print(f"pip-audit: vulnerability service unreachable, nothing audited ({why})")
        return 0
    sys.stdout.write(render(audit))
    return 1 if audit.findings else 0


if __name__ == "__main__":
    sys.exit(main())
