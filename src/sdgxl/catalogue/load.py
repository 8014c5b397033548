"""Load and check catalogue files (JSON, or the Excel workbook of ``catalogue export``)."""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sdgxl.catalogue.models import Catalogue
from sdgxl.errors import CatalogueError, CatalogueProblem

__all__ = ["BUNDLED_PATH", "bundled", "catalogue_hash", "check_catalogue", "check_catalogue_file", "dump_catalogue",
           "english_gaps", "load_catalogue"]

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


def problems_from_validation(exc: ValidationError, data: Any) -> list[CatalogueProblem]:
    return [CatalogueProblem.from_pydantic(_where(data, tuple(err["loc"])), err) for err in exc.errors()]


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            str(path),
            [CatalogueProblem("(file)", "cat_not_utf8", {"reason": exc.reason})],
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            str(path),
            [CatalogueProblem({"t": "line_col", "line": exc.lineno, "col": exc.colno}, "cat_bad_json",
                              {"reason": exc.msg})],
        ) from None


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Load a catalogue; ``None`` gives the bundled one. Raises :class:`CatalogueError`."""
    if path is None:
        return bundled()
    path = Path(path)
    if not path.exists():
        raise CatalogueError(
            str(path), [CatalogueProblem("(file)", "cat_file_missing")]
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
            path, [CatalogueProblem("(file)", "cat_not_object")]
        )
    try:
        return _loaded(Catalogue.model_validate(data))
    except ValidationError as exc:
        raise CatalogueError(path, problems_from_validation(exc, data)) from None


def check_catalogue(path: Path | str) -> list[CatalogueProblem]:
    """Every problem of a catalogue file (empty when it loads)."""
    try:
        load_catalogue(path)
    except CatalogueError as exc:
        return exc.problems
    return []


def check_catalogue_file(path: Path | str | None) -> tuple[Catalogue | None, list[CatalogueProblem]]:
    """Every problem ``catalogue check`` reports, at once: the format's and the review's
    (:func:`sdgxl.catalogue.aims.review`: no direction, a target left unparsed), each at its
    place (a workbook's cell, a JSON path), also when the file does not load. The catalogue
    is None when it does not load."""
    from sdgxl.catalogue.aims import review

    if path is None:
        cat = bundled()
        return cat, review(cat) + english_gaps(cat)
    path = Path(path)
    located: list[CatalogueProblem] = []
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm") and path.exists():
            from sdgxl.catalogue.excel import read_xlsx

            cat, located = read_xlsx(path)
        else:
            cat = load_catalogue(path)
    except CatalogueError as exc:
        problems = list(exc.problems)
        if path.suffix.lower() == ".json" and not any(p.key in _UNREADABLE for p in problems):
            problems += _json_directions(json.loads(path.read_text(encoding="utf-8")))
        return None, problems
    at = {str(p.location).rsplit(" (", 1)[-1].rstrip(")"): p for p in located if p.key == "cat_no_direction"}
    # a workbook's gaps are found at their cells (Chỉ tiêu!E7), a JSON file's by their path
    xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    english = [p for p in located if p.key == "cat_no_english"] if xlsx else english_gaps(cat)
    return cat, [at.get(p.location if isinstance(p.location, str) else "", p) if p.key == "cat_no_direction"
                 else p for p in review(cat)] + english


def english_gaps(cat: Catalogue) -> list[CatalogueProblem]:
    """A warning for every target, indicator and component without an English title: the
    English outputs (``--lang en``, Open SDG's English pages) show the Vietnamese one there. A
    warning, not an error: a province's catalogue is complete without English."""
    out = [CatalogueProblem(f"targets › #{n} ({t.code}) › title_en", "cat_no_english", {"field": "title_en"},
                            "warning") for n, t in enumerate(cat.targets, start=1) if not t.title_en]
    for n, ind in enumerate(cat.indicators, start=1):
        if not ind.name_en:
            out.append(CatalogueProblem(f"indicators › #{n} ({ind.code}) › name_en", "cat_no_english",
                                        {"field": "name_en"}, "warning"))
        out.extend(CatalogueProblem(f"indicators › #{n} ({ind.code}) › components › #{k} ({c.key}) › label_en",
                                    "cat_no_english", {"field": "label_en"}, "warning")
                   for k, c in enumerate(ind.components, start=1) if not c.label_en)
    return out


_UNREADABLE = ("cat_not_utf8", "cat_bad_json", "cat_file_missing", "cat_not_object")


def _json_directions(data: Any) -> list[CatalogueProblem]:
    """Indicators without a direction in a JSON catalogue that does not load."""
    inds = data.get("indicators") if isinstance(data, dict) else None
    if not isinstance(inds, list):
        return []
    return [CatalogueProblem(_where(data, ("indicators", n, "direction")), "cat_no_direction")
            for n, ind in enumerate(inds) if isinstance(ind, dict) and not ind.get("direction")]


@lru_cache(maxsize=1)
def bundled() -> Catalogue:
    """The bundled Kiên Giang 2018 catalogue (parsed once per process)."""
    return _loaded(Catalogue.model_validate_json(BUNDLED_PATH.read_bytes()))


def dump_catalogue(cat: Catalogue) -> str:
    """The catalogue as diffable JSON text (stable key order, one field a line): what
    ``catalogue extract`` and ``catalogue export --format json`` write, and what is hashed."""
    data = cat.model_dump(mode="json", exclude_none=True)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def catalogue_hash(cat: Catalogue) -> str:
    """A short content hash of a catalogue: forms carry it, ingestion compares it. Computed
    once, when the catalogue is loaded (the models are frozen, so it stays true).

    The reform is left out (successions, and the agencies only successions name): it says
    who receives a form, not what it asks, so adding the 2025 reorganisation to a catalogue
    leaves the forms made before it byte for byte (and the ones already sent valid). So are
    the English titles of targets, indicators and components, which no form shows (if a
    form ever shows them, they must be hashed)."""
    if cat.content_hash is None:
        _loaded(cat)
    assert cat.content_hash is not None
    return cat.content_hash


def _loaded(cat: Catalogue) -> Catalogue:
    """A catalogue just loaded or built, with its content hash set."""
    content = cat
    if cat.successions:
        named = {a for i in cat.indicators for a in i.agencies + [c.agency for c in i.components if c.agency]}
        named |= {a for t in cat.targets for a in t.lead_agencies + t.cooperating_agencies}
        named |= {s.old for s in cat.successions}
        new_only = {a for s in cat.successions for a in (s.new, *(p.new for p in s.split))} - named
        content = cat.model_copy(update={"successions": [],
                                         "agencies": [a for a in cat.agencies if a.id not in new_only]})
    data = content.model_dump(mode="json", exclude_none=True)
    # the English titles of targets, indicators and components are left out too: no form shows
    # them (a form shows the plan's own words), so translating them leaves the forms valid
    data["source"].pop("translation_en", None)
    for tgt in data["targets"]:
        tgt.pop("title_en", None)
    for ind in data["indicators"]:
        ind.pop("name_en", None)
        for comp in ind.get("components", []):
            comp.pop("label_en", None)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    cat.set_content_hash(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    return cat
