"""Tables and the upload bucket are keyed and protected the way the handlers use them."""

from __future__ import annotations

from handlers.realtime.store import CONNECTION_INDEX

TTL = "expiresAt"


def _env(stack, service, name):
    return stack.tables[stack.functions[service].environment[name]]


def test_sessions_table_is_keyed_by_session_id_with_the_connection_index_and_ttl(stack):
    table = _env(stack, "sessions", "SESSIONS_TABLE_NAME")

    assert table.hash_key == "sessionId"
    assert [(i.name, i.hash_key, i.projection) for i in table.indexes] == [
        (CONNECTION_INDEX, "wsConnectionId", "ALL")
    ]
    assert table.attributes == {"sessionId": "S", "wsConnectionId": "S"}
    assert table.ttl_attribute == TTL


def test_realtime_and_sessions_share_the_sessions_table(stack):
    assert (
        stack.functions["realtime"].environment["SESSIONS_TABLE_NAME"]
        == stack.functions["sessions"].environment["SESSIONS_TABLE_NAME"]
    )


def test_counters_table_is_keyed_by_counter_id(stack):
    table = _env(stack, "counter", "COUNTERS_TABLE_NAME")

    assert (table.hash_key, table.ttl_attribute) == ("counter_id", None)


def test_scan_cache_is_keyed_by_domain_and_expires(stack):
    table = _env(stack, "scanner", "SCAN_CACHE_TABLE_NAME")

    assert (table.hash_key, table.ttl_attribute) == ("domain", TTL)


def test_rate_limits_are_keyed_by_key_and_expire(stack):
    table = _env(stack, "scanner", "RATE_LIMIT_TABLE_NAME")

    assert (table.hash_key, table.ttl_attribute) == ("key", TTL)
    assert stack.functions["sessions"].environment["RATE_LIMIT_TABLE_NAME"] == table.name


def test_every_table_is_on_demand_and_encrypted(stack):
    for table in stack.tables.values():
        assert table.billing_mode == "PAY_PER_REQUEST", table.name
        assert table.encrypted, table.name


def test_protection_follows_the_environment_settings(stack):
    for table in stack.tables.values():
        assert table.point_in_time_recovery is stack.settings["point_in_time_recovery"]
        assert table.deletion_protection is stack.settings["deletion_protection"]


def _uploads(stack):
    return stack.buckets[stack.functions["sessions"].environment["UPLOAD_BUCKET_NAME"]]


def test_the_upload_bucket_blocks_all_public_access_and_acls(stack):
    bucket = _uploads(stack)

    assert bucket.public_access_block == {
        "block_public_acls": True,
        "block_public_policy": True,
        "ignore_public_acls": True,
        "restrict_public_buckets": True,
    }
    assert bucket.object_ownership == "BucketOwnerEnforced"


def test_every_bucket_is_encrypted_and_denies_requests_without_tls(stack):
    for bucket in stack.buckets.values():
        assert bucket.sse_algorithm in {"AES256", "aws:kms"}, bucket.name
        assert bucket.policy is not None, f"{bucket.name} has no bucket policy"
        tls_denials = [
            s
            for s in bucket.policy["Statement"]
            if s["Effect"] == "Deny"
            and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
            and s.get("Principal") in ("*", {"AWS": "*"}, {"AWS": ["*"]})
        ]
        covered = {r for s in tls_denials for r in s["Resource"]}
        assert {f"arn:aws:s3:::{bucket.name}", f"arn:aws:s3:::{bucket.name}/*"} <= covered


def test_uploads_expire_after_a_day_and_incomplete_multipart_uploads_are_aborted(stack):
    rules = _uploads(stack).lifecycle_rules

    expiring = [r for r in rules if "expiration" in r]
    assert [(r["filter"]["prefix"], r["expiration"]["days"]) for r in expiring] == [
        ("session-uploads/", 1)
    ]
    assert any("abort_incomplete_multipart_upload" in r for r in rules)
    assert all(r["status"] == "Enabled" for r in rules)


def test_browsers_may_post_uploads_from_the_web_origins(stack):
    (rule,) = _uploads(stack).cors_rules

    assert rule["allowed_methods"] == ["POST"]
    assert rule["allowed_origins"] == ["*"]


def test_uploads_under_the_prefix_notify_the_realtime_function(stack):
    (notification,) = _uploads(stack).notifications

    assert notification.function == stack.functions["realtime"].name
    assert notification.events == ("s3:ObjectCreated:*",)
    assert notification.prefix == "session-uploads/"


def test_s3_may_invoke_realtime_only_from_this_bucket_and_account(stack):
    bucket = _uploads(stack)
    (permission,) = [
        p for p in stack.raw["aws_lambda_permission"] if p.get("principal") == "s3.amazonaws.com"
    ]

    assert permission["function_name"] == stack.functions["realtime"].name
    assert permission["source_arn"] == f"arn:aws:s3:::{bucket.name}"
    assert permission["source_account"] == stack.account_id
