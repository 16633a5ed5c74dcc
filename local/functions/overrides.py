"""`--override FUNCTION:VAR=VALUE`: one function's environment variable, checked before start."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from terraform_model import Function


class OverrideError(ValueError):
    """An override that names no function, or is not FUNCTION:VAR=VALUE."""


@dataclass(frozen=True)
class Override:
    target: str  # a function's name or its service (handlers/ sub-package)
    variable: str
    value: str

    def applies_to(self, function: Function) -> bool:
        return self.target in (function.name, function.service)


def parse(raw: Iterable[str], functions: Iterable[Function]) -> list[Override]:
    """Every override, or OverrideError naming the valid functions; nothing is ever ignored."""
    functions = list(functions)
    valid = sorted({f.name for f in functions} | {f.service for f in functions})
    found = []
    for item in raw:
        target, colon, assignment = item.partition(":")
        variable, equals, value = assignment.partition("=")
        # The value is never echoed: it may be a secret.
        if not (colon and equals and target and variable.strip()):
            raise OverrideError(
                "--override takes FUNCTION:VAR=VALUE, e.g. sessions:LOG_LEVEL=DEBUG"
            )
        if target not in valid:
            raise OverrideError(
                f"--override {target!r}: no function has that name; valid names: "
                + ", ".join(valid)
            )
        found.append(Override(target, variable.strip(), value))
    return found


def environment_of(function: Function, overrides: Iterable[Override]) -> dict[str, str]:
    """The variables the overrides set for `function`, the last one winning."""
    return {o.variable: o.value for o in overrides if o.applies_to(function)}
