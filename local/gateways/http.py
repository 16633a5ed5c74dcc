"""The HTTP API: routes requests to function workers as API Gateway (payload 2.0) does.

`HttpApi.handle` is the whole gateway without a socket, `(method, path, headers, body, ip) ->
Response`; `HttpGateway` only serves it on host:port.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

from local.functions.events import api_request_id, http_event, http_response
from local.functions.workers import InvocationError
from local.gateways import cors as gateway_cors
from local.gateways.background_server import BackgroundServer
from terraform_model import Cors

MAX_BODY = 10 * 1024 * 1024  # HTTP API's payload quota

Headers = list[tuple[str, str]]
Invoker = Callable[[str, dict, str], object]  # (function, event, request_id) -> result


@dataclass(frozen=True)
class Route:
    """One route key of the API ("GET /sessions/{sessionId}", "ANY /{proxy+}" or "$default")."""

    key: str
    function: str
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _names: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Compiled once: matching runs on every request.
        pattern, names = compile_path(self.path) if self.key != "$default" else (None, {})
        object.__setattr__(self, "_pattern", pattern)
        object.__setattr__(self, "_names", names)

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
        if self._pattern is None:
            return {}
        found = self._pattern.fullmatch(path)
        if not found:
            return None
        return {self._names[k]: unquote(v) for k, v in found.groupdict().items()}


def compile_path(route_path: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """The regex of a route path, and its group names -> the path's parameter names."""
    pattern = ""
    names = {}
    for segment in route_path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            greedy = segment.endswith("+}")
            name = segment[1 : -2 if greedy else -1]
            group = re.sub(r"\W", "_", name)
            names[group] = name
            pattern += f"/(?P<{group}>{'.+' if greedy else '[^/]+'})"
        else:
            pattern += "/" + re.escape(segment)
    return re.compile(pattern or "/"), names


def content_length(raw: str | None) -> int | None:
    """The declared body length: 0 when absent, None when it is not a plain decimal number."""
    if raw is None or raw.strip() == "":
        return 0
    text = raw.strip()
    return int(text) if text.isascii() and text.isdigit() else None


@dataclass(frozen=True)
class Response:
    status: int
    headers: Headers
    body: bytes


class HttpApi:
    """The gateway's behaviour on one request: CORS, documents, routing, the event, the answer."""

    def __init__(
        self,
        routes: Iterable[Route],
        invoke: Invoker,
        *,
        cors: Cors | None = None,
        api_id: str = "localhttp",
        domain_name: str = "localhost",
        log: Callable[[str], None] = lambda line: None,
        documents: dict[str, Callable[[], object]] | None = None,
    ) -> None:
        self.routes = sorted(routes, key=Route.specificity)
        self.invoke = invoke
        self.cors = cors
        self.api_id = api_id
        self.domain_name = domain_name  # when the request has no Host header
        self.log = log
        # Paths the gateway answers itself with a JSON document (the OpenAPI description).
        self.documents = dict(documents or {})

    def route_for(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The most specific route serving (method, path) and its path parameters."""
        for route in self.routes:
            params = route.match(method, path)
            if params is not None:
                return route, params
        return None

    def handle(
        self, method: str, path: str, headers: Iterable[tuple[str, str]], body: bytes, ip: str
    ) -> Response:
        """The answer to one request; `path` is the request target, query string included."""
        request_id = api_request_id()
        method = method.upper()
        pairs = list(headers)
        lower = {name.lower(): value for name, value in pairs}
        origin = lower.get("origin", "")
        if self.cors is not None and gateway_cors.is_preflight(method, lower):
            answer = gateway_cors.preflight_headers(self.cors, origin)
            return Response(204, [*answer, ("apigw-requestid", request_id)], b"")
        response = self._respond(method, path, pairs, lower, body, ip, request_id)
        return self._finish(response, origin, request_id)

    def refusal(self, status: int, headers: Iterable[tuple[str, str]]) -> Response:
        """The answer to a request refused before its body is read: 400 (length unknown), 413."""
        origin = next((v for k, v in headers if k.lower() == "origin"), "")
        message = {400: "Bad Request", 413: "Request Entity Too Large"}[status]
        return self._finish(_message(status, message), origin, api_request_id())

    def _finish(self, response: Response, origin: str, request_id: str) -> Response:
        out = response.headers
        if self.cors is not None:
            out = gateway_cors.response_headers(self.cors, origin, out)
        return Response(response.status, [*out, ("apigw-requestid", request_id)], response.body)

    def _respond(
        self,
        method: str,
        path: str,
        headers: Headers,
        lower: dict[str, str],
        body: bytes,
        ip: str,
        request_id: str,
    ) -> Response:
        raw_path, _, raw_query = path.partition("?")
        if len(body) > MAX_BODY:
            return _message(413, "Request Entity Too Large")
        build = self.documents.get(raw_path) if method in ("GET", "HEAD") else None
        if build is not None:
            document = json.dumps(build(), indent=2).encode("utf-8")
            return Response(200, [("content-type", "application/json")], document)
        found = self.route_for(method, raw_path)
        if found is None:
            self.log(f"{method} {raw_path} 404 (no route)")
            return _message(404, "Not Found")
        route, params = found
        event = http_event(
            method=method,
            raw_path=raw_path,
            raw_query=raw_query,
            headers=headers,
            body=body,
            route_key=route.key,
            path_parameters=params,
            source_ip=ip,
            api_id=self.api_id,
            domain_name=lower.get("host", self.domain_name),
            request_id=request_id,
        )
        try:
            result = self.invoke(route.function, event, request_id)
        except InvocationError as exc:
            status = 503 if exc.timed_out else 500
            self.log(
                f"{method} {raw_path} {status} ({route.function}: {exc.payload.get('errorType')})"
            )
            return _message(
                status, "Service Unavailable" if exc.timed_out else "Internal Server Error"
            )
        try:
            status, out, payload = http_response(result)
        except (TypeError, ValueError, KeyError):
            self.log(f"{method} {raw_path} 500 (malformed response from {route.function})")
            return _message(500, "Internal Server Error")
        self.log(f"{method} {raw_path} {status} -> {route.function}")
        return Response(status, list(out), payload)


def _message(status: int, message: str) -> Response:
    body = json.dumps({"message": message}).encode("utf-8")
    return Response(status, [("content-type", "application/json")], body)


class HttpGateway(BackgroundServer):
    """An HttpApi served on host:port."""

    thread_name = "http-gateway"

    def __init__(
        self,
        host: str,
        port: int,
        routes: Iterable[Route],
        invoke: Invoker,
        *,
        cors: Cors | None = None,
        api_id: str = "localhttp",
        log: Callable[[str], None] = lambda line: None,
        documents: dict[str, Callable[[], object]] | None = None,
    ) -> None:
        self.api = HttpApi(routes, invoke, cors=cors, api_id=api_id, log=log, documents=documents)
        handler = type("Handler", (_Handler,), {"api": self.api})
        self._listen(host, port, handler)
        self.api.domain_name = f"{self.host}:{self.port}"

    def route_for(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The most specific route serving (method, path) and its path parameters."""
        return self.api.route_for(method, path)


class _Handler(BaseHTTPRequestHandler):
    """Reads one request off the socket, hands it to the HttpApi and writes the answer."""

    api: HttpApi
    protocol_version = "HTTP/1.1"
    server_version = "local-apigateway"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # the gateway logs its own line
        return

    def _serve(self) -> None:
        length = content_length(self.headers.get("Content-Length"))
        if length is None or length > MAX_BODY:
            # The body's end is unknown, or it is not worth reading: nothing more can be read.
            self.close_connection = True
            response = self.api.refusal(400 if length is None else 413, self.headers.items())
        else:
            body = self.rfile.read(length) if length else b""
            response = self.api.handle(
                self.command, self.path, self.headers.items(), body, self.client_address[0]
            )
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def __getattr__(self, name: str):
        # Every method reaches the routes, as on API Gateway (TRACE, PROPFIND…: no route, 404),
        # rather than http.server's 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)
