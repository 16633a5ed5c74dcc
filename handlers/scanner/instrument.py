"""The init script that watches fingerprinting APIs and request initiators, and what it reported."""

from __future__ import annotations

import contextlib
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).with_name("instrument.js")
# The init script takes this function off `window` as soon as it starts, before page scripts run.
BINDING = "__PIXEL_SCAN_BINDING__"
MAX_CALLS = 20_000


@dataclass(frozen=True)
class ApiCall:
    """One distinct use of a watched API by one script: `canvas.read`, `canvas.font`, ..."""

    api: str
    script: str
    detail: Any


@functools.cache
def _source() -> str:
    return SCRIPT.read_text()


@dataclass
class Instrumentation:
    """Installs the init script on a browser context and keeps what it reports."""

    calls: list[ApiCall] = field(default_factory=list)
    initiators: dict[str, str] = field(default_factory=dict)

    def install(self, context: Any) -> None:
        context.expose_binding(BINDING, self.receive)
        context.add_init_script(script=_source())

    def receive(self, _source: Any, payload: Any) -> None:
        """Called by the page (through Playwright) once per distinct API use."""
        if not isinstance(payload, dict) or len(self.calls) >= MAX_CALLS:
            return
        api, script, detail = payload.get("api"), payload.get("script"), payload.get("detail")
        if not isinstance(api, str) or not isinstance(script, str) or not isinstance(detail, str):
            return
        if api == "request":
            self.initiators.setdefault(detail, script)
            return
        value: Any = detail
        if detail[:1] == "{":
            with contextlib.suppress(ValueError):
                value = json.loads(detail)
        self.calls.append(ApiCall(api, script, value))

    def initiator(self, url: str) -> str | None:
        """The script that started a request to `url`, when the page told us."""
        return self.initiators.get(url[:500])
