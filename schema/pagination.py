"""Cursor pagination of an ordered list: ``first`` / ``after``, ``totalCount`` and ``pageInfo``.

A cursor is opaque to clients; it holds an offset into the list the same arguments give.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

import numpy.typing as npt
import strawberry

from graph.errors import TrialGraphError
from schema.limits import Limits, check_page_size

T = TypeVar("T")
# What can be paged: a sequence, or an array of node positions.
Listing = Sequence[T] | npt.NDArray[Any]
_PREFIX = "offset:"


class CursorError(TrialGraphError, ValueError):
    """Raised when ``after`` is not a cursor this service gave."""


@strawberry.type(description="Where a page stands in its list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@lru_cache(maxsize=4096)  # the first pages of every list ask for the same few
def cursor(offset: int) -> str:
    """The cursor of the item at ``offset``.

    >>> cursor(0), offset_after(cursor(0))
    ('b2Zmc2V0OjA=', 1)
    """
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def offset_after(after: str | None) -> int:
    if after is None:
        return 0
    try:
        text = base64.b64decode(after.encode(), validate=True).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(text)
        offset = int(text[len(_PREFIX) :])
        if offset < 0:
            raise ValueError(text)
    except ValueError:
        raise CursorError(f"after: {after[:40]!r} is not a cursor this service gave") from None
    return offset + 1


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: its items with their offsets, the total and the page info."""

    items: list[tuple[int, T]]
    total: int
    info: PageInfo


def paginate(items: Listing[T], first: int | None, after: str | None, limits: Limits) -> Page[T]:
    """The page of ``items`` that ``first`` and ``after`` select; without ``first``, the whole
    list up to the largest page."""
    size = check_page_size(limits, limits.max_page_size if first is None else first)
    start = offset_after(after)
    chosen = list(enumerate(items[start : start + size], start))
    info = PageInfo(
        has_next_page=start + size < len(items),
        has_previous_page=start > 0,
        start_cursor=cursor(chosen[0][0]) if chosen else None,
        end_cursor=cursor(chosen[-1][0]) if chosen else None,
    )
    return Page(chosen, len(items), info)
