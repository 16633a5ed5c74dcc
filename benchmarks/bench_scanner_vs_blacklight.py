"""The pixel scanner beside The Markup's Blacklight collector, on the same fixture clinic site, in
one run: time per site, and what each found. Numbers only; no test asserts them.

Blacklight (`@themarkup/blacklight-collector`, pinned by benchmarks/blacklight/package-lock.json)
is installed from npm into a scratch folder (BLACKLIGHT_DIR, default .bench/blacklight, which git
ignores) with PUPPETEER_SKIP_DOWNLOAD=1, and runs the system Chromium. Its Chromium resolves every
host name to the vendor stub server on 127.0.0.1; ours answers vendor hosts through Playwright
routing. Both get the same pages and the same stub scripts, and nothing leaves the machine.

Run: .venv/bin/python benchmarks/bench_scanner_vs_blacklight.py   (or `make bench`)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import npm_scratch  # noqa: E402 - the benchmarks folder is on the path as the script's
from bench_scanner import cold_scan  # noqa: E402

PACKAGE = ROOT / "benchmarks" / "blacklight"
RUNNER = PACKAGE / "collect.cjs"
SCRATCH = Path(os.environ.get("BLACKLIGHT_DIR") or ROOT / ".bench" / "blacklight")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
ROUNDS = 5
TARGET_RATIO = 0.6
SITE = "/clinic/"


def install_blacklight() -> Path:
    """The pinned Blacklight collector, installed once per lock file."""
    return npm_scratch.install(
        PACKAGE,
        SCRATCH,
        "the Blacklight comparison (@themarkup/blacklight-collector)",
        env={"PUPPETEER_SKIP_DOWNLOAD": "1"},
    )


def blacklight_version(folder: Path) -> str:
    package = folder / "node_modules" / "@themarkup" / "blacklight-collector" / "package.json"
    return json.loads(package.read_text())["version"]


def run_blacklight(folder: Path, url: str, num_pages: int, stub_port: int, out: Path) -> dict:
    options = {
        "url": url,
        "runs": 1,
        "numPages": num_pages,
        "chromium": CHROMIUM,
        "outDir": str(out),
        "stubPort": stub_port,
    }
    done = subprocess.run(
        ["node", str(RUNNER), str(folder), json.dumps(options)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith('{"seconds"')]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"Blacklight failed: {done.stderr.strip()[-500:]}")
    record = json.loads(lines[-1])
    if record["status"] != "success":
        raise SystemExit(f"Blacklight did not succeed: {record}")
    return record


def reddit_requests(served: list[str], since: int) -> int:
    return sum(1 for url in served[since:] if "alb.reddit.com" in url)


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    from handlers.scanner.engine import DWELL_MS, PixelScanner
    from tests.scanner.conftest import RecordingResolver
    from tests.scanner.fixture_site import DELAYED_TAG_MS, running_site
    from tests.scanner.stub_server import vendor_stub_server
    from tests.scanner.vendor_stubs import answer_vendors

    folder = install_blacklight()
    version = blacklight_version(folder)
    # (label, our pages, Blacklight numPages): Blacklight visits numPages links *besides* the
    # first page, so numPages=N is N + 1 pages; its default is 3.
    cases = [
        ("each tool's default", 1, 3),
        ("1 page each", 1, 0),
        ("3 pages each", 3, 2),
    ]
    times: dict[str, dict[str, list[float]]] = {c[0]: {"ours": [], "bl": []} for c in cases}
    cold: list[float] = []
    found = {"ours": {}, "bl": {}}
    with (
        running_site() as site,
        vendor_stub_server() as stubs,
        tempfile.TemporaryDirectory(prefix="blacklight-out-") as out,
        PixelScanner(
            resolver=RecordingResolver(),
            allow_private_addresses=("127.0.0.0/8",),
            context_setup=answer_vendors([]),
        ) as scanner,
    ):
        url = site.url(SITE)
        scanner.scan(url)  # launch and first scan: not counted
        run_blacklight(folder, url, 0, stubs.server_address[1], Path(out))  # warm the disk cache
        for _ in range(ROUNDS):  # A B A B ..., so drift on a shared machine hits both alike
            for label, pages, num_pages in cases:
                started = time.perf_counter()
                result = scanner.scan(url, pages=pages)
                times[label]["ours"].append(time.perf_counter() - started)
                since = len(stubs.served)
                record = run_blacklight(folder, url, num_pages, stubs.server_address[1], Path(out))
                times[label]["bl"].append(record["seconds"])
                if label == "each tool's default":
                    found["ours"] = {
                        "delayed tag": any(p["vendor"] == "Reddit Pixel" for p in result.pixels),
                        "canvas fingerprinters": sum(
                            f["kind"] == "canvas" for f in result.fingerprinting
                        ),
                        "session recorders": len({r["vendor"] for r in result.sessionRecorders}),
                        "key logging (receiving sites)": len(result.keyLogging),
                        "pages": len(result.pagesVisited),
                    }
                    found["bl"] = {
                        "delayed tag": reddit_requests(stubs.served, since) > 0,
                        "canvas fingerprinters": record["canvas"],
                        "session recorders": record["sessionRecorders"],
                        "key logging (receiving sites)": record["keyLogging"],
                        "pages": record["pages"],
                    }
            cold.append(cold_scan(url))

    print(
        f"pixel scanner vs Blacklight {version}, fixture clinic site {SITE}, same run, "
        f"{ROUNDS} rounds alternating, medians (our dwell {DWELL_MS / 1000:.0f} s after load)"
    )
    print(f"{'':<48}{'ours':>9}{'Blacklight':>12}{'ours/BL':>10}")
    for label, pages, num_pages in cases:
        ours, theirs = times[label]["ours"], times[label]["bl"]
        ratio = median([a / b for a, b in zip(ours, theirs, strict=True)])
        name = f"{label} (ours pages={pages}, BL numPages={num_pages})"
        note = f"  target <= {TARGET_RATIO}" if label == "each tool's default" else ""
        print(f"{name:<48}{median(ours):>8.2f}s{median(theirs):>11.2f}s{ratio:>10.2f}{note}")
    default_bl = times["each tool's default"]["bl"]
    ratio = median([a / b for a, b in zip(cold, default_bl, strict=True)])
    name = "our default in a new process (cold) vs BL default"
    print(f"{name:<48}{median(cold):>8.2f}s{median(default_bl):>11.2f}s{ratio:>10.2f}")
    print(f"found with each tool's default (the site has a tag delayed {DELAYED_TAG_MS} ms):")
    for key in found["ours"]:
        print(f"  {key:<34} ours {found['ours'][key]!s:>5}   Blacklight {found['bl'][key]!s:>5}")


if __name__ == "__main__":
    main()
