"""The AWS side against moto: REPORT lines read back from CloudWatch Logs, invocations counted."""

from __future__ import annotations

import io
import json
import time
import zipfile

import boto3
import pytest

from buildtools import aws_performance
from buildtools.aws_performance import Target, collect, invoke, targets

REGION = "us-east-1"
GROUP = "/aws/lambda/visitor-counter-dev"
NOW_MS = int(time.time() * 1000)


def _report(request_id: str, duration: float, init: float | None = None) -> str:
    line = f"REPORT RequestId: {request_id}\tDuration: {duration} ms\tBilled Duration: 5 ms\t"
    return line + (f"Init Duration: {init} ms\t" if init else "")


@pytest.fixture
def logs(moto):
    client = boto3.client("logs", region_name=REGION)
    client.create_log_group(logGroupName=GROUP)
    client.create_log_stream(logGroupName=GROUP, logStreamName="2026/12/02/[$LATEST]abc")
    return client


def _seed(logs, *messages: str, at_ms: int = NOW_MS) -> None:
    logs.put_log_events(
        logGroupName=GROUP,
        logStreamName="2026/12/02/[$LATEST]abc",
        logEvents=[{"timestamp": at_ms + i, "message": m} for i, m in enumerate(messages)],
    )


def test_report_lines_of_the_invocations_are_read_back(logs) -> None:
    _seed(
        logs,
        "START RequestId: a Version: $LATEST",
        _report("a", 7.5, init=300.0),
        _report("b", 2.0),
        _report("someone-else", 99.0),
    )

    reports = collect(logs, GROUP, ["a", "b"], since_ms=NOW_MS - 1000, wait_s=0)

    assert sorted((r.request_id, r.duration_ms, r.init_ms) for r in reports) == [
        ("a", 7.5, 300.0),
        ("b", 2.0, None),
    ]


def test_lines_before_the_run_are_left_out(logs) -> None:
    _seed(logs, _report("a", 7.5), at_ms=NOW_MS - 60_000)

    assert collect(logs, GROUP, ["a"], since_ms=NOW_MS - 1000, wait_s=0) == []


def test_missing_lines_are_waited_for_until_they_arrive(logs) -> None:
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        _seed(logs, _report("late", 3.0))

    reports = collect(logs, GROUP, ["late"], since_ms=NOW_MS - 1000, wait_s=60, sleep=sleep)

    assert [r.request_id for r in reports] == ["late"]
    assert len(pauses) == 1


def _function(name: str) -> None:
    role = boto3.client("iam", region_name=REGION).create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handlers/app.py", "def lambda_handler(event, context):\n    return {}\n")
    boto3.client("lambda", region_name=REGION).create_function(
        FunctionName=name,
        Role=role,
        Runtime="python3.12",
        Handler="handlers.app.lambda_handler",
        Code={"ZipFile": code.getvalue()},
    )


def test_each_invocation_gives_its_request_id(moto) -> None:
    _function("visitor-counter-dev")
    lam = boto3.client("lambda", region_name=REGION)
    target = Target("counter", "visitor-counter-dev", None, GROUP)

    ids = invoke(lam, target, count=6, parallel=3)

    assert len(ids) == 6 and len(set(ids)) == 6


def test_the_functions_and_their_log_groups_come_from_terraform() -> None:
    found = {t.service: t for t in targets("dev", prefix="alice-")}

    assert set(found) == {"sessions", "realtime", "counter", "scanner"}
    assert found["counter"].function == "alice-visitor-counter-dev"
    assert found["counter"].log_group == "/aws/lambda/alice-visitor-counter-dev"
    assert found["scanner"].qualifier == "live"


def test_an_unknown_environment_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert aws_performance.main(["--env", "qa"]) == 2

    assert capsys.readouterr().err == (
        "make perf-aws: unknown environment 'qa': use one of dev, prod, staging\n"
    )
