"""The scanner's API key: re-read after a short TTL, compared in constant time, fail closed."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError

from handlers.core import aws, errors
from handlers.core.log import logger

UNAUTHORIZED = "Missing or invalid API key"
UNAVAILABLE = "The API key cannot be checked right now; try again shortly"
# How long a key read from SSM is trusted: a rotation takes effect within this time.
KEY_TTL_SECONDS = 120.0
# Terraform creates the SSM parameter with a value starting with this, and ignores the value
# afterwards: until an operator puts a real key, the parameter holds no valid key at all.
PLACEHOLDER_PREFIX = "unset-"


def key_from_ssm(parameter_name: str) -> str:
    """The SecureString's decrypted value."""
    found = aws.client("ssm").get_parameter(Name=parameter_name, WithDecryption=True)
    return str(found["Parameter"]["Value"])


def is_placeholder(key: str) -> bool:
    """True for the value Terraform seeds (or any other value of that shape)."""
    return key.strip().lower().startswith(PLACEHOLDER_PREFIX)


def _digest(value: str) -> bytes:
    # Equal-length digests: compare_digest then takes the same time whatever was sent.
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


class ApiKey:
    """Checks `x-api-key`. The key comes from SSM when a parameter is named, else a local value.

    With neither configured, or with Terraform's placeholder in SSM, every request is refused:
    the scanner never runs open.
    """

    def __init__(
        self,
        parameter_name: str = "",
        local_key: str = "",
        fetch: Callable[[str], str] = key_from_ssm,
        ttl_seconds: float = KEY_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.parameter_name = parameter_name
        self.local_key = local_key
        self.fetch = fetch
        self.ttl = ttl_seconds
        self.clock = clock
        self._key: str | None = None
        self._read_at = 0.0

    def _expected(self) -> str:
        if not self.parameter_name:
            return self.local_key
        now = self.clock()
        if self._key is None or now - self._read_at >= self.ttl:
            try:
                self._key, self._read_at = self.fetch(self.parameter_name), now
            except (ClientError, BotoCoreError) as exc:
                if self._key is None:
                    logger.error("API key could not be read from SSM", errorType=type(exc).__name__)
                    raise errors.ServiceUnavailable(UNAVAILABLE) from exc
                # SSM is down: keep the key we had, and ask again on the next request.
                logger.warning("API key refresh failed; using the cached key")
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
        if is_placeholder(expected):
            logger.error(
                "the API key is still Terraform's placeholder; set a real one with "
                "aws ssm put-parameter --overwrite. Refusing every scan request"
            )
            raise errors.Unauthorized(UNAUTHORIZED)
        if not provided or not hmac.compare_digest(_digest(provided), _digest(expected)):
            raise errors.Unauthorized(UNAUTHORIZED)
