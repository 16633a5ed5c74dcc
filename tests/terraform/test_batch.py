"""Batch scans in the Terraform: the queue, its dead-letter queue, the mapping to the scanner,
the results bucket, least-privilege access and the queue alarms, per workspace."""

from __future__ import annotations


def _scan_queue(stack):
    (queue,) = [q for q in stack.queues.values() if q.dead_letter_queue]
    return queue


def test_the_scan_queue_redrives_to_an_encrypted_dead_letter_queue(stack):
    queue = _scan_queue(stack)
    dead_letter = stack.queues[queue.dead_letter_queue]

    assert queue.max_receive_count == stack.settings["batch_scans"]["max_receive_count"]
    assert queue.encrypted and dead_letter.encrypted
    assert dead_letter.message_retention_s == 14 * 86400


def test_a_message_stays_invisible_six_times_the_scanners_timeout(stack):
    assert _scan_queue(stack).visibility_timeout_s == 6 * stack.functions["scanner"].timeout_s


def test_the_queue_feeds_the_scanners_alias_with_the_environments_concurrency(stack):
    (mapping,) = stack.event_source_mappings
    scanner = stack.functions["scanner"]
    batch = stack.settings["batch_scans"]

    assert (mapping.queue, mapping.function, mapping.qualifier) == (
        _scan_queue(stack).name,
        scanner.name,
        scanner.alias,
    )
    assert mapping.function_response_types == ("ReportBatchItemFailures",)
    assert mapping.maximum_concurrency == batch["maximum_concurrency"]
    assert mapping.batch_size == batch["batch_size"]


def test_the_batch_leaves_room_for_post_scan_where_the_scanner_reserves_concurrency(stack):
    reserved = stack.settings["reserved_concurrency"]["scanner"]
    concurrency = stack.settings["batch_scans"]["maximum_concurrency"]

    assert concurrency >= 2  # Lambda's minimum for an SQS mapping
    if reserved > 0:
        assert concurrency <= reserved


def test_the_scanner_is_configured_with_the_queue_tables_and_bucket(stack):
    environment = stack.functions["scanner"].environment

    assert environment["SCAN_QUEUE_NAME"] == _scan_queue(stack).name
    assert stack.tables[environment["SCAN_BATCHES_TABLE_NAME"]].hash_key == "batchId"
    items = stack.tables[environment["SCAN_BATCH_ITEMS_TABLE_NAME"]]
    assert (items.hash_key, items.range_key, items.ttl_attribute) == (
        "batchId",
        "position",
        "expiresAt",
    )
    assert environment["SCAN_RESULTS_BUCKET_NAME"] in stack.buckets


def test_the_results_bucket_is_private_and_expires_batches_with_the_tables(stack):
    bucket = stack.buckets[stack.functions["scanner"].environment["SCAN_RESULTS_BUCKET_NAME"]]
    (expiry,) = [r for r in bucket.lifecycle_rules if r.get("expiration")]

    assert all(bucket.public_access_block.values()) and len(bucket.public_access_block) == 4
    assert bucket.object_ownership == "BucketOwnerEnforced"
    assert (expiry["filter"], expiry["status"]) == ({"prefix": "batches/"}, "Enabled")
    assert expiry["expiration"]["days"] == stack.settings["batch_scans"]["retention_days"]


def test_only_the_scanner_uses_the_queue_and_only_under_batches_in_the_bucket(stack):
    queue_arn = f"arn:aws:sqs:{stack.region}:{stack.account_id}:{_scan_queue(stack).name}"
    bucket = stack.functions["scanner"].environment["SCAN_RESULTS_BUCKET_NAME"]
    for function in stack.functions.values():
        resources = {r for s in function.policy_statements for r in _list(s["Resource"])}
        sqs = {r for r in resources if ":sqs:" in r}
        results = {r for r in resources if f":s3:::{bucket}" in r}
        if function.service == "scanner":
            assert sqs == {queue_arn}
            assert results == {f"arn:aws:s3:::{bucket}/batches/*"}
        else:
            assert (sqs, results) == (set(), set()), function.name


def test_the_queues_alarm_on_the_oldest_message_and_any_dead_letter(stack):
    queue = _scan_queue(stack)
    calls = {
        call["name"]: call
        for call in stack.raw["module"]
        if str(call.get("source", "")).endswith("metric_alarm")
    }
    age = calls[f"{queue.name}-oldest-message-age"]
    depth = calls[f"{queue.dead_letter_queue}-depth"]

    assert age["metrics"]["age"]["metric_name"] == "ApproximateAgeOfOldestMessage"
    assert age["threshold"] == stack.settings["batch_scans"]["oldest_message_alarm_seconds"]
    assert depth["metrics"]["depth"]["metric_name"] == "ApproximateNumberOfMessagesVisible"
    assert depth["threshold"] == 0


def _list(value):
    return [value] if isinstance(value, str) else list(value)
