"""What moto cannot read back after an apply, so a plan right after it still shows a change.

Each entry is (resource type, attribute path as `changes()` names it): the reason. Nothing
outside this list may differ in a plan after apply, and every entry must still differ (the
list only ever shrinks). Checked against MOTO_VERSION; a moto upgrade re-checks every entry.
"""

from __future__ import annotations

MOTO_VERSION = "5.2.5"

FUNCTION_UPDATE = "follows from the logging_config update: a function with publish = true"

READ_BACK_GAPS = {
    ("aws_lambda_function", "logging_config"): (
        "GetFunction returns no LoggingConfig, so the log format and group read back as unset"
    ),
    ("aws_lambda_function", "version"): f"{FUNCTION_UPDATE} publishes a new version",
    ("aws_lambda_function", "qualified_arn"): f"{FUNCTION_UPDATE} gets a new version ARN",
    ("aws_lambda_function", "qualified_invoke_arn"): f"{FUNCTION_UPDATE} gets a new invoke ARN",
    ("aws_lambda_alias", "function_version"): (
        "alias live follows the version the scanner's logging_config update publishes"
    ),
    ("aws_sqs_queue", "redrive_policy"): (
        "GetQueueAttributes returns RedrivePolicy with spaces after separators, which the"
        " provider keeps verbatim: a whitespace-only change"
    ),
    ("aws_lambda_event_source_mapping", "function_name"): (
        "the mapping reads back the FunctionArn of the function, without the alias it was given"
    ),
    ("aws_cloudfront_distribution", "origin.origin_access_control_id"): (
        "GetDistribution returns the origin without its OriginAccessControlId"
    ),
    ("aws_cloudfront_distribution", "viewer_certificate.ssl_support_method"): (
        "moto adds SSLSupportMethod sni-only to the default *.cloudfront.net certificate"
    ),
    ("aws_cloudfront_distribution", "default_cache_behavior.forwarded_values"): (
        "moto adds legacy ForwardedValues to a behavior that uses a cache policy"
    ),
}
