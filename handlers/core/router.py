"""Routes as data: a method and a path template mapped to a handler."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from handlers.core import errors
from handlers.core.spec import Operation

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Route:
    """One HTTP route: `method path` served by `handler`."""

    method: str
    path: str
    handler: Callable[..., Any]
    max_body: int
    pattern: re.Pattern = field(compare=False)
    operation: Operation = field(default_factory=Operation, compare=False)

    @property
    def key(self) -> str:
        """The API Gateway route key, e.g. `GET /sessions/{sessionId}`."""
        return f"{self.method} {self.path}"


def compile_path(path: str) -> re.Pattern:
    """A regex matching `path`, with each `{name}` capturing one path segment."""
    parts, last = [], 0
    for match in _PARAM.finditer(path):
        parts.append(re.escape(path[last : match.start()]))
        parts.append(f"(?P<{match.group(1)}>[^/]+)")
        last = match.end()
    parts.append(re.escape(path[last:]))
    return re.compile("^" + "".join(parts) + "/?$")


class Router:
    """Matches a method and path to a route, or says 404 or 405."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(
        self,
        method: str,
        path: str,
        handler: Callable[..., Any],
        max_body: int,
        operation: Operation | None = None,
    ) -> Route:
        method = method.upper()
        if any(r.method == method and r.path == path for r in self.routes):
            raise ValueError(f"route declared twice: {method} {path}")
        operation = operation or Operation()
        declared = {p.name for p in operation.path}
        if declared and declared != set(_PARAM.findall(path)):
            raise ValueError(f"path parameters of {method} {path} differ from its template")
        route = Route(method, path, handler, max_body, compile_path(path), operation)
        self.routes.append(route)
        return route

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The route and its path parameters; raises NotFound or MethodNotAllowed."""
        allowed = []
        for route in self.routes:
            found = route.pattern.match(path)
            if not found:
                continue
            if route.method == method:
                return route, found.groupdict()
            allowed.append(route.method)
        if allowed:
            raise errors.MethodNotAllowed(sorted(set(allowed)))
        raise errors.NotFound("Not found")
