"""`build.py` and `build.py --check`: one reproducible ZIP per Zip function, plus the manifest."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from buildtools import archive, gitinfo, manifest, sources
from buildtools.errors import BuildError
from buildtools.services import Service, discover


@dataclass(frozen=True)
class Artifact:
    """The outcome for one function: what its line of output says."""

    function_name: str
    path: str
    size: int
    sha256: str
    status: str  # "built" or "unchanged"

    def line(self) -> str:
        return (
            f"{self.function_name:<28} {self.size:>9,} B  sha256 {self.sha256[:12]}  {self.status}"
        )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _input_paths(service: Service) -> list[str]:
    return ["handlers/__init__.py", "handlers/core", f"handlers/{service.package}"]


def _commit(root: Path, service: Service) -> str | None:
    paths = _input_paths(service)
    if gitinfo.is_dirty(root, paths):
        return None  # the sources are not what any commit holds
    return gitinfo.last_commit(root, paths)


def zip_services(root: Path) -> list[Service]:
    """The services packaged as ZIPs."""
    return [s for s in discover(root) if s.package_type == "Zip"]


def build(root: Path, dist: Path) -> list[Artifact]:
    """Build every ZIP whose sources changed and update the manifest; refuse bad sources first."""
    services = zip_services(root)
    manifest_path = dist / "manifest.json"
    current = manifest.load(manifest_path)
    planned = []
    for service in services:
        files = sources.collect(root, service)
        previous = current["functions"].get(service.function_name, {})
        # Identical inputs passed these checks when they were built; re-checking costs ~20 ms.
        if previous.get("inputs_sha256") != sources.fingerprint(files, archive.FORMAT):
            sources.check(files, service)
        planned.append((service, files))

    functions: dict[str, Any] = {}
    artifacts = []
    for service, files in planned:
        target = dist / f"{service.function_name}.zip"
        inputs = sources.fingerprint(files, archive.FORMAT)
        previous = current["functions"].get(service.function_name, {})
        existing = target.read_bytes() if target.is_file() else None
        if (
            existing is not None
            and previous.get("inputs_sha256") == inputs
            and manifest.digests(existing)[0] == previous.get("sha256")
        ):
            data, status = existing, "unchanged"  # nothing to compress, nothing to write
        else:
            data = archive.zip_bytes(files)
            status = "built" if manifest.write_if_changed(target, data) else "unchanged"
        sha, b64 = manifest.digests(data)
        functions[service.function_name] = {
            "path": _relative(target, root),
            "sha256": sha,
            "base64_sha256": b64,
            "size": len(data),
            "files": len(files),
            "commit": _commit(root, service),
            "inputs_sha256": inputs,
        }
        artifacts.append(
            Artifact(service.function_name, _relative(target, root), len(data), sha, status)
        )

    # ZIPs of functions that no longer exist would otherwise be deployed by a stale plan.
    for stale in sorted(set(current["functions"]) - set(functions)):
        (dist / f"{stale}.zip").unlink(missing_ok=True)
    current["functions"] = functions
    manifest.save(manifest_path, current)
    return artifacts


def _mismatch(data: bytes, files: list[sources.SourceFile]) -> str:
    """Why an artifact is not the bytes a build makes now."""
    try:
        entries = archive.zip_entries(data)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError):
        return "is not a readable ZIP"
    if entries != {f.arcname: f.data for f in files}:
        return "does not match the sources"
    return (
        "has the right files but not the bytes a build makes now "
        "(timestamps, modes, order or compression differ)"
    )


def check(root: Path, dist: Path) -> list[str]:
    """Every way dist/ differs from the sources, one sentence each; empty when it matches.

    Builds are reproducible, so an artifact matches only when it is byte for byte what a build
    would write now."""
    drift = []
    current = manifest.load(dist / "manifest.json")
    services = zip_services(root)
    for service in services:
        name = service.function_name
        target = dist / f"{name}.zip"
        entry = current["functions"].get(name)
        if not target.is_file():
            drift.append(f"{name}: {_relative(target, root)} is missing")
            continue
        data = target.read_bytes()
        files = sources.collect(root, service)
        if data != archive.zip_bytes(files):
            drift.append(f"{name}: {_relative(target, root)} {_mismatch(data, files)}")
        elif entry is None or entry.get("sha256") != manifest.digests(data)[0]:
            drift.append(f"{name}: dist/manifest.json does not describe {_relative(target, root)}")
    known = {s.function_name for s in services}
    for stale in sorted(set(current["functions"]) - known):
        drift.append(f"{stale}: in dist/manifest.json but no longer a Zip function")
    return drift


def require_clean(root: Path, dist: Path) -> None:
    """Raise BuildError when dist/ is out of date (used by `--check`)."""
    drift = check(root, dist)
    if drift:
        raise BuildError("dist/ is out of date, run `make build`: " + "; ".join(drift))
