"""Build a ``vbaProject.bin`` from VBA source text ([MS-OVBA]).

Only what a workbook of buttons needs: standard modules and the document modules Excel
expects (``ThisWorkbook`` and one per sheet), source code only (``_VBA_PROJECT`` version
0xFFFF: Excel compiles the source when it opens the file, there is no p-code to get wrong).

The compression follows [MS-OVBA] 2.4.1 exactly. In particular a copy token's maximum
length is ``(0xFFFF >> bit_count) + 3`` (2.4.1.3.19.3), the point where the PyPI package
``ms-ovba`` 0.0.1 goes wrong for modules over ~650 bytes.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from sdgxl.console.vba.cfb import Storage, write_cfb

__all__ = ["Module", "build_vba_project", "compress", "decompress", "module_from_bas"]

CODEPAGE = 1252


# --------------------------------------------------------------------------- compression
def _bit_count(difference: int) -> int:
    n = 4
    while (1 << n) < difference:
        n += 1
    return min(n, 12)


def _compress_chunk(data: bytes) -> bytes:
    """One chunk (≤ 4096 bytes of input) → its compressed bytes, with the header."""
    out = bytearray()
    pos = 0
    n = len(data)
    heads: dict[bytes, list[int]] = {}
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            bc = _bit_count(pos)
            max_len = (0xFFFF >> bc) + 3
            best_len, best_off = 0, 0
            if pos + 3 <= n:
                for cand in reversed(heads.get(data[pos:pos + 3], [])):
                    length = 0
                    limit = min(max_len, n - pos)
                    while length < limit and data[cand + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bc)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for k in range(pos, pos + step):
                if k + 3 <= n:
                    heads.setdefault(data[k:k + 3], []).append(k)
            pos += step
        out[flag_at] = flags
    if len(out) > 4096:  # incompressible: a raw chunk of exactly 4096 bytes
        return struct.pack("<H", 0x3FFF) + data.ljust(4096, b"\0")
    return struct.pack("<H", 0xB000 | (len(out) + 2 - 3)) + bytes(out)


def compress(data: bytes) -> bytes:
    """CompressedContainer: signature byte 0x01, then one chunk per 4096 bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        out += _compress_chunk(data[start:start + 4096])
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """The inverse of :func:`compress` (any valid container, raw chunks included)."""
    if not data or data[0] != 1:
        raise ValueError("not a compressed container")
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        size = (header & 0x0FFF) + 3
        compressed = bool(header & 0x8000)
        chunk_end = pos + size
        pos += 2
        start = len(out)
        if not compressed:
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if flags & (1 << bit):
                    token = struct.unpack_from("<H", data, pos)[0]
                    pos += 2
                    bc = _bit_count(len(out) - start)
                    length = (token & (0xFFFF >> bc)) + 3
                    offset = (token >> (16 - bc)) + 1
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(data[pos])
                    pos += 1
    return bytes(out)


# --------------------------------------------------------------------------- project
@dataclass(frozen=True)
class Module:
    name: str
    source: str  # the module's text, Attribute lines included, CRLF line ends
    document: bool = False  # ThisWorkbook and sheets; else a standard module


DOC_BASE = {"workbook": "0{00020819-0000-0000-C000-000000000046}",
            "sheet": "0{00020820-0000-0000-C000-000000000046}"}


def document_module(name: str, kind: str) -> Module:
    lines = [f'Attribute VB_Name = "{name}"', f'Attribute VB_Base = "{DOC_BASE[kind]}"',
             "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
             "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True",
             "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = True"]
    return Module(name, "\r\n".join(lines) + "\r\n", document=True)


def module_from_bas(text: str) -> Module:
    """A standard module from ``.bas`` text (its ``Attribute VB_Name`` names it)."""
    source = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if not source.isascii():
        raise ValueError("VBA source must be ASCII (it is stored in code page 1252)")
    first = source.split("\r\n", 1)[0]
    if not first.startswith('Attribute VB_Name = "'):
        raise ValueError('a .bas module must start with Attribute VB_Name = "…"')
    return Module(first.split('"')[1], source)


def _record(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


def _dir_stream(modules: Sequence[Module]) -> bytes:
    enc = "cp1252"
    name = b"VBAProject"
    d = bytearray()
    d += _record(0x0001, struct.pack("<I", 1))  # SYSKIND: 32-bit Windows
    # no PROJECTCOMPATVERSION (0x004A): Excel 2010/2013 predate it ([MS-OVBA] 2.3.4.2.1.2 makes it optional)
    d += _record(0x0002, struct.pack("<I", 0x0409))  # LCID
    d += _record(0x0014, struct.pack("<I", 0x0409))  # LCIDINVOKE
    d += _record(0x0003, struct.pack("<H", CODEPAGE))  # CODEPAGE
    d += _record(0x0004, name)  # NAME
    d += _record(0x0005, b"") + _record(0x0040, b"")  # DOCSTRING (+ unicode)
    d += _record(0x0006, b"") + _record(0x003D, b"")  # HELPFILEPATH 1 and 2
    d += _record(0x0007, struct.pack("<I", 0))  # HELPCONTEXT
    d += _record(0x0008, struct.pack("<I", 0))  # LIBFLAGS
    d += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # VERSION: reserved size 4, major, minor
    d += _record(0x000C, b"") + _record(0x003C, b"")  # CONSTANTS (+ unicode)
    # a reference to OLE Automation (stdole), as every project Excel writes has
    libid = b"*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation"
    d += _record(0x0016, b"stdole") + _record(0x003E, "stdole".encode("utf-16-le"))
    d += struct.pack("<HI", 0x000D, 4 + len(libid) + 6) + struct.pack("<I", len(libid)) + libid \
        + struct.pack("<IH", 0, 0)
    d += _record(0x000F, struct.pack("<H", len(modules)))  # MODULES count
    d += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for m in modules:
        n = m.name.encode(enc)
        d += _record(0x0019, n) + _record(0x0047, m.name.encode("utf-16-le"))  # NAME (+ unicode)
        d += _record(0x001A, n) + _record(0x0032, m.name.encode("utf-16-le"))  # STREAMNAME (+ unicode)
        d += _record(0x001C, b"") + _record(0x0048, b"")  # DOCSTRING (+ unicode)
        d += _record(0x0031, struct.pack("<I", 0))  # OFFSET: the source starts the stream
        d += _record(0x001E, struct.pack("<I", 0))  # HELPCONTEXT
        d += _record(0x002C, struct.pack("<H", 0xFFFF))  # COOKIE
        d += _record(0x0022 if m.document else 0x0021, b"")  # TYPE: document/class or procedural
        d += _record(0x002B, b"")  # module terminator
    d += _record(0x0010, b"")  # end of the modules
    return bytes(d)


def _encrypt(seed: int, project_id: str, data: bytes) -> str:
    """[MS-OVBA] 2.4.3.2 data encryption (used for CMG, DPB and GC), as hex."""
    version = 2
    project_key = 0
    for ch in project_id.encode("cp1252"):
        project_key = (project_key + ch) & 0xFF
    version_enc = version ^ seed
    project_key_enc = project_key ^ seed
    unencrypted_byte_1 = project_key
    encrypted_byte_1 = project_key_enc
    encrypted_byte_2 = version_enc
    ignored_length = (seed & 6) // 2
    out = bytearray([seed, version_enc, project_key_enc])
    for _ in range(ignored_length):
        temp = 7
        byte_enc = temp ^ ((encrypted_byte_2 + unencrypted_byte_1) & 0xFF)
        out.append(byte_enc)
        encrypted_byte_2 = encrypted_byte_1
        encrypted_byte_1 = byte_enc
        unencrypted_byte_1 = temp
    payload = struct.pack("<I", len(data)) + data
    for byte in payload:
        byte_enc = byte ^ ((encrypted_byte_2 + unencrypted_byte_1) & 0xFF)
        out.append(byte_enc)
        encrypted_byte_2 = encrypted_byte_1
        encrypted_byte_1 = byte_enc
        unencrypted_byte_1 = byte
    return out.hex().upper()


def decrypt(hex_text: str) -> bytes:
    """[MS-OVBA] 2.4.3.3: the data behind a CMG, DPB or GC value (for checks and tests)."""
    enc = bytes.fromhex(hex_text)
    seed, version_enc, project_key_enc = enc[0], enc[1], enc[2]
    version, project_key = seed ^ version_enc, seed ^ project_key_enc
    if version != 2:
        raise ValueError("unknown encryption version")
    unencrypted_byte_1, encrypted_byte_1, encrypted_byte_2 = project_key, project_key_enc, version_enc
    ignored = (seed & 6) // 2
    plain = bytearray()
    for byte_enc in enc[3:]:
        byte = byte_enc ^ ((encrypted_byte_2 + unencrypted_byte_1) & 0xFF)
        plain.append(byte)
        encrypted_byte_2, encrypted_byte_1, unencrypted_byte_1 = encrypted_byte_1, byte_enc, byte
    body = bytes(plain[ignored:])
    length = struct.unpack_from("<I", body)[0]
    return body[4:4 + length]


def _project_stream(modules: Sequence[Module], project_id: str) -> bytes:
    lines = [f'ID="{project_id}"']
    for m in modules:
        lines.append(f"Document={m.name}/&H00000000" if m.document else f"Module={m.name}")
    # not protected (CMG: 4 zero bytes), no password (DPB: one zero byte), visible (GC: 0xFF)
    cmg = _encrypt(0x41, project_id, struct.pack("<I", 0))
    dpb = _encrypt(0x42, project_id, bytes([0]))
    gc = _encrypt(0x43, project_id, bytes([0xFF]))
    lines += ['Name="VBAProject"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
              f'CMG="{cmg}"', f'DPB="{dpb}"', f'GC="{gc}"',
              "", "[Host Extender Info]", "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
              "", "[Workspace]"]
    for m in modules:
        lines.append(f"{m.name}=0, 0, 0, 0, C")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _projectwm(modules: Sequence[Module]) -> bytes:
    out = bytearray()
    for m in modules:
        out += m.name.encode("cp1252") + b"\0" + m.name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


def build_vba_project(modules: Sequence[Module]) -> bytes:
    """The bytes of a vbaProject.bin holding ``modules`` (deterministic)."""
    names = [m.name for m in modules]
    if len(names) != len(set(n.lower() for n in names)):
        raise ValueError("module names must be unique")
    digest = hashlib.sha256("|".join(names).encode()).hexdigest().upper()
    project_id = f"{{{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}}}"
    root = Storage("Root Entry")
    vba = root.storage("VBA")
    vba.streams["_VBA_PROJECT"] = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000)
    vba.streams["dir"] = compress(_dir_stream(modules))
    for m in modules:
        vba.streams[m.name] = compress(m.source.encode("cp1252"))
    root.streams["PROJECT"] = _project_stream(modules, project_id)
    root.streams["PROJECTwm"] = _projectwm(modules)
    return write_cfb(root)
