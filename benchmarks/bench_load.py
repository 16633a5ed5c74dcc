"""The local stack under load: 100 concurrent users, each from its own 127.0.x.y, whole QR flow.

Run: .venv/bin/python benchmarks/bench_load.py [--users N]   (or `make bench`)
Targets (seed 004): p95 response time < 5 s per step, error rate < 1 %, no throttling.
Two rounds on one fresh stack: the first meets cold pools (each new worker is a cold start, as
on Lambda), the second the warm ones. `total` is one user's whole flow, for information.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from local import load  # noqa: E402
from local.launcher import (  # noqa: E402
    StackDidNotStart,
    build_artifacts,
    launch,
    stop,
    wait_until_ready,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        state = Path(folder)
        build_artifacts(state / "dist")
        process = launch(state, state / "dist", "--quiet")
        try:
            urls = wait_until_ready(process, state)["urls"]
        except StackDidNotStart as exc:
            print(exc)
            return 1
        try:
            for round_name in ("cold pools", "warm pools"):
                report = load.run(args.users, urls["api"], urls["websocket"])
                print(f"-- {args.users} concurrent users, {round_name}")
                print("\n".join(report.lines()))
        finally:
            stop(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
