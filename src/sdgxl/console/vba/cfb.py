"""A minimal writer of Compound File Binary files ([MS-CFB], version 3, 512-byte sectors).

Enough for a ``vbaProject.bin``: storages and streams, small streams in the mini stream,
directory siblings in a valid red-black tree. Deterministic: no timestamps, fixed order.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

__all__ = ["Storage", "write_cfb"]

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


@dataclass
class Storage:
    """A storage: named streams (bytes) and sub-storages."""

    name: str
    streams: dict[str, bytes] = field(default_factory=dict)
    storages: list[Storage] = field(default_factory=list)

    def storage(self, name: str) -> Storage:
        sub = Storage(name)
        self.storages.append(sub)
        return sub


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    red: bool = False
    start: int = ENDOFCHAIN
    size: int = 0


def _key(name: str) -> tuple[int, str]:
    """[MS-CFB] 2.6.4: shorter names first, then by upper-case code points."""
    return (len(name), name.upper())


def _tree(ids: list[int], entries: list[_Entry], depth: int, max_depth: list[int]) -> int:
    """Balanced tree from sorted ids; returns the root id. Records each node's depth."""
    if not ids:
        return NOSTREAM
    mid = len(ids) // 2
    node = ids[mid]
    entries[node].left = _tree(ids[:mid], entries, depth + 1, max_depth)
    entries[node].right = _tree(ids[mid + 1:], entries, depth + 1, max_depth)
    entries[node].red = False
    setattr(entries[node], "_depth", depth)  # noqa: B010
    max_depth[0] = max(max_depth[0], depth)
    return node


def _colour(ids: list[int], entries: list[_Entry], deepest: int, complete: bool) -> None:
    # Median splitting puts every node of the deepest level at a leaf; when that level is
    # not full, making those leaves red gives every path the same number of black nodes.
    if complete:
        return
    for i in ids:
        if getattr(entries[i], "_depth") == deepest:  # noqa: B009
            entries[i].red = True


def write_cfb(root: Storage) -> bytes:
    entries: list[_Entry] = [_Entry("Root Entry", 5)]

    def add(storage: Storage, parent: int) -> None:
        for name, data in storage.streams.items():
            entries.append(_Entry(name, 2, data=data))
            entries[parent].children.append(len(entries) - 1)
        for sub in storage.storages:
            entries.append(_Entry(sub.name, 1))
            idx = len(entries) - 1
            entries[parent].children.append(idx)
            add(sub, idx)

    add(root, 0)
    for e in entries:
        if not e.children:
            continue
        ids = sorted(e.children, key=lambda i: _key(entries[i].name))
        deepest = [0]
        e.child = _tree(ids, entries, 0, deepest)
        complete = len(ids) == 2 ** (deepest[0] + 1) - 1
        _colour(ids, entries, deepest[0], complete)

    # small streams go to the mini stream
    mini = bytearray()
    minifat: list[int] = []
    for e in entries:
        if e.kind == 2 and len(e.data) < CUTOFF:
            e.size = len(e.data)
            if not e.data:
                e.start = ENDOFCHAIN
                continue
            n = -(-len(e.data) // MINI)
            e.start = len(minifat)
            minifat.extend(range(e.start + 1, e.start + n))
            minifat.append(ENDOFCHAIN)
            mini += e.data + b"\0" * (n * MINI - len(e.data))

    # lay out regular sectors: big streams, mini stream, minifat, directory, then FAT
    sectors: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes) -> int:
        if not data:
            return ENDOFCHAIN
        n = -(-len(data) // SECTOR)
        start = len(sectors)
        for k in range(n):
            sectors.append(data[k * SECTOR:(k + 1) * SECTOR].ljust(SECTOR, b"\0"))
        fat.extend(range(start + 1, start + n))
        fat.append(ENDOFCHAIN)
        return start

    for e in entries:
        if e.kind == 1:  # [MS-CFB] 2.6.3: a storage object's starting sector MUST be all zeroes
            e.start = 0
        if e.kind == 2 and len(e.data) >= CUTOFF:
            e.size = len(e.data)
            e.start = place(e.data)
    entries[0].start = place(bytes(mini))
    entries[0].size = len(mini)
    minifat_bytes = b"".join(struct.pack("<I", x) for x in minifat)
    if minifat_bytes:
        minifat_bytes += struct.pack("<I", FREESECT) * ((-len(minifat_bytes) // 4) % (SECTOR // 4))
    minifat_start = place(minifat_bytes)
    minifat_count = len(minifat_bytes) // SECTOR

    def dir_entry(e: _Entry) -> bytes:
        name = e.name.encode("utf-16-le")
        if len(name) > 62:
            raise ValueError(f"CFB name too long: {e.name}")
        body = name.ljust(64, b"\0")
        body += struct.pack("<HBB", len(name) + 2, e.kind, 0 if e.red else 1)
        body += struct.pack("<III", e.left, e.right, e.child)
        body += b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16  # CLSID, state bits, times
        body += struct.pack("<IQ", e.start, e.size)
        return body

    directory = b"".join(dir_entry(e) for e in entries)
    empty = b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) \
        + b"\0" * 36 + struct.pack("<IQ", 0, 0)
    while len(directory) % SECTOR:
        directory += empty
    dir_start = place(directory)

    # the FAT describes itself too: grow until it fits
    n_fat = 1
    while True:
        total = len(sectors) + n_fat
        if total <= n_fat * (SECTOR // 4):
            break
        n_fat += 1
    if n_fat > 109:
        raise ValueError("vbaProject too large for this writer (needs DIFAT)")
    fat_start = len(sectors)
    fat.extend([FATSECT] * n_fat)
    fat.extend([FREESECT] * (n_fat * (SECTOR // 4) - len(fat)))
    fat_bytes = b"".join(struct.pack("<I", x) for x in fat)
    header = bytearray()
    header += bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
    header += b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, CUTOFF,
                          minifat_start if minifat_count else ENDOFCHAIN, minifat_count, ENDOFCHAIN, 0)
    difat = [fat_start + k for k in range(n_fat)] + [FREESECT] * (109 - n_fat)
    header += b"".join(struct.pack("<I", x) for x in difat)
    assert len(header) == SECTOR
    return bytes(header) + b"".join(sectors) + fat_bytes
