"""The local stack end to end without a browser: S3 events, the upload policy, smoke checks."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote_plus

import pytest
from websockets.asyncio.client import connect

from tests.e2e.conftest import ROOT
from tests.e2e.helpers import call, png, post_form

pytestmark = pytest.mark.e2e


def run(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API owns this thread's event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def delivered_events(stack) -> list[dict]:
    with urllib.request.urlopen(stack.urls["lambda_invoke"] + "/_local/s3-events") as response:
        return json.loads(response.read())


async def upload_and_collect(stack, session_id: str, after_first, quiet_s: float = 1.5) -> list:
    """Upload with a socket open; run `after_first` once the first message is in; collect all."""
    messages = []
    async with connect(f"{stack.ws}/?sessionId={session_id}") as socket:
        loop = asyncio.get_running_loop()
        status, target = call(
            stack.api, "GET", f"/upload-url?sessionId={session_id}&contentType=image/png"
        )
        assert status == 200, target
        status, _ = await loop.run_in_executor(
            None, post_form, target["uploadUrl"], target["fields"], png(), "image/png"
        )
        assert status == 204
        messages.append(json.loads(await asyncio.wait_for(socket.recv(), 10)))
        await loop.run_in_executor(None, after_first, target["uploadKey"])
        try:
            while True:
                messages.append(json.loads(await asyncio.wait_for(socket.recv(), quiet_s)))
        except TimeoutError:
            pass
    return messages


def test_upload_delivers_a_genuine_s3_object_created_event(stack):
    _, session = call(stack.api, "POST", "/sessions", {})
    session_id = session["sessionId"]
    keys = []
    messages = run(upload_and_collect(stack, session_id, keys.append, quiet_s=0.2))
    assert messages[0]["action"] == "UPLOAD_COMPLETED"
    [key] = keys
    [delivery] = [
        d
        for d in delivered_events(stack)
        if session_id in d["event"]["Records"][0]["s3"]["object"]["key"]
    ]
    assert delivery["function"] == stack.function("realtime")
    [record] = delivery["event"]["Records"]
    assert record["eventVersion"] == "2.1"
    assert record["eventSource"] == "aws:s3"
    assert record["eventName"] == "ObjectCreated:Post"
    assert record["awsRegion"] == stack.model.region
    assert record["s3"]["bucket"]["name"] == stack.upload_bucket
    assert record["s3"]["bucket"]["arn"] == f"arn:aws:s3:::{stack.upload_bucket}"
    assert record["s3"]["object"]["key"] == quote_plus(key, safe="/")
    assert record["s3"]["object"]["size"] == len(png())
    assert record["s3"]["object"]["eTag"]
    assert record["s3"]["object"]["sequencer"]


def test_duplicated_s3_event_notifies_the_desktop_once(stack):
    _, session = call(stack.api, "POST", "/sessions", {})
    session_id = session["sessionId"]
    lambda_client = stack.client("lambda", endpoint_url=stack.urls["lambda_invoke"])
    answers = []

    def deliver_again(key: str) -> None:
        # S3 delivers at least once: send the very same event a second time.
        [delivery] = [
            d
            for d in delivered_events(stack)
            if session_id in d["event"]["Records"][0]["s3"]["object"]["key"]
        ]
        answer = lambda_client.invoke(
            FunctionName=stack.function("realtime"), Payload=json.dumps(delivery["event"])
        )
        answers.append(json.loads(answer["Payload"].read()))

    messages = run(upload_and_collect(stack, session_id, deliver_again))
    assert [m["action"] for m in messages] == ["UPLOAD_COMPLETED"]
    assert answers[0]["duplicate"] == 1
    status, described = call(stack.api, "GET", f"/sessions/{session_id}")
    assert status == 200
    assert described["status"] == "COMPLETED"


def test_form_with_another_content_type_is_refused_by_the_s3_policy(stack):
    _, session = call(stack.api, "POST", "/sessions", {})
    _, target = call(
        stack.api, "GET", f"/upload-url?sessionId={session['sessionId']}&contentType=image/png"
    )
    fields = {**target["fields"], "Content-Type": "text/html"}
    status, body = post_form(target["uploadUrl"], fields, b"<script>x</script>", "text/html")
    assert status == 403
    assert "<Code>AccessDenied</Code>" in body


def test_unknown_route_is_a_404_from_the_gateway(stack):
    status, body = call(stack.api, "GET", "/no-such-route")
    assert status == 404
    assert body == {"message": "Not Found"}


def test_smoke_checks_pass_against_the_local_stack(stack):
    result = subprocess.run(
        [sys.executable, "-m", "smoke", "--api", stack.api, "--ws", stack.ws],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    checks = [line for line in result.stdout.splitlines() if line[:4] in ("ok  ", "FAIL", "SKIP")]
    assert len(checks) == 7
    assert all(line.startswith("ok") for line in checks)


def scan(stack, body: dict, api_key: str | None) -> tuple[int, dict]:
    headers = {"content-type": "application/json"}
    if api_key:
        headers["x-api-key"] = api_key
    request = urllib.request.Request(
        stack.api + "/scan", data=json.dumps(body).encode(), method="POST", headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_scan_route_refuses_a_request_without_the_api_key(stack):
    status, body = scan(stack, {"domain": "example.com"}, api_key=None)
    assert status == 401
    assert body["error"] == "Missing or invalid API key"


def test_scan_route_runs_the_scanner_with_the_key_from_ssm(stack):
    # The key was generated by the stack and stored in moto's SSM under SCANNER_API_KEY_PARAM.
    status, body = scan(stack, {"url": "http://127.0.0.1:9/"}, stack.info["scannerApiKey"])
    assert status == 400
    assert "non-public address" in body["error"]


def test_objects_outside_the_notification_prefix_send_no_event(stack):
    # Keys of their own: the delivered list keeps only the latest events, so it is searched.
    stack.client("s3").put_object(Bucket=stack.upload_bucket, Key="elsewhere/image-1", Body=b"x")
    stack.client("s3").put_object(
        Bucket=stack.upload_bucket, Key="session-uploads/not-a-session/image-1", Body=b"x"
    )

    def keys() -> list[str]:
        return [d["event"]["Records"][0]["s3"]["object"]["key"] for d in delivered_events(stack)]

    deadline = time.monotonic() + 5
    while "session-uploads/not-a-session/image-1" not in keys() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "session-uploads/not-a-session/image-1" in keys()
    assert "elsewhere/image-1" not in keys()
    assert delivered_events(stack)[-1]["event"]["Records"][0]["eventName"] == "ObjectCreated:Put"


def _api(stack, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        stack.api + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"content-type": "application/json", "x-api-key": stack.info["scannerApiKey"]},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_batch_runs_through_moto_sqs_and_the_local_event_source_mapping(stack):
    status, accepted = _api(
        stack, "POST", "/scans", {"urls": ["http://127.0.0.1:9/", "ftp://example.org/"]}
    )
    assert (status, accepted["total"], len(accepted["rejected"])) == (202, 1, 1)

    deadline = time.monotonic() + 90
    while True:
        status, batch = _api(stack, "GET", f"/scans/{accepted['batchId']}")
        if batch.get("status") == "completed" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert batch["status"] == "completed", stack.log_tail()
    assert batch["counts"] == {"queued": 0, "running": 0, "done": 0, "failed": 1}
    assert "non-public address" in batch["items"][0]["error"]

    status, link = _api(stack, "GET", f"/scans/{accepted['batchId']}/results.json")
    assert status == 200
    with urllib.request.urlopen(link["url"], timeout=10) as response:
        (row,) = json.loads(response.read())
    assert (row["state"], row["error"]) == ("failed", batch["items"][0]["error"])
