"""Fingerprinting: the published heuristics applied to what the init script recorded, and the
fixture pages that fingerprint (or only draw) in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.scanner.engine import PixelScanner
from handlers.scanner.fingerprinting import findings
from handlers.scanner.instrument import ApiCall, Instrumentation
from tests.scanner.conftest import console_of_scan
from tests.scanner.fixture_site import FixtureSite

FP = "https://fpcollect.example/fp.js"
PANGRAM = "Cwm fjordbank glyphs vext quiz"


def call(api: str, detail: Any, script: str = FP) -> ApiCall:
    return ApiCall(api, script, detail)


def text(value: str, style: str = "#069") -> ApiCall:
    return call("canvas.text", {"text": value, "style": style})


def read(width: int, height: int, kind: str = "2d") -> ApiCall:
    return call("canvas.read", {"w": width, "h": height, "kind": kind})


def kinds(calls: list[ApiCall]) -> list[str]:
    return [f["kind"] for f in findings(calls)]


def test_rich_text_read_back_from_a_large_canvas_is_canvas_fingerprinting() -> None:
    [found] = findings([text(PANGRAM), read(240, 60)])
    assert (found["kind"], found["script"], found["domain"]) == ("canvas", FP, "fpcollect.example")
    assert "read back a 240x60 image" in found["evidence"]


def test_two_colours_make_short_text_rich_enough() -> None:
    assert kinds([text("Hi", "#f60"), text("Hi", "#069"), read(100, 20)]) == ["canvas"]


def test_short_single_colour_text_is_not_fingerprinting() -> None:
    assert kinds([text("Mon"), read(300, 150)]) == []


@pytest.mark.parametrize("size", [(15, 60), (240, 15)])
def test_a_canvas_smaller_than_16_pixels_is_not_fingerprinting(size: tuple[int, int]) -> None:
    assert kinds([text(PANGRAM), read(*size)]) == []


@pytest.mark.parametrize("avoided", ["save", "restore", "addEventListener"])
def test_a_script_calling_save_restore_or_add_event_listener_draws_and_is_not_counted(
    avoided: str,
) -> None:
    assert kinds([text(PANGRAM), read(240, 60), call("canvas.avoid", avoided)]) == []


def test_text_that_is_never_read_back_is_not_fingerprinting() -> None:
    assert kinds([text(PANGRAM)]) == []


def test_each_script_is_judged_on_its_own_calls() -> None:
    other = "https://cdn.example/chart.js"
    calls = [text(PANGRAM), read(240, 60), call("canvas.avoid", "save", script=other)]
    assert [f["script"] for f in findings(calls)] == [FP]


def test_measure_text_under_fifty_fonts_is_canvas_font_fingerprinting() -> None:
    calls = [call("canvas.font", f"72px font{i}, monospace") for i in range(50)]
    assert kinds(calls) == ["canvas_font"]
    assert kinds(calls[:49]) == []


def test_reading_the_unmasked_renderer_is_webgl_fingerprinting() -> None:
    [found] = findings([call("webgl.param", "UNMASKED_RENDERER_WEBGL")])
    assert (found["kind"], found["evidence"]) == ("webgl", ["read UNMASKED_RENDERER_WEBGL"])


def test_drawing_and_reading_back_a_webgl_image_is_webgl_fingerprinting() -> None:
    assert kinds([call("webgl.draw", ""), call("webgl.read", {"w": 256, "h": 128})]) == ["webgl"]
    assert kinds([call("webgl.draw", ""), read(256, 128, kind="webgl")]) == ["webgl"]
    assert kinds([call("webgl.read", {"w": 256, "h": 128})]) == []


def test_an_oscillator_rendered_off_screen_is_audio_fingerprinting() -> None:
    calls = [call("audio.oscillator", "offline"), call("audio.render", "offline")]
    assert kinds(calls) == ["audio"]


def test_an_oscillator_whose_samples_are_read_is_audio_fingerprinting() -> None:
    calls = [call("audio.oscillator", "live"), call("audio.read", "getFloatFrequencyData")]
    assert kinds(calls) == ["audio"]


def test_playing_a_sound_is_not_audio_fingerprinting() -> None:
    assert kinds([call("audio.oscillator", "live")]) == []
    assert kinds([call("audio.read", "getChannelData")]) == []


def test_the_instrumentation_keeps_initiators_apart_from_api_calls() -> None:
    log = Instrumentation()
    log.receive(None, {"api": "request", "script": FP, "detail": "https://t.example/p?x=1"})
    log.receive(None, {"api": "canvas.font", "script": FP, "detail": "12px serif"})
    log.receive(None, {"api": 7, "script": FP, "detail": "bad"})
    log.receive(None, "not a record")
    assert log.initiator("https://t.example/p?x=1") == FP
    assert log.calls == [ApiCall("canvas.font", FP, "12px serif")]


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scans(scanner: PixelScanner, site: FixtureSite) -> dict[str, Any]:
    pages = {
        "canvas": "/canvas-fingerprint.html",
        "canvas_font": "/font-probe.html",
        "webgl": "/webgl-fingerprint.html",
        "audio": "/audio-fingerprint.html",
    }
    return {kind: scanner.scan(site.url(path)) for kind, path in pages.items()}


@pytest.mark.browser
@pytest.mark.parametrize(
    ("kind", "script"),
    [
        ("canvas", "https://fpcollect.example/canvas.js"),
        ("canvas_font", "https://fpcollect.example/fonts.js"),
        ("webgl", "https://fpcollect.example/webgl.js"),
        ("audio", "https://fpcollect.example/audio.js"),
    ],
)
def test_each_fingerprinter_is_found_and_attributed_to_its_script(
    scans: dict[str, Any], kind: str, script: str
) -> None:
    result = scans[kind]
    assert result.error is None
    assert [(f["kind"], f["script"], f["domain"]) for f in result.fingerprinting] == [
        (kind, script, "fpcollect.example")
    ]


@pytest.mark.browser
def test_the_instrumentation_is_invisible_to_the_page(
    scanner: PixelScanner, site: FixtureSite
) -> None:
    assert console_of_scan(scanner, site.url("/native-check.html")) == [
        "native:true binding:undefined"
    ]
