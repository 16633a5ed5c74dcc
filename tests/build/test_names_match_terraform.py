"""build.py and Terraform name the scanner's repository, function and image-tag parameter alike."""

from __future__ import annotations

import re

from buildtools import naming
from tests.build.conftest import ROOT

TERRAFORM = "\n".join(p.read_text() for p in sorted((ROOT / "terraform").glob("*.tf")))


def _terraform_to_python(expression: str, env: str, prefix: str) -> str:
    return (
        expression.replace("${var.name_prefix}", prefix)
        .replace("${var.project}", naming.PROJECT)
        .replace("${local.env}", env)
    )


def test_the_project_default_is_the_one_build_py_assumes():
    block = re.search(r'variable "project" \{.*?default\s*=\s*"([^"]+)"', TERRAFORM, re.S)
    assert block and block.group(1) == naming.PROJECT


def test_the_image_tag_parameter_is_the_one_terraform_reads():
    prefix = re.search(r'ssm_prefix\s*=\s*"([^"]+)"', TERRAFORM).group(1)
    assert re.search(r'image_tag_parameter\s*=\s*"\$\{local\.ssm_prefix\}/image/tag"', TERRAFORM)
    terraform_name = _terraform_to_python(prefix, "prod", "alice-") + "/image/tag"
    assert terraform_name == naming.image_tag_parameter("prod", "alice-")


def test_the_ecr_repository_is_the_one_terraform_creates():
    names = re.findall(r'"(\$\{var\.name_prefix\}pixel-detector-\$\{local\.env\})"', TERRAFORM)
    assert names
    assert _terraform_to_python(names[0], "prod", "alice-") == naming.repository_name(
        "prod", "alice-"
    )


def test_the_live_version_pin_parameters_are_the_ones_terraform_creates():
    prefix = re.search(r'rollback_prefix\s*=\s*"([^"]+)"', TERRAFORM).group(1)
    assert re.search(r'name\s*=\s*"\$\{local\.rollback_prefix\}/\$\{each\.value\}"', TERRAFORM)
    terraform_name = _terraform_to_python(prefix, "prod", "alice-") + "/visitor-counter"
    assert terraform_name == naming.live_version_pin_parameter("visitor-counter", "prod", "alice-")


def test_the_alias_rollback_moves_is_the_one_terraform_creates():
    assert re.search(rf'live_alias\s*=\s*"{naming.LIVE_ALIAS}"', TERRAFORM)


def test_no_pin_is_spelled_as_terraform_spells_it():
    from buildtools import alias_rollback

    assert re.search(rf'no_pin\s*=\s*"{re.escape(alias_rollback.NO_PIN)}"', TERRAFORM)
