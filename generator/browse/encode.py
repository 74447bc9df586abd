"""Compact byte encodings for the browse index, read back by ``docs/assets/browse.js``.

- varint: unsigned LEB128 (7 bits a byte, low bits first, high bit = more follows);
- a sorted row list is stored either as varint gaps (the first gap counts from 0) or,
  when that is larger, as a bitmap of ``n`` bits (bit ``r`` of byte ``r >> 3`` is ``1 << (r & 7)``);
- a subset of a row list is stored as varint gaps of its rows or as a bitmap over the
  positions of the list, whichever is smaller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

LIST_GAPS = 0
LIST_BITMAP = 1
SUBSET_BITMAP = 2


def varint(value: int) -> bytes:
    if value < 0x80:
        return bytes((value,))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


_TWO_BYTES = [varint(v) for v in range(1 << 14)]  # every value of one or two varint bytes, made once


def varints(values: Iterable[int]) -> bytes:
    values = list(values)
    if not values:
        return b""
    top = max(values)
    if top < 0x80:
        return bytes(values)  # the common case, at C speed
    if top < 1 << 14 and min(values) >= 0:
        table = _TWO_BYTES
        return b"".join([table[v] for v in values])
    return b"".join(varint(v) for v in values)


def gaps(rows: Sequence[int]) -> bytes:
    """Varint gaps of sorted, distinct ``rows`` (the first one counted from 0)."""
    if not rows:
        return b""
    return varints([rows[0], *(b - a for a, b in pairwise(rows))])


def bitmap(positions: Iterable[int], size: int) -> bytes:
    # One byte per position first, then eight of them to a byte with integer arithmetic (in C):
    # byte i of ``flags[k::8]`` read as a number is 0 or 1, so shifting it by k sets bit k of byte i.
    length = (size + 7) >> 3
    flags = bytearray(length << 3)
    for p in positions:
        flags[p] = 1
    packed = 0
    for k in range(8):
        packed |= int.from_bytes(flags[k::8], "little") << k
    return packed.to_bytes(length, "little")


def row_list(rows: Sequence[int], n: int) -> bytes:
    """Kind byte, varint length, payload: the smaller of gaps and an ``n``-bit bitmap."""
    if len(rows) > (n + 7) >> 3:  # at least a byte a row: gaps cannot be smaller
        encoded = bitmap(rows, n)
        return bytes((LIST_BITMAP,)) + varint(len(encoded)) + encoded
    encoded = gaps(rows)
    kind = LIST_GAPS
    if len(encoded) > (n + 7) >> 3:
        encoded, kind = bitmap(rows, n), LIST_BITMAP
    return bytes((kind,)) + varint(len(encoded)) + encoded


def subset(rows: Sequence[int], of: Sequence[int]) -> bytes:
    """Kind byte, varint length, payload: ``rows`` (a subset of ``of``) as gaps or a bitmap over ``of``."""
    encoded = b"" if len(rows) > (len(of) + 7) >> 3 else gaps(rows)  # gaps take at least a byte a row
    kind = LIST_GAPS
    if len(rows) > (len(of) + 7) >> 3 or len(encoded) > (len(of) + 7) >> 3:
        position = {row: i for i, row in enumerate(of)}
        encoded, kind = bitmap((position[r] for r in rows), len(of)), SUBSET_BITMAP
    return bytes((kind,)) + varint(len(encoded)) + encoded
