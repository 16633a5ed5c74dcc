"""The QR demo pages (module.static_site): a private bucket only CloudFront reads, over HTTPS."""

from __future__ import annotations

import json

import terraform_model

MODULE = "module.static_site[0]."


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


def test_the_site_and_its_origin_access_control_are_named_per_region(stack):
    control = _one(stack, "aws_cloudfront_origin_access_control")
    bucket = _one(stack, "aws_s3_bucket")["bucket"]

    # Both are account-wide (the bucket name even global): the region keeps two regions apart.
    assert bucket.endswith(f"-{stack.account_id}-{stack.region}")
    assert control["name"] == bucket


def test_the_pages_are_uploaded_only_once_the_bucket_is_versioned_and_private():
    outputs = (terraform_model.TERRAFORM_DIR / "modules/private_bucket/outputs.tf").read_text()
    name = outputs[outputs.index('output "name"') :].split("\n}\n")[0]

    for resource in ("versioning", "public_access_block", "server_side_encryption_configuration"):
        assert f"aws_s3_bucket_{resource}.this" in name


def test_the_managed_cache_and_security_headers_policies_are_used_by_their_published_ids(stack):
    behavior = _one(stack, "aws_cloudfront_distribution")["default_cache_behavior"]

    assert behavior["cache_policy_id"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"
    assert behavior["response_headers_policy_id"] == "67f7725c-6f97-4210-82d7-5512b31e9d03"


def test_the_static_site_can_be_switched_off_for_an_unverified_cloudfront_account():
    stack = terraform_model.load("dev", variables={"static_site": False})

    assert "aws_cloudfront_distribution" not in stack.raw
    assert [name for name in stack.buckets if "-web-" in name] == []
    assert stack.unresolved == ()


def test_the_site_names_differ_per_workspace(stacks):
    buckets = {_one(stack, "aws_s3_bucket")["bucket"] for stack in stacks.values()}

    assert len(buckets) == len(stacks)
