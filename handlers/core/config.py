"""Environment variables a service reads, declared once and validated at cold start."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from handlers.core import metrics


class ConfigError(RuntimeError):
    """A declared environment variable is missing or malformed."""


def _text(value: str) -> str:
    return value


def integer(value: str) -> int:
    """Parse a whole number, for use as a Setting's `parse`."""
    return int(value.strip())


def boolean(value: str) -> bool:
    """Parse true/false, yes/no, 1/0."""
    lowered = value.strip().lower()
    if lowered in {"true", "1", "yes", "on"}:
        return True
    if lowered in {"false", "0", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def http_url(value: str) -> str:
    """An absolute http(s) URL, such as an API endpoint."""
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value.strip().rstrip("/")


def csv(value: str) -> tuple[str, ...]:
    """Parse a comma-separated list, dropping blanks."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, meaning, default and parser.

    `deployed=False` marks a variable only a laptop sets (never Terraform), such as a local API key.
    """

    name: str
    description: str
    default: str | None = None
    parse: Callable[[str], Any] = _text
    deployed: bool = True

    @property
    def required(self) -> bool:
        return self.default is None and self.deployed


# Parsed settings of one function, read-only: a view the handlers cannot change.
Config = MappingProxyType[str, Any]


class Settings:
    """The complete list of environment variables one function reads."""

    def __init__(self, *settings: Setting) -> None:
        names = [s.name for s in settings]
        if len(names) != len(set(names)):
            raise ValueError(f"duplicate setting in {names}")
        self.settings = settings

    @property
    def names(self) -> frozenset[str]:
        """Every variable read, deployed or not."""
        return frozenset(s.name for s in self.settings)

    @property
    def deployed_names(self) -> frozenset[str]:
        """The variables Terraform must set on the function: no more, no fewer."""
        return frozenset(s.name for s in self.settings if s.deployed)

    def load(self, environ: Mapping[str, str] | None = None) -> Config:
        """Read and parse every setting; raise ConfigError naming the first bad one."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        missing = []
        for setting in self.settings:
            raw = environ.get(setting.name)
            if raw is None or (raw == "" and setting.required):
                if setting.required:
                    missing.append(setting.name)
                    continue
                if setting.default is None:
                    values[setting.name] = None
                    continue
                raw = setting.default
            try:
                values[setting.name] = setting.parse(raw)
            except ValueError as exc:
                raise ConfigError(f"environment variable {setting.name} is invalid: {exc}") from exc
        if missing:
            raise ConfigError(
                "missing required environment variable(s): " + ", ".join(sorted(missing))
            )
        return MappingProxyType(values)


def common_settings() -> tuple[Setting, ...]:
    """Settings every function reads: logging and metrics."""
    return (
        Setting("LOG_LEVEL", "Minimum log level: DEBUG, INFO, WARNING or ERROR.", default="INFO"),
        Setting(
            "DEBUG",
            "true adds debug logs of the event's shape and an X-Debug-Mode header.",
            default="false",
            parse=boolean,
        ),
        Setting(
            "METRICS_NAMESPACE",
            "CloudWatch namespace of the EMF metrics.",
            default=metrics.DEFAULT_NAMESPACE,
        ),
    )


def rate_limit_settings() -> tuple[Setting, ...]:
    """Settings of the shared DynamoDB rate limiter: per client IP, global, and an allow-list."""
    return (
        Setting("RATE_LIMIT_TABLE_NAME", "DynamoDB table of fixed-window rate-limit counters."),
        Setting("IP_LIMIT", "Requests allowed per client IP per day.", default="50", parse=integer),
        Setting(
            "GLOBAL_LIMIT", "Requests allowed per hour in total.", default="1000", parse=integer
        ),
        Setting("IP_WHITELIST", "Comma-separated client IPs never limited.", default="", parse=csv),
    )
