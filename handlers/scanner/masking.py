"""Mask personal-looking values in evidence URLs, so a scan report never repeats personal data."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

MASK = "[masked]"
MAX_EVIDENCE_LENGTH = 512

# Parameters that carry an email or a phone number, plain or hashed (Meta's advanced matching
# `em`/`ph`, Google's enhanced conversions, Snap's `u_hem`/`u_hph`, TikTok, Pinterest, ...).
CONTACT_PARAMS = frozenset(
    {
        "em",
        "ph",
        "email",
        "e-mail",
        "phone",
        "phone_number",
        "email_address",
        "u_hem",
        "u_hph",
        "hashed_email",
        "hashed_phone",
        "sha256_email",
        "sha256_email_address",
        "sha256_phone_number",
    }
)
# Every parameter pixels use for personal data.
_PERSONAL_PARAMS = CONTACT_PARAMS | {
    "fn",
    "ln",
    "ge",
    "db",
    "ct",
    "st",
    "zp",
    "country",
    "external_id",
    "name",
    "first_name",
    "last_name",
    "firstname",
    "lastname",
    "address",
    "street",
    "zip",
    "postal_code",
    "dob",
    "birthday",
    "uid",
    "user_id",
    "userid",
}
# Bracketed families whose every member is personal: ud[em], udff[ph], user_data[...].
_PERSONAL_PREFIXES = ("ud[", "udff[", "user_data[", "userdata[", "pd[")
_EMAIL = re.compile(r"[^@\s/?&=]+@[^@\s/?&=]+\.[a-z]{2,}", re.IGNORECASE)
# A phone number has separators or a leading +; bare digit runs are IDs and timestamps.
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")
_PHONE_MARKS = re.compile(r"^\+|[\s().-]")
_DIGITS = re.compile(r"\d")


def param_name(key: str) -> str:
    """The field a parameter names: `ud[em]` -> `em`, `context.user.email` -> `email`."""
    name = key.lower().rsplit(".", 1)[-1]
    if "[" in name and name.endswith("]"):
        name = name[name.rindex("[") + 1 : -1] or name
    return name


def is_contact(key: str) -> bool:
    """True when a parameter carries an email or phone number (plain or hashed)."""
    return param_name(key) in CONTACT_PARAMS


def mask_pair(key: str, value: str, limit: int = 200) -> str:
    """`key=value` for a report, masked as evidence URLs are, and cut to `limit` characters."""
    if is_personal(key, value) or is_contact(key):
        shown = MASK
    elif value.startswith(("http://", "https://")):
        shown = mask_url(value)
    else:
        shown = _EMAIL.sub(MASK, value)
    text = f"{key}={shown}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_personal(key: str, value: str) -> bool:
    """True when a parameter looks like it carries personal data."""
    name = key.lower()
    if name in _PERSONAL_PARAMS or name.startswith(_PERSONAL_PREFIXES):
        return bool(value)
    if _EMAIL.search(value):
        return True
    return (
        bool(_PHONE.match(value))
        and bool(_PHONE_MARKS.search(value))
        and 7 <= len(_DIGITS.findall(value)) <= 15
        and value.count(".") == 0
    )


def mask_url(url: str) -> str:
    """`url` with personal-looking query and path-parameter values replaced by [masked]."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        parts = parts._replace(netloc=parts.hostname or "")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    masked = [(k, MASK if is_personal(k, v) else v) for k, v in pairs]
    query = "&".join(
        f"{quote(k, safe='[]')}={v if v == MASK else quote(v, safe='')}" for k, v in masked
    )
    path = _EMAIL.sub(MASK, parts.path)
    text = urlunsplit((parts.scheme, parts.netloc, path, query, ""))
    if len(text) > MAX_EVIDENCE_LENGTH:
        text = text[: MAX_EVIDENCE_LENGTH - 3] + "..."
    return text
