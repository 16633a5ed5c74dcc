"""Presigned S3 requests: a POST whose policy S3 enforces, and a short-lived GET."""

from __future__ import annotations

from typing import Any

from handlers.core import aws, errors

UPLOAD_PREFIX = "session-uploads/"
UPLOAD_URL_SECONDS = 300
DOWNLOAD_URL_SECONDS = 300
ALLOWED_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/gif")
DEFAULT_CONTENT_TYPE = "image/jpeg"
CONTENT_TYPE_SCHEMA = {
    "type": "string",
    "enum": list(ALLOWED_CONTENT_TYPES),
    "default": DEFAULT_CONTENT_TYPE,
}


def content_type(raw: str | None) -> str:
    """The photo's type as the upload policy will pin it; 400 for anything but an image type."""
    value = (DEFAULT_CONTENT_TYPE if raw is None else raw).strip().lower()
    if value not in ALLOWED_CONTENT_TYPES:
        allowed = ", ".join(ALLOWED_CONTENT_TYPES)
        raise errors.BadRequest(f"Unsupported contentType; allowed: {allowed}")
    return value


def upload_key(session_id: str, now_ms: int) -> str:
    """The one key layout the realtime function accepts."""
    return f"{UPLOAD_PREFIX}{session_id}/image-{now_ms}"


def presigned_post(bucket: str, key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
    """A POST form that S3 accepts only for this key, this image type and 1..max_bytes bytes."""
    return aws.client("s3").generate_presigned_post(
        Bucket=bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            {"Content-Type": content_type},
            ["content-length-range", 1, max_bytes],
        ],
        ExpiresIn=UPLOAD_URL_SECONDS,
    )


def presigned_get(bucket: str, key: str) -> str:
    """A GET URL for the uploaded image, valid five minutes."""
    return aws.client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=DOWNLOAD_URL_SECONDS
    )
