"""`python -m handlers.scanner --batch FILE --out results.csv --concurrency N`: a list of sites
scanned on one machine, no AWS involved.

Each of the N workers is a process with its own PixelScanner (its own Playwright driver and
Chromium): Playwright's sync API and the scanner's browser bookkeeping are per process, and a
browser that hangs or dies takes only its own worker down, which is then replaced. Rows are
written in the order of the file as soon as they are known, so an interrupted run keeps them.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

from handlers.core.log import logger
from handlers.scanner import processes, report_rows
from handlers.scanner import result as codes
from handlers.scanner.engine import DEFAULT_TIMEOUT, PixelScanner
from handlers.scanner.target import InvalidTarget

# Exit codes of a batch run (documented in docs/batch-scans.md).
EXIT_ALL_DONE = 0
EXIT_SOME_FAILED = 1  # a site failed to scan, or a line of the file was rejected
EXIT_USAGE = 2  # bad arguments, or a file that cannot be read or lists no site
EXIT_INTERRUPTED = 130  # Ctrl-C: the rows finished so far are in the output
MAX_CONCURRENCY = 16
MAX_LINE_LENGTH = 2048
REJECTED = "rejected"
WORKER_GONE = "The scanner process stopped during this site; it was not retried"
WORKER_HUNG = "The scan did not finish in time; its scanner process was stopped, not retried"
# A worker still busy this long after its site's time ran out is hung, and is killed; one that
# has not even started its site this long after it was sent is too.
HANG_GRACE_S = 60.0
STARTUP_LIMIT_S = 120.0
_STARTED, _RESULT = "started", "result"

ScannerFactory = Callable[[], Any]


class BatchInputError(Exception):
    """The list of sites cannot be used at all (unreadable, empty); the message says why."""


@dataclass(frozen=True)
class Line:
    """One line of the file that names a site: its number, text, and the URL to scan (None when
    the line is rejected, with `error` saying why)."""

    number: int
    text: str
    url: str | None = None
    error: str | None = None

    @property
    def shown(self) -> str:
        """The line as the report shows it: credentials a URL carried are left out."""
        return _without_credentials(self.text)


def read_lines(path: Path) -> list[Line]:
    """The sites listed in `path`, one per line; blank lines and `#` comments are skipped, and
    unusable or repeated lines come back rejected rather than raising."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BatchInputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise BatchInputError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise BatchInputError(f"{path}: cannot be read ({exc.strerror})") from None
    lines: list[Line] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        item = raw.strip()
        if not item or item.startswith("#"):
            continue
        if len(item) > MAX_LINE_LENGTH:
            lines.append(Line(number, item[:80], error="the line is too long to be a URL"))
            continue
        try:
            url = PixelScanner.target(item).url
        except ValueError as exc:  # InvalidTarget, or a URL too broken to parse
            reason = str(exc) if isinstance(exc, InvalidTarget) else "not a valid URL or domain"
            lines.append(Line(number, item, error=reason))
            continue
        if url in first_seen:
            lines.append(Line(number, item, error=f"the same site as line {first_seen[url]}"))
            continue
        first_seen[url] = number
        lines.append(Line(number, item, url=url))
    if not lines:
        raise BatchInputError(f"{path}: lists no site (one domain or URL per line)")
    return lines


@dataclass
class Progress:
    """A one-line progress bar on a terminal; a line per finished site anywhere else."""

    total: int
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    width: int = 30
    done: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    def finished(self, label: str, outcome: str | None) -> None:
        """Count one site; `outcome` is None when it was scanned cleanly, else what went wrong
        (an error code, or "rejected")."""
        self.done += 1
        self.failed += 0 if outcome is None else 1
        if self.stream.isatty():
            filled = self.width * self.done // max(1, self.total)
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} {self._rate()}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            state = {None: "done", REJECTED: REJECTED}.get(outcome, f"failed: {outcome}")
            self.stream.write(f"[{self.done}/{self.total}] {label} {state}\n")
        self.stream.flush()

    def summary(self) -> str:
        seconds = time.monotonic() - self.started
        return (
            f"{self.done} of {self.total} sites, {self.failed} failed or rejected, "
            f"in {seconds:.1f} s"
        )

    def _rate(self) -> str:
        minutes = (time.monotonic() - self.started) / 60
        rate = self.done / minutes if minutes > 0 else 0.0
        return f"({self.failed} failed or rejected, {rate:.1f} sites/min)"


def run(
    lines: list[Line],
    out: TextIO,
    make_scanner: ScannerFactory,
    concurrency: int = 1,
    timeout: float | None = None,
    pages: int = 1,
    progress: Progress | None = None,
) -> int:
    """Scan every usable line with `concurrency` worker processes (each builds its scanner with
    `make_scanner`, which must pickle) and write one CSV row per line to `out`, in file order."""
    progress = progress or Progress(len(lines))
    writer = _OrderedRows(out)
    failed = 0
    for index, line in enumerate(lines):
        if line.url is None:
            writer.put(index, _rejected_row(line))
            progress.finished(line.shown, REJECTED)
            failed += 1
    queue = [(index, line) for index, line in enumerate(lines) if line.url is not None]
    pool = _Pool(make_scanner, min(concurrency, len(queue)), timeout, pages)
    try:
        for index, row in pool.results(queue):
            writer.put(index, {**row, "item": lines[index].shown})
            failed += 0 if row.get("error") is None else 1
            progress.finished(lines[index].shown, row.get("error"))
    finally:
        pool.close()
        writer.close()
    return EXIT_ALL_DONE if failed == 0 else EXIT_SOME_FAILED


def _rejected_row(line: Line) -> dict[str, Any]:
    return {
        "item": line.shown,
        "state": REJECTED,
        "error": codes.INVALID_TARGET,
        "errorMessage": f"line {line.number}: {line.error}",
    }


class _OrderedRows:
    """Writes CSV rows in file order as soon as every row before them is known."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.waiting: dict[int, dict[str, Any]] = {}
        self.next = 0
        report_rows.write_header(out)

    def put(self, index: int, row: dict[str, Any]) -> None:
        self.waiting[index] = row
        ready = []
        while self.next in self.waiting:
            ready.append(self.waiting.pop(self.next))
            self.next += 1
        if ready:
            report_rows.write_rows(ready, self.out)
            self.out.flush()

    def close(self) -> None:
        """Write what is still waiting (an interrupted run: rows after a gap), in file order."""
        report_rows.write_rows((self.waiting.pop(i) for i in sorted(self.waiting)), self.out)
        self.out.flush()


@dataclass
class _Worker:
    process: Any
    conn: Connection
    index: int | None = None  # the line being scanned
    deadline: float = 0.0  # when it is taken for hung


class _Pool:
    """Worker processes fed one site at a time. A worker that dies, or outlives its site's time
    by HANG_GRACE_S, fails that site and is replaced while sites remain."""

    def __init__(
        self, make_scanner: ScannerFactory, size: int, timeout: float | None, pages: int
    ) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.make_scanner = make_scanner
        self.size = size
        self.options = {"timeout": timeout, "pages": pages}
        self.limit = (DEFAULT_TIMEOUT if timeout is None else timeout) + HANG_GRACE_S
        self.workers: list[_Worker] = []

    def results(self, queue: list[tuple[int, Line]]) -> Iterator[tuple[int, dict[str, Any]]]:
        """(index, result dict) for every queued line, in the order they finish."""
        pending = list(reversed(queue))
        self.workers = [self._start() for _ in range(self.size)]
        for worker in self.workers:
            self._feed(worker, pending)
        while busy := [w for w in self.workers if w.index is not None]:
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1)
            for worker in busy:
                index = worker.index
                assert index is not None
                row = self._reply(worker) if worker.conn in ready else None
                hung = row is None and time.monotonic() > worker.deadline
                if hung:  # with its driver and Chromium, which would outlive it otherwise
                    processes.kill_tree(worker.process.pid)
                    worker.process.join(5)
                if row is None and worker.process.is_alive():
                    continue
                worker.index = None
                yield index, row or _worker_gone(WORKER_HUNG if hung else WORKER_GONE)
                self._feed(worker, pending)

    def _reply(self, worker: _Worker) -> dict[str, Any] | None:
        """The worker's result, if it has sent it; its "started" note starts the site's clock."""
        try:
            while worker.conn.poll():
                kind, payload = worker.conn.recv()
                if kind == _RESULT:
                    return payload
                worker.deadline = time.monotonic() + self.limit
        except (EOFError, OSError):  # the worker died: the pipe is closed
            return None
        return None

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_work, args=(child, self.make_scanner, self.options), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _replace(self, worker: _Worker) -> None:
        worker.conn.close()
        worker.process.join(1)
        fresh = self._start()
        worker.process, worker.conn = fresh.process, fresh.conn

    def _feed(self, worker: _Worker, pending: list[tuple[int, Line]]) -> None:
        """Give the worker the next site, replacing it first if it has died."""
        if not pending:
            return
        if not worker.process.is_alive():
            self._replace(worker)
        index, line = pending.pop()
        # A new worker imports, then launches its browser: its clock starts once it says so.
        worker.index, worker.deadline = index, time.monotonic() + STARTUP_LIMIT_S + self.limit
        try:
            worker.conn.send(line.url)
        except OSError:
            return  # it died just now: the loop sees its sentinel and fails this site

    def close(self) -> None:
        """Ask every worker to stop (closing its browser); kill those that do not."""
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:  # the worker is gone already
                continue
        for worker in self.workers:
            worker.process.join(15)
            if worker.process.is_alive():
                processes.kill_tree(worker.process.pid)
                worker.process.join(5)
            worker.conn.close()


def _worker_gone(message: str) -> dict[str, Any]:
    return {"state": "failed", "error": codes.BROWSER_FAILED, "errorMessage": message}


def _work(conn: Connection, make_scanner: ScannerFactory, options: dict[str, Any]) -> None:
    """A worker process: scan each URL sent until None, sending back the result dict."""
    logger.configure(level="ERROR")  # the CSV and the progress bar are the output
    scanner = make_scanner()
    try:
        while (url := conn.recv()) is not None:
            conn.send((_STARTED, None))
            conn.send((_RESULT, scanner.scan(url, **options).to_dict()))
    except (EOFError, KeyboardInterrupt):
        return  # the main process went away, or Ctrl-C reached the whole process group
    finally:
        scanner.close()


def _without_credentials(text: str) -> str:
    if "@" not in text or "://" not in text:
        return text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return text.split("://", 1)[0] + "://[a URL that cannot be shown]"
    return urlunsplit((parts.scheme, host + port, parts.path, parts.query, parts.fragment))
