"""Long-lived function workers: one subprocess per function, fed JSON events over a pipe."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RUNTIME = Path(__file__).with_name("runtime.py")


class InvocationError(RuntimeError):
    """The function raised, timed out or its worker died; `payload` is Lambda's error shape."""

    def __init__(self, payload: dict, timed_out: bool = False) -> None:
        super().__init__(payload.get("errorMessage", "function error"))
        self.payload = payload
        self.timed_out = timed_out


@dataclass
class FunctionSpec:
    """What a worker needs to run one function, as Lambda would configure it."""

    name: str
    code_dir: Path
    handler: str
    environment: dict[str, str]
    memory_mb: int = 256
    timeout_s: float = 30.0
    # For ZIP functions: the only packages importable besides the code and the stdlib, as on
    # Lambda. None runs the function with this interpreter's packages (the scanner's image).
    runtime_dir: Path | None = None
    routes: list[str] = field(default_factory=list)


class FunctionWorker:
    """One function in its own interpreter; invocations are serialised like one Lambda container."""

    def __init__(self, spec: FunctionSpec, log_sink: Callable[[str, str], None]) -> None:
        self.spec = spec
        self._log_sink = log_sink
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._replies: queue.Queue = queue.Queue()
        self._ids = itertools.count(1)
        self.invocations = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> None:
        """Start the interpreter and import the handler (the cold start)."""
        env = dict(self.spec.environment)
        env.setdefault("PATH", os.environ.get("PATH", "/usr/bin:/bin"))
        env.setdefault("HOME", os.environ.get("HOME", str(self.spec.code_dir)))
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["AWS_LAMBDA_FUNCTION_NAME"] = self.spec.name
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = str(self.spec.memory_mb)
        env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
        env["LAMBDA_TASK_ROOT"] = str(self.spec.code_dir)
        isolation = ["-I", "-S"] if self.spec.runtime_dir else []
        command = [
            sys.executable,
            *isolation,
            str(RUNTIME),
            str(self.spec.code_dir),
            self.spec.handler,
            self.spec.name,
            str(self.spec.memory_mb),
            str(self.spec.runtime_dir or ""),
        ]
        self._replies = queue.Queue()
        # A session of its own: the terminal's Ctrl-C does not reach it, and stop() can end the
        # whole group, browsers started by the scanner included.
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.spec.code_dir,
            env=env,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        process = self._process
        threading.Thread(target=self._read_replies, args=(process,), daemon=True).start()
        threading.Thread(target=self._relay_logs, args=(process,), daemon=True).start()
        try:
            ready = self._replies.get(timeout=60)
        except queue.Empty:
            ready = None
        if not ready or not ready.get("ready"):
            self._log_sink(self.spec.name, "init failed: the handler could not be imported")

    def _read_replies(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            try:
                self._replies.put(json.loads(line))
            except ValueError:
                self._log_sink(self.spec.name, line.rstrip())
        self._replies.put(None)  # the worker exited

    def _relay_logs(self, process: subprocess.Popen) -> None:
        for line in process.stderr:
            self._log_sink(self.spec.name, line.rstrip("\n"))

    def invoke(self, event: dict, request_id: str | None = None) -> object:
        """Run the handler on `event`; return its result or raise InvocationError."""
        request_id = request_id or str(uuid.uuid4())
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self.start()
            message_id = next(self._ids)
            deadline_ms = int((time.time() + self.spec.timeout_s) * 1000)
            message = {
                "id": message_id,
                "event": event,
                "context": {"request_id": request_id, "deadline_ms": deadline_ms},
            }
            self.invocations += 1
            try:
                self._process.stdin.write(json.dumps(message) + "\n")
                self._process.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                self._kill()
                raise InvocationError({"errorMessage": f"worker died: {exc}"}) from exc
            deadline = time.monotonic() + self.spec.timeout_s
            while True:
                remaining = deadline - time.monotonic()
                try:
                    reply = self._replies.get(timeout=max(remaining, 0.001))
                except queue.Empty:
                    # Lambda ends a timed-out sandbox; the next invocation is a cold start.
                    self._kill()
                    raise InvocationError(
                        {
                            "errorMessage": f"Task timed out after {self.spec.timeout_s:.2f} s",
                            "errorType": "Sandbox.Timedout",
                        },
                        timed_out=True,
                    ) from None
                if reply is None:
                    self._kill()
                    raise InvocationError(
                        {"errorMessage": "Runtime exited", "errorType": "Runtime.ExitError"}
                    )
                if reply.get("id") != message_id:
                    continue
                if "error" in reply:
                    raise InvocationError(reply["error"])
                return reply.get("result")

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        _end_group(process, grace_s=0.5)

    def stop(self) -> None:
        """End the worker and everything it started."""
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            process.stdin.close()  # a clean exit: the runtime loop ends on EOF
        _end_group(process, grace_s=2.0)


def _end_group(process: subprocess.Popen, grace_s: float) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace_s)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=2)
            break
        except subprocess.TimeoutExpired:
            continue
    # The group may outlive its leader (a browser started by the scanner).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
