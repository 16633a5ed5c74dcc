"""Which HttpError an exception stands for: handlers keyed by exception class, found through
the class hierarchy, so one registration covers every subclass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers.core.errors import HttpError

ErrorHandler = Callable[[Any], HttpError]


class ErrorHandlers:
    """Exception class -> the handler turning such an exception into an HttpError."""

    def __init__(self) -> None:
        self._handlers: dict[type[BaseException], ErrorHandler] = {}

    def register(self, exc_type: type[BaseException], handler: ErrorHandler) -> None:
        """Handle `exc_type` and its subclasses with `handler`, replacing any earlier one."""
        self._handlers[exc_type] = handler

    def resolve(self, exc: BaseException) -> ErrorHandler | None:
        """The handler of the nearest class in `exc`'s MRO; None when no class is registered."""
        for cls in type(exc).__mro__:
            handler = self._handlers.get(cls)
            if handler is not None:
                return handler
        return None
