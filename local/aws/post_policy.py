"""Make moto's S3 enforce presigned-POST policies, as real S3 does.

moto stores any browser-form POST it receives. The upload flow relies on S3 refusing a file
that is too large, too small, of another type or for another key, so tests and `make up` patch
moto with the checks S3 documents for POST policies (expiry, exact-match, starts-with,
content-length-range, and no unlisted form fields). Signatures are not verified: moto accepts
any credentials anyway.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

# Form fields that a policy never has to list (S3's documented exemptions).
_EXEMPT = {"policy", "x-amz-signature", "file", "signature", "awsaccesskeyid"}


class PolicyViolation(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self) -> tuple[int, dict[str, str], str]:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message></Error>"
        )
        return self.status, {"Content-Type": "application/xml"}, body


def _denied(message: str) -> PolicyViolation:
    return PolicyViolation(403, "AccessDenied", f"Invalid according to Policy: {message}")


def check(policy_b64: str, form: dict[str, str], bucket: str, size: int, now: datetime) -> None:
    """Raise PolicyViolation unless this form upload satisfies its policy."""
    try:
        policy = json.loads(base64.b64decode(policy_b64))
        expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        conditions = policy["conditions"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PolicyViolation(400, "InvalidPolicyDocument", "Invalid Policy: malformed") from exc
    if now >= expiration:
        raise _denied("Policy expired.")
    values = {k.lower(): v for k, v in form.items()}
    values["bucket"] = bucket
    covered = {"bucket"}
    for condition in conditions:
        if isinstance(condition, dict):
            for name, expected in condition.items():
                covered.add(name.lower())
                if values.get(name.lower()) != expected:
                    raise _denied(f'Policy Condition failed: ["eq", "${name}", "{expected}"]')
            continue
        operator = str(condition[0]).lower()
        if operator == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if size > high:
                raise PolicyViolation(
                    400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
                )
            if size < low:
                raise PolicyViolation(
                    400, "EntityTooSmall", "Your proposed upload is smaller than the minimum size"
                )
            continue
        name = str(condition[1]).lstrip("$").lower()
        covered.add(name)
        actual, expected = values.get(name, ""), str(condition[2])
        if operator == "eq" and actual != expected:
            raise _denied(f"Policy Condition failed: {json.dumps(condition)}")
        if operator == "starts-with" and not actual.startswith(expected):
            raise _denied(f"Policy Condition failed: {json.dumps(condition)}")
    extra = sorted(
        name
        for name in values
        if name not in covered and name not in _EXEMPT and not name.startswith("x-ignore-")
    )
    if extra:
        raise _denied(f"Extra input fields: {', '.join(extra)}")


def install() -> None:
    """Patch moto's S3 POST handler in this process; calling it twice is harmless."""
    from moto.s3.responses import S3Response

    if getattr(S3Response, "_post_policy_enforced", False):
        return
    original = S3Response._bucket_response_post

    def enforced(self: Any, request: Any, bucket_name: str) -> Any:
        form = {k: v[0] for k, v in self.querystring.items() if isinstance(v, list) and v}
        if "key" in form and not self.is_delete_keys():
            raw = self.raw_body if isinstance(self.raw_body, bytes) else str(self.body).encode()
            try:
                if "policy" not in form:
                    raise PolicyViolation(403, "AccessDenied", "Anonymous form uploads are denied")
                check(form["policy"], form, bucket_name, len(raw), datetime.now(UTC))
            except PolicyViolation as violation:
                return violation.response()
        return original(self, request, bucket_name)

    S3Response._bucket_response_post = enforced
    S3Response._post_policy_enforced = True
