"""Scan from a laptop, nothing deployed: `python -m handlers.scanner https://example.org`."""

from __future__ import annotations

import argparse
import json
import sys

from handlers.scanner.engine import DEFAULT_TIMEOUT, PixelScanner


def main(argv: list[str] | None = None) -> int:
    """Scan one site and print the result JSON; exit 1 when the scan reports an error."""
    parser = argparse.ArgumentParser(
        prog="python -m handlers.scanner",
        description="Report the tracking pixels a website fires, with their IDs and events.",
    )
    parser.add_argument("target", help="a URL (https://example.org/page) or a bare domain")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds (default: %(default)s)"
    )
    parser.add_argument("--clicks", type=int, default=3, help="calls to action to click")
    parser.add_argument("--chromium", default=None, help="Chromium executable to use")
    parser.add_argument(
        "--chromium-arg", action="append", default=[], help="extra Chromium argument (repeatable)"
    )
    args = parser.parse_args(argv)
    with PixelScanner(
        extra_chromium_args=args.chromium_arg,
        executable_path=args.chromium,
        max_clicks=args.clicks,
    ) as scanner:
        result = scanner.scan(args.target, timeout=args.timeout)
    json.dump(result.to_dict(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if result.error is None else 1


if __name__ == "__main__":
    sys.exit(main())
