"""The Terraform root evaluated offline (tfparse) per workspace, and the services it must match."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

import handlers
import terraform_model

WORKSPACES = ("dev", "staging", "prod")


def services() -> dict[str, ModuleType]:
    """handlers/<service>/settings.py for every service (every sub-package but core)."""
    found = {}
    for info in pkgutil.iter_modules(handlers.__path__):
        if info.ispkg and info.name != "core":
            try:
                found[info.name] = importlib.import_module(f"handlers.{info.name}.settings")
            except ModuleNotFoundError:
                continue
    return found


def service_app(service: str):
    """The LambdaApp of handlers/<service>/app.py."""
    return importlib.import_module(f"handlers.{service}.app").app


@pytest.fixture(scope="session", params=WORKSPACES)
def stack(request: pytest.FixtureRequest) -> terraform_model.Stack:
    """The evaluated stack of each environment workspace in turn."""
    return terraform_model.load(request.param)


@pytest.fixture(scope="session")
def stacks() -> dict[str, terraform_model.Stack]:
    """The evaluated stacks of all three workspaces, by workspace."""
    return {workspace: terraform_model.load(workspace) for workspace in WORKSPACES}
