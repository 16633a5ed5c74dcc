"""Contract: the handlers work against the tables and bucket exactly as Terraform declares them.

The tables and the bucket are created on a moto server from the evaluated dev workspace (key
schema, attribute types, GSI, TTL, CORS, public access block), every function gets the
environment Terraform sets, and a whole QR hand-off runs through the real handlers: create a
session, open the desktop's WebSocket, presign, upload like a phone, deliver the S3 event to the
function Terraform subscribes, read the completed session.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from handlers.core import aws
from handlers.realtime.app import app as realtime_app
from handlers.sessions.app import app as sessions_app
from local import terraform_model
from tests.support.events import LambdaContext, body_of, http_v2, websocket
from tests.support.uploads import post_form
from tests.terraform.handoff import deliver_upload_event, session_of

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def create_table(client: Any, table: terraform_model.Table) -> None:
    """The table as Terraform declares it: keys, attribute types, GSIs, TTL."""
    extra: dict[str, Any] = {}
    if table.indexes:
        extra["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": [{"AttributeName": index.hash_key, "KeyType": "HASH"}],
                "Projection": {"ProjectionType": index.projection},
            }
            for index in table.indexes
        ]
    keys = [{"AttributeName": table.hash_key, "KeyType": "HASH"}]
    if table.range_key:
        keys.append({"AttributeName": table.range_key, "KeyType": "RANGE"})
    client.create_table(
        TableName=table.name,
        KeySchema=keys,
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": kind}
            for name, kind in table.attributes.items()
        ],
        BillingMode=table.billing_mode,
        **extra,
    )
    if table.ttl_attribute:
        client.update_time_to_live(
            TableName=table.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
        )


def create_bucket(client: Any, bucket: terraform_model.Bucket, region: str) -> None:
    """The bucket as Terraform declares it: private, with its CORS rules."""
    client.create_bucket(
        Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": region}
    )
    access = bucket.public_access_block
    if access:
        client.put_public_access_block(
            Bucket=bucket.name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": access["block_public_acls"],
                "IgnorePublicAcls": access["ignore_public_acls"],
                "BlockPublicPolicy": access["block_public_policy"],
                "RestrictPublicBuckets": access["restrict_public_buckets"],
            },
        )
    if not bucket.cors_rules:
        return
    client.put_bucket_cors(
        Bucket=bucket.name,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedMethods": rule["allowed_methods"],
                    "AllowedOrigins": rule["allowed_origins"],
                    "AllowedHeaders": rule.get("allowed_headers", []),
                    "MaxAgeSeconds": rule.get("max_age_seconds", 0),
                }
                for rule in bucket.cors_rules
            ]
        },
    )


@pytest.fixture
def stack(server_aws, monkeypatch) -> terraform_model.Stack:
    """The dev stack's data layer on the moto server, and its function environments set."""
    stack = terraform_model.load("dev")
    monkeypatch.setenv("AWS_REGION", stack.region)
    monkeypatch.setenv("AWS_DEFAULT_REGION", stack.region)
    aws.reset()
    dynamodb = boto3.client("dynamodb", region_name=stack.region)
    for table in stack.tables.values():
        create_table(dynamodb, table)
    s3 = boto3.client("s3", region_name=stack.region)
    for bucket in stack.buckets.values():
        create_bucket(s3, bucket, stack.region)

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
