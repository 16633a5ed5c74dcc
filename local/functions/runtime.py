"""Bootstrap of one function worker: a tiny Lambda runtime fed JSON events over a pipe.

Runs inside its own subprocess with the function's code directory first on sys.path, so each
function imports its own copy of the `handlers` package, as in its own Lambda container.
Protocol: one JSON object per line on stdin ({"id", "event", "context"}), one JSON object per line
on the original stdout ({"id", "result"} or {"id", "error"}). The handler's own prints and logs go
to stderr, which the parent relays, because stdout is the protocol channel.
Standard library only.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import time
import traceback


class LambdaContext:
    """The attributes of the Lambda context object that handlers use."""

    def __init__(self, function_name: str, memory_mb: int, request_id: str, deadline_ms: int):
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:{os.environ.get('AWS_REGION', 'us-east-1')}:123456789012"
            f":function:{function_name}"
        )
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


def _error(exc: BaseException) -> dict:
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }


def main() -> int:
    code_dir, handler_path, function_name, memory_mb, runtime_dir = sys.argv[1:6]
    # The parent stops us through our process group; the terminal's Ctrl-C is its business.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Keep the protocol channel private: fd 1 becomes stderr for everything the handler prints.
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = os.fdopen(1, "w", buffering=1, encoding="utf-8", closefd=False)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.path.insert(0, code_dir)
    if runtime_dir:
        sys.path.append(runtime_dir)
    os.chdir(code_dir)

    module_name, _, attribute = handler_path.rpartition(".")
    try:
        handler = getattr(importlib.import_module(module_name), attribute)
    except Exception as exc:  # an init error is reported on every invocation, as Lambda does
        init_error = _error(exc)
        traceback.print_exc()
        handler = None
    protocol.write(json.dumps({"ready": handler is not None}) + "\n")

    for line in sys.stdin:
        message = json.loads(line)
        if handler is None:
            reply = {"id": message["id"], "error": init_error}
        else:
            ctx = message["context"]
            context = LambdaContext(
                function_name, int(memory_mb), ctx["request_id"], int(ctx["deadline_ms"])
            )
            try:
                reply = {"id": message["id"], "result": handler(message["event"], context)}
            except Exception as exc:
                traceback.print_exc()
                reply = {"id": message["id"], "error": _error(exc)}
        try:
            protocol.write(json.dumps(reply, default=str) + "\n")
        except (TypeError, ValueError) as exc:
            protocol.write(json.dumps({"id": message["id"], "error": _error(exc)}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
