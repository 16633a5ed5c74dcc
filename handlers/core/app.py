"""LambdaApp: one function's entry point. Turns any event into a handler call and any error
into a response, with a log line and correlation id per request."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from handlers.core import errors, metrics
from handlers.core.clock import random_id, system_clock
from handlers.core.config import Config, ConfigError, Settings
from handlers.core.cors import cors_headers, preflight_headers
from handlers.core.events import EventKind, classify
from handlers.core.http import (
    INVALID_EVENT,
    Request,
    Response,
    lower_headers,
    parse_http_v1,
    parse_http_v2,
    text_map,
)
from handlers.core.log import logger
from handlers.core.router import Router
from handlers.core.spec import Operation, Param, Reply, Schema
from handlers.core.validation import correlation_id as valid_correlation_id

DEFAULT_MAX_BODY = 64 * 1024
T = TypeVar("T")
# API Gateway's connection ids are short base64 text; anything else is not an API Gateway event.
_CONNECTION_ID = re.compile(r"[A-Za-z0-9+/=_-]{1,128}")


@dataclass
class WebSocketEvent:
    """A WebSocket lifecycle event ($connect, $disconnect)."""

    route_key: str
    connection_id: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    request_id: str = ""


@dataclass
class Invocation:
    """One call of the entry point: the event and what the app knows about it."""

    event: Any
    context: Any
    kind: EventKind
    request_id: str
    started: float
    cold: bool
    config: Config | None = None

    def elapsed_ms(self) -> float:
        return round((time.perf_counter() - self.started) * 1000, 3)


def error_body(message: str, request_id: str, extra: dict | None = None) -> dict[str, Any]:
    """The one error shape every function returns."""
    return {**(extra or {}), "error": message, "requestId": request_id}


class LambdaApp:
    """Routes HTTP, WebSocket, S3 and SQS events of one function to its handlers."""

    def __init__(self, function: str, settings: Settings, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.function = function
        self.settings = settings
        self.max_body = max_body
        self.router = Router()
        self.clock = system_clock
        self.new_id = random_id
        self._websocket: dict[str, Callable[[WebSocketEvent], Response]] = {}
        self._s3: Callable[[list[dict[str, Any]], Any], dict[str, Any]] | None = None
        self._sqs: Callable[[list[dict[str, Any]], Any], list[str]] | None = None
        self._config: Config | None = None
        self._resources: dict[Callable, Any] = {}
        self._cold = True

    # -- declaration -------------------------------------------------------------------------

    def route(
        self,
        method: str,
        path: str,
        max_body: int | None = None,
        *,
        summary: str = "",
        query: tuple[Param, ...] = (),
        path_params: tuple[Param, ...] = (),
        body: Schema | None = None,
        replies: tuple[Reply, ...] = (),
        security: tuple[str, ...] = (),
    ) -> Callable[[T], T]:
        """Declare an HTTP route; the handler takes a Request and returns a Response or dict.

        `query` and `path_params` are validated before the handler runs (it reads the results
        from `request.params`); they, `body` and `replies` make the route's OpenAPI operation.
        """
        limit = max_body or self.max_body
        operation = Operation(
            summary=summary,
            query=query,
            path=path_params,
            body=body,
            replies=_with_core_replies(
                replies, body is not None, bool(query or path_params), limit
            ),
            security=security,
        )

        def register(handler: T) -> T:
            self.router.add(method, path, handler, limit, operation)
            return handler

        return register

    def websocket(self, route_key: str) -> Callable[[T], T]:
        """Declare a WebSocket route such as `$connect`."""

        def register(handler: T) -> T:
            self._websocket[route_key] = handler
            return handler

        return register

    def s3(self, handler: T) -> T:
        """Declare the handler of S3 event records: `handler(records, context)`."""
        self._s3 = handler
        return handler

    def sqs(self, handler: T) -> T:
        """Declare the handler of SQS records: `handler(records, context)` returns the message ids
        that failed, which go back to the queue (a partial batch response)."""
        self._sqs = handler
        return handler

    def resource(self, factory: Callable[[], T]) -> Callable[[], T]:
        """Wrap a factory so it runs once per container; `reset()` forgets the result."""

        def get() -> T:
            if factory not in self._resources:
                self._resources[factory] = factory()
            return self._resources[factory]

        get.factory = factory  # type: ignore[attr-defined]
        return get

    def override(self, resource: Callable[[], Any], value: Any) -> None:
        """Replace what a resource returns (tests)."""
        self._resources[resource.factory] = value  # type: ignore[attr-defined]

    @property
    def routes(self) -> list[tuple[str, str]]:
        """Every declared HTTP route as (method, path)."""
        return sorted((r.method, r.path) for r in self.router.routes)

    @property
    def websocket_routes(self) -> list[str]:
        return sorted(self._websocket)

    @property
    def config(self) -> Config:
        """The function's settings, parsed and validated on first use."""
        if self._config is None:
            self._config = self.settings.load()
        return self._config

    def reset(self) -> None:
        """Forget config and resources, as a new container would (tests)."""
        self._config = None
        self._resources.clear()
        self._cold = True

    # -- invocation --------------------------------------------------------------------------

    def lambda_handler(self, event: Any, context: Any = None) -> dict[str, Any]:
        """The Lambda entry point."""
        call = Invocation(
            event=event,
            context=context,
            kind=classify(event),
            request_id=(
                _event_request_id(event)
                or str(getattr(context, "aws_request_id", "") or "")
                or self.new_id()
            ),
            started=time.perf_counter(),
            cold=self._cold,
        )
        self._cold = False
        token = logger.bind(requestId=call.request_id, cold_start=call.cold)
        try:
            try:
                call.config = config = self.config
            except ConfigError as exc:
                logger.error("configuration invalid", reason=str(exc))
                if call.kind is EventKind.SQS:
                    # Answered as an HTTP error, every message would count as processed.
                    return _all_failed(event["Records"])
                return self._fail(errors.InternalError("Internal error"), call.request_id)
            debug = bool(config.get("DEBUG"))
            # Seed 003: debug mode lowers the level whatever LOG_LEVEL says.
            logger.configure("DEBUG" if debug else config.get("LOG_LEVEL", "INFO"), self.function)
            metrics.configure(config.get("METRICS_NAMESPACE"), {"Function": self.function})
            if debug:
                logger.debug("event received", eventKind=call.kind.value, shape=_shape(event))
            if call.kind is EventKind.S3 and self._s3 is not None:
                result = self._records(call)
            elif call.kind is EventKind.SQS and self._sqs is not None:
                result = self._messages(call)
            else:
                try:
                    result = self._respond(call)
                except Exception as exc:
                    # Last line of defence: a client never sees a traceback.
                    logger.exception("unhandled error", exc)
                    result = self._fail(errors.InternalError("Internal error"), call.request_id)
            if debug and "headers" in result:
                result["headers"]["X-Debug-Mode"] = "true"
            return result
        finally:
            logger.unbind(token)

    def _respond(self, call: Invocation) -> dict[str, Any]:
        if call.kind in (EventKind.HTTP_V2, EventKind.HTTP_V1) and self.router.routes:
            return self._http(call)
        if call.kind is EventKind.WEBSOCKET and self._websocket:
            return self._ws(call)
        logger.warning("rejected event", eventKind=call.kind.value, status=400)
        return self._fail(errors.BadRequest(INVALID_EVENT), call.request_id)

    def _fail(self, error: errors.HttpError, request_id: str) -> dict[str, Any]:
        response = Response(error.status, error_body(error.message, request_id), error.headers)
        return response.to_lambda()

    def _http(self, call: Invocation) -> dict[str, Any]:
        request_id = call.request_id
        request: Request | None = None
        try:
            parse = parse_http_v2 if call.kind is EventKind.HTTP_V2 else parse_http_v1
            request = parse(call.event)
            request.request_id, request.context, request.cold_start = (
                request_id,
                call.context,
                call.cold,
            )
            request.correlation_id = (
                valid_correlation_id(request.headers.get("x-correlation-id")) or self.new_id()
            )
            token = logger.bind(correlationId=request.correlation_id)
            try:
                response = self._dispatch(request)
            finally:
                logger.unbind(token)
        except errors.HttpError as exc:
            response = Response(exc.status, error_body(exc.message, request_id, exc.extra))
            response.headers.update(exc.headers)
        except Exception as exc:
            logger.exception("unhandled error", exc, route=request.route if request else "-")
            response = Response(500, error_body("Internal error", request_id))
        route_key = (request.route if request else "") or "-"
        origin = request.headers.get("origin") if request else None
        allowed = call.config.get("ALLOWED_ORIGINS") if call.config else None
        response.headers.update(cors_headers(origin, allowed or ("*",)))
        if request is not None:
            response.headers["X-Correlation-Id"] = request.correlation_id
        level = "ERROR" if response.status >= 500 else "INFO"
        logger.log(
            level,
            "request",
            correlationId=request.correlation_id if request else None,
            route=route_key,
            method=request.method if request else None,
            status=response.status,
            duration_ms=call.elapsed_ms(),
            userAgent=request.user_agent if request else None,
        )
        return response.to_lambda()

    def _dispatch(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            template, methods = self.router.preflight(request.path)
            if not methods:
                raise errors.NotFound("Not found")
            # The route template, never the raw path: a client chooses the path's length.
            request.route = f"OPTIONS {template}"
            return Response(204, None, preflight_headers(methods))
        route, params = self.router.match(request.method, request.path)
        request.route, request.path_params = route.key, params
        if len(request.body) > route.max_body:
            raise errors.PayloadTooLarge(f"Request body exceeds {route.max_body} bytes")
        spec = route.operation
        request.params = {p.name: p.parse(params.get(p.name)) for p in spec.path}
        request.params.update({p.name: p.parse(request.query.get(p.name)) for p in spec.query})
        result = route.handler(request)
        return result if isinstance(result, Response) else Response(200, result)

    def _ws(self, call: Invocation) -> dict[str, Any]:
        event = call.event
        context = event["requestContext"]
        ws_event = WebSocketEvent(
            route_key=str(context.get("routeKey", ""))[:64],
            connection_id=str(context.get("connectionId", "")),
            query=text_map(event.get("queryStringParameters")),
            headers=lower_headers(event.get("headers")),
            request_id=call.request_id,
        )
        handler = self._websocket.get(ws_event.route_key)
        try:
            if not _CONNECTION_ID.fullmatch(ws_event.connection_id):
                raise errors.BadRequest(INVALID_EVENT)
            if handler is None:
                raise errors.BadRequest(f"Unsupported WebSocket route {ws_event.route_key!r}")
            response = handler(ws_event)
        except errors.HttpError as exc:
            response = Response(exc.status, error_body(exc.message, ws_event.request_id))
        except Exception as exc:
            logger.exception("unhandled error", exc, route=ws_event.route_key)
            response = Response(500, error_body("Internal error", ws_event.request_id))
        logger.log(
            "ERROR" if response.status >= 500 else "INFO",
            "websocket",
            route=ws_event.route_key,
            status=response.status,
            duration_ms=call.elapsed_ms(),
        )
        return response.to_lambda()

    def _records(self, call: Invocation) -> dict[str, Any]:
        # Unexpected errors propagate on purpose: Lambda retries the asynchronous S3 event,
        # and every write the handler makes is conditional, so a retry changes nothing twice.
        assert self._s3 is not None
        try:
            summary = self._s3(call.event["Records"], call.context)
        except errors.HttpError as exc:
            logger.warning("rejected event", eventKind=call.kind.value, status=exc.status)
            return {"statusCode": exc.status, **error_body(exc.message, call.request_id)}
        logger.info(
            "s3 event",
            route="s3:ObjectCreated",
            status=200,
            duration_ms=call.elapsed_ms(),
            **summary,
        )
        return {"statusCode": 200, **summary}

    def _messages(self, call: Invocation) -> dict[str, Any]:
        # Lambda's partial batch response (ReportBatchItemFailures): only the listed messages
        # return to the queue. Should the handler itself fail, every message goes back.
        assert self._sqs is not None
        records = call.event["Records"]
        try:
            failed = list(self._sqs(records, call.context))
        except Exception as exc:
            logger.exception("unhandled error", exc, route="sqs")
            return _all_failed(records)
        logger.log(
            "ERROR" if failed else "INFO",
            "sqs batch",
            route="sqs",
            messages=len(records),
            failed=len(failed),
            duration_ms=call.elapsed_ms(),
        )
        return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}


def _all_failed(records: list[dict[str, Any]]) -> dict[str, Any]:
    """A partial batch response returning every message to the queue."""
    return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records]}


def _with_core_replies(
    replies: tuple[Reply, ...], has_body: bool, has_params: bool, max_body: int
) -> tuple[Reply, ...]:
    """The route's own replies plus the 400 and 413 the app itself gives, unless declared."""
    found = {r.status: r for r in replies}
    if (has_body or has_params) and 400 not in found:
        found[400] = Reply(400, "The request is not valid; `error` says why.")
    if has_body and 413 not in found:
        found[413] = Reply(413, f"The body is over {max_body} bytes.")
    return tuple(found[status] for status in sorted(found))


def _event_request_id(event: Any) -> str:
    """API Gateway's request id, which clients and access logs see."""
    context = event.get("requestContext") if isinstance(event, dict) else None
    return str(context.get("requestId") or "") if isinstance(context, dict) else ""


def _shape(event: Any) -> dict[str, Any]:
    """What an event looks like, for debug logs, without any of its values."""
    if not isinstance(event, dict):
        return {"type": type(event).__name__}
    context = event.get("requestContext") if isinstance(event.get("requestContext"), dict) else {}
    headers = event.get("headers")
    return {
        "keys": sorted(map(str, event)),
        "routeKey": str(context.get("routeKey") or event.get("routeKey") or ""),
        "headerNames": sorted(map(str, headers)) if isinstance(headers, dict) else [],
        "records": len(event["Records"]) if isinstance(event.get("Records"), list) else None,
    }
