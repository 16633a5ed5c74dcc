"""Create the model's tables, buckets and queues (keys, indexes, TTL, CORS, notifications) in AWS.

The one way this repository creates them: `make up` on its moto server, the contract test and the
unit tests' fixtures, so each runs against the tables and bucket exactly as Terraform declares them.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import boto3

from terraform_model import Bucket, Queue, Stack, Table

# Terraform's aws_s3_bucket_cors_configuration arguments -> the S3 API's CORSRule members.
_CORS_FIELDS = {
    "allowed_headers": "AllowedHeaders",
    "allowed_methods": "AllowedMethods",
    "allowed_origins": "AllowedOrigins",
    "expose_headers": "ExposeHeaders",
    "max_age_seconds": "MaxAgeSeconds",
    "id": "ID",
}
# aws_s3_bucket_public_access_block arguments -> PublicAccessBlockConfiguration members.
_ACCESS_FIELDS = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}


class UnsupportedResource(ValueError):
    """The model declares something this provisioner cannot create faithfully."""


def provision(stack: Stack, endpoint_url: str) -> None:
    """Every table, bucket and queue of `stack` at `endpoint_url`; tables that exist are kept."""
    session = boto3.session.Session(
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - moto accepts any credentials
        region_name=stack.region,
    )
    dynamodb = session.client("dynamodb", endpoint_url=endpoint_url)
    s3 = session.client("s3", endpoint_url=endpoint_url)
    existing = set(dynamodb.list_tables()["TableNames"])
    for table in stack.tables.values():
        if table.name not in existing:
            create_table(dynamodb, table)
    for bucket in stack.buckets.values():
        create_bucket(s3, bucket, stack.region, stack.account_id)
    sqs = session.client("sqs", endpoint_url=endpoint_url)
    # Dead-letter queues first: a redrive policy names an existing queue.
    for queue in sorted(stack.queues.values(), key=lambda q: q.dead_letter_queue is not None):
        create_queue(sqs, queue)


def create_table(dynamodb: Any, table: Table) -> None:
    """The table with its keys, their attribute types, indexes and TTL."""
    if table.billing_mode != "PAY_PER_REQUEST":
        # Capacity is not in the model; guessing it would make a table Terraform does not.
        raise UnsupportedResource(f"{table.name}: only on-demand tables are provisioned")
    arguments: dict[str, Any] = {
        "TableName": table.name,
        "BillingMode": table.billing_mode,
        "KeySchema": [
            {"AttributeName": table.hash_key, "KeyType": "HASH"},
            *([{"AttributeName": table.range_key, "KeyType": "RANGE"}] if table.range_key else []),
        ],
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": kind}
            for name, kind in table.attributes.items()
        ],
    }
    if table.indexes:
        arguments["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": [{"AttributeName": index.hash_key, "KeyType": "HASH"}],
                "Projection": {"ProjectionType": index.projection},
            }
            for index in table.indexes
        ]
    dynamodb.create_table(**arguments)
    if table.ttl_attribute:
        dynamodb.update_time_to_live(
            TableName=table.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
        )


def create_queue(sqs: Any, queue: Queue) -> None:
    """The queue with its visibility timeout, retention and redrive policy."""
    attributes = {
        "VisibilityTimeout": str(queue.visibility_timeout_s),
        "MessageRetentionPeriod": str(queue.message_retention_s),
    }
    if queue.dead_letter_queue:
        url = sqs.get_queue_url(QueueName=queue.dead_letter_queue)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        attributes["RedrivePolicy"] = json.dumps(
            {"deadLetterTargetArn": arn["QueueArn"], "maxReceiveCount": queue.max_receive_count}
        )
    sqs.create_queue(QueueName=queue.name, Attributes=attributes)


def create_bucket(s3: Any, bucket: Bucket, region: str, account_id: str) -> None:
    """The bucket with its public access block, CORS rules and function notifications."""
    arguments: dict[str, Any] = {"Bucket": bucket.name}
    if region != "us-east-1":
        arguments["CreateBucketConfiguration"] = {"LocationConstraint": region}
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(**arguments)
    if bucket.public_access_block:
        s3.put_public_access_block(
            Bucket=bucket.name,
            PublicAccessBlockConfiguration={
                member: bucket.public_access_block.get(argument, False)
                for argument, member in _ACCESS_FIELDS.items()
            },
        )
    if bucket.cors_rules:
        rules = [
            {_CORS_FIELDS[k]: v for k, v in rule.items() if k in _CORS_FIELDS and v is not None}
            for rule in bucket.cors_rules
        ]
        s3.put_bucket_cors(Bucket=bucket.name, CORSConfiguration={"CORSRules": rules})
    if bucket.notifications:
        s3.put_bucket_notification_configuration(
            Bucket=bucket.name,
            NotificationConfiguration={
                "LambdaFunctionConfigurations": _notifications(bucket, region, account_id)
            },
        )


def _notifications(bucket: Bucket, region: str, account_id: str) -> list[dict[str, Any]]:
    configurations = []
    for number, notification in enumerate(bucket.notifications):
        rules = [
            {"Name": name, "Value": value}
            for name, value in (("prefix", notification.prefix), ("suffix", notification.suffix))
            if value
        ]
        configuration: dict[str, Any] = {
            "Id": f"{notification.function}-{number}",
            "LambdaFunctionArn": (
                f"arn:aws:lambda:{region}:{account_id}:function:{notification.function}"
            ),
            "Events": list(notification.events),
        }
        if rules:
            configuration["Filter"] = {"Key": {"FilterRules": rules}}
        configurations.append(configuration)
    return configurations
