"""Bit-for-bit reproducible ZIP archives.

Everything that usually leaks the build machine into a ZIP is fixed here: entry order (sorted),
timestamps (1980-01-01, the earliest a ZIP can hold), permissions (0644 regular files), the
creating system (Unix), the compression method and level, and extra fields (none).
"""

from __future__ import annotations

import io
import zipfile

from buildtools.sources import SourceFile

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # regular file, rw-r--r--
COMPRESSION = zipfile.ZIP_DEFLATED
COMPRESS_LEVEL = 9
CREATE_SYSTEM_UNIX = 3
# Part of the incremental fingerprint: change it whenever the bytes written here would change.
FORMAT = f"zip-v1-deflate{COMPRESS_LEVEL}"


def zip_bytes(sources: list[SourceFile]) -> bytes:
    """The archive of `sources`, identical for identical inputs on any machine."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for source in sorted(sources, key=lambda s: s.arcname):
            info = zipfile.ZipInfo(source.arcname, date_time=FIXED_DATE_TIME)
            info.compress_type = COMPRESSION
            info.create_system = CREATE_SYSTEM_UNIX
            info.external_attr = FILE_MODE << 16
            info.extra = b""
            info.comment = b""
            archive.writestr(info, source.data, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def zip_entries(data: bytes) -> dict[str, bytes]:
    """The files of an archive by name, for comparing an artifact with its sources."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
