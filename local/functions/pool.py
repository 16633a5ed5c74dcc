"""A pool of workers for one function: Lambda's concurrency, on one machine.

Lambda runs one invocation per execution environment and starts another environment (a cold
start) when every one it has is busy, up to the function's reserved concurrency. The pool does
the same with FunctionWorkers: the first is started with the stack, and when an invocation finds
every worker busy a new one starts, each in its own interpreter with its own cold start, up to
the limit. The invocation then takes whichever worker is free first, the new one or one that
finished meanwhile, so a burst grows the pool without every request waiting out a cold start on
two shared cores. At the limit an invocation waits for a worker (up to `queue_timeout_s`);
Lambda would throttle it at once, but locally a short wait keeps bursts from failing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from local.functions.workers import FunctionSpec, FunctionWorker, InvocationError

# What a function with no reserved concurrency (None or -1) may run at once here: a 2-core
# machine gains nothing from more processes per function, and a burst of 100 users is served.
DEFAULT_CONCURRENCY = 10
QUEUE_TIMEOUT_S = 30.0


def concurrency(reserved: int | None, default: int = DEFAULT_CONCURRENCY) -> int:
    """The pool size for Terraform's `reserved_concurrent_executions` (-1 or None: unreserved)."""
    if reserved is None or reserved < 0:
        return default
    return int(reserved)


class FunctionPool:
    """Invokes one function on the first idle worker, starting workers up to `max_workers`."""

    def __init__(
        self,
        spec: FunctionSpec,
        log_sink: Callable[[str, str], None],
        max_workers: int = DEFAULT_CONCURRENCY,
        queue_timeout_s: float = QUEUE_TIMEOUT_S,
    ) -> None:
        self.spec = spec
        self.max_workers = max_workers
        self.queue_timeout_s = queue_timeout_s
        self._log_sink = log_sink
        self._workers: list[FunctionWorker] = []
        self._idle: list[FunctionWorker] = []
        self._available = threading.Condition()
        self._stopped = False
        self._waiting = 0  # invocations waiting for a worker
        self._starting = 0  # workers in their cold start

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def size(self) -> int:
        """Workers started so far."""
        with self._available:
            return len(self._workers)

    @property
    def pids(self) -> list[int]:
        """The process ids of the running workers."""
        with self._available:
            return [w.pid for w in self._workers if w.pid]

    @property
    def invocations(self) -> int:
        with self._available:
            return sum(w.invocations for w in self._workers)

    def start(self) -> None:
        """Start the first worker, so the first request does not pay the first cold start."""
        if self.max_workers < 1:
            return
        worker = self._new_worker()
        worker.start()
        self._release(worker)

    def invoke(self, event: dict, request_id: str | None = None) -> object:
        """Run the function on an idle worker (or a new one); see FunctionWorker.invoke."""
        worker = self._acquire()
        try:
            return worker.invoke(event, request_id)
        finally:
            self._release(worker)

    def stop(self) -> None:
        """Stop every worker, and refuse invocations from now on."""
        with self._available:
            self._stopped = True
            workers, self._workers, self._idle = list(self._workers), [], []
            self._available.notify_all()
        stopping = [threading.Thread(target=w.stop) for w in workers]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()

    def _new_worker(self) -> FunctionWorker:
        worker = FunctionWorker(self.spec, self._log_sink)
        with self._available:
            self._workers.append(worker)
        return worker

    def _acquire(self) -> FunctionWorker:
        deadline = time.monotonic() + self.queue_timeout_s
        with self._available:
            self._waiting += 1
            try:
                while True:
                    if self._stopped:
                        raise InvocationError({"errorMessage": "the local stack is stopping"})
                    if self._idle:
                        return self._idle.pop()  # the most recently used: the warmest
                    # One new worker per waiting invocation, up to the limit.
                    if self._starting < self._waiting and len(self._workers) < self.max_workers:
                        self._grow()
                    remaining = deadline - time.monotonic()
                    if self.max_workers < 1 or remaining <= 0:
                        raise self._throttled()
                    self._available.wait(remaining)
            finally:
                self._waiting -= 1

    def _grow(self) -> None:
        """Start one more worker in the background (called holding the lock)."""
        worker = FunctionWorker(self.spec, self._log_sink)
        self._workers.append(worker)
        self._starting += 1

        def cold_start() -> None:
            try:
                worker.start()
            finally:
                with self._available:
                    self._starting -= 1
                    stopped = self._stopped
                if stopped:  # the stack stopped during the cold start
                    worker.stop()
                self._release(worker)

        threading.Thread(target=cold_start, name=f"cold-start-{self.name}", daemon=True).start()

    def _throttled(self) -> InvocationError:
        # Lambda's words when reserved concurrency is exhausted (0 means always).
        return InvocationError(
            {
                "errorMessage": f"Rate Exceeded: all {self.max_workers} workers of "
                f"{self.spec.name} stayed busy for {self.queue_timeout_s:.0f} s",
                "errorType": "TooManyRequestsException",
            }
        )

    def _release(self, worker: FunctionWorker) -> None:
        with self._available:
            if not self._stopped and worker in self._workers:
                self._idle.append(worker)
                self._available.notify()
