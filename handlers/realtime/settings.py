"""What the realtime-events function is called and which environment variables it reads."""

from handlers.core.config import Setting, Settings, common_settings, http_url

FUNCTION_NAME = "qr-upload-websocket-event"
PACKAGE_TYPE = "Zip"

SETTINGS = Settings(
    *common_settings(),
    Setting("SESSIONS_TABLE_NAME", "DynamoDB table of upload sessions."),
    Setting(
        "WS_API_ENDPOINT",
        "https URL of the WebSocket API's management endpoint, stage included.",
        parse=http_url,
    ),
)
