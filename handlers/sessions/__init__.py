"""qr-upload-http-api: upload sessions, presigned upload URLs, status and browser error reports."""
