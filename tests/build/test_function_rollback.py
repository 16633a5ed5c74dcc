"""`make rollback FUNCTION=` / `build.py rollback --function`: alias live of a ZIP function
moves to a published version, and the pin for the next apply is recorded (moto Lambda, SSM)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import boto3
import pytest
from botocore.exceptions import ClientError

import build
from buildtools import alias_rollback
from buildtools.errors import BuildError
from tests.build.aws_fixtures import lambda_role

REGION = "us-east-1"
FUNCTIONS = ("qr-upload-http-api", "qr-upload-websocket-event", "visitor-counter")
NAME = "visitor-counter-prod"
PIN = "/qrstack/prod/rollback/visitor-counter"


def _client(service: str):
    return boto3.client(service, region_name=REGION)


def _zip(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handlers/counter/app.py", text)
    return buffer.getvalue()


@pytest.fixture
def deployed(moto, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """visitor-counter-prod with versions 1-3 (three releases), alias live on 3 and the pin
    parameter holding no pin: as three applies of the Terraform leave it."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    role = lambda_role(_client("iam"), "visitor-counter")
    lam = _client("lambda")
    codes = {}
    first = lam.create_function(
        FunctionName=NAME,
        Role=role,
        Runtime="python3.12",
        Handler="handlers.counter.app.lambda_handler",
        Code={"ZipFile": _zip("release = 1\n")},
        Publish=True,
    )
    codes["1"] = first["CodeSha256"]
    for release in (2, 3):
        lam.update_function_code(FunctionName=NAME, ZipFile=_zip(f"release = {release}\n"))
        codes[str(release)] = lam.publish_version(FunctionName=NAME)["CodeSha256"]
    lam.create_alias(FunctionName=NAME, Name="live", FunctionVersion="3")
    _client("ssm").put_parameter(Name=PIN, Value="(none)", Type="String")
    yield codes


def _live() -> str:
    return _client("lambda").get_alias(FunctionName=NAME, Name="live")["FunctionVersion"]


def _pin() -> str:
    return _client("ssm").get_parameter(Name=PIN)["Parameter"]["Value"]


def _rollback(version: str | None = None, function: str = "visitor-counter", **kwargs) -> int:
    kwargs.setdefault("out", lambda line: None)
    return alias_rollback.rollback_function(_client, "prod", function, FUNCTIONS, version, **kwargs)


def test_without_a_version_the_alias_moves_to_the_previous_version(deployed):
    assert _rollback() == 2
    assert _live() == "2"


def test_a_second_rollback_goes_one_version_further_back(deployed):
    _rollback()
    _rollback()
    assert _live() == "1"


def test_with_a_version_the_alias_moves_to_that_version(deployed):
    _rollback("1")
    assert _live() == "1"


def test_the_pin_records_the_version_and_the_code_that_was_live(deployed):
    _rollback("1")
    assert json.loads(_pin()) == {"version": "1", "codeSha256": deployed["3"]}


def test_the_pin_is_written_before_the_alias_moves(deployed):
    calls: list[str] = []

    class Recorded:
        def __init__(self, client):
            self._client = client

        def __getattr__(self, name):
            attribute = getattr(self._client, name)
            if name in ("put_parameter", "update_alias"):
                calls.append(name)
            return attribute

    alias_rollback.rollback_function(
        lambda service: Recorded(_client(service)), "prod", "visitor-counter", FUNCTIONS, "1",
        out=lambda line: None,
    )  # fmt: skip
    assert calls == ["put_parameter", "update_alias"]


def test_rolling_to_the_newest_version_clears_the_pin(deployed):
    _rollback("1")
    _rollback("3")
    assert _live() == "3"
    assert _pin() == "(none)"


def test_the_rollback_prints_the_alias_before_and_after(deployed):
    out: list[str] = []
    _rollback(out=out.append)
    assert out[0] == f"before: {NAME} alias live -> version 3"
    assert out[-1] == f"after:  {NAME} alias live -> version 2"


def test_a_dry_run_shows_the_change_and_makes_none(deployed):
    out: list[str] = []
    assert _rollback("1", dry_run=True, out=out.append) == 3
    assert _live() == "3" and _pin() == "(none)"
    assert f"dry run: would move alias live of {NAME} to version 1" in out


def test_a_name_prefix_applies_to_the_function_and_the_pin(deployed):
    with pytest.raises(BuildError, match="Lambda function acme-visitor-counter-prod does not"):
        _rollback(prefix="acme-")


@pytest.mark.parametrize(
    ("function", "message"),
    [
        (
            "no-such-function",
            "unknown function 'no-such-function': FUNCTION is one of qr-upload-http-api, "
            "qr-upload-websocket-event, visitor-counter",
        ),
        (
            "pixel-detector",
            "unknown function 'pixel-detector': FUNCTION is one of qr-upload-http-api, "
            "qr-upload-websocket-event, visitor-counter; the scanner rolls back by image tag: "
            "make rollback ENV=<env> TAG=<tag>",
        ),
    ],
)
def test_an_unknown_function_is_one_clear_error(deployed, function, message):
    with pytest.raises(BuildError) as caught:
        _rollback(function=function)
    assert str(caught.value) == message
    assert caught.value.exit_code == 1


@pytest.mark.parametrize("version", ["latest", "$LATEST", "0", "-1", "2.0", "live"])
def test_a_version_that_is_no_version_number_is_one_clear_error(deployed, version):
    with pytest.raises(BuildError) as caught:
        _rollback(version)
    assert str(caught.value).startswith(f"unknown version {version!r}: VERSION is a published")
    assert _live() == "3"


def test_a_version_that_was_never_published_is_one_clear_error_and_changes_nothing(deployed):
    with pytest.raises(BuildError) as caught:
        _rollback("9")
    assert str(caught.value) == (
        "version 9 of visitor-counter-prod is not published; the newest published: 1, 2, 3"
    )
    assert _live() == "3" and _pin() == "(none)"


def test_the_oldest_version_has_no_previous_one(deployed):
    _rollback("1")
    with pytest.raises(BuildError, match="version 1 is its oldest published version"):
        _rollback()


def test_a_function_that_is_not_deployed_is_one_clear_error(moto):
    with pytest.raises(BuildError) as caught:
        _rollback()
    assert str(caught.value) == (
        "Lambda function visitor-counter-prod does not exist in this account and region"
    )


def test_a_missing_pin_parameter_says_to_apply_the_terraform_first(deployed):
    _client("ssm").delete_parameter(Name=PIN)
    with pytest.raises(BuildError, match=f"{PIN} does not exist: apply this checkout's Terraform"):
        _rollback()
    assert _live() == "3"


def test_a_failed_alias_move_keeps_the_pin_and_says_to_rerun(deployed):
    class Conflicting:
        def __init__(self, client):
            self._client = client

        def __getattr__(self, name):
            if name == "update_alias":

                def conflict(**kwargs):
                    error = {"Code": "ResourceConflictException", "Message": "try again"}
                    raise ClientError({"Error": error}, "UpdateAlias")

                return conflict
            return getattr(self._client, name)

    with pytest.raises(BuildError) as caught:
        alias_rollback.rollback_function(
            lambda s: Conflicting(_client(s)), "prod", "visitor-counter", FUNCTIONS, "1",
            out=lambda line: None,
        )  # fmt: skip
    assert str(caught.value) == (
        "rollback of visitor-counter-prod to version 1 stopped: UpdateAlias: "
        "ResourceConflictException: try again. /qrstack/prod/rollback/visitor-counter already "
        "records it, so the next terraform apply moves the alias there; re-run "
        "`make rollback ENV=prod FUNCTION=visitor-counter VERSION=1` to finish now"
    )
    assert json.loads(_pin())["version"] == "1"


def test_the_listing_shows_each_functions_newest_versions_with_live_and_pin_marked(deployed):
    _rollback("2")
    out: list[str] = []
    alias_rollback.list_versions(_client, "prod", FUNCTIONS, out=out.append)
    start = out.index(f"recent versions of {NAME} (newest first):")
    lines = out[start + 1 : start + 4]
    assert [line.split()[1] for line in lines] == ["3", "2", "1"]
    assert lines[1].endswith("<- live (pinned)")
    assert deployed["2"][:12] in lines[1]
    assert "  (Lambda function qr-upload-http-api-prod does not exist" in "\n".join(out)


def test_cli_function_rollback_exits_0_and_prints_after(deployed, capsys):
    assert build.main(["rollback", "--env", "prod", "--function", "visitor-counter"]) == 0
    assert f"after:  {NAME} alias live -> version 2" in capsys.readouterr().out


def test_cli_unknown_version_exits_1_with_one_error_line(deployed, capsys):
    argv = ["rollback", "--env", "prod", "--function", "visitor-counter", "--version", "9"]
    assert build.main(argv) == 1
    err = capsys.readouterr().err
    assert err == (
        "build.py: error: version 9 of visitor-counter-prod is not published; "
        "the newest published: 1, 2, 3\n"
    )


def test_cli_unknown_function_exits_1_with_one_error_line(deployed, capsys):
    assert build.main(["rollback", "--env", "prod", "--function", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("build.py: error: unknown function 'nope': FUNCTION is one of ")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tag", "v1.0.0", "--function", "visitor-counter"], "give TAG (the scanner) or"),
        (["--version", "2"], "VERSION goes with FUNCTION"),
    ],
)
def test_cli_contradictory_arguments_exit_2(moto, capsys, argv, message):
    assert build.main(["rollback", "--env", "prod", *argv]) == 2
    assert capsys.readouterr().err.startswith(f"build.py: error: {message}")


def test_cli_without_arguments_lists_scanner_tags_and_function_versions(deployed, capsys):
    assert build.main(["rollback", "--env", "prod"]) == 0
    out = capsys.readouterr().out
    assert "scanner: ECR repository pixel-detector-prod does not exist" in out
    assert f"recent versions of {NAME} (newest first):" in out
