"""Function workers run each function in its own interpreter, like one Lambda container each."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from local.functions.workers import FunctionSpec, FunctionWorker, InvocationError

HANDLER = """
import os
import sys
import time

print("cold start", flush=True)  # prints must not corrupt the reply channel


def lambda_handler(event, context):
    print("handling", event.get("action"))
    action = event.get("action")
    if action == "fail":
        raise ValueError("bad input")
    if action == "sleep":
        time.sleep(event["seconds"])
    return {
        "marker": MARKER,
        "package": os.path.dirname(sys.modules["handlers"].__file__),
        "function": context.function_name,
        "memory": context.memory_limit_in_mb,
        "requestId": context.aws_request_id,
        "remainingPositive": context.get_remaining_time_in_millis() > 0,
        "table": os.environ.get("TABLE_NAME"),
        "pid": os.getpid(),
    }
"""


def function_dir(root: Path, marker: str) -> Path:
    service = root / marker / "handlers" / "svc"
    service.mkdir(parents=True)
    (service.parent / "__init__.py").write_text("")
    (service / "__init__.py").write_text("")
    (service / "app.py").write_text(f"MARKER = {marker!r}\n" + textwrap.dedent(HANDLER))
    return root / marker


def worker(root: Path, marker: str, timeout_s: float = 10, lines=None) -> FunctionWorker:
    spec = FunctionSpec(
        name=f"fn-{marker}",
        code_dir=function_dir(root, marker),
        handler="handlers.svc.app.lambda_handler",
        environment={"TABLE_NAME": f"table-{marker}"},
        memory_mb=128,
        timeout_s=timeout_s,
    )
    sink = lines if lines is not None else []
    return FunctionWorker(spec, lambda name, line: sink.append((name, line)))


@pytest.fixture
def started(tmp_path):
    workers: list[FunctionWorker] = []

    def start(marker: str, **kwargs) -> FunctionWorker:
        w = worker(tmp_path, marker, **kwargs)
        w.start()
        workers.append(w)
        return w

    yield start
    for w in workers:
        w.stop()


def test_handler_gets_the_event_the_environment_and_a_lambda_context(started):
    result = started("a").invoke({"action": "echo"}, request_id="req-1")
    assert result["function"] == "fn-a"
    assert result["memory"] == 128
    assert result["requestId"] == "req-1"
    assert result["remainingPositive"] is True
    assert result["table"] == "table-a"


def test_each_function_imports_its_own_handlers_package(started, tmp_path):
    first = started("a").invoke({})
    second = started("b").invoke({})
    assert (first["marker"], second["marker"]) == ("a", "b")
    assert first["package"] == str(tmp_path / "a" / "handlers")
    assert second["package"] == str(tmp_path / "b" / "handlers")


def test_worker_is_long_lived_between_invocations(started):
    w = started("a")
    assert w.invoke({})["pid"] == w.invoke({})["pid"]


def test_handler_output_goes_to_the_log_not_the_reply(tmp_path):
    lines: list = []
    w = worker(tmp_path, "a", lines=lines)
    try:
        w.invoke({"action": "echo"})
    finally:
        w.stop()
    assert ("fn-a", "cold start") in lines
    assert ("fn-a", "handling echo") in lines


def test_handler_exception_becomes_an_invocation_error_with_lambdas_shape(started):
    with pytest.raises(InvocationError) as failed:
        started("a").invoke({"action": "fail"})
    assert failed.value.payload["errorType"] == "ValueError"
    assert failed.value.payload["errorMessage"] == "bad input"
    assert failed.value.timed_out is False


def test_timeout_ends_the_sandbox_and_the_next_invocation_is_a_cold_start(started):
    w = started("a", timeout_s=0.5)
    first_pid = w.invoke({})["pid"]
    with pytest.raises(InvocationError) as timed_out:
        w.invoke({"action": "sleep", "seconds": 5})
    assert timed_out.value.timed_out is True
    assert timed_out.value.payload["errorType"] == "Sandbox.Timedout"
    assert w.invoke({})["pid"] != first_pid


def test_stop_leaves_no_process_behind(tmp_path):
    w = worker(tmp_path, "a")
    w.start()
    pid = w.pid
    w.stop()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


IMPORT_PROBE = """
import importlib.util


def lambda_handler(event, context):
    return {name: importlib.util.find_spec(name) is not None for name in event["modules"]}
"""


def test_zip_worker_sees_only_its_code_the_stdlib_and_boto3(tmp_path):
    from local.functions.packages import link_runtime_packages

    code = tmp_path / "probe"
    (code / "handlers").mkdir(parents=True)
    (code / "handlers" / "__init__.py").write_text("")
    (code / "handlers" / "probe.py").write_text(IMPORT_PROBE)
    spec = FunctionSpec(
        name="fn-probe",
        code_dir=code,
        handler="handlers.probe.lambda_handler",
        environment={},
        runtime_dir=link_runtime_packages(tmp_path / "runtime"),
    )
    probe = FunctionWorker(spec, lambda name, line: None)
    probe.start()
    try:
        found = probe.invoke({"modules": ["boto3", "json", "moto", "pytest", "local"]}, "r-1")
    finally:
        probe.stop()
    assert found == {"boto3": True, "json": True, "moto": False, "pytest": False, "local": False}
