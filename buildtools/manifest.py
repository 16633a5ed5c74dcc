"""dist/manifest.json: what was built, and the image digests pushed per environment."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from buildtools.errors import BuildError


def digests(data: bytes) -> tuple[str, str]:
    """(hex sha256, base64 sha256); the second is what Terraform's source_code_hash holds."""
    raw = hashlib.sha256(data).digest()
    return raw.hex(), base64.b64encode(raw).decode()


def load(path: Path) -> dict[str, Any]:
    """The manifest at `path`, or an empty one."""
    if not path.is_file():
        return {"functions": {}, "image": {}}
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise BuildError(
            f"{path} is not valid JSON ({exc}); delete it and run `make build`"
        ) from None
    manifest.setdefault("functions", {})
    manifest.setdefault("image", {})
    return manifest


def render(manifest: dict[str, Any]) -> str:
    """Stable JSON text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically unless the file already holds exactly `data`; True when written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return True


def save(path: Path, manifest: dict[str, Any]) -> bool:
    """Write the manifest if it changed; True when written."""
    return write_if_changed(path, render(manifest).encode())
