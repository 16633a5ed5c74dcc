"""What the upload-sessions function is called and which environment variables it reads."""

from handlers.core.config import (
    Setting,
    Settings,
    common_settings,
    integer,
    rate_limit_settings,
)

FUNCTION_NAME = "qr-upload-http-api"
PACKAGE_TYPE = "Zip"

SETTINGS = Settings(
    *common_settings(),
    *rate_limit_settings(),
    Setting("SESSIONS_TABLE_NAME", "DynamoDB table of upload sessions."),
    Setting("UPLOAD_BUCKET_NAME", "S3 bucket that receives the phone uploads."),
    Setting(
        "MAX_UPLOAD_BYTES",
        "Largest upload the presigned POST policy accepts.",
        default=str(10 * 1024 * 1024),
        parse=integer,
    ),
)
