"""Load and check catalogue files (JSON, or the Excel workbook of ``catalogue export``)."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sdgxl.catalogue.models import Catalogue
from sdgxl.errors import CatalogueError, CatalogueProblem

__all__ = ["BUNDLED_PATH", "bundled", "catalogue_hash", "check_catalogue", "load_catalogue"]

BUNDLED_PATH = Path(__file__).resolve().parent.parent / "data" / "catalogue.json"


def _where(data: Any, loc: tuple[int | str, ...]) -> str:
    """A readable place for a pydantic error location, naming the row's code."""
    parts: list[str] = []
    node = data
    for step in loc:
        label = str(step)
        if isinstance(step, int) and isinstance(node, list):
            item = node[step] if step < len(node) else None
            code = None
            if isinstance(item, dict):
                code = item.get("code") or item.get("id") or item.get("number") or item.get("key")
            label = f"#{step + 1}" + (f" ({code})" if code is not None else "")
            node = item
        elif isinstance(node, dict):
            node = node.get(step)
        else:
            node = None
        parts.append(label)
    return " › ".join(parts) if parts else "(file)"


_VI = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được phép (không có trong định dạng danh mục)",
    "string_type": "phải là chuỗi văn bản",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "enum": "giá trị không hợp lệ",
    "literal_error": "giá trị không hợp lệ",
    "greater_than_equal": "giá trị quá nhỏ",
    "less_than_equal": "giá trị quá lớn",
    "list_type": "phải là một danh sách",
    "dict_type": "phải là một bảng (đối tượng)",
    "date_from_datetime_parsing": "phải là ngày (YYYY-MM-DD)",
    "date_parsing": "phải là ngày (YYYY-MM-DD)",
    "value_error": "giá trị không hợp lệ",
}


def problems_from_validation(exc: ValidationError, data: Any) -> list[CatalogueProblem]:
    out = []
    for err in exc.errors():
        where = _where(data, tuple(err["loc"]))
        msg_en = err["msg"]
        base = _VI.get(err["type"], "giá trị không hợp lệ")
        detail = msg_en.removeprefix("Value error, ") if err["type"] == "value_error" else ""
        msg_vi = f"{base}" + (f": {detail}" if detail else "")
        if str(err["type"]).startswith("crosswalk_"):  # the crosswalk's own reasons, in both languages
            msg_vi = str(err.get("ctx", {}).get("message_vi", msg_vi))
        if err["type"] in ("enum", "literal_error") and "expected" in err.get("ctx", {}):
            msg_vi += f" (chấp nhận: {err['ctx']['expected']})"
        out.append(CatalogueProblem(location=where, message=msg_vi, message_en=msg_en))
    return out


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            str(path),
            [CatalogueProblem("(file)", f"không phải văn bản UTF-8 ({exc.reason})",
                              f"not UTF-8 text ({exc.reason})")],
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            str(path),
            [CatalogueProblem(
                f"dòng {exc.lineno}, cột {exc.colno}",
                f"JSON sai cú pháp: {exc.msg}",
                f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            )],
        ) from None


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Load a catalogue; ``None`` gives the bundled one. Raises :class:`CatalogueError`."""
    if path is None:
        return bundled()
    path = Path(path)
    if not path.exists():
        raise CatalogueError(
            str(path), [CatalogueProblem("(file)", "không tìm thấy tệp", "file not found")]
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from sdgxl.catalogue.excel import import_xlsx

        return import_xlsx(path)
    data = _read_json(path)
    return catalogue_from_data(data, str(path))


_FILES: dict[tuple[str, int, int], Catalogue] = {}


def load_catalogue_once(path: Path | str | None) -> Catalogue:
    """:func:`load_catalogue`, parsed once per version of the file in a process (the workers
    that validate an inbox batch by batch). Do not change the catalogue it returns."""
    if path is None:
        return bundled()
    try:
        st = os.stat(path)
    except OSError:
        return load_catalogue(path)  # says what is wrong
    key = (str(Path(path).resolve()), st.st_mtime_ns, st.st_size)
    hit = _FILES.get(key)
    if hit is None:
        if len(_FILES) >= 8:
            _FILES.clear()
        hit = _FILES[key] = load_catalogue(path)
    return hit


def catalogue_from_data(data: Any, path: str) -> Catalogue:
    if not isinstance(data, dict):
        raise CatalogueError(
            path, [CatalogueProblem("(file)", "tệp phải là một đối tượng JSON", "must be a JSON object")]
        )
    try:
        return Catalogue.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError(path, problems_from_validation(exc, data)) from None


def check_catalogue(path: Path | str) -> list[CatalogueProblem]:
    """Every problem of a catalogue file (empty when it loads)."""
    try:
        load_catalogue(path)
    except CatalogueError as exc:
        return exc.problems
    return []


@lru_cache(maxsize=1)
def bundled() -> Catalogue:
    """The bundled Kiên Giang 2018 catalogue (parsed once per process)."""
    return Catalogue.model_validate_json(BUNDLED_PATH.read_bytes())


_HASHES: dict[int, tuple[Catalogue, str]] = {}


def catalogue_hash(cat: Catalogue) -> str:
    """A short content hash of a catalogue: forms carry it, ingestion compares it.

    Cached per catalogue object (catalogues are not modified after loading)."""
    import hashlib

    from sdgxl.catalogue.extract import dump_catalogue

    hit = _HASHES.get(id(cat))
    if hit is not None and hit[0] is cat:
        return hit[1]
    digest = hashlib.sha256(dump_catalogue(cat).encode("utf-8")).hexdigest()[:16]
    if len(_HASHES) > 16:
        _HASHES.clear()
    _HASHES[id(cat)] = (cat, digest)
    return digest
