"""The HTTP API: routes requests to function workers as API Gateway (payload 2.0) does."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

from local.background_server import BackgroundServer
from local.events import api_request_id, http_event, http_response
from local.workers import InvocationError

MAX_BODY = 10 * 1024 * 1024  # HTTP API's payload quota


@dataclass(frozen=True)
class Route:
    """One route key of the API ("GET /sessions/{sessionId}", "ANY /{proxy+}" or "$default")."""

    key: str
    function: str

    @property
    def method(self) -> str:
        return "ANY" if self.key == "$default" else self.key.split(" ", 1)[0].upper()

    @property
    def path(self) -> str:
        return "" if self.key == "$default" else self.key.split(" ", 1)[1]

    def specificity(self) -> tuple:
        """Sort key: literal segments beat {params}, which beat {greedy+}, which beat $default."""
        if self.key == "$default":
            return (3, 0, 0)
        segments = self.path.strip("/").split("/")
        greedy = any(s.endswith("+}") for s in segments)
        params = sum(1 for s in segments if s.startswith("{"))
        return (1 if greedy else 0, params, -len(segments), self.method == "ANY")

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """Path parameters when this route serves (method, path), else None."""
        if self.method not in ("ANY", method):
            return None
        if self.key == "$default":
            return {}
        pattern = ""
        for segment in self.path.strip("/").split("/"):
            if segment.startswith("{") and segment.endswith("+}"):
                pattern += f"/(?P<{_group(segment[1:-2])}>.+)"
            elif segment.startswith("{") and segment.endswith("}"):
                pattern += f"/(?P<{_group(segment[1:-1])}>[^/]+)"
            else:
                pattern += "/" + re.escape(segment)
        found = re.fullmatch(pattern or "/", path)
        if not found:
            return None
        names = {_group(n): n for n in re.findall(r"{([^}+]+)\+?}", self.path)}
        return {names[k]: unquote(v) for k, v in found.groupdict().items()}


def content_length(raw: str | None) -> int | None:
    """The declared body length: 0 when absent, None when it is not a plain decimal number."""
    if raw is None or raw.strip() == "":
        return 0
    text = raw.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _group(name: str) -> str:
    return re.sub(r"\W", "_", name)


@dataclass
class Cors:
    """An HTTP API's cors_configuration."""

    allow_origins: list[str] = field(default_factory=list)
    allow_methods: list[str] = field(default_factory=list)
    allow_headers: list[str] = field(default_factory=list)
    expose_headers: list[str] = field(default_factory=list)
    max_age: int | None = None
    allow_credentials: bool = False

    def origin_allowed(self, origin: str) -> bool:
        return "*" in self.allow_origins or origin in self.allow_origins

    def headers(self, origin: str, preflight: bool) -> list[tuple[str, str]]:
        if not origin or not self.origin_allowed(origin):
            return []
        allowed = "*" if "*" in self.allow_origins and not self.allow_credentials else origin
        headers = [("access-control-allow-origin", allowed)]
        if allowed != "*":
            headers.append(("vary", "origin"))
        if self.allow_credentials:
            headers.append(("access-control-allow-credentials", "true"))
        if preflight:
            if self.allow_methods:
                headers.append(("access-control-allow-methods", ",".join(self.allow_methods)))
            if self.allow_headers:
                headers.append(("access-control-allow-headers", ",".join(self.allow_headers)))
            if self.max_age is not None:
                headers.append(("access-control-max-age", str(self.max_age)))
        elif self.expose_headers:
            headers.append(("access-control-expose-headers", ",".join(self.expose_headers)))
        return headers


Invoker = Callable[[str, dict, str], object]  # (function, event, request_id) -> result


class HttpGateway(BackgroundServer):
    """An HTTP API on host:port."""

    thread_name = "http-gateway"

    def __init__(
        self,
        host: str,
        port: int,
        routes: list[Route],
        invoke: Invoker,
        *,
        cors: Cors | None = None,
        api_id: str = "localhttp",
        log: Callable[[str], None] = lambda line: None,
        documents: dict[str, Callable[[], object]] | None = None,
    ) -> None:
        self.routes = sorted(routes, key=Route.specificity)
        # Paths the gateway answers itself with a JSON document (the OpenAPI description).
        self.documents = dict(documents or {})
        self.invoke = invoke
        self.cors = cors
        self.api_id = api_id
        self.log = log
        gateway = self

        class Handler(_Handler):
            pass

        Handler.gateway = gateway
        self._listen(host, port, Handler)

    def document(self, method: str, path: str) -> bytes | None:
        """The JSON of a document the gateway serves at `path`, or None."""
        build = self.documents.get(path) if method in ("GET", "HEAD") else None
        return None if build is None else json.dumps(build(), indent=2).encode("utf-8")

    def route_for(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The most specific route serving (method, path) and its path parameters."""
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        return None


class _Handler(BaseHTTPRequestHandler):
    gateway: HttpGateway
    protocol_version = "HTTP/1.1"
    server_version = "local-apigateway"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # the gateway logs its own line
        return

    def _reply(self, status: int, headers: list[tuple[str, str]], body: bytes, request_id: str):
        self.send_response(status)
        origin = self.headers.get("Origin", "")
        cors = self.gateway.cors
        if cors is not None:
            # With a CORS configuration, API Gateway owns these headers and drops the function's.
            headers = [h for h in headers if not h[0].lower().startswith("access-control-")]
            headers += cors.headers(origin, preflight=False)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("apigw-requestid", request_id)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _message(self, status: int, message: str, request_id: str) -> None:
        body = json.dumps({"message": message}).encode("utf-8")
        self._reply(status, [("content-type", "application/json")], body, request_id)

    def _serve(self) -> None:
        request_id = api_request_id()
        raw_path, _, raw_query = self.path.partition("?")
        method = self.command.upper()
        length = content_length(self.headers.get("Content-Length"))
        if length is None:
            self.close_connection = True  # the body's end is unknown: nothing more can be read
            return self._message(400, "Bad Request", request_id)
        if length > MAX_BODY:
            self.close_connection = True
            return self._message(413, "Request Entity Too Large", request_id)
        body = self.rfile.read(length) if length else b""
        cors = self.gateway.cors
        origin = self.headers.get("Origin", "")
        if (
            cors is not None
            and method == "OPTIONS"
            and origin
            and self.headers.get("Access-Control-Request-Method")
        ):
            # API Gateway answers CORS preflights itself when the API has a CORS configuration.
            self.send_response(204)
            for name, value in cors.headers(origin, preflight=True):
                self.send_header(name, value)
            self.send_header("apigw-requestid", request_id)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        document = self.gateway.document(method, raw_path)
        if document is not None:
            return self._reply(200, [("content-type", "application/json")], document, request_id)
        found = self.gateway.route_for(method, raw_path)
        if found is None:
            self.gateway.log(f"{method} {raw_path} 404 (no route)")
            return self._message(404, "Not Found", request_id)
        route, params = found
        event = http_event(
            method=method,
            raw_path=raw_path,
            raw_query=raw_query,
            headers=list(self.headers.items()),
            body=body,
            route_key=route.key,
            path_parameters=params,
            source_ip=self.client_address[0],
            api_id=self.gateway.api_id,
            domain_name=self.headers.get("Host", f"{self.gateway.host}:{self.gateway.port}"),
            request_id=request_id,
        )
        try:
            result = self.gateway.invoke(route.function, event, request_id)
        except InvocationError as exc:
            status = 503 if exc.timed_out else 500
            message = "Service Unavailable" if exc.timed_out else "Internal Server Error"
            self.gateway.log(
                f"{method} {raw_path} {status} ({route.function}: {exc.payload.get('errorType')})"
            )
            return self._message(status, message, request_id)
        try:
            status, headers, payload = http_response(result)
        except (TypeError, ValueError, KeyError):
            self.gateway.log(f"{method} {raw_path} 500 (malformed response from {route.function})")
            return self._message(500, "Internal Server Error", request_id)
        self.gateway.log(f"{method} {raw_path} {status} -> {route.function}")
        return self._reply(status, headers, payload, request_id)

    def __getattr__(self, name: str):
        # Every method reaches the routes, as on API Gateway (TRACE, PROPFIND…: no route, 404),
        # rather than http.server's 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)
