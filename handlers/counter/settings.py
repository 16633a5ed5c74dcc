"""What the visitor-counter function is called and which environment variables it reads."""

from handlers.core.config import Setting, Settings, common_settings

FUNCTION_NAME = "visitor-counter"
PACKAGE_TYPE = "Zip"

SETTINGS = Settings(
    *common_settings(),
    Setting("COUNTERS_TABLE_NAME", "DynamoDB table holding the visit counters."),
)
