"""Every ZIP works on its own: extracted into an empty directory, imported by a fresh `python -I`
that sees only that directory, the standard library and boto3 (as the Lambda runtime does), and
invoked with a real event against a moto server."""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.functions.packages import link_runtime_packages
from tests.support import events, tables

# Runs in the isolated interpreter; argv: code dir, runtime dir, module, event file, result file.
INVOKE = r"""
import importlib, json, sys, sysconfig
code_dir, runtime_dir, module, event_file, result_file = sys.argv[1:6]
sys.path.insert(0, code_dir)
sys.path.append(runtime_dir)
app = importlib.import_module(module)

class Context:
    function_name = "isolated-test"
    memory_limit_in_mb = 256
    aws_request_id = "isolated-req-1"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:isolated-test"
    def get_remaining_time_in_millis(self):
        return 30_000

with open(event_file) as handle:
    event = json.load(handle)
response = app.lambda_handler(event, Context())
paths = sysconfig.get_paths()
allowed = (code_dir, runtime_dir, paths["stdlib"], paths["platstdlib"])
outside = sorted(
    name for name, mod in list(sys.modules.items())
    if getattr(mod, "__file__", None) and not mod.__file__.startswith(allowed)
)
with open(result_file, "w") as handle:
    json.dump({"response": response, "outside": outside}, handle)
"""


@pytest.fixture(scope="session")
def runtime_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding only boto3 and its dependencies (links into this venv)."""
    return link_runtime_packages(tmp_path_factory.mktemp("lambda-runtime"))


def _environment(service: str, endpoint: str) -> dict[str, str]:
    """Exactly the deployed variables of the service, plus what the Lambda runtime sets."""
    values = {
        "SESSIONS_TABLE_NAME": tables.SESSIONS,
        "COUNTERS_TABLE_NAME": tables.COUNTERS,
        "RATE_LIMIT_TABLE_NAME": tables.RATE_LIMITS,
        "SCAN_CACHE_TABLE_NAME": tables.SCAN_CACHE,
        "UPLOAD_BUCKET_NAME": tables.BUCKET,
        "WS_API_ENDPOINT": f"{endpoint}/dev",
    }
    settings = importlib.import_module(f"handlers.{service}.settings").SETTINGS
    env = {s.name: values[s.name] for s in settings.settings if s.deployed and s.name in values}
    assert {s.name for s in settings.settings if s.required} <= set(env)
    return env | {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": "isolated-test",
        "TZ": "UTC",
    }


@pytest.fixture
def aws_resources(server_aws: str) -> str:
    """The tables and bucket the functions use, created in the moto server."""
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    tables.create_sessions_table(dynamodb)
    tables.create_counters_table(dynamodb)
    tables.create_rate_limit_table(dynamodb)
    tables.create_uploads_bucket(boto3.client("s3", region_name="us-east-1"))
    return server_aws


@pytest.fixture
def invoke(built_dist: Path, runtime_dir: Path, aws_resources: str, tmp_path: Path):
    """Extract a function's ZIP into an empty directory and invoke it in an isolated interpreter."""

    def run(function_name: str, service: str, event: dict[str, Any]) -> dict[str, Any]:
        code = tmp_path / f"{function_name}-code"
        code.mkdir()
        with zipfile.ZipFile(built_dist / f"{function_name}.zip") as archive:
            archive.extractall(code)
        (tmp_path / "event.json").write_text(json.dumps(event))
        result_file = tmp_path / "result.json"
        argv = [sys.executable, "-I", "-S", "-c", INVOKE, str(code), str(runtime_dir)]
        argv += [f"handlers.{service}.app", str(tmp_path / "event.json"), str(result_file)]
        completed = subprocess.run(
            argv,
            env=_environment(service, aws_resources),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert completed.returncode == 0, completed.stderr
        result = json.loads(result_file.read_text())
        assert result["outside"] == [], "modules loaded from outside the ZIP and runtime"
        return result["response"]

    return run


def test_counter_zip_answers_health_with_200(invoke):
    response = invoke("visitor-counter", "counter", events.http_v2("GET", "/health"))
    assert response["statusCode"] == 200
    assert events.body_of(response)["status"] == "healthy"


def test_counter_zip_counts_a_visit(invoke):
    response = invoke("visitor-counter", "counter", events.http_v2("GET", "/counter"))
    assert response["statusCode"] == 200
    assert events.body_of(response) == {"count": 1}


def test_sessions_zip_creates_a_session(invoke):
    response = invoke("qr-upload-http-api", "sessions", events.http_v2("POST", "/sessions"))
    assert response["statusCode"] == 200
    body = events.body_of(response)
    assert body["sessionId"] and body["expiresAt"]


def test_realtime_zip_answers_a_malformed_event_with_400(invoke):
    response = invoke("qr-upload-websocket-event", "realtime", {"unexpected": "shape"})
    assert response["statusCode"] == 400
    assert "error" in events.body_of(response)


def test_realtime_zip_refuses_a_connection_to_an_unknown_session(invoke):
    event = events.websocket(
        "$connect", query={"sessionId": "0f8fad5b-d9cb-469f-a165-70867728950e"}
    )
    response = invoke("qr-upload-websocket-event", "realtime", event)
    assert response["statusCode"] == 404
    assert events.body_of(response)["error"] == "Session not found"
