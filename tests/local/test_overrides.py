"""`--override FUNCTION:VAR=VALUE` applies to one function, and a wrong name stops the stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from local.functions.overrides import OverrideError, environment_of, parse
from terraform_model import Function

ROOT = Path(__file__).resolve().parents[2]


def function(name: str, service: str) -> Function:
    return Function(
        service=service,
        name=name,
        handler=f"handlers.{service}.app.lambda_handler",
        package_type="Zip",
        runtime="python3.12",
        memory_mb=256,
        timeout_s=30,
        environment={},
    )


FUNCTIONS = [
    function("qr-upload-http-api-dev", "sessions"),
    function("visitor-counter-dev", "counter"),
]


def test_an_override_applies_to_the_function_it_names_by_service_or_name():
    found = parse(["sessions:LOG_LEVEL=DEBUG", "visitor-counter-dev:DEBUG=true"], FUNCTIONS)
    assert environment_of(FUNCTIONS[0], found) == {"LOG_LEVEL": "DEBUG"}
    assert environment_of(FUNCTIONS[1], found) == {"DEBUG": "true"}


def test_a_value_may_contain_colons_and_equals_signs():
    [found] = parse(["sessions:URL=http://x:1/?a=b"], FUNCTIONS)
    assert (found.variable, found.value) == ("URL", "http://x:1/?a=b")


def test_an_unknown_function_is_refused_with_the_valid_names():
    with pytest.raises(OverrideError) as refused:
        parse(["sesions:LOG_LEVEL=DEBUG"], FUNCTIONS)
    assert str(refused.value) == (
        "--override 'sesions': no function has that name; valid names: counter, "
        "qr-upload-http-api-dev, sessions, visitor-counter-dev"
    )


@pytest.mark.parametrize(
    "raw", ["sessions", "sessions:LOG_LEVEL", ":X=1", "sessions:=1", "X=secret"]
)
def test_a_malformed_override_is_refused_without_echoing_its_value(raw):
    with pytest.raises(OverrideError) as refused:
        parse([raw], FUNCTIONS)
    assert "secret" not in str(refused.value)
    assert "FUNCTION:VAR=VALUE" in str(refused.value)


def test_make_up_with_an_unknown_function_exits_2_listing_the_valid_names(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "local",
            "--state-dir",
            str(tmp_path),
            "--port",
            "0",
            "--override",
            "nosuch:LOG_LEVEL=DEBUG",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "make up: --override 'nosuch': no function has that name; valid names: " in done.stderr
    assert "qr-upload-http-api-dev" in done.stderr
    assert "Starting moto" not in done.stdout
