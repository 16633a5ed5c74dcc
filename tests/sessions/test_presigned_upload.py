"""S3 itself refuses uploads that break the presigned POST policy (moto server, real HTTP)."""

from __future__ import annotations

import boto3
import pytest

from handlers.core.clock import FakeClock
from handlers.sessions.app import app as sessions_app
from tests.sessions.conftest import configure, provision
from tests.support.events import body_of, http_v2
from tests.support.tables import BUCKET
from tests.support.uploads import post_form

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def upload(server_aws, monkeypatch):
    """A fresh session on the moto server, and its presigned POST for a PNG up to 1 KiB."""
    import time

    configure(monkeypatch)
    provision()
    sessions_app.reset()
    monkeypatch.setattr(sessions_app, "clock", FakeClock(time.time()))
    session = body_of(sessions_app.lambda_handler(http_v2("POST", "/sessions"), None))
    query = {"sessionId": session["sessionId"], "contentType": "image/png"}
    yield body_of(sessions_app.lambda_handler(http_v2("GET", "/upload-url", query=query), None))
    sessions_app.reset()


def _stored(key: str) -> bool:
    listed = boto3.client("s3").list_objects_v2(Bucket=BUCKET, Prefix=key)
    return listed.get("KeyCount", 0) == 1


def test_upload_within_the_policy_is_stored(upload):
    status, _ = post_form(upload["uploadUrl"], upload["fields"], PNG, "image/png")
    assert status == 204
    assert _stored(upload["uploadKey"])


def test_upload_over_the_size_limit_is_refused(upload):
    status, body = post_form(upload["uploadUrl"], upload["fields"], b"x" * 2048, "image/png")
    assert status == 400
    assert "<Code>EntityTooLarge</Code>" in body
    assert not _stored(upload["uploadKey"])


def test_empty_upload_is_refused(upload):
    status, body = post_form(upload["uploadUrl"], upload["fields"], b"", "image/png")
    assert status == 400
    assert "<Code>EntityTooSmall</Code>" in body


def test_upload_of_another_type_is_refused(upload):
    fields = {**upload["fields"], "Content-Type": "application/pdf"}
    status, body = post_form(upload["uploadUrl"], fields, PNG, "application/pdf")
    assert status == 403
    assert "<Code>AccessDenied</Code>" in body
    assert "Content-Type" in body


def test_upload_to_another_key_is_refused(upload):
    fields = {**upload["fields"], "key": "session-uploads/elsewhere/image-1"}
    status, body = post_form(upload["uploadUrl"], fields, PNG, "image/png")
    assert status == 403
    assert "Policy Condition failed" in body


def test_upload_with_an_unlisted_field_is_refused(upload):
    fields = {**upload["fields"], "acl": "public-read"}
    status, body = post_form(upload["uploadUrl"], fields, PNG, "image/png")
    assert status == 403
    assert "Extra input fields: acl" in body


def test_upload_after_the_policy_expires_is_refused(upload):
    from datetime import UTC, datetime, timedelta

    from local.aws.post_policy import PolicyViolation, check

    later = datetime.now(UTC) + timedelta(seconds=301)
    with pytest.raises(PolicyViolation) as refused:
        check(upload["fields"]["policy"], upload["fields"], BUCKET, len(PNG), later)
    assert refused.value.status == 403
    assert refused.value.message == "Invalid according to Policy: Policy expired."
