"""Key logging: probe values typed into a form (never submitted) that left for a third party."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from handlers.scanner import masking, probes
from handlers.scanner.forms import Field

MAX_EVIDENCE = 5


@dataclass
class _Finding:
    domain: str
    script: str | None
    kinds: set[str] = field(default_factory=set)
    evidence: dict[str, None] = field(default_factory=dict)


class KeyLogFinder:
    """Collects, per receiving site and sending script, which probe values a third party got."""

    def __init__(self) -> None:
        self.fields: list[Field] = []
        self._found: dict[tuple[str, str | None], _Finding] = {}

    def typed(self, fields: Iterable[Field]) -> None:
        """Remember the fields the scanner typed into (their names are reported)."""
        self.fields.extend(fields)

    def observe(self, site: str, url: str, body: str, script: str | None) -> set[probes.Match]:
        """Look for probe values in one third-party request; returns what was found."""
        if not self.fields:
            return set()
        matches = probes.find(url) | probes.find(body)
        if not matches:
            return matches
        finding = self._found.setdefault((site, script), _Finding(site, script))
        finding.kinds.update(m.kind for m in matches)
        where = "the body of " if body and not probes.find(url) else ""
        what = ", ".join(sorted(f"{m.encoding} {m.kind}" for m in matches))
        if len(finding.evidence) < MAX_EVIDENCE:
            finding.evidence.setdefault(f"{what} in {where}{masking.mask_url(url)}")
        return matches

    def findings(self) -> list[dict[str, Any]]:
        """`[{domain, script, fields, evidence}]`, one per receiving site and sending script."""
        listed = []
        for finding in sorted(self._found.values(), key=lambda f: (f.domain, f.script or "")):
            names = sorted({f.name for f in self.fields if f.kind in finding.kinds})
            listed.append(
                {
                    "domain": finding.domain,
                    "script": masking.mask_url(finding.script) if finding.script else None,
                    "fields": names or sorted(finding.kinds),
                    "evidence": list(finding.evidence),
                }
            )
        return listed
