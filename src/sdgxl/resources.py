"""Where the customisable folders are: ``workbook_templates/``, ``samples/``, ``macros/``.

In a checkout (or an editable install) they sit at the top of the repository; in a
wheel they are copied into the package. ``SDGXL_TEMPLATES`` points at a DPI's own
customised copy of ``workbook_templates/``.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "STATUS_CODES",
    "all_status_labels",
    "load_province",
    "load_styles",
    "load_template",
    "load_texts",
    "load_toml",
    "resource_dir",
    "status_labels",
    "templates_dir",
]

# canonical data status codes, in the order of the forms' dropdown
STATUS_CODES = ("has_data", "estimate", "no_data_yet", "not_applicable")

_PKG = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    for candidate in (_PKG / name, _PKG.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"sdgxl resource folder {name!r} is missing from the installation")


def templates_dir(override: Path | str | None = None) -> Path:
    if override:
        return Path(override)
    env = os.environ.get("SDGXL_TEMPLATES")
    if env:
        return Path(env)
    return resource_dir("workbook_templates")


def load_toml(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return data


_TEMPLATE_CACHE: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}


def load_template(path: Path | str) -> dict[str, Any]:
    """A template TOML file, parsed once per version of the file (read-only: do not mutate).

    Keyed by the file's modification time and size, so a DPI's edit is seen by a
    long-running process (the console's xlwings server) without a restart.
    """
    key = str(path)
    st = os.stat(key)
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _TEMPLATE_CACHE.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    data = load_toml(Path(key))
    _TEMPLATE_CACHE[key] = (stamp, data)
    return data


def load_texts(lang: str, templates: Path | str | None = None) -> dict[str, Any]:
    """Every text of the workbooks in ``lang`` (``texts.vi.toml`` / ``texts.en.toml``). A DPI's
    own copy (``SDGXL_TEMPLATES``) made by an older sdgxl may lack newer texts: those come
    from the bundled file."""
    name = f"texts.{lang}.toml"
    texts = load_template(templates_dir(templates) / name)
    bundled = resource_dir("workbook_templates") / name
    if templates_dir(templates) / name == bundled:
        return texts
    return _with_defaults(texts, load_template(bundled))


def _with_defaults(custom: dict[str, Any], default: dict[str, Any]) -> dict[str, Any]:
    out = dict(default)
    for key, value in custom.items():
        base = default.get(key)
        out[key] = _with_defaults(value, base) if isinstance(value, dict) and isinstance(base, dict) else value
    return out


def load_province(templates: Path | str | None = None) -> dict[str, Any]:
    return load_template(templates_dir(templates) / "province.toml")


def load_styles(templates: Path | str | None = None) -> dict[str, Any]:
    return load_template(templates_dir(templates) / "styles.toml")


def status_labels(lang: str, templates: Path | str | None = None) -> dict[str, str]:
    """Data status code → its dropdown label in ``lang``."""
    labels = load_texts("en" if lang == "en" else "vi", templates)["data"]["status"]
    return dict(zip(STATUS_CODES, labels, strict=True))


def all_status_labels(templates: Path | str | None = None) -> dict[str, str]:
    """Every dropdown label of every language (casefolded) → canonical status code."""
    out: dict[str, str] = {}
    for lang in ("vi", "en"):
        for code, label in status_labels(lang, templates).items():
            out[label.casefold()] = code
    return out
