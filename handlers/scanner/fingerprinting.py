"""Which scripts fingerprint the browser, by the rules of Englehardt & Narayanan (2016), "Online
Tracking: A 1-million-site Measurement and Analysis", section 6, as OpenWPM and Blacklight use them.

Canvas: a script writes text with at least 10 distinct characters or in at least 2 colours, reads
the image back (`toDataURL`/`toBlob` of a canvas at least 16x16, or `getImageData` of an area at
least 16x16), and never calls `save`, `restore` or `addEventListener` (which drawing code does).
Canvas font: a script calls `measureText` under at least 50 distinct fonts.
WebGL: a script reads the unmasked GPU vendor or renderer (`WEBGL_debug_renderer_info`), or draws
and reads the rendered pixels back (`readPixels`, or `toDataURL` of a WebGL canvas, at least 16x16).
Audio: a script creates an oscillator and reads what it produced: an OfflineAudioContext rendered
off-screen, or an analyser's or a buffer's samples read back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from handlers.scanner import masking, owners
from handlers.scanner.instrument import ApiCall

MIN_CANVAS_SIDE = 16
MIN_DISTINCT_CHARACTERS = 10
MIN_TEXT_COLOURS = 2
MIN_FONTS = 50
KINDS = ("canvas", "canvas_font", "webgl", "audio")


@dataclass
class _Script:
    texts: set[str] = field(default_factory=set)
    colours: set[str] = field(default_factory=set)
    reads_2d: list[tuple[int, int]] = field(default_factory=list)
    reads_webgl: list[tuple[int, int]] = field(default_factory=list)
    avoided: set[str] = field(default_factory=set)
    fonts: set[str] = field(default_factory=set)
    unmasked: set[str] = field(default_factory=set)
    draws: bool = False
    oscillator: set[str] = field(default_factory=set)
    renders_offline: bool = False
    audio_reads: set[str] = field(default_factory=set)


def _size(detail: Any) -> tuple[int, int]:
    if not isinstance(detail, dict):
        return 0, 0
    try:
        return int(detail.get("w") or 0), int(detail.get("h") or 0)
    except (TypeError, ValueError):
        return 0, 0


def _large(size: tuple[int, int]) -> bool:
    return size[0] >= MIN_CANVAS_SIDE and size[1] >= MIN_CANVAS_SIDE


def _by_script(calls: Iterable[ApiCall]) -> dict[str, _Script]:
    scripts: dict[str, _Script] = {}
    for call in calls:
        seen = scripts.setdefault(call.script, _Script())
        detail = call.detail
        if call.api == "canvas.text" and isinstance(detail, dict):
            seen.texts.add(str(detail.get("text", "")))
            seen.colours.add(str(detail.get("style", "")))
        elif call.api == "canvas.read":
            kind = detail.get("kind") if isinstance(detail, dict) else None
            (seen.reads_webgl if kind in ("webgl", "webgl2", "experimental-webgl") else
             seen.reads_2d).append(_size(detail))  # fmt: skip
        elif call.api == "canvas.avoid":
            seen.avoided.add(str(detail))
        elif call.api == "canvas.font":
            seen.fonts.add(str(detail))
        elif call.api == "webgl.param":
            seen.unmasked.add(str(detail))
        elif call.api == "webgl.draw":
            seen.draws = True
        elif call.api == "webgl.read":
            seen.reads_webgl.append(_size(detail))
        elif call.api == "audio.oscillator":
            seen.oscillator.add(str(detail))
        elif call.api == "audio.render":
            seen.renders_offline = True
        elif call.api == "audio.read":
            seen.audio_reads.add(str(detail))
    return scripts


def _canvas(seen: _Script) -> list[str] | None:
    characters = {ch for text in seen.texts for ch in text}
    rich = len(characters) >= MIN_DISTINCT_CHARACTERS or len(seen.colours) >= MIN_TEXT_COLOURS
    reads = [size for size in seen.reads_2d if _large(size)]
    if not (seen.texts and rich and reads) or seen.avoided:
        return None
    width, height = max(reads)
    return [
        f"wrote {len(seen.texts)} text(s) with {len(characters)} distinct characters "
        f"in {len(seen.colours)} colour(s)",
        f"read back a {width}x{height} image",
        "never called save, restore or addEventListener",
    ]


def _canvas_font(seen: _Script) -> list[str] | None:
    if len(seen.fonts) < MIN_FONTS:
        return None
    return [f"measureText under {len(seen.fonts)} distinct fonts"]


def _webgl(seen: _Script) -> list[str] | None:
    evidence = [f"read {name}" for name in sorted(seen.unmasked)]
    reads = [size for size in seen.reads_webgl if _large(size)]
    if seen.draws and reads:
        width, height = max(reads)
        evidence.append(f"drew and read back a {width}x{height} WebGL image")
    return evidence or None


def _audio(seen: _Script) -> list[str] | None:
    if not seen.oscillator or not (seen.renders_offline or seen.audio_reads):
        return None
    evidence = [f"created an oscillator ({', '.join(sorted(seen.oscillator))} context)"]
    if seen.renders_offline:
        evidence.append("rendered it off-screen (OfflineAudioContext.startRendering)")
    if seen.audio_reads:
        evidence.append(f"read the samples ({', '.join(sorted(seen.audio_reads))})")
    return evidence


_RULES = (("canvas", _canvas), ("canvas_font", _canvas_font), ("webgl", _webgl), ("audio", _audio))


def findings(calls: Iterable[ApiCall]) -> list[dict[str, Any]]:
    """`[{kind, script, domain, evidence}]` for every script that meets a rule, one per kind."""
    found = []
    for script, seen in sorted(_by_script(calls).items()):
        for kind, rule in _RULES:
            evidence = rule(seen)
            if evidence:
                found.append(
                    {
                        "kind": kind,
                        "script": masking.mask_url(script),
                        "domain": owners.site_of(urlsplit(script).hostname or ""),
                        "evidence": evidence,
                    }
                )
    return found
