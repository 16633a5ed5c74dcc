"""`python build.py`: one minimal, normalised ZIP per Zip function, described by the manifest."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from buildtools.services import discover
from tests.build.conftest import ROOT

ZIP_SERVICES = [s for s in discover(ROOT) if s.package_type == "Zip"]


def _manifest(dist: Path) -> dict:
    return json.loads((dist / "manifest.json").read_text())


def test_every_zip_function_gets_an_artifact_and_the_image_function_none(built_dist: Path):
    names = sorted(p.name for p in built_dist.glob("*.zip"))
    assert names == sorted(f"{s.function_name}.zip" for s in ZIP_SERVICES)
    assert "pixel-detector.zip" not in names
    assert sorted(_manifest(built_dist)["functions"]) == sorted(
        s.function_name for s in ZIP_SERVICES
    )


@pytest.mark.parametrize("service", ZIP_SERVICES, ids=lambda s: s.function_name)
def test_zip_holds_only_the_package_root_core_and_its_own_service(built_dist: Path, service):
    with zipfile.ZipFile(built_dist / f"{service.function_name}.zip") as archive:
        names = archive.namelist()
    allowed = ("handlers/core/", f"handlers/{service.package}/")
    assert "handlers/__init__.py" in names
    assert f"handlers/{service.package}/app.py" in names
    assert all(n == "handlers/__init__.py" or n.startswith(allowed) for n in names)
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", "Dockerfile"))]
    assert not [n for n in names if "/tests/" in n or n.rsplit("/", 1)[-1].startswith("test_")]


@pytest.mark.parametrize("service", ZIP_SERVICES, ids=lambda s: s.function_name)
def test_zip_entries_are_sorted_with_fixed_time_mode_system_and_no_extras(
    built_dist: Path, service
):
    with zipfile.ZipFile(built_dist / f"{service.function_name}.zip") as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == 0o100644
        assert info.create_system == 3
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.extra == b""
        assert not info.is_dir()


@pytest.mark.parametrize("service", ZIP_SERVICES, ids=lambda s: s.function_name)
def test_manifest_describes_each_zip_as_terraform_needs_it(built_dist: Path, service):
    data = (built_dist / f"{service.function_name}.zip").read_bytes()
    entry = _manifest(built_dist)["functions"][service.function_name]
    assert entry["path"] == f"dist/{service.function_name}.zip"
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["base64_sha256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert entry["size"] == len(data)
    with zipfile.ZipFile(built_dist / f"{service.function_name}.zip") as archive:
        assert entry["files"] == len(archive.namelist())
    assert entry["commit"] is None  # the copy is not a git checkout


def test_build_prints_one_line_per_artifact_with_size_short_sha_and_status(project: Path, build):
    result = build(project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(ZIP_SERVICES)
    manifest = _manifest(project / "dist")["functions"]
    for line, service in zip(lines, ZIP_SERVICES, strict=True):
        entry = manifest[service.function_name]
        assert line.split()[0] == service.function_name
        assert f"{entry['size']:,} B" in line
        assert entry["sha256"][:12] in line
        assert line.endswith("built")


def test_a_second_build_rewrites_nothing_and_says_unchanged(project: Path, build):
    assert build(project).returncode == 0
    dist = project / "dist"
    before = {p.name: p.stat().st_mtime_ns for p in dist.iterdir()}
    result = build(project)
    assert result.returncode == 0
    assert all(line.endswith("unchanged") for line in result.stdout.splitlines())
    assert {p.name: p.stat().st_mtime_ns for p in dist.iterdir()} == before


def test_changing_one_service_rebuilds_only_its_zip(project: Path, build):
    assert build(project).returncode == 0
    (project / "handlers/counter/store.py").write_text(
        (project / "handlers/counter/store.py").read_text() + "\n# changed\n"
    )
    result = build(project)
    status = {line.split()[0]: line.split()[-1] for line in result.stdout.splitlines()}
    assert status.pop("visitor-counter") == "built"
    assert set(status.values()) == {"unchanged"}


def test_check_passes_when_dist_matches_the_sources(project: Path, build):
    assert build(project).returncode == 0
    result = build(project, "--check")
    assert result.returncode == 0
    assert "matches" in result.stdout


def test_check_fails_naming_the_function_whose_sources_changed(project: Path, build):
    assert build(project).returncode == 0
    (project / "handlers/core/__init__.py").write_text("# drift\n")
    result = build(project, "--check")
    assert result.returncode == 1
    assert "qr-upload-http-api" in result.stderr and "does not match the sources" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_check_fails_when_dist_was_never_built(project: Path, build):
    result = build(project, "--check")
    assert result.returncode == 1
    assert "visitor-counter: dist/visitor-counter.zip is missing" in result.stderr


def test_check_fails_when_a_zip_was_replaced_by_hand(project: Path, build):
    assert build(project).returncode == 0
    target = project / "dist/visitor-counter.zip"
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr("extra.txt", "not from the sources")
    result = build(project, "--check")
    assert result.returncode == 1
    assert "visitor-counter" in result.stderr


def test_check_fails_when_a_zip_has_the_right_files_but_other_timestamps_and_modes(
    project: Path, build
):
    assert build(project).returncode == 0
    target = project / "dist/visitor-counter.zip"
    with zipfile.ZipFile(target) as original:
        entries = [(name, original.read(name)) for name in original.namelist()]
    # What a plain `zip -r` would make of the same files: their own mtimes and modes.
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as rezipped:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 1, 12, 0, 0))
            info.external_attr = 0o100755 << 16
            rezipped.writestr(info, data)
    # ...described by the manifest, so only the bytes themselves can tell.
    manifest = _manifest(project / "dist")
    data = target.read_bytes()
    manifest["functions"]["visitor-counter"] |= {
        "sha256": hashlib.sha256(data).hexdigest(),
        "base64_sha256": base64.b64encode(hashlib.sha256(data).digest()).decode(),
        "size": len(data),
    }
    (project / "dist/manifest.json").write_text(json.dumps(manifest))
    result = build(project, "--check")
    assert result.returncode == 1
    assert (
        "visitor-counter: dist/visitor-counter.zip has the right files but not the bytes a "
        "build makes now"
    ) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_fails_when_a_zip_is_not_readable(project: Path, build):
    assert build(project).returncode == 0
    (project / "dist/visitor-counter.zip").write_bytes(b"not a zip")
    result = build(project, "--check")
    assert result.returncode == 1
    assert "visitor-counter: dist/visitor-counter.zip is not a readable ZIP" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_ignores_caches_and_tests_beside_the_sources(project: Path, build):
    cache = project / "handlers/counter/__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "app.cpython-311.pyc").write_bytes(b"\0")
    (project / "handlers/counter/tests").mkdir()
    (project / "handlers/counter/tests/test_x.py").write_text("import pytest\n")
    (project / "handlers/counter/test_y.py").write_text("import pytest\n")
    result = build(project)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(project / "dist/visitor-counter.zip") as archive:
        names = archive.namelist()
    assert not [n for n in names if "pycache" in n or "test" in n.rsplit("/", 1)[-1]]


def test_a_removed_function_loses_its_zip_and_manifest_entry(project: Path, build):
    assert build(project).returncode == 0
    settings = project / "handlers/counter/settings.py"
    settings.write_text(
        settings.read_text().replace('PACKAGE_TYPE = "Zip"', 'PACKAGE_TYPE = "Image"')
    )
    # Two Image services would make `image` ambiguous, but a ZIP build only skips it.
    assert build(project).returncode == 0
    assert not (project / "dist/visitor-counter.zip").exists()
    assert "visitor-counter" not in _manifest(project / "dist")["functions"]
