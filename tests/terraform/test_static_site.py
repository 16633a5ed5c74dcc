"""The QR demo pages (module.static_site): a private bucket only CloudFront reads, over HTTPS."""

from __future__ import annotations

import json

MODULE = "module.static_site."


def _one(stack, rtype: str) -> dict:
    (block,) = [b for b in stack.raw[rtype] if b["__tfmeta"]["path"].startswith(MODULE)]
    return block


def _policy_statements(stack) -> dict[str, dict]:
    policy = json.loads(_one(stack, "aws_s3_bucket_policy")["policy"])
    return {statement["Sid"]: statement for statement in policy["Statement"]}


def test_cloudfront_reads_the_bucket_through_an_origin_access_control_signing_with_sigv4(stack):
    control = _one(stack, "aws_cloudfront_origin_access_control")
    distribution = _one(stack, "aws_cloudfront_distribution")

    assert control["origin_access_control_origin_type"] == "s3"
    assert (control["signing_behavior"], control["signing_protocol"]) == ("always", "sigv4")
    assert distribution["origin"]["origin_access_control_id"] == control["id"]


def test_viewers_on_http_are_redirected_to_https(stack):
    behavior = _one(stack, "aws_cloudfront_distribution")["default_cache_behavior"]

    assert behavior["viewer_protocol_policy"] == "redirect-to-https"


def test_the_web_bucket_blocks_every_kind_of_public_access(stack):
    bucket = _one(stack, "aws_s3_bucket")
    block = _one(stack, "aws_s3_bucket_public_access_block")

    assert block["bucket"] == bucket["bucket"]
    flags = ("block_public_acls", "block_public_policy", "ignore_public_acls")
    assert all(block[flag] is True for flag in (*flags, "restrict_public_buckets"))


def test_the_bucket_policy_allows_reads_by_this_distribution_only(stack):
    distribution = _one(stack, "aws_cloudfront_distribution")
    bucket = _one(stack, "aws_s3_bucket")["bucket"]
    allows = [s for s in _policy_statements(stack).values() if s["Effect"] == "Allow"]

    assert allows == [
        {
            "Sid": "CloudFrontReadsThroughOriginAccessControl",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/*",
            # tfparse stands the distribution's ARN in by the distribution's own id.
            "Condition": {"StringEquals": {"AWS:SourceArn": distribution["id"]}},
        }
    ]


def test_the_bucket_policy_refuses_requests_without_tls(stack):
    deny = _policy_statements(stack)["DenyInsecureTransport"]

    assert (deny["Effect"], deny["Principal"], deny["Action"]) == ("Deny", "*", "s3:*")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_site_names_carry_the_workspace(stack):
    names = [
        _one(stack, "aws_s3_bucket")["bucket"],
        _one(stack, "aws_cloudfront_origin_access_control")["name"],
        _one(stack, "aws_cloudfront_distribution")["comment"],
    ]

    assert all(f"qrstack-{stack.workspace}-web-" in name for name in names)


def test_the_site_names_differ_per_workspace(stacks):
    buckets = {_one(stack, "aws_s3_bucket")["bucket"] for stack in stacks.values()}

    assert len(buckets) == len(stacks)
