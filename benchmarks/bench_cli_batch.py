"""`--batch` from a laptop: sites per minute with 1, 2 and 3 worker processes on the same local
fixture list, each printed beside the 1-worker run of the same invocation. Numbers only.

Each worker is a process with its own Playwright driver and Chromium (see handlers/scanner/
cli_batch.py for why not threads); the first site of every worker pays its browser launch.

Run: .venv/bin/python benchmarks/bench_cli_batch.py   (or `make bench`)
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SITES = 6
CONCURRENCIES = (1, 2, 3)
PAGES = ("/five.html", "/all.html", "/plain.html")


def local_scanner() -> object:
    """Built in each worker process (so it pickles by name): loopback and vendor stubs."""
    from handlers.scanner.engine import PixelScanner
    from tests.scanner.conftest import RecordingResolver
    from tests.scanner.vendor_stubs import answer_vendors

    return PixelScanner(
        resolver=RecordingResolver(),
        allow_private_addresses=("127.0.0.0/8",),
        context_setup=answer_vendors([]),
    )


def timed_run(urls: list[str], concurrency: int, tmp: Path) -> float:
    from handlers.scanner import cli_batch

    listing = tmp / f"sites-{concurrency}.txt"
    listing.write_text("\n".join(urls) + "\n")
    lines = cli_batch.read_lines(listing)
    started = time.perf_counter()
    code = cli_batch.run(
        lines,
        io.StringIO(newline=""),
        local_scanner,
        concurrency,
        progress=cli_batch.Progress(len(lines), io.StringIO()),
    )
    elapsed = time.perf_counter() - started
    assert code == cli_batch.EXIT_ALL_DONE, code
    return elapsed


def main() -> None:
    import tempfile

    from tests.scanner.fixture_site import running_site

    with running_site() as site, tempfile.TemporaryDirectory() as tmp:
        # A query string per line makes every line a distinct site for the duplicate check.
        urls = [site.url(f"{PAGES[i % len(PAGES)]}?n={i}") for i in range(SITES)]
        seconds = {n: timed_run(urls, n, Path(tmp)) for n in CONCURRENCIES}
    base = SITES / seconds[1] * 60
    print(f"--batch, {SITES} local fixture sites, default dwell; worker launch included")
    print(f"{'workers':>8}{'seconds':>10}{'sites/min':>11}{'per worker':>12}{'vs 1 worker':>13}")
    for n, took in seconds.items():
        rate = SITES / took * 60
        print(f"{n:>8}{took:>10.1f}{rate:>11.1f}{rate / n:>12.1f}{rate / base:>12.2f}x")


if __name__ == "__main__":
    main()
