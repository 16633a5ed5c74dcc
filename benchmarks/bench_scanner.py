"""Pixel scanner: cold scan (Python import, driver start and Chromium launch included) and warm
scan of a local fixture page with 5 pixels, printed beside the targets. Numbers only.

A scan watches each page for DWELL_MS after its load event (delayed tags), so the targets here are
the dwell plus the 4 s (cold) and 2 s (warm) the scan had before it; a warm scan without the dwell
is printed against the old 2 s too, to show what the new checks themselves cost.

Run: .venv/bin/python benchmarks/bench_scanner.py   (or `make bench`)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLD_RUNS = 3
WARM_RUNS = 7
WORK_TARGETS = {"cold": 4.0, "warm": 2.0}  # seconds on this machine, besides the dwell
LAMBDA_TARGETS = {"cold": 15.0, "warm": 10.0}  # on Lambda: cold start < 15 s, warm < 10 s

COLD_SCRIPT = """
import json, sys, time
started = time.perf_counter()
sys.path.insert(0, {root!r})
from handlers.scanner.engine import PixelScanner
from tests.scanner.conftest import RecordingResolver
from tests.scanner.vendor_stubs import answer_vendors
scanner = PixelScanner(resolver=RecordingResolver(), allow_private_addresses=("127.0.0.0/8",),
                       context_setup=answer_vendors([]))
result = scanner.scan({url!r})
elapsed = time.perf_counter() - started
scanner.close()
print(json.dumps({{"seconds": elapsed, "pixels": len(result.pixels), "error": result.error}}))
"""


def cold_scan(url: str) -> float:
    """One scan in a new process, as a new Lambda container would do it; seconds."""
    script = COLD_SCRIPT.format(root=str(ROOT), url=url)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    record = json.loads(out.strip().splitlines()[-1])
    assert record["error"] is None, record
    return record["seconds"]


def cold(url: str) -> list[float]:
    return [cold_scan(url) for _ in range(COLD_RUNS)]


def warm(url: str, runs: int = WARM_RUNS, **options: int) -> tuple[list[float], int]:
    from handlers.scanner.engine import PixelScanner
    from tests.scanner.conftest import RecordingResolver
    from tests.scanner.vendor_stubs import answer_vendors

    with PixelScanner(
        resolver=RecordingResolver(),
        allow_private_addresses=("127.0.0.0/8",),
        context_setup=answer_vendors([]),
        **options,
    ) as scanner:
        scanner.scan(url)  # launch and first scan: not counted
        seconds, pixels = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            result = scanner.scan(url)
            seconds.append(time.perf_counter() - started)
            pixels = len(result.pixels)
    return seconds, pixels


def row(name: str, seconds: list[float], target: float, lambda_target: float) -> str:
    median = statistics.median(seconds)
    verdict = "ok" if median <= target else "SLOWER THAN TARGET"
    return (
        f"{name:<34} median {median:6.2f} s   max {max(seconds):6.2f} s   "
        f"target here <= {target:.1f} s ({verdict}); seed target on Lambda < {lambda_target:.0f} s"
    )


def main() -> None:
    from handlers.scanner.engine import DWELL_MS
    from tests.scanner.fixture_site import running_site

    with running_site() as site:
        five = site.url("/five.html")
        cold_seconds = cold(five)
        warm_seconds, pixels = warm(five)
        no_dwell, _ = warm(five, dwell_ms=0)
        all_seconds, all_pixels = warm(site.url("/all.html"), runs=3)
    print(
        f"pixel scanner on a local fixture page ({pixels} pixel vendors detected, 5 snippets; "
        f"dwell {DWELL_MS / 1000:.0f} s after load)"
    )
    print(row(f"cold scan (new process, n={COLD_RUNS})", cold_seconds, *_t("cold")))
    print(row(f"warm scan (n={WARM_RUNS})", warm_seconds, *_t("warm")))
    print(row(f"warm scan, dwell off (n={WARM_RUNS})", no_dwell, WORK_TARGETS["warm"], 10.0))
    label, median = "warm, all 14 vendors + 1 click (n=3)", statistics.median(all_seconds)
    print(
        f"{label:<34} median {median:6.2f} s   max {max(all_seconds):6.2f} s   "
        f"({all_pixels} vendors; no target, for comparison)"
    )


def _t(kind: str) -> tuple[float, float]:
    from handlers.scanner.engine import DWELL_MS

    return WORK_TARGETS[kind] + DWELL_MS / 1000, LAMBDA_TARGETS[kind]


if __name__ == "__main__":
    main()
