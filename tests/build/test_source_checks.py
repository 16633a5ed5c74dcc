"""Before zipping: every .py compiles, and imports stay inside what the Lambda runtime has."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildtools import sources
from buildtools.errors import BuildError
from buildtools.services import Service

COUNTER = Service("counter", "visitor-counter", "Zip")
SCANNER = Service("scanner", "pixel-detector", "Image")


def _check(code: str, arcname: str = "handlers/counter/app.py", service: Service = COUNTER):
    sources.check([sources.SourceFile(arcname, code.encode())], service)


def _refusal(code: str, **kwargs) -> str:
    with pytest.raises(BuildError) as caught:
        _check(code, **kwargs)
    return str(caught.value)


def test_stdlib_boto3_botocore_and_handlers_core_imports_pass():
    _check(
        "from __future__ import annotations\nimport json, os.path\nfrom datetime import UTC\n"
        "import boto3\nfrom botocore.config import Config\nfrom handlers.core import errors\n"
        "from handlers.counter.store import CounterStore\nfrom . import store\n"
    )


def test_a_third_party_import_is_refused_naming_file_line_and_module():
    message = _refusal("import json\n\nimport requests\n")
    assert "handlers/counter/app.py:3: import of 'requests' refused" in message


def test_an_import_hidden_inside_a_function_is_found():
    message = _refusal("def f():\n    from yaml import safe_load\n")
    assert "handlers/counter/app.py:2: import of 'yaml' refused" in message


def test_importing_another_service_is_refused():
    message = _refusal("from handlers.sessions.store import SessionStore\n")
    assert "import of 'handlers.sessions.store' refused" in message


def test_from_handlers_import_another_service_is_refused():
    assert "handlers.realtime" in _refusal("from handlers import realtime\n")


def test_a_relative_import_of_the_own_service_passes():
    _check("from . import store\nfrom .store import CounterStore\nfrom .. import core\n")


def test_a_relative_import_of_another_service_is_refused_naming_file_line_and_import():
    message = _refusal("import json\n\nfrom ..sessions.store import SessionStore\n")
    assert (
        "handlers/counter/app.py:3: import of '..sessions.store' (handlers.sessions.store) "
        "refused: visitor-counter may import only handlers.core and handlers.counter"
    ) in message


def test_a_relative_import_of_another_service_by_name_is_refused():
    message = _refusal("from .. import sessions\n")
    assert "import of 'from .. import sessions' (handlers.sessions) refused" in message


def test_a_relative_import_in_core_of_a_service_is_refused():
    message = _refusal("from ..counter import app\n", arcname="handlers/core/router.py")
    assert "handlers/core/router.py:1" in message and "must not import a service" in message


def test_a_relative_import_beyond_the_top_package_is_refused():
    message = _refusal("from ... import secrets_outside\n")
    assert (
        "handlers/counter/app.py:1: import of 'from ... import secrets_outside' refused: "
        "relative import beyond the top-level package handlers"
    ) in message


def test_a_relative_import_in_a_package_init_resolves_against_that_package():
    _check("from . import store\n", arcname="handlers/counter/__init__.py")
    assert "handlers.sessions" in _refusal(
        "from ..sessions import x\n", arcname="handlers/counter/__init__.py"
    )


@pytest.mark.parametrize("module", ["distutils", "imp", "asynchat", "asyncore", "smtpd"])
def test_a_module_removed_in_python312_is_refused(module: str):
    message = _refusal(f"import {module}\n")
    assert f"refused: {module} is not in python3.12, the Lambda runtime" in message


def test_core_importing_a_service_is_refused():
    message = _refusal("import handlers.counter.app\n", arcname="handlers/core/router.py")
    assert "handlers/core/router.py:1" in message and "must not import a service" in message


def test_playwright_is_allowed_only_in_the_image_function():
    _check(
        "from playwright.async_api import async_playwright\n", "handlers/scanner/app.py", SCANNER
    )
    assert "'playwright'" in _refusal("import playwright\n")


def test_the_public_suffix_list_is_allowed_only_in_the_image_function():
    _check("from publicsuffixlist import PublicSuffixList\n", "handlers/scanner/owners.py", SCANNER)
    assert "'publicsuffixlist'" in _refusal("import publicsuffixlist\n")


def test_every_problem_is_reported_at_once_on_one_line():
    message = _refusal("import requests\nimport yaml\n")
    assert "2 problem(s)" in message and "\n" not in message


def test_a_syntax_error_is_refused_naming_file_and_line():
    message = _refusal("x = 1\ndef broken(:\n")
    assert "handlers/counter/app.py:2: syntax error" in message


def test_build_refuses_a_forbidden_import_in_one_line_without_writing_dist(project: Path, build):
    (project / "handlers/counter/extra.py").write_text('"""x"""\n\nimport requests\n')
    result = build(project)
    assert result.returncode == 1
    assert result.stderr.startswith("build.py: error: visitor-counter: 1 problem(s):")
    assert "handlers/counter/extra.py:3: import of 'requests' refused" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not (project / "dist").exists()


def test_build_refuses_a_syntax_error(project: Path, build):
    (project / "handlers/core/broken.py").write_text("def broken(:\n")
    result = build(project)
    assert result.returncode == 1
    assert "handlers/core/broken.py:1: syntax error" in result.stderr
    assert "Traceback" not in result.stderr
