"""The local HTTP gateway's cost per request without sockets, and its route matching alone.

Routes now compile their pattern once; the gateway before rebuilt each route's pattern on every
request. The second matching line measures that older way in the same run (pattern string built
per match, `re` left to its own cache, as it was). Run with `make bench`; nothing asserts.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import terraform_model  # noqa: E402
from local.gateways.http import HttpApi, Route, compile_path  # noqa: E402

REQUESTS = 20_000
HEADERS = [("Host", "127.0.0.1:8701"), ("Origin", "http://127.0.0.1:8700")]
PATH = "/sessions/0b6f5c3e-1d2a-4c1b-9e8f-000000000001"


def answer(function: str, event: dict, request_id: str) -> object:
    return {"statusCode": 200, "body": "{}"}


def rebuilt_match(route: Route, method: str, path: str) -> dict[str, str] | None:
    """Route matching as the gateway did it before: the pattern built again on every call."""
    if route.method not in ("ANY", method):
        return None
    pattern, names = compile_path(route.path)  # `re` finds the compiled form in its own cache
    found = pattern.fullmatch(path)
    return None if not found else {names[k]: v for k, v in found.groupdict().items()}


def microseconds(run, count: int = REQUESTS) -> float:
    best = float("inf")
    for _ in range(3):  # best of three: the machine is shared
        started = time.perf_counter()
        for _ in range(count):
            run()
        best = min(best, time.perf_counter() - started)
    return best / count * 1e6


def main() -> None:
    model = terraform_model.load("dev")
    api = HttpApi([Route(k, f) for k, f in model.http_routes.items()], answer, cors=model.http_cors)

    def rebuilt_route_for() -> object:
        for route in api.routes:
            if rebuilt_match(route, "GET", PATH) is not None:
                return route
        return None

    handle = microseconds(lambda: api.handle("GET", PATH + "?x=1", HEADERS, b"", "127.0.0.1"))
    once = microseconds(lambda: api.route_for("GET", PATH))
    again = microseconds(rebuilt_route_for)
    print(f"{len(api.routes)} dev routes, CORS from Terraform, GET /sessions/{{id}}, best of 3")
    print(f"  HttpApi.handle (CORS, route, event, answer)   {handle:7.2f} us/request")
    print(f"  route matching, patterns compiled once        {once:7.2f} us/request")
    print(f"  route matching, pattern rebuilt per request   {again:7.2f} us/request (before)")


if __name__ == "__main__":
    main()
