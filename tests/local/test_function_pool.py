"""A function runs in up to its reserved concurrency of workers, each with its own cold start."""

from __future__ import annotations

import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from local.functions.pool import DEFAULT_CONCURRENCY, FunctionPool, concurrency
from local.functions.workers import FunctionSpec, InvocationError
from terraform_model import load_plannable

HANDLER = """
import os
import time

COLD = [True]


def lambda_handler(event, context):
    cold, COLD[0] = COLD[0], False
    time.sleep(event.get("seconds", 0))
    return {"pid": os.getpid(), "cold": cold}
"""


def spec(root: Path) -> FunctionSpec:
    service = root / "handlers" / "svc"
    service.mkdir(parents=True)
    (root / "handlers" / "__init__.py").write_text("")
    (service / "__init__.py").write_text("")
    (service / "app.py").write_text(textwrap.dedent(HANDLER))
    return FunctionSpec("fn-pool", root, "handlers.svc.app.lambda_handler", {}, timeout_s=20)


@pytest.fixture
def pool_of(tmp_path):
    pools: list[FunctionPool] = []

    def make(size: int, **kwargs) -> FunctionPool:
        pool = FunctionPool(spec(tmp_path / f"code{len(pools)}"), lambda *a: None, size, **kwargs)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.stop()


def test_unreserved_functions_get_the_default_concurrency():
    assert concurrency(None) == concurrency(-1) == DEFAULT_CONCURRENCY == 10
    assert concurrency(5) == 5


def test_the_pool_size_follows_the_terraform_reserved_concurrency():
    staging = load_plannable("staging")
    sizes = {s: concurrency(f.reserved_concurrency) for s, f in staging.functions.items()}
    assert sizes == {"sessions": 10, "realtime": 10, "counter": 5, "scanner": 2}


def test_the_first_worker_starts_with_the_pool_and_the_others_on_demand(pool_of):
    pool = pool_of(4)
    pool.start()
    assert pool.size == 1
    assert pool.invoke({})["cold"] is True
    assert pool.invoke({}) == {"pid": pool.pids[0], "cold": False}
    assert pool.size == 1


def test_concurrent_invocations_run_side_by_side_each_worker_cold_once(pool_of):
    pool = pool_of(4)
    pool.start()
    with ThreadPoolExecutor(max_workers=4) as threads:
        results = list(threads.map(lambda _: pool.invoke({"seconds": 2}), range(4)))
    assert len({r["pid"] for r in results}) == 4
    assert sum(r["cold"] for r in results) == 4


def test_no_more_workers_than_the_reserved_concurrency_and_nothing_fails(pool_of):
    pool = pool_of(2)
    with ThreadPoolExecutor(max_workers=6) as threads:
        results = list(threads.map(lambda _: pool.invoke({"seconds": 0.2}), range(6)))
    assert pool.size == 2
    assert len({r["pid"] for r in results}) == 2


def test_a_pool_busy_past_its_queue_timeout_throttles_like_lambda(pool_of):
    pool = pool_of(1, queue_timeout_s=0.2)
    busy = threading.Thread(target=pool.invoke, args=({"seconds": 1.5},))
    busy.start()
    time.sleep(0.1)  # the one worker is taken (and still starting)
    try:
        with pytest.raises(InvocationError) as throttled:
            pool.invoke({})
    finally:
        busy.join()
    assert throttled.value.payload["errorType"] == "TooManyRequestsException"


def test_a_reserved_concurrency_of_zero_refuses_every_invocation(pool_of):
    with pytest.raises(InvocationError, match="Rate Exceeded"):
        pool_of(0).invoke({})
