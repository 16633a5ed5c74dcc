"""Create the topology's tables, buckets, queues, CORS and notifications in moto's AWS."""

from __future__ import annotations

import contextlib
import json

import boto3

from local.topology import Bucket, Queue, Table, Topology

ACCOUNT_ID = "123456789012"


def provision(topology: Topology, endpoint_url: str) -> None:
    """Create everything the Terraform declares for data and storage; idempotent."""
    session = boto3.session.Session(
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - moto accepts any credentials
        region_name=topology.region,
    )
    dynamodb = session.client("dynamodb", endpoint_url=endpoint_url)
    s3 = session.client("s3", endpoint_url=endpoint_url)
    existing = set(dynamodb.list_tables()["TableNames"])
    for table in topology.tables:
        if table.name not in existing:
            create_table(dynamodb, table)
    for bucket in topology.buckets:
        create_bucket(s3, bucket, topology.region)
    sqs = session.client("sqs", endpoint_url=endpoint_url)
    # Dead-letter queues first: a redrive policy names an existing queue.
    for queue in sorted(topology.queues, key=lambda q: q.dead_letter_queue is not None):
        create_queue(sqs, queue)


def create_queue(sqs, queue: Queue) -> None:
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


def create_table(dynamodb, table: Table) -> None:
    """One on-demand table with its indexes and TTL."""
    attributes = {table.hash_key: table.hash_type}
    key_schema = [{"AttributeName": table.hash_key, "KeyType": "HASH"}]
    if table.range_key:
        attributes[table.range_key] = table.range_type
        key_schema.append({"AttributeName": table.range_key, "KeyType": "RANGE"})
    indexes = []
    for index in table.indexes:
        attributes[index.hash_key] = index.hash_type
        schema = [{"AttributeName": index.hash_key, "KeyType": "HASH"}]
        if index.range_key:
            attributes[index.range_key] = index.range_type
            schema.append({"AttributeName": index.range_key, "KeyType": "RANGE"})
        indexes.append(
            {
                "IndexName": index.name,
                "KeySchema": schema,
                "Projection": {"ProjectionType": index.projection},
            }
        )
    arguments = {
        "TableName": table.name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": kind} for name, kind in attributes.items()
        ],
        "KeySchema": key_schema,
    }
    if indexes:
        arguments["GlobalSecondaryIndexes"] = indexes
    dynamodb.create_table(**arguments)
    if table.ttl_attribute:
        dynamodb.update_time_to_live(
            TableName=table.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
        )


def create_bucket(s3, bucket: Bucket, region: str) -> None:
    """The bucket, its CORS rules and its function notifications."""
    arguments: dict = {"Bucket": bucket.name}
    if region != "us-east-1":
        arguments["CreateBucketConfiguration"] = {"LocationConstraint": region}
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(**arguments)
    s3.put_public_access_block(
        Bucket=bucket.name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    if bucket.cors_rules:
        s3.put_bucket_cors(
            Bucket=bucket.name, CORSConfiguration={"CORSRules": list(bucket.cors_rules)}
        )
    if bucket.notifications:
        configurations = []
        for number, notification in enumerate(bucket.notifications):
            rules = []
            if notification.prefix:
                rules.append({"Name": "prefix", "Value": notification.prefix})
            if notification.suffix:
                rules.append({"Name": "suffix", "Value": notification.suffix})
            configuration = {
                "Id": f"{notification.function}-{number}",
                "LambdaFunctionArn": (
                    f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{notification.function}"
                ),
                "Events": list(notification.events),
            }
            if rules:
                configuration["Filter"] = {"Key": {"FilterRules": rules}}
            configurations.append(configuration)
        s3.put_bucket_notification_configuration(
            Bucket=bucket.name,
            NotificationConfiguration={"LambdaFunctionConfigurations": configurations},
        )
