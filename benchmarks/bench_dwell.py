"""How long to watch a page after its load event: for tags injected 1, 3 and 5 s after load, and
for a delay loader that waits for the first interaction (5 s at the latest), which dwell catches
them, on which step, and what each dwell costs per scan. The default (engine.DWELL_MS) is chosen
from this table. Numbers only; no test asserts them.

Run: .venv/bin/python benchmarks/bench_dwell.py   (or `make bench`)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DWELLS_MS = (2000, 3000, 4000, 6000)
PAGES = {
    "timer 1 s after load": "/delayed-tag.html?ms=1000",
    "timer 3 s after load": "/delayed-tag.html?ms=3000",
    "timer 5 s after load": "/delayed-tag.html?ms=5000",
    "first interaction (or 5 s)": "/interaction-loader.html",
}


def main() -> None:
    from handlers.scanner.engine import DWELL_MS, PixelScanner
    from tests.scanner.conftest import RecordingResolver
    from tests.scanner.fixture_site import running_site
    from tests.scanner.vendor_stubs import answer_vendors

    cells: dict[tuple[str, int], str] = {}
    seconds: dict[int, list[float]] = {dwell: [] for dwell in DWELLS_MS}
    with running_site() as site:
        for dwell in DWELLS_MS:
            with PixelScanner(
                resolver=RecordingResolver(),
                allow_private_addresses=("127.0.0.0/8",),
                context_setup=answer_vendors([]),
                dwell_ms=dwell,
            ) as scanner:
                scanner.scan(site.url("/plain.html"))  # launch: not counted
                for label, path in PAGES.items():
                    started = time.perf_counter()
                    result = scanner.scan(site.url(path))
                    seconds[dwell].append(time.perf_counter() - started)
                    tag = [p for p in result.pixels if p["vendor"] == "Reddit Pixel"]
                    cells[label, dwell] = tag[0]["firstSeenStep"] if tag else "missed"
    print("delayed tags found by the dwell after load (first step seen, or missed); "
          f"default {DWELL_MS / 1000:.0f} s")  # fmt: skip
    print(f"{'tag':<30}" + "".join(f"{f'dwell {d / 1000:.0f} s':>14}" for d in DWELLS_MS))
    for label in PAGES:
        print(f"{label:<30}" + "".join(f"{cells[label, d]:>14}" for d in DWELLS_MS))
    row = "".join(f"{statistics.median(seconds[d]):>13.2f}s" for d in DWELLS_MS)
    print(f"{'scan time, median of the 4':<30}{row}")


if __name__ == "__main__":
    main()
