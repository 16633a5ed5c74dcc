"""Contract: the handlers work against the tables and bucket exactly as Terraform declares them.

The tables and the bucket are created on a moto server from the evaluated dev workspace (key
schema, attribute types, GSI, TTL, CORS, public access block), every function gets the
environment Terraform sets, and a whole QR hand-off runs through the real handlers: create a
session, open the desktop's WebSocket, presign, upload like a phone, deliver the S3 event to the
function Terraform subscribes, read the completed session.
"""

from __future__ import annotations

import pytest

import terraform_model
from handlers.core import aws
from handlers.realtime.app import app as realtime_app
from handlers.sessions.app import app as sessions_app
from local.aws.provision import provision
from tests.support.events import LambdaContext, body_of, http_v2, websocket
from tests.support.uploads import post_form
from tests.terraform.handoff import deliver_upload_event, session_of

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def stack(server_aws, monkeypatch) -> terraform_model.Stack:
    """The dev stack's data layer on the moto server, and its function environments set."""
    stack = terraform_model.load("dev")
    monkeypatch.setenv("AWS_REGION", stack.region)
    monkeypatch.setenv("AWS_DEFAULT_REGION", stack.region)
    aws.reset()
    provision(stack, server_aws)

    environment: dict[str, str] = {}
    for service in ("sessions", "realtime"):
        for name, value in stack.functions[service].environment.items():
            # One process hosts both handlers here, so a shared name must mean the same thing.
            assert environment.setdefault(name, value) == value, name
            monkeypatch.setenv(name, value)
    for app in (sessions_app, realtime_app):
        app.reset()
    yield stack
    for app in (sessions_app, realtime_app):
        app.reset()


def test_a_phone_upload_completes_the_desktop_session(stack):
    context = LambdaContext()
    created = sessions_app.lambda_handler(http_v2("POST", "/sessions"), context)
    assert created["statusCode"] == 200
    session_id = body_of(created)["sessionId"]

    connect = websocket("$connect", connection_id="desk-1", query={"sessionId": session_id})
    assert realtime_app.lambda_handler(connect, context)["statusCode"] == 200

    query = {"sessionId": session_id, "contentType": "image/jpeg"}
    presigned = sessions_app.lambda_handler(http_v2("GET", "/upload-url", query=query), context)
    assert presigned["statusCode"] == 200
    upload = body_of(presigned)
    status, _ = post_form(upload["uploadUrl"], upload["fields"], JPEG, "image/jpeg")
    assert status == 204

    bucket = stack.functions["sessions"].environment["UPLOAD_BUCKET_NAME"]
    (subscription,) = stack.buckets[bucket].notifications
    assert upload["uploadKey"].startswith(subscription.prefix)
    assert subscription.function == stack.functions["realtime"].name

    endpoint = stack.functions["realtime"].environment["WS_API_ENDPOINT"]
    deliver_upload_event(endpoint, upload["uploadKey"], bucket, context)

    session = session_of(session_id, context)
    assert (session["statusCode"], session["status"]) == (200, "COMPLETED")
    assert session["uploadKey"] == upload["uploadKey"]
