"""`make up` refuses a second stack, and mirrors the dev workspace's Terraform."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from local.lock import AlreadyRunning, StackLock
from terraform_model import load_plannable

ROOT = Path(__file__).resolve().parents[2]


def test_second_up_is_refused_while_one_holds_the_lock(tmp_path):
    running = StackLock(tmp_path)
    running.acquire()
    running.publish({"pid": 4242, "urls": {"web": "http://127.0.0.1:8700"}})
    try:
        second = subprocess.run(
            [sys.executable, "-m", "local", "--state-dir", str(tmp_path), "--port", "0"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        running.release()
    assert second.returncode == 1
    assert "already running (pid 4242)" in second.stderr
    assert "http://127.0.0.1:8700" in second.stderr


def test_lock_is_free_again_after_release(tmp_path):
    first = StackLock(tmp_path)
    first.acquire()
    with pytest.raises(AlreadyRunning):
        StackLock(tmp_path).acquire()
    first.release()
    second = StackLock(tmp_path)
    second.acquire()
    second.release()


def test_stack_json_is_private_to_the_user(tmp_path):
    lock = StackLock(tmp_path)
    lock.acquire()
    try:
        lock.publish({"pid": 1, "scannerApiKey": "k"})
        assert (tmp_path / "stack.json").stat().st_mode & 0o077 == 0
        assert json.loads((tmp_path / "stack.json").read_text())["pid"] == 1
    finally:
        lock.release()
    assert not (tmp_path / "stack.json").exists()


@pytest.fixture(scope="module")
def model():
    return load_plannable("dev")


def test_the_model_has_the_sessions_table_with_ttl(model):
    sessions = model.table_keyed("sessionId")
    assert sessions.ttl_attribute == "expiresAt"


def test_upload_bucket_notifies_the_realtime_function_under_its_prefix(model):
    bucket = model.bucket_notifying()
    [notification] = bucket.notifications
    assert notification.function == model.functions["realtime"].name
    assert notification.prefix == "session-uploads/"
    assert "s3:ObjectCreated:*" in notification.events
    assert any("POST" in rule["allowed_methods"] for rule in bucket.cors_rules)


def test_every_http_route_is_served_by_a_declared_function(model):
    names = {f.name for f in model.functions.values()}
    assert model.http_routes
    assert set(model.http_routes.values()) <= names
    assert model.websocket_routes.keys() == {"$connect", "$disconnect"}


def test_sessions_table_has_the_connection_index_disconnect_queries(model):
    sessions = model.table_keyed("sessionId")
    [index] = sessions.indexes
    assert (index.name, index.hash_key, index.projection) == (
        "wsConnectionId-index",
        "wsConnectionId",
        "ALL",
    )
