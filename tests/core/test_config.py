"""Each service declares its environment once; a missing variable is named."""

from __future__ import annotations

import pytest

from handlers.core.config import ConfigError, Setting, Settings, boolean, csv, http_url, integer


def _settings() -> Settings:
    return Settings(
        Setting("TABLE", "A table."),
        Setting("LIMIT", "A limit.", default="5", parse=integer),
        Setting("LOCAL_ONLY", "Laptop only.", default="", deployed=False),
    )


def test_missing_required_variable_is_named():
    with pytest.raises(ConfigError, match="TABLE"):
        _settings().load({})


def test_defaults_fill_optional_variables():
    config = _settings().load({"TABLE": "t"})
    assert config["LIMIT"] == 5
    assert config["TABLE"] == "t"


def test_malformed_value_is_named():
    with pytest.raises(ConfigError, match="LIMIT is invalid"):
        _settings().load({"TABLE": "t", "LIMIT": "many"})


def test_deployed_names_leave_out_laptop_only_variables():
    assert _settings().deployed_names == {"TABLE", "LIMIT"}
    assert _settings().names == {"TABLE", "LIMIT", "LOCAL_ONLY"}


def test_duplicate_declaration_is_refused():
    with pytest.raises(ValueError, match="duplicate"):
        Settings(Setting("A", "a"), Setting("A", "again"))


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("0", False), ("Yes", True)])
def test_boolean_parser(raw, value):
    assert boolean(raw) is value


def test_csv_parser_drops_blanks():
    assert csv(" a, ,b ") == ("a", "b")


@pytest.mark.parametrize("service", ["sessions", "realtime", "counter", "scanner"])
def test_every_service_declares_its_settings_once(service):
    module = __import__(f"handlers.{service}.settings", fromlist=["SETTINGS"])
    assert module.SETTINGS.deployed_names
    assert module.FUNCTION_NAME
    assert module.PACKAGE_TYPE in {"Zip", "Image"}


@pytest.mark.parametrize("raw", ["abc.execute-api.us-east-1.amazonaws.com/dev", "ftp://x/y", ""])
def test_url_setting_must_be_an_absolute_http_url(raw):
    settings = Settings(Setting("ENDPOINT", "An endpoint.", parse=http_url))
    with pytest.raises(ConfigError, match="ENDPOINT"):
        settings.load({"ENDPOINT": raw or " "})


def test_url_setting_drops_a_trailing_slash():
    settings = Settings(Setting("ENDPOINT", "An endpoint.", parse=http_url))
    assert settings.load({"ENDPOINT": "https://x.example/dev/"})["ENDPOINT"] == (
        "https://x.example/dev"
    )


def test_loaded_settings_are_read_only():
    config = _settings().load({"TABLE": "t"})
    with pytest.raises(TypeError):
        config["TABLE"] = "other"  # type: ignore[index]
    assert dict(config) == {"TABLE": "t", "LIMIT": 5, "LOCAL_ONLY": ""}
