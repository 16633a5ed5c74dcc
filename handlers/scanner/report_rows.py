"""Scan results as report rows: one row per site, a column per known vendor (ids, events by step,
leaks), then fingerprinting, key logging and session recorders. The CSV report and the batch API
both read rows from here, so a spreadsheet and the report page show the same cells."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from handlers.scanner.signatures import VENDORS

# Shown in one cell, several values are joined by this.
SEPARATOR = "; "
# Spreadsheets run a cell starting with one of these as a formula; a scanned page controls the
# labels that end up in cells (click:<button text>), so such cells get a leading quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SITE_COLUMNS: tuple[str, ...] = (
    "item",
    "state",
    "url",
    "finalUrl",
    "error",
    "errorMessage",
    "partial",
    "scannedAt",
    "durationMs",
    "pagesVisited",
    "thirdPartyDomains",
    "thirdPartyCookies",
    "blockedRequests",
)
VENDOR_FIELDS: tuple[str, ...] = ("ids", "events", "leaks")
FINDING_COLUMNS: tuple[str, ...] = ("fingerprinting", "keyLogging", "sessionRecorders")


def vendor_column(vendor: str, part: str) -> str:
    """The header of one vendor's cell: `Meta Pixel ids`, `Meta Pixel events`, ..."""
    return f"{vendor} {part}"


COLUMNS: tuple[str, ...] = (
    *SITE_COLUMNS,
    *(vendor_column(vendor, part) for vendor in VENDORS for part in VENDOR_FIELDS),
    *FINDING_COLUMNS,
)


def rows(results: Iterable[dict[str, Any]]) -> Iterator[dict[str, str]]:
    """One row (every key of COLUMNS, every value a string) per result dict, in order."""
    for result in results:
        yield _row(result)


def write_csv(results: Iterable[dict[str, Any]], out: TextIO) -> None:
    """Write the header and one CSV row per result to `out` (open it with newline="")."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(results):
        writer.writerow({name: _inert(value) for name, value in row.items()})


def _row(result: dict[str, Any]) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    error = result.get("error")
    row.update(
        item=_text(result.get("item") or result.get("domain") or result.get("url")),
        state=_text(result.get("state") or ("failed" if error else "done")),
        url=_text(result.get("url")),
        finalUrl=_text(result.get("finalUrl")),
        error=_text(error),
        errorMessage=_text(result.get("errorMessage")),
        partial="true" if result.get("partial") else "false",
        scannedAt=_text(result.get("scannedAt")),
        durationMs=_text(result.get("durationMs")),
        pagesVisited=_join(result.get("pagesVisited")),
        thirdPartyDomains=_join(d.get("domain") for d in _dicts(result, "thirdPartyDomains")),
        thirdPartyCookies=_text(result.get("thirdPartyCookies")),
        blockedRequests=_text(result.get("blockedRequests")),
    )
    for pixel in _dicts(result, "pixels"):
        vendor = pixel.get("vendor")
        if vendor not in VENDORS:
            continue  # a vendor this version does not know has no column
        row[vendor_column(vendor, "ids")] = _join(pixel.get("ids"))
        row[vendor_column(vendor, "events")] = _join(
            _at(e.get("name"), e.get("firstSeenStep")) for e in _dicts(pixel, "events")
        )
    leaks: dict[str, list[str]] = {}
    for leak in _dicts(result, "leaks"):
        leaks.setdefault(leak.get("vendor"), []).append(_at(leak.get("kind"), leak.get("step")))
    for vendor, told in leaks.items():
        if vendor in VENDORS:
            row[vendor_column(vendor, "leaks")] = _join(told)
    row["fingerprinting"] = _join(
        _at(f.get("kind"), f.get("domain")) for f in _dicts(result, "fingerprinting")
    )
    row["keyLogging"] = _join(
        _at(k.get("domain"), ", ".join(map(str, k.get("fields") or [])))
        for k in _dicts(result, "keyLogging")
    )
    row["sessionRecorders"] = _join(
        _at(r.get("vendor"), r.get("domain")) for r in _dicts(result, "sessionRecorders")
    )
    return row


def _dicts(container: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The entries of a list field, skipping anything that is not an object."""
    value = container.get(key)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _at(what: Any, where: Any) -> str:
    """`PageView (load)`; just `PageView` when there is no second part."""
    return f"{_text(what)} ({_text(where)})" if where else _text(what)


def _join(values: Iterable[Any] | None) -> str:
    if values is None or isinstance(values, str | bytes | dict):
        return _text(values) if isinstance(values, str) else ""
    return SEPARATOR.join(text for text in (_text(v) for v in values) if text)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _inert(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
