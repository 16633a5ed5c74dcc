"""Typed HTTP errors. Handlers raise them; the app turns them into JSON responses."""

from __future__ import annotations


class HttpError(Exception):
    """An error with a status code and a message that is safe to show the client."""

    status = 500

    def __init__(
        self,
        message: str,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})
        # Extra body fields, e.g. a partial scan result alongside a 504.
        self.extra = dict(extra or {})


class BadRequest(HttpError):
    status = 400


class Unauthorized(HttpError):
    status = 401


class NotFound(HttpError):
    status = 404


class MethodNotAllowed(HttpError):
    status = 405

    def __init__(self, allowed: list[str]) -> None:
        super().__init__("Method not allowed", headers={"Allow": ", ".join(allowed)})


class Gone(HttpError):
    status = 410


class PayloadTooLarge(HttpError):
    status = 413


class TooManyRequests(HttpError):
    status = 429

    def __init__(self, message: str = "Too many requests", retry_after: int = 60) -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, int(retry_after)))})
        self.retry_after = max(1, int(retry_after))


class InternalError(HttpError):
    status = 500


class BadGateway(HttpError):
    status = 502


class ServiceUnavailable(HttpError):
    status = 503


class GatewayTimeout(HttpError):
    status = 504
