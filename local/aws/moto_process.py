"""moto as AWS for the local stack, in a process of its own.

Under load moto does most of the stack's work (every DynamoDB and S3 call), and one Python
process runs Python on one core at a time: with moto inside the stack's process, the gateways
waited for it. Here it runs alone, with the two patches the stack needs: presigned-POST policies
enforced as S3 enforces them, and bucket notifications to Lambda handed to the parent, which
invokes its own workers.

Protocol on stdout, one JSON object per line: `{"ready": port}` once, then
`{"notification": {"event", "functionArn", "region"}}` per notification. Everything moto prints
goes to stderr. The process ends when its stdin closes (the parent stopped or died).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 60.0

Notified = Callable[[dict, str, str], None]  # (moto's event body, function ARN, region)


class MotoProcess:
    """Starts `python -m local.aws.moto_process`; hands its notifications to `on_notification`."""

    def __init__(
        self,
        host: str,
        port: int,
        on_notification: Notified,
        log: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.host = host
        self.port = port
        self.on_notification = on_notification
        self.log = log
        self._process: subprocess.Popen | None = None
        self._ready = threading.Event()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def get_host_and_port(self) -> tuple[str, int]:
        return self.host, self.port

    def start(self) -> None:
        """Start moto and wait until it listens; RuntimeError if it does not."""
        self._process = subprocess.Popen(
            [sys.executable, "-m", "local.aws.moto_process", self.host, str(self.port)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            # Its own session: the terminal's Ctrl-C is the parent's to handle.
            start_new_session=True,
        )
        threading.Thread(target=self._read, args=(self._process,), daemon=True).start()
        threading.Thread(target=self._relay, args=(self._process,), daemon=True).start()
        if not self._ready.wait(READY_TIMEOUT_S) or self._process.poll() is not None:
            self.stop()
            raise RuntimeError("moto did not start (see the [aws] lines above)")

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                self.log(line.rstrip())
                continue
            if "ready" in message:
                self.port = int(message["ready"])
                self._ready.set()
            elif "notification" in message:
                found = message["notification"]
                self.on_notification(found["event"], found["functionArn"], found["region"])
        self._ready.set()  # it exited: start() stops waiting

    def _relay(self, process: subprocess.Popen) -> None:
        for line in process.stderr:
            self.log(line.rstrip("\n"))

    def stop(self) -> None:
        """End moto (closing its stdin, then by signal); safe to call twice."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def main(argv: list[str] | None = None) -> int:
    host, port = (argv if argv is not None else sys.argv[1:])[:2]
    # fd 1 stays ours for the protocol; anything moto or werkzeug prints goes to stderr.
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8", closefd=False)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from moto.s3 import notifications
    from moto.server import ThreadedMotoServer

    from local.aws import post_policy

    post_policy.install()
    lock = threading.Lock()

    def forward(account_id: str, event_body: dict, fn_arn: str, region: str) -> None:
        line = json.dumps(
            {"notification": {"event": event_body, "functionArn": fn_arn, "region": region}},
            default=str,
        )
        with lock:
            protocol.write(line + "\n")

    notifications._invoke_awslambda = forward
    server = ThreadedMotoServer(ip_address=host, port=int(port), verbose=False)
    server.start()
    with lock:
        protocol.write(json.dumps({"ready": server.get_host_and_port()[1]}) + "\n")
    sys.stdin.read()  # until the parent closes the pipe, or dies
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
