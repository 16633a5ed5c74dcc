"""Scan from a laptop, nothing deployed: `python -m handlers.scanner https://example.org`, or a
list of sites with `--batch domains.txt --out results.csv --concurrency N`."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from handlers.scanner import cli_batch
from handlers.scanner.engine import DEFAULT_TIMEOUT, PixelScanner
from handlers.scanner.target import InvalidTarget

PROG = "python -m handlers.scanner"
EXIT_SCAN_ERROR = 1
EXIT_USAGE = 2  # argparse's own code for bad arguments; an unusable target is one too


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 1 <= value <= cli_batch.MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"must be 1 to {cli_batch.MAX_CONCURRENCY}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Report the tracking pixels a website fires, with their IDs and events.",
        epilog=(
            "exit codes: 0 every site scanned; 1 a scan error (with --batch: a site failed or a "
            "line was rejected); 2 bad arguments or an unusable target or list; 130 interrupted"
        ),
    )
    parser.add_argument(
        "target", nargs="?", help="a URL (https://example.org/page) or a bare domain"
    )
    parser.add_argument(
        "--batch", type=Path, metavar="FILE", help="scan every domain or URL in FILE, one a line"
    )
    parser.add_argument(
        "--out", type=Path, metavar="CSV", help="with --batch: where the CSV report goes"
    )
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=2,
        help="with --batch: sites scanned at once, each in its own browser (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds (default: %(default)s)"
    )
    parser.add_argument("--clicks", type=int, default=3, help="calls to action to click")
    parser.add_argument(
        "--pages", type=int, choices=(1, 2, 3), default=1, help="pages of the site to visit"
    )
    parser.add_argument("--chromium", default=None, help="Chromium executable to use")
    parser.add_argument(
        "--chromium-arg", action="append", default=[], help="extra Chromium argument (repeatable)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Scan one site and print the result JSON, or a list of sites into a CSV (--batch); the
    exit codes are in the parser's epilog."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.batch is not None:
        if args.target is not None:
            parser.error("give either a target or --batch FILE, not both")
        if args.out is None:
            parser.error("--batch needs --out results.csv")
        return _batch(args)
    if args.target is None:
        parser.error("the following arguments are required: target (or --batch FILE)")
    if args.out is not None:
        parser.error("--out goes with --batch; one target's result is printed as JSON")
    return _single(args)


def _scanner_factory(args: argparse.Namespace) -> functools.partial[PixelScanner]:
    return functools.partial(
        PixelScanner,
        extra_chromium_args=tuple(args.chromium_arg),
        executable_path=args.chromium,
        max_clicks=args.clicks,
    )


def _single(args: argparse.Namespace) -> int:
    import json

    try:
        target = PixelScanner.target(args.target)
    except InvalidTarget as exc:
        # The reason only: echoing the target could print credentials it carried.
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError:  # anything else unparsable (InvalidTarget is the usual, worded case)
        print(f"{PROG}: error: the target is not a valid URL or domain", file=sys.stderr)
        return EXIT_USAGE
    with _scanner_factory(args)() as scanner:
        result = scanner.scan(target, timeout=args.timeout, pages=args.pages)
    json.dump(result.to_dict(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if result.error is None else EXIT_SCAN_ERROR


def _batch(args: argparse.Namespace) -> int:
    try:
        lines = cli_batch.read_lines(args.batch)
    except cli_batch.BatchInputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        out = args.out.open("w", newline="", encoding="utf-8")
    except OSError as exc:
        print(f"{PROG}: error: {args.out}: cannot be written ({exc.strerror})", file=sys.stderr)
        return EXIT_USAGE
    progress = cli_batch.Progress(len(lines))
    with out:
        try:
            code = cli_batch.run(
                lines,
                out,
                _scanner_factory(args),
                concurrency=args.concurrency,
                timeout=args.timeout,
                pages=args.pages,
                progress=progress,
            )
        except KeyboardInterrupt:
            print(f"\n{PROG}: interrupted; {progress.summary()} in {args.out}", file=sys.stderr)
            return cli_batch.EXIT_INTERRUPTED
    print(f"{progress.summary()}; report: {args.out}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
