"""Every module is self-describing: the standard files, typed and described variables."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import hcl2
import pytest

from terraform_model import TERRAFORM_DIR

MODULES = sorted(p for p in (TERRAFORM_DIR / "modules").iterdir() if p.is_dir())
# Folders other engineers own inside terraform/modules are checked the same way when present.
FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")


def _blocks(path: Path, kind: str) -> dict[str, dict]:
    """Blocks of one kind in a .tf file, by unquoted label (python-hcl2 8 keeps the quotes)."""
    found = {}
    for block in hcl2.load(path.open()).get(kind, []):
        for label, body in block.items():
            found[label.strip('"')] = body
    return found


def test_the_suggested_modules_exist():
    names = {m.name for m in MODULES}

    assert {"function", "table", "uploads_bucket", "http_api", "websocket_api", "ecr"} <= names
    assert {"monitoring", "static_site", "private_bucket"} <= names


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_a_module_has_the_standard_files(module):
    assert [f for f in FILES if not (module / f).is_file()] == []


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_every_variable_is_typed_and_described(module):
    for name, body in _blocks(module / "variables.tf", "variable").items():
        assert "type" in body, f"{module.name}.{name} has no type"
        assert str(body.get("description", "")).strip('"'), f"{module.name}.{name} undescribed"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_every_output_is_described(module):
    for name, body in _blocks(module / "outputs.tf", "output").items():
        assert str(body.get("description", "")).strip('"'), f"{module.name}.{name} undescribed"


@pytest.mark.parametrize("module", [*MODULES, TERRAFORM_DIR], ids=lambda p: p.name)
def test_terraform_and_the_provider_accept_the_mirrored_5_100_and_current_6_x(module):
    text = (module / "versions.tf").read_text()

    assert re.search(r'required_version\s*=\s*">= 1\.6"', text)
    assert re.search(r'source\s*=\s*"hashicorp/aws"', text)
    assert re.search(r'version\s*=\s*">= 5\.100, < 7\.0"', text)


def test_every_root_variable_is_typed_and_described():
    for name, body in _blocks(TERRAFORM_DIR / "variables.tf", "variable").items():
        assert "type" in body, name
        assert str(body.get("description", "")).strip('"'), name


def test_the_provider_lock_file_is_not_committed():
    # docs/deploy.md says why: a lock file made from this machine's mirror holds the linux_amd64
    # checksum of one version only, and would pin every laptop to it.
    ignored = (TERRAFORM_DIR.parent / ".gitignore").read_text().splitlines()
    tracked = subprocess.run(
        ["git", "ls-files", "--", "*.terraform.lock.hcl"],
        cwd=TERRAFORM_DIR.parent,
        capture_output=True,
        text=True,
        check=True,
    )

    assert ".terraform.lock.hcl" in ignored
    assert tracked.stdout == ""
