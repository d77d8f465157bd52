"""Orders and serialized records kept between requests, for a fake whose records stay put.

Sorting every record and serializing each page's records again on every call made the fake, not
the latency it simulates, the bottleneck of a full read: at 100,000 keys one page cost seconds of
CPU. A fake made with `frozen_records=True` promises that nobody edits a record in place; it then
keeps each order it has computed and each record's JSON. Replacing `keys`, or any of its items, or
changing its length (as `add_late_key` and `reset` do) still invalidates them.
"""

from __future__ import annotations

import json

from keydash_fakes.litellm.ordering import default_order, sort_by_column
from keydash_fakes.litellm.query import KeyListQuery
from keydash_fakes.litellm.records import Record
from keydash_fakes.litellm.selection import Page
from keydash_fakes.litellm.shaping import wire_key

# How a full object is shaped: (expand_user, legacy); see `shaping.wire_key`.
Variant = tuple[bool, bool]


def to_json(value: object) -> str:
    """Exactly what Starlette's JSONResponse renders, so cached and fresh answers are the same."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    )


class Listing:
    """Derived views of one key table; valid while `describes(keys)` holds."""

    def __init__(
        self, keys: list[Record], previous: Listing | None = None, *, undated_first: bool = True
    ) -> None:
        self.source = keys
        self.undated_first = undated_first
        # A shallow copy: comparing with it notices replaced, added or removed records (by
        # identity first, so the check costs well under a millisecond at 100,000 keys).
        self._items = list(keys)
        self._orders: dict[tuple[str | None, bool], list[Record]] = {}
        # id(record) -> (record, its JSON as UTF-8); the record is held so that its id cannot be
        # reused. Bytes, not str: joining a page of str with an emoji in it widens the whole page
        # to 4 bytes a character and encodes it again, ~1.7 ms of the fake's CPU per 100 keys.
        self._json: dict[Variant, dict[int, tuple[Record, bytes]]] = {}
        if previous is not None:
            present = {id(record) for record in self._items}
            for variant, table in previous._json.items():
                # Two live objects never share an id, and `entry` keeps its record alive.
                self._json[variant] = {i: entry for i, entry in table.items() if i in present}

    def describes(self, keys: list[Record], *, undated_first: bool = True) -> bool:
        return keys is self.source and undated_first == self.undated_first and keys == self._items

    def order(self, sort_by: str | None, descending: bool) -> list[Record]:
        """The whole table in the order `/key/list` would list it (no filters)."""
        slot = (sort_by, descending if sort_by is not None else True)
        ordered = self._orders.get(slot)
        if ordered is None:
            if sort_by is None:
                ordered = default_order(self._items, undated_first=self.undated_first)
            else:
                ordered = sort_by_column(self._items, sort_by, descending)
            self._orders[slot] = ordered
        return ordered

    def record_json(self, record: Record, variant: Variant) -> bytes:
        table = self._json.setdefault(variant, {})
        entry = table.get(id(record))
        if entry is not None and entry[0] is record:
            return entry[1]
        expand_user, legacy = variant
        text = to_json(wire_key(record, expand_user=expand_user, legacy=legacy)).encode()
        table[id(record)] = (record, text)
        return text

    def prepare(self, variant: Variant) -> None:
        """Compute the default order and every record's JSON now instead of on the first read."""
        for record in self.order(None, True):
            self.record_json(record, variant)


def page_json(page: Page, query: KeyListQuery, listing: Listing, *, legacy: bool) -> bytes:
    """`shaping.page_body` rendered as JSON, from the records' cached JSON: the same bytes."""
    expand = query.expand_user and not legacy
    if query.return_full_object or expand:
        variant = (expand, legacy)
        keys = [listing.record_json(record, variant) for record in page.keys]
    else:
        keys = [to_json(record.get("token")).encode() for record in page.keys]
    return (
        b'{"keys":['
        + b",".join(keys)
        + (
            f'],"total_count":{page.total_count},'
            f'"current_page":{query.page},"total_pages":{page.total_pages}}}'
        ).encode()
    )
