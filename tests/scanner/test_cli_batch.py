"""`--batch`: a list of sites scanned by worker processes into a CSV, in the order of the file."""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import pytest

from handlers.scanner import cli_batch
from handlers.scanner.engine import PixelScanner
from handlers.scanner.result import ScanResult
from tests.scanner.conftest import FAST_SCAN, LOOPBACK, RecordingResolver
from tests.scanner.fixture_site import FixtureSite
from tests.scanner.test_cli import run_cli
from tests.scanner.vendor_stubs import answer_vendors


def local_scanner() -> PixelScanner:
    """Built in each worker process: loopback allowed, vendors answered by the local stubs."""
    return PixelScanner(
        resolver=RecordingResolver(),
        allow_private_addresses=LOOPBACK,
        context_setup=answer_vendors([]),
        **FAST_SCAN,
    )


class DyingScanner:
    """A scanner whose process dies on one site, as a browser crash taking Python down would."""

    def scan(self, url: str, **_: object) -> ScanResult:
        if "dies.example" in url:
            os._exit(9)
        return ScanResult(domain="ok.example", url=url, scannedAt="2026-12-02T00:00:00Z")

    def close(self) -> None:
        return None


def list_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "domains.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_batch(path: Path, factory: cli_batch.ScannerFactory, concurrency: int) -> tuple:
    out, log = io.StringIO(newline=""), io.StringIO()
    lines = cli_batch.read_lines(path)
    code = cli_batch.run(
        lines, out, factory, concurrency, progress=cli_batch.Progress(len(lines), log)
    )
    return code, list(csv.DictReader(io.StringIO(out.getvalue(), newline=""))), log.getvalue()


@pytest.mark.browser
def test_a_list_is_scanned_in_parallel_into_one_row_per_line_in_file_order(
    tmp_path: Path, site: FixtureSite
) -> None:
    path = list_file(
        tmp_path,
        "# the clinics to check",
        site.url("/five.html"),
        "",
        "not a domain!",
        site.url("/plain.html"),
        site.url("/five.html"),
    )
    code, rows, log = run_batch(path, local_scanner, concurrency=2)
    assert code == cli_batch.EXIT_SOME_FAILED  # two lines were rejected
    assert [(r["item"], r["state"]) for r in rows] == [
        (site.url("/five.html"), "done"),
        ("not a domain!", "rejected"),
        (site.url("/plain.html"), "done"),
        (site.url("/five.html"), "rejected"),
    ]
    assert rows[0]["Meta Pixel ids"] == "123456789012345"
    assert rows[0]["Meta Pixel events"] == "PageView (load)"
    assert rows[0]["TikTok Pixel ids"] == "CTEST12345ABCDEFGHIJ"
    assert rows[2]["Meta Pixel ids"] == "" and rows[2]["error"] == ""
    assert rows[1]["errorMessage"].startswith("line 4: ")
    assert rows[3]["errorMessage"] == "line 6: the same site as line 2"
    assert sorted(log.splitlines())[-1].startswith("[4/4] ")
    assert "not a domain! rejected" in log


def test_a_worker_that_dies_fails_its_site_only_and_is_replaced(tmp_path: Path) -> None:
    path = list_file(tmp_path, "a.example", "dies.example", "b.example", "c.example")
    code, rows, log = run_batch(path, DyingScanner, concurrency=1)
    assert code == cli_batch.EXIT_SOME_FAILED
    assert [(r["item"], r["state"], r["error"]) for r in rows] == [
        ("a.example", "done", ""),
        ("dies.example", "failed", "browser_failed"),
        ("b.example", "done", ""),
        ("c.example", "done", ""),
    ]
    assert rows[1]["errorMessage"] == cli_batch.WORKER_GONE
    assert "dies.example failed: browser_failed" in log


def test_a_list_of_only_good_sites_exits_0(tmp_path: Path) -> None:
    code, rows, _ = run_batch(list_file(tmp_path, "a.example", "b.example"), DyingScanner, 1)
    assert code == cli_batch.EXIT_ALL_DONE
    assert [r["state"] for r in rows] == ["done", "done"]


def test_credentials_in_a_listed_url_never_reach_the_report(tmp_path: Path) -> None:
    path = list_file(tmp_path, "https://user:secret@clinic.example/")
    _, rows, log = run_batch(path, DyingScanner, 1)
    assert rows[0]["item"] == "https://clinic.example/"
    assert rows[0]["errorMessage"] == "line 1: urls with credentials are not allowed"
    assert "secret" not in log


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\n# only a comment\n\n", "lists no site"),
        (b"\xff\xfe\x00bad", "not a UTF-8 text file"),
    ],
)
def test_an_unusable_list_is_refused_with_its_reason(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "domains.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(cli_batch.BatchInputError, match=message):
        cli_batch.read_lines(path)


def test_the_cli_writes_the_csv_reports_progress_on_stderr_and_exits_1_on_failures(
    tmp_path: Path,
) -> None:
    # Refused before any browser starts: a private address, a bad scheme, credentials.
    path = list_file(tmp_path, "http://127.0.0.1/", "ftp://x", "https://u:pw@example.org/")
    out = tmp_path / "results.csv"
    done = run_cli("--batch", str(path), "--out", str(out), "--concurrency", "2")
    assert done.returncode == 1
    with out.open(newline="") as report:
        rows = list(csv.DictReader(report))
    assert [(r["item"], r["state"], r["error"]) for r in rows] == [
        ("http://127.0.0.1/", "failed", "blocked_address"),
        ("ftp://x", "rejected", "invalid_target"),
        ("https://example.org/", "rejected", "invalid_target"),
    ]
    assert done.stdout == ""
    assert "[3/3] " in done.stderr
    assert "3 of 3 sites, 3 failed or rejected" in done.stderr
    assert "pw@" not in done.stderr + out.read_text()
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["example.org", "--batch", "x.txt", "--out", "o.csv"], "either a target or --batch"),
        (["--batch", "x.txt"], "--batch needs --out"),
        (["--batch", "x.txt", "--out", "o.csv", "--concurrency", "0"], "must be 1 to 16"),
        (["--batch", "missing.txt", "--out", "o.csv"], "missing.txt: no such file"),
        (["example.org", "--out", "o.csv"], "--out goes with --batch"),
    ],
)
def test_batch_usage_errors_exit_2_with_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    args = [str(tmp_path / a) if a.endswith((".txt", ".csv")) else a for a in args]
    done = run_cli(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


class HangingScanner(DyingScanner):
    """A scanner stuck on one site past any timeout, as a wedged browser call would be."""

    def scan(self, url: str, **options: object) -> ScanResult:
        if "hangs.example" in url:
            time.sleep(3600)
        return super().scan(url, **options)


def test_a_worker_stuck_past_its_sites_time_is_killed_and_the_list_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_batch, "HANG_GRACE_S", 0.5)
    path = list_file(tmp_path, "hangs.example", "b.example")
    out, log = io.StringIO(newline=""), io.StringIO()
    lines = cli_batch.read_lines(path)
    code = cli_batch.run(
        lines, out, HangingScanner, 1, timeout=0.5, progress=cli_batch.Progress(2, log)
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert code == cli_batch.EXIT_SOME_FAILED
    assert [(r["item"], r["state"], r["error"]) for r in rows] == [
        ("hangs.example", "failed", "browser_failed"),
        ("b.example", "done", ""),
    ]
    assert rows[0]["errorMessage"] == cli_batch.WORKER_HUNG


def test_rows_wait_for_the_rows_before_them_and_an_interrupted_run_still_writes_them() -> None:
    out = io.StringIO(newline="")
    writer = cli_batch._OrderedRows(out)
    writer.put(1, {"item": "b.example"})
    writer.put(3, {"item": "d.example"})
    assert out.getvalue().count("\r\n") == 1  # the header: row 0 is not known yet
    writer.put(0, {"item": "a.example"})
    writer.close()  # row 2 never came, as when Ctrl-C stops the run
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [r["item"] for r in rows] == ["a.example", "b.example", "d.example"]
