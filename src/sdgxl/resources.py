"""Where the customisable folders are: ``workbook_templates/``, ``samples/``, ``macros/``.

In a checkout (or an editable install) they sit at the top of the repository; in a
wheel they are copied into the package. ``SDGXL_TEMPLATES`` points at a DPI's own
customised copy of ``workbook_templates/``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["load_toml", "resource_dir", "templates_dir"]

_PKG = Path(__file__).resolve().parent


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
    return tomllib.loads(path.read_text(encoding="utf-8"))
