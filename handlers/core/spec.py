"""What a route accepts and answers, as data.

The app validates query and path parameters from these declarations before a handler runs, and
the OpenAPI document (handlers.core.openapi) is generated from the same declarations, so the
document cannot describe a rule the code does not apply. A body's schema is declared beside the
function that validates that body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]

ERROR_BODY: Schema = {
    "type": "object",
    "required": ["error", "requestId"],
    "properties": {
        "error": {"type": "string", "description": "What went wrong, fit to show a user."},
        "requestId": {"type": "string", "description": "The request's id, as in the logs."},
    },
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds until the window that refused the request ends.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


@dataclass(frozen=True)
class Param:
    """A query or path parameter: its schema, and the validator the app runs on it.

    `parse(raw)` gets the raw text (None when absent) and returns the value the handler reads
    from `request.params`, or raises a 400 whose message the client sees.
    """

    name: str
    description: str
    schema: Schema
    parse: Callable[[str | None], Any]
    required: bool = False


@dataclass(frozen=True)
class Reply:
    """One answer a route gives: its status, what it means and its body's schema."""

    status: int
    description: str
    schema: Schema | None = field(default_factory=lambda: ERROR_BODY)
    headers: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    """Everything the OpenAPI document says of one route."""

    summary: str = ""
    query: tuple[Param, ...] = ()
    path: tuple[Param, ...] = ()
    body: Schema | None = None
    replies: tuple[Reply, ...] = ()
    security: tuple[str, ...] = ()  # names of header API keys the route requires

    def statuses(self) -> list[int]:
        return sorted(r.status for r in self.replies)

    def parse_params(self, path: Mapping[str, str], query: Mapping[str, str]) -> dict[str, Any]:
        """The declared path and query parameters, parsed; a 400 names the first bad one."""
        parsed = {p.name: p.parse(path.get(p.name)) for p in self.path}
        parsed.update({p.name: p.parse(query.get(p.name)) for p in self.query})
        return parsed


def too_many_requests(description: str) -> Reply:
    """The 429 of a rate-limited route, with its Retry-After header."""
    return Reply(429, description, headers=RETRY_AFTER)
