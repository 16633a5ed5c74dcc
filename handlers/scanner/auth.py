"""The scanner's API key: read once per container, compared in constant time, fail closed."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from handlers.core import aws, errors
from handlers.core.log import logger

UNAUTHORIZED = "Missing or invalid API key"


def key_from_ssm(parameter_name: str) -> str:
    """The SecureString's decrypted value."""
    found = aws.client("ssm").get_parameter(Name=parameter_name, WithDecryption=True)
    return str(found["Parameter"]["Value"])


class ApiKey:
    """Checks `x-api-key`. The key comes from SSM when a parameter is named, else a local value.

    With neither configured every request is refused: the scanner never runs open.
    """

    def __init__(
        self,
        parameter_name: str = "",
        local_key: str = "",
        fetch: Callable[[str], str] = key_from_ssm,
    ) -> None:
        self.parameter_name = parameter_name
        self.local_key = local_key
        self.fetch = fetch
        self._key: str | None = None

    def _expected(self) -> str:
        if self._key is None:
            if self.parameter_name:
                # A failure here is not cached, so the next request tries SSM again.
                self._key = self.fetch(self.parameter_name)
            else:
                self._key = self.local_key
        return self._key

    def check(self, provided: str | None) -> None:
        """Raise Unauthorized unless `provided` equals the configured key."""
        expected = self._expected()
        if not expected:
            logger.error(
                "no API key configured (SCANNER_API_KEY_PARAM or SCANNER_API_KEY); "
                "refusing every scan request"
            )
            raise errors.Unauthorized(UNAUTHORIZED)
        if not provided or not hmac.compare_digest(provided.encode(), expected.encode()):
            raise errors.Unauthorized(UNAUTHORIZED)
