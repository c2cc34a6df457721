"""What GraphQL over HTTP reads from a request's headers and body, apart from the view: the
media type to answer in (``Accept``), the type and charset of a POST body (``Content-Type``),
and JSON values decoded with a 400 that names the fault."""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache

from cross_web import HTTPException
from strawberry.http.parse_content_type import parse_content_type

from graph.read.registry.files import decode_json

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
_QUALITY = re.compile(r"0(\.\d{0,3})?|1(\.0{0,3})?")  # RFC 9110 section 12.4.2

# Clients send the same few Content-Type and Accept headers again and again: what each says is
# worked out once (the standard library's parsing of a Content-Type took a tenth of a small
# answer's time). Bounded, so that headers made up by a client cannot fill the memory.
HEADER_CACHE_SIZE = 256


@lru_cache(maxsize=HEADER_CACHE_SIZE)
def body_type(content_type: str) -> tuple[str, str]:
    """The media type and charset of a Content-Type header, the charset lower-case and utf8
    written utf-8."""
    media_type, parameters = parse_content_type(content_type)
    charset = parameters.get("charset", "utf-8").lower()
    return media_type, "utf-8" if charset == "utf8" else charset


@lru_cache(maxsize=HEADER_CACHE_SIZE)
def response_media_type(accept: str | None) -> str | None:
    """The media type to answer in for an ``Accept`` header; None when it allows neither.

    Each type takes the quality of the most specific media range that matches it (RFC 9110
    section 12.5.1). Ties go to a type named outright over one matched by a wildcard, then to
    the range listed first, then to application/json, which is also the answer without Accept.
    """
    if accept is None or not accept.strip():
        return JSON
    ranges = [
        media_range
        for position, text in enumerate(accept.split(","))
        if (media_range := _media_range(text, position)) is not None
    ]
    chosen, best = None, (0.0, 0, 0)
    for offered in (JSON, GRAPHQL_RESPONSE):
        kind, subkind = offered.split("/")
        matches = [
            (specificity, -position, quality)
            for range_kind, range_subkind, quality, position in ranges
            if (specificity := _specificity(kind, subkind, range_kind, range_subkind)) is not None
        ]
        if matches:
            specificity, earliness, quality = max(matches)
            if (quality, specificity, earliness) > best and quality > 0:
                chosen, best = offered, (quality, specificity, earliness)
    return chosen


def _media_range(text: str, position: int) -> tuple[str, str, float, int] | None:
    """``type, subtype, quality, position`` of one Accept entry; None if it cannot match ours."""
    media_range, *parameters = (part.strip() for part in text.split(";"))
    kind, _, subkind = media_range.lower().partition("/")
    if not kind or not subkind:
        return None
    quality = 1.0
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        name, value = name.strip().lower(), value.strip().strip('"').lower()
        if name == "q":
            if not _QUALITY.fullmatch(value):
                return None
            quality = float(value)
        elif name == "charset" and value not in ("utf-8", "utf8"):
            return None  # answers are UTF-8 only
    return kind, subkind, quality, position


def _specificity(kind: str, subkind: str, range_kind: str, range_subkind: str) -> int | None:
    if (range_kind, range_subkind) == (kind, subkind):
        return 2
    if (range_kind, range_subkind) == (kind, "*"):
        return 1
    if (range_kind, range_subkind) == ("*", "*"):
        return 0
    return None


def json_value(raw: bytes | str, what: str) -> object:
    """``raw`` decoded as UTF-8 JSON; HTTPException 400 naming ``what`` and the fault otherwise."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise HTTPException(
            400, f"{what} is not valid UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start}"
        ) from None
    try:
        return decode_json(text)[0]
    except json.JSONDecodeError as error:
        raise HTTPException(
            400, f"{what} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise HTTPException(400, f"{what} nests JSON arrays or objects too deeply") from None
    except ValueError:  # the only other failure: an integer of more digits than Python converts
        limit = sys.get_int_max_str_digits()
        raise HTTPException(400, f"{what} has an integer of more than {limit:,} digits") from None


def json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"
