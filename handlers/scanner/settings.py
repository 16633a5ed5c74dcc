"""What the pixel-detector function is called and which environment variables it reads."""

from handlers.core.config import (
    Setting,
    Settings,
    common_settings,
    http_settings,
    integer,
    rate_limit_settings,
)

FUNCTION_NAME = "pixel-detector"
PACKAGE_TYPE = "Image"

SETTINGS = Settings(
    *common_settings(),
    *http_settings(),
    *rate_limit_settings(),
    Setting("SCAN_CACHE_TABLE_NAME", "DynamoDB table caching scan results for an hour."),
    Setting(
        "SCANNER_API_KEY_PARAM",
        "Name of the SSM SecureString holding the API key; read once per container.",
        default="",
    ),
    Setting("SCAN_TIMEOUT", "Upper bound of one scan, in seconds.", default="270", parse=integer),
    Setting("SCAN_BATCHES_TABLE_NAME", "DynamoDB table of batch scans: totals and counters."),
    Setting("SCAN_BATCH_ITEMS_TABLE_NAME", "DynamoDB table of each site of a batch scan."),
    Setting("SCAN_RESULTS_BUCKET_NAME", "S3 bucket of batch results, screenshots and reports."),
    Setting("SCAN_QUEUE_NAME", "SQS queue feeding batch sites to this function."),
    Setting(
        "BATCH_SCAN_TIMEOUT",
        "Upper bound of one site's scan in a batch, in seconds (no API Gateway limit applies).",
        default="120",
        parse=integer,
    ),
    Setting(
        "BATCH_RETENTION_DAYS",
        "Days a batch, its results and its reports are kept.",
        default="30",
        parse=integer,
    ),
    Setting(
        "SCANNER_API_KEY",
        "The API key itself, for running on a laptop. Never set by Terraform.",
        default="",
        deployed=False,
    ),
    Setting(
        "CHROMIUM_PATH",
        "Chromium executable to use instead of the one bundled in the image.",
        default="",
        deployed=False,
    ),
)
