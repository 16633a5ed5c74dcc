"""What the end-to-end tests do besides clicking: API calls, uploads, images."""

from __future__ import annotations

import json
import os
import struct
import urllib.error
import urllib.request
import zlib

from smoke.payloads import multipart


def png(width: int = 320, height: int = 200) -> bytes:
    """A small striped PNG, visible in screenshots."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((40, 120 + (x * 2) % 120, 200)) for x in range(width))
        for _ in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def noise(size: int) -> bytes:
    """Incompressible bytes, to build a file of an exact size."""
    return os.urandom(size)


def call(base: str, method: str, path: str, body: object = None) -> tuple[int, object]:
    """(status, JSON body) of one API request."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def post_form(
    url: str, fields: dict[str, str], content: bytes, content_type: str
) -> tuple[int, str]:
    """Send a presigned POST as a browser form would; (status, body text)."""
    body, header = multipart(fields, content, content_type)
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"content-type": header}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
