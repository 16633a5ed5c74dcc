"""Lighthouse on the web pages as `make up` serves them: performance, accessibility, best
practices and SEO per page beside the 90 target, and each page's total transfer gzipped (as
CloudFront compresses it) beside 200 KB. Each page is the median of --runs runs (3). The report
page is audited twice more, in snapshot mode after a batch completed against the stub batch API of
its browser test, in the light and the dark colour scheme: that audits the results table, which a
page load alone never shows. Numbers only; no test asserts them.

Lighthouse (npm `lighthouse`, pinned by benchmarks/lighthouse/package-lock.json) is installed into
a scratch folder (LIGHTHOUSE_DIR, default .bench/lighthouse) and drives the system Chromium
(CHROMIUM_PATH, default /usr/bin/chromium). The stack runs on 127.0.0.1 only.

Run: .venv/bin/python benchmarks/bench_web_quality.py   (or `make bench`)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import npm_scratch  # noqa: E402 - the benchmarks folder is on the path as the script's

from local.launcher import StackDidNotStart, scratch_stack  # noqa: E402
from tests.support.browser import CHROMIUM_FLAGS  # noqa: E402

PACKAGE = ROOT / "benchmarks" / "lighthouse"
SNAPSHOT = PACKAGE / "snapshot.mjs"
SCRATCH = Path(os.environ.get("LIGHTHOUSE_DIR") or ROOT / ".bench" / "lighthouse")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET_SCORE = 90
TARGET_TRANSFER_KB = 200


def lighthouse(folder: Path, url: str, preset: str, out: Path) -> dict:
    """One Lighthouse run; its JSON report."""
    command = [
        str(folder / "node_modules" / ".bin" / "lighthouse"),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_FLAGS]),
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not out.exists():
        raise SystemExit(f"Lighthouse failed on {url}: {done.stderr.strip()[-800:]}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise SystemExit(f"Lighthouse could not audit {url}: {report['runtimeError']}")
    return report


def gzipped_transfer(report: dict, web_origin: str) -> int:
    """Bytes the page loads with its own files gzipped (the local server sends them as they are;
    CloudFront compresses them); API answers count as they were transferred."""
    total = 0
    for request in report["audits"]["network-requests"]["details"]["items"]:
        url = request["url"]
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == web_origin and request.get("statusCode") == 200:
            with urllib.request.urlopen(url, timeout=10) as response:
                total += len(gzip.compress(response.read())) + 300  # + headers, roughly
        else:
            total += int(request.get("transferSize") or 0)
    return total


def failing_audits(report: dict) -> list[str]:
    """Scored audits below full marks, per category: what to fix next."""
    found = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                found.append(f"{name}: {audit['title']} ({audit['score']:.2f})")
    return found


def new_session(api: str) -> str:
    request = urllib.request.Request(api + "/sessions", data=b"{}", method="POST")
    request.add_header("content-type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["sessionId"]


def filled_report(folder: Path, color_scheme: str) -> tuple[dict[str, int | None], list[str]]:
    """The report page after a three-site batch completed (a stub batch API answers it, as the
    page's browser test does), audited by Lighthouse in snapshot mode: the table, not the form,
    in the light or dark colour scheme."""
    from local.gateways.static_site import StaticSite
    from tests.web.batch_samples import three_site_batch
    from tests.web.stub_batch_api import API_KEY, StubBatchApi

    api = StubBatchApi()
    site = StaticSite("127.0.0.1", 0, ROOT / "web")
    site.configure(api.url, "ws://127.0.0.1:9/unused")
    api.start()
    site.start()
    try:
        three_site_batch(api)
        options = {
            "url": f"{site.url}/scan.html",
            "chromium": CHROMIUM,
            "flags": CHROMIUM_FLAGS,
            "apiKey": API_KEY,
            "items": ["clinic.example", "hospital.example", "down.example"],
            "timeoutMs": 60_000,
            "colorScheme": color_scheme,
        }
        done = subprocess.run(
            ["node", str(SNAPSHOT), str(folder), json.dumps(options)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        site.stop()
        api.stop()
    lines = [line for line in done.stdout.splitlines() if line.startswith('{"categories"')]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"Lighthouse snapshot failed: {done.stderr.strip()[-800:]}")
    record = json.loads(lines[-1])
    scores = {c: None for c in CATEGORIES}
    scores |= {c: round(v * 100) for c, v in record["categories"].items()}
    return scores, record["failing"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, help="keep each page's Lighthouse JSON report here")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("desktop", "phone", "report"),
        help="audit only these pages (the filled report page goes with report)",
    )
    args = parser.parse_args(argv)
    folder = npm_scratch.install(
        PACKAGE,
        SCRATCH,
        "the web-quality benchmark (Lighthouse)",
        env={"PUPPETEER_SKIP_DOWNLOAD": "1"},
    )
    version = json.loads((folder / "node_modules" / "lighthouse" / "package.json").read_text())
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    # (page, preset, scores, gzipped transfer or None, failing audits)
    results: list[tuple[str, str, dict[str, int | None], int | None, list[str]]] = []
    try:
        with scratch_stack("--quiet") as stack:
            urls, web = stack.urls, stack.urls["web"]
            pages = [
                ("desktop (index.html)", f"{web}/", "desktop"),
                (
                    "phone (phone.html)",
                    f"{web}/phone.html?sessionId={new_session(urls['api'])}",
                    "mobile",
                ),
                ("report (scan.html)", f"{web}/scan.html", "desktop"),
            ]
            for label, url, preset in pages:
                if args.only and label.split()[0] not in args.only:
                    continue
                runs = []
                for run in range(args.runs):
                    out = (args.reports or stack.state) / f"{label.split()[0]}-{run + 1}.json"
                    runs.append(lighthouse(folder, url, preset, out))
                # The median run by performance, as Lighthouse advises: one run on a busy
                # machine can lose a few points of blocking time.
                runs.sort(key=lambda r: r["categories"]["performance"]["score"])
                report = runs[len(runs) // 2]
                scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
                transfer = gzipped_transfer(report, web)
                results.append((label, preset, scores, transfer, failing_audits(report)))
    except StackDidNotStart as exc:
        print(exc)
        return 1
    for scheme in ("light", "dark") if not args.only or "report" in args.only else ():
        found = filled_report(folder, scheme)
        results.append((f"report, results, {scheme}", "snapshot", *_with_no_transfer(found)))

    print(
        f"Lighthouse {version['version']}, Chromium {CHROMIUM}, median of {args.runs} runs;"
        f" target >= {TARGET_SCORE} each"
    )
    header = f"{'page':<22} {'preset':<9}" + "".join(f"{c:>16}" for c in CATEGORIES)
    print(header + f"{'transfer gz':>14}")
    for label, preset, scores, transfer, _ in results:
        cells = "".join(f"{_score(scores[c]):>12} /{TARGET_SCORE}" for c in CATEGORIES)
        size = f"{transfer / 1024:>8.1f} / {TARGET_TRANSFER_KB} KB" if transfer is not None else ""
        print(f"{label:<22} {preset:<9}{cells}{size}")
    print(
        "(snapshot: the page as it stands after a completed batch; performance needs a page load)"
    )
    for label, _, _, _, failing in results:
        for line in failing:
            print(f"  {label}: {line}")
    return 0


def _with_no_transfer(found: tuple[dict, list[str]]) -> tuple[dict, None, list[str]]:
    return found[0], None, found[1]


def _score(value: int | None) -> str:
    return "n/a" if value is None else str(value)


if __name__ == "__main__":
    sys.exit(main())
