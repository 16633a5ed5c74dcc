"""Session recorders (Hotjar, Clarity, FullStory, ...): the vendors whose script or recording
uploads the signature table marks as session recording, with the requests that show them."""

from __future__ import annotations

from typing import Any

from handlers.scanner import masking, owners
from handlers.scanner.signatures import Hit

MAX_EVIDENCE = 5


class RecorderLog:
    """`[{vendor, domain, evidence}]`, one entry per recorder and receiving site."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], dict[str, None]] = {}

    def observe(self, hit: Hit, host: str) -> None:
        if not hit.records_sessions:
            return
        evidence = self._seen.setdefault((hit.vendor, owners.site_of(host)), {})
        if len(evidence) < MAX_EVIDENCE:
            evidence.setdefault(masking.mask_url(hit.url))

    def entries(self) -> list[dict[str, Any]]:
        return [
            {"vendor": vendor, "domain": domain, "evidence": list(evidence)}
            for (vendor, domain), evidence in sorted(self._seen.items())
        ]
