"""Read the parameters a beacon carries: query string, form body, JSON body, GA4 batches."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

Record = dict[str, list[str]]
"""One logical hit: parameter name -> values. JSON keys are dotted paths (`context.pixel.code`)."""

MAX_BODY_BYTES = 256 * 1024


def query_params(url: str) -> Record:
    """The query string of `url` (and `;key=value` path parameters, as DoubleClick uses)."""
    parts = urlsplit(url)
    record: Record = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        record.setdefault(key, []).append(value)
    for segment in parts.path.split(";")[1:]:
        key, _, value = segment.partition("=")
        if key:
            record.setdefault(key, []).append(value)
    return record


def flatten_json(value: object, prefix: str, into: Record) -> None:
    """Add the scalars of decoded JSON to `into`, keyed by dotted path below `prefix`."""
    if isinstance(value, dict):
        for key, inner in value.items():
            flatten_json(inner, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(value, list):
        for inner in value:
            flatten_json(inner, prefix, into)
    elif value is not None and prefix:
        text = value if isinstance(value, str) else json.dumps(value)
        into.setdefault(prefix, []).append(text)


def _form_record(text: str) -> Record | None:
    if "=" not in text:
        return None
    record: Record = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        record.setdefault(key, []).append(value)
    return record or None


def body_records(body: bytes | None) -> list[Record]:
    """The records in a POST body: one per GA4 batch line, one for a form or JSON body."""
    if not body:
        return []
    try:
        text = body[:MAX_BODY_BYTES].decode("utf-8")
    except UnicodeDecodeError:
        return []  # compressed or binary (Clarity): nothing readable
    stripped = text.strip()
    if stripped[:1] in "{[":
        try:
            decoded = json.loads(stripped)
        except ValueError:
            pass
        else:
            if isinstance(decoded, list) and all(isinstance(item, dict) for item in decoded):
                records = []
                for item in decoded:
                    record: Record = {}
                    flatten_json(item, "", record)
                    records.append(record)
                return records
            record = {}
            flatten_json(decoded, "", record)
            return [record]
    lines = [line for line in stripped.splitlines() if line.strip()]
    records = [r for r in (_form_record(line) for line in lines) if r]
    return records


def records(url: str, body: bytes | None) -> list[Record]:
    """Every record a request carries; body records inherit the query string's parameters."""
    query = query_params(url)
    from_body = body_records(body)
    if not from_body:
        return [query]
    merged = []
    for record in from_body:
        combined = {key: list(values) for key, values in query.items()}
        for key, values in record.items():
            combined.setdefault(key, []).extend(values)
        merged.append(combined)
    return merged


def values(record: Record, *names: str) -> list[str]:
    """Values of `names` in a record, matching a JSON path by its last segments as well."""
    found: list[str] = []
    for key, vals in record.items():
        for name in names:
            if key == name or key.endswith("." + name):
                found.extend(vals)
                break
    return found
