"""Function code as Lambda would receive it: ZIPs from dist/, the scanner image's source tree."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from buildtools import manifest
from buildtools.errors import BuildError

ROOT = Path(__file__).resolve().parents[2]


class MissingArtifact(RuntimeError):
    """dist/ lacks a function's ZIP: run `python build.py` (make build)."""


def zips_by_service(dist: Path) -> dict[str, Path]:
    """Map each service (its handlers/ sub-package) to its ZIP listed in dist/manifest.json."""
    manifest_path = dist / "manifest.json"
    if not manifest_path.is_file():
        raise MissingArtifact(f"{manifest_path} is missing: run `python build.py`")
    try:
        functions = manifest.load(manifest_path)["functions"]
    except BuildError as exc:
        raise MissingArtifact(str(exc)) from exc
    found: dict[str, Path] = {}
    for entry in functions.values():
        path = Path(entry["path"])
        path = path if path.is_absolute() else dist.parent / path
        if not path.exists():
            path = dist / Path(entry["path"]).name
        with zipfile.ZipFile(path) as archive:
            services = {
                name.split("/")[1]
                for name in archive.namelist()
                if name.startswith("handlers/") and name.count("/") >= 2
            } - {"core"}
        for service in services:
            found[service] = path
    return found


def extract(zip_path: Path, target: Path) -> Path:
    """Unpack a ZIP into a fresh directory, as Lambda unpacks it into /var/task."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(target)
    return target


def image_tree(service: str, target: Path, root: Path = ROOT) -> Path:
    """The code an image function's container holds: handlers/__init__, core and the service."""
    if target.exists():
        shutil.rmtree(target)
    package = target / "handlers"
    package.mkdir(parents=True)
    shutil.copy2(root / "handlers" / "__init__.py", package / "__init__.py")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "Dockerfile", "tests")
    for name in ("core", service):
        shutil.copytree(root / "handlers" / name, package / name, ignore=ignore)
    return target
