"""`build.py rollback`: pin pixel-detector-{env} to an earlier tag (moto ECR, Lambda and SSM)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

import build
from buildtools import rollback
from buildtools.errors import BuildError
from tests.build.aws_fixtures import lambda_role, put_image

REGION = "us-east-1"
FUNCTION = "pixel-detector-prod"
REPOSITORY = "pixel-detector-prod"
PARAMETER = "/qrstack/prod/scanner/image/tag"


def _client(service: str):
    return boto3.client(service, region_name=REGION)


@pytest.fixture
def deployed(moto, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Three releases in ECR; the function runs v1.2.0 through alias live, as Terraform left it."""
    # Lambda resolves image URIs against moto's ECR, as it does against the real one.
    monkeypatch.setenv("MOTO_LAMBDA_STUB_ECR", "false")
    ecr = _client("ecr")
    uri = ecr.create_repository(repositoryName=REPOSITORY)["repository"]["repositoryUri"]
    digests = {tag: put_image(ecr, REPOSITORY, tag) for tag in ("v1.0.0", "v1.1.0", "v1.2.0")}
    role = lambda_role(_client("iam"), "pixel-detector")
    lam = _client("lambda")
    version = lam.create_function(
        FunctionName=FUNCTION,
        Role=role,
        PackageType="Image",
        Code={"ImageUri": f"{uri}@{digests['v1.2.0']}"},
        Publish=True,
    )["Version"]
    lam.create_alias(FunctionName=FUNCTION, Name="live", FunctionVersion=version)
    _client("ssm").put_parameter(Name=PARAMETER, Value="v1.2.0", Type="String")
    yield {"uri": uri, **digests}


def _state() -> dict[str, object]:
    lam = _client("lambda")
    live = lam.get_alias(FunctionName=FUNCTION, Name="live")["FunctionVersion"]
    return {
        "latest_image": lam.get_function(FunctionName=FUNCTION)["Code"]["ImageUri"],
        "live_version": live,
        "live_image": lam.get_function(FunctionName=FUNCTION, Qualifier=live)["Code"]["ImageUri"],
        "versions": [
            v["Version"] for v in lam.list_versions_by_function(FunctionName=FUNCTION)["Versions"]
        ],
        "parameter": _client("ssm").get_parameter(Name=PARAMETER)["Parameter"]["Value"],
    }


def _rollback(tag: str, out: list[str], env: str = "prod", **kwargs):
    return rollback.rollback(_client, env, tag, out=out.append, **kwargs)


def test_rollback_pins_the_function_to_the_tag_digest(deployed):
    _rollback("v1.0.0", [])
    assert _state()["latest_image"] == f"{deployed['uri']}@{deployed['v1.0.0']}"


def test_rollback_publishes_a_version_and_moves_alias_live_to_it(deployed):
    before = _state()
    _rollback("v1.0.0", [])
    after = _state()
    assert after["live_version"] not in before["versions"]
    assert after["live_image"] == f"{deployed['uri']}@{deployed['v1.0.0']}"


def test_rollback_records_the_tag_for_the_next_terraform_apply(deployed):
    _rollback("v1.0.0", [])
    assert _state()["parameter"] == "v1.0.0"


def test_rollback_prints_what_ran_before_and_what_runs_now(deployed):
    out: list[str] = []
    _rollback("v1.0.0", out)
    before = next(line for line in out if line.startswith("before:"))
    after = next(line for line in out if line.startswith("after:"))
    assert "v1.2.0" in before and deployed["v1.2.0"][:19] in before and "version 1" in before
    assert "v1.0.0" in after and deployed["v1.0.0"][:19] in after and "version 2" in after


class _Recorded:
    """A real (moto) client whose calls are logged in `calls`; `script` replaces some of them."""

    def __init__(self, client: Any, calls: list[str], script: dict[str, Any]) -> None:
        self._client, self._calls, self._script = client, calls, script

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._client, name)
        if not callable(real) or name.startswith(("get_paginator", "_")):
            return real

        def call(**kwargs: Any) -> Any:
            self._calls.append(name)
            if name in self._script:
                return self._script[name](real, **kwargs)
            return real(**kwargs)

        return call


def _recording(calls: list[str], **script: Any):
    def clients(service: str):
        return _Recorded(_client(service), calls, script if service == "lambda" else {})

    return clients


def test_rollback_records_the_tag_before_moving_the_function_and_alias(deployed):
    calls: list[str] = []
    rollback.rollback(_recording(calls), "prod", "v1.0.0", out=lambda line: None)
    assert calls.index("put_parameter") < calls.index("update_function_code")
    assert calls.index("put_parameter") < calls.index("update_alias")


def test_rollback_waits_for_an_update_in_progress_before_updating_the_code(deployed):
    calls: list[str] = []
    statuses = iter(["InProgress", "InProgress"])

    def function(real, **kwargs):
        answer = real(**kwargs)
        status = None if "Qualifier" in kwargs else next(statuses, None)
        if status:
            answer["Configuration"] = answer["Configuration"] | {"LastUpdateStatus": status}
        return answer

    rollback.rollback(
        _recording(calls, get_function=function),
        "prod",
        "v1.0.0",
        out=lambda line: None,
        wait_idle=functools.partial(rollback.wait_until_idle, delay=0),
    )
    before_update = calls[calls.index("put_parameter") : calls.index("update_function_code")]
    # botocore's waiter checks three times (two in progress, one idle), then the app reads once.
    assert before_update.count("get_function") == 4
    assert _state()["live_image"] == f"{deployed['uri']}@{deployed['v1.0.0']}"


def test_the_update_is_awaited_with_botocores_waiter_against_moto(deployed):
    lam = _client("lambda")
    config = rollback.wait_until_updated(lam, FUNCTION, delay=0, attempts=2)
    assert config["LastUpdateStatus"] == "Successful"
    assert config["FunctionName"] == FUNCTION


def test_a_failed_move_keeps_the_recorded_tag_and_says_to_rerun_the_rollback(deployed):
    def conflict(real, **kwargs):
        error = {"Code": "ResourceConflictException", "Message": "An update is in progress"}
        raise ClientError({"Error": error}, "UpdateFunctionCode")

    before = _state()
    with pytest.raises(BuildError) as caught:
        rollback.rollback(
            _recording([], update_function_code=conflict), "prod", "v1.0.0", out=lambda _: None
        )
    assert str(caught.value) == (
        "rollback of pixel-detector-prod to v1.0.0 stopped: UpdateFunctionCode: "
        "ResourceConflictException: An update is in progress. "
        "/qrstack/prod/scanner/image/tag already records v1.0.0, so the next terraform apply "
        "converges on it; re-run `make rollback ENV=prod TAG=v1.0.0` to finish now"
    )
    assert caught.value.exit_code == 1
    assert _state() == before | {"parameter": "v1.0.0"}


def test_rollback_creates_alias_live_when_terraform_has_not_yet(deployed):
    _client("lambda").delete_alias(FunctionName=FUNCTION, Name="live")
    _rollback("v1.1.0", [])
    assert _state()["live_image"] == f"{deployed['uri']}@{deployed['v1.1.0']}"


def test_unknown_tag_lists_the_newest_tags_and_changes_nothing(deployed):
    before = _state()
    out: list[str] = []
    with pytest.raises(BuildError, match=r"unknown tag v9\.9\.9 in pixel-detector-prod") as caught:
        _rollback("v9.9.9", out)
    assert caught.value.exit_code == 1
    listing = "\n".join(out)
    assert all(tag in listing for tag in ("v1.0.0", "v1.1.0", "v1.2.0"))
    assert " UTC " in listing  # push dates
    assert _state() == before


def test_a_missing_function_is_a_clear_error(deployed):
    _client("ecr").create_repository(repositoryName="pixel-detector-staging")
    put_image(_client("ecr"), "pixel-detector-staging", "v1.0.0")
    with pytest.raises(BuildError) as caught:
        _rollback("v1.0.0", [], env="staging")
    assert str(caught.value) == (
        "Lambda function pixel-detector-staging does not exist in this account and region"
    )
    assert caught.value.exit_code == 1
    with pytest.raises(ClientError, match="ParameterNotFound"):
        _client("ssm").get_parameter(Name="/qrstack/staging/scanner/image/tag")


def test_a_missing_repository_is_a_clear_error(moto):
    with pytest.raises(BuildError, match="ECR repository pixel-detector-dev does not exist"):
        _rollback("v1.0.0", [], env="dev")


def test_dry_run_shows_the_change_and_makes_none(deployed):
    before = _state()
    out: list[str] = []
    _rollback("v1.0.0", out, dry_run=True)
    assert _state() == before
    plan = "\n".join(out)
    assert f"would update {FUNCTION} to {deployed['uri']}@{deployed['v1.0.0']}" in plan
    assert "would publish a version and move alias live" in plan
    assert f"would set {PARAMETER} = v1.0.0" in plan


def test_without_a_tag_the_recent_tags_are_listed_with_the_live_one_marked(deployed):
    out: list[str] = []
    rollback.list_tags(_client, "prod", "", out=out.append)
    assert out[0] == "recent tags of pixel-detector-prod (newest first):"
    live = [line for line in out if line.endswith("<- live")]
    assert len(live) == 1 and "v1.2.0" in live[0]
    assert len(out) == 4


def test_a_name_prefix_applies_to_repository_function_and_parameter(deployed):
    with pytest.raises(BuildError, match="ECR repository acme-pixel-detector-prod"):
        rollback.rollback(_client, "prod", "v1.0.0", prefix="acme-", out=lambda line: None)


def _answering(*statuses: str, key: str = "LastUpdateStatus") -> tuple[Any, Stubber]:
    """A Lambda client whose GetFunction calls answer `statuses`, one each, in order."""
    lam = _client("lambda")
    stubber = Stubber(lam)
    for status in statuses:
        config = {"FunctionName": FUNCTION, key: status}
        if status == "Failed":
            config["LastUpdateStatusReason"] = "image not found"
        stubber.add_response("get_function", {"Configuration": config}, {"FunctionName": FUNCTION})
    stubber.activate()
    return lam, stubber


def test_waiting_checks_until_the_update_succeeds():
    # Three checks by the waiter, then one read of the configuration.
    lam, stubber = _answering("InProgress", "InProgress", "Successful", "Successful")
    assert rollback.wait_until_updated(lam, FUNCTION, delay=0)["LastUpdateStatus"] == "Successful"
    stubber.assert_no_pending_responses()


def test_a_failed_update_is_an_error_with_its_reason():
    lam, _ = _answering("Failed")
    with pytest.raises(BuildError, match="the code update failed: image not found"):
        rollback.wait_until_updated(lam, FUNCTION, delay=0)


def test_an_update_that_never_finishes_times_out():
    lam, stubber = _answering("InProgress", "InProgress", "InProgress")
    with pytest.raises(BuildError, match=r"still InProgress after 0s \(3 checks\)"):
        rollback.wait_until_updated(lam, FUNCTION, delay=0, attempts=3)
    stubber.assert_no_pending_responses()


def test_waiting_before_an_update_checks_while_one_is_in_progress():
    lam, stubber = _answering("InProgress", "InProgress", "Successful", "Successful")
    rollback.wait_until_idle(lam, FUNCTION, delay=0)
    stubber.assert_no_pending_responses()


def test_waiting_before_an_update_checks_while_a_new_function_is_pending():
    lam, stubber = _answering("Pending", "Active", "Active", key="State")
    rollback.wait_until_idle(lam, FUNCTION, delay=0)
    stubber.assert_no_pending_responses()


def test_waiting_before_an_update_accepts_an_earlier_failed_update():
    lam, stubber = _answering("Failed", "Failed")  # one check, one read
    rollback.wait_until_idle(lam, FUNCTION, delay=0)
    stubber.assert_no_pending_responses()


def test_waiting_before_an_update_times_out_naming_what_it_waited_for():
    lam, _ = _answering("InProgress", "InProgress", "InProgress")
    with pytest.raises(BuildError, match=r"still InProgress .* waiting for an earlier update"):
        rollback.wait_until_idle(lam, FUNCTION, delay=0, attempts=3)


def test_cli_unknown_tag_exits_1_with_one_error_line(deployed, capsys):
    assert build.main(["rollback", "--env", "prod", "--tag", "v9.9.9"]) == 1
    err = capsys.readouterr().err
    assert err == "build.py: error: unknown tag v9.9.9 in pixel-detector-prod\n"


def test_cli_rollback_succeeds_with_exit_0(deployed, capsys):
    assert build.main(["rollback", "--env", "prod", "--tag", "v1.1.0"]) == 0
    assert "after:  pixel-detector-prod runs v1.1.0" in capsys.readouterr().out


def test_cli_without_aws_credentials_is_one_line_not_a_traceback(monkeypatch, capsys):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert build.main(["rollback", "--env", "prod"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("build.py: error: no AWS credentials")
    assert len(err.splitlines()) == 1
