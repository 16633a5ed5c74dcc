"""Scan from a laptop, nothing deployed: `python -m handlers.scanner https://example.org`."""

from __future__ import annotations

import argparse
import json
import sys

from handlers.scanner.engine import DEFAULT_TIMEOUT, PixelScanner
from handlers.scanner.target import InvalidTarget

PROG = "python -m handlers.scanner"
EXIT_SCAN_ERROR = 1
EXIT_USAGE = 2  # argparse's own code for bad arguments; an unusable target is one too


def main(argv: list[str] | None = None) -> int:
    """Scan one site and print the result JSON; exit 1 on a scan error, 2 on an unusable target."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Report the tracking pixels a website fires, with their IDs and events.",
    )
    parser.add_argument("target", help="a URL (https://example.org/page) or a bare domain")
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
    args = parser.parse_args(argv)
    try:
        target = PixelScanner.target(args.target)
    except InvalidTarget as exc:
        # The reason only: echoing the target could print credentials it carried.
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError:  # anything else unparsable (InvalidTarget is the usual, worded case)
        print(f"{PROG}: error: the target is not a valid URL or domain", file=sys.stderr)
        return EXIT_USAGE
    with PixelScanner(
        extra_chromium_args=args.chromium_arg,
        executable_path=args.chromium,
        max_clicks=args.clicks,
    ) as scanner:
        result = scanner.scan(target, timeout=args.timeout, pages=args.pages)
    json.dump(result.to_dict(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if result.error is None else EXIT_SCAN_ERROR


if __name__ == "__main__":
    sys.exit(main())
