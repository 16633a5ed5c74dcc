"""qr-upload-websocket-event: WebSocket connect/disconnect and S3 upload completion."""
