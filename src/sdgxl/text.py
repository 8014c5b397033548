"""Text helpers: NFC normalisation, ASCII slugs and Vietnamese number parsing.

Everything that enters sdgxl from a file or a user goes through :func:`nfc` first, so
that the same Vietnamese word is always the same string (OCR and some Windows
programs produce decomposed diacritics).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_fold", "clean_spaces", "nfc", "number_readings", "read_number_text", "safe_text", "slug"]

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC form."""
    return unicodedata.normalize("NFC", text)


# what no output may carry: C0 controls but tab, line feed and carriage return (illegal in
# XML 1.0; ESC starts terminal sequences), DEL and C1 controls, lone surrogates, U+FFFE/U+FFFF
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def safe_text(text: str) -> str:
    """``text`` with every character no output may carry replaced by U+FFFD (visible: the
    reader sees that something was there), so a text from a file is written as data by
    every writer (XML, a terminal, PostgreSQL, which refuses NUL)."""
    return _UNSAFE.sub("\ufffd", text) if _UNSAFE.search(text) else text


def clean_spaces(text: str) -> str:
    """NFC, collapse runs of white space to one space and strip the ends."""
    return _SPACES.sub(" ", nfc(text)).strip()


def ascii_fold(text: str) -> str:
    """Vietnamese text without diacritics (``Sở Y tế`` → ``So Y te``; ``đ`` → ``d``)."""
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).encode(
        "ascii", "ignore"
    ).decode("ascii")


def slug(text: str) -> str:
    """A lower-case ASCII slug for file names: ``Báo cáo SDG`` → ``bao-cao-sdg``."""
    folded = ascii_fold(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def number_readings(text: str) -> list[float]:
    """Every number ``text`` can mean, Vietnamese habit first (``1.234,5``: dot for
    thousands, comma for decimals), then English (``1,234.5``); each reading once.

    ``9,78`` → [9.78]; ``1.234`` → [1234, 1.234]; ``12,500`` → [12.5, 12500];
    ``-18,8`` → [-18.8]; ``1 234`` → [1234]; not a number → [].
    """
    s = nfc(text).strip().replace("\u00a0", "").replace(" ", "").replace("−", "-")
    if not re.fullmatch(r"[+-]?\d[\d.,]*", s) or s.endswith((".", ",")):
        return []
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-")
    out: list[float] = []
    for thousands, decimal in ((".", ","), (",", ".")):
        int_part, _, frac = s.partition(decimal)
        if decimal in frac:
            continue
        groups = int_part.split(thousands)
        if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            continue
        digits = "".join(groups)
        if not digits.isdigit() or (frac and not frac.isdigit()):
            continue
        value = sign * float(digits + ("." + frac if frac else ""))
        if value not in out:
            out.append(value)
    return out


_NUMBER_TOKEN = re.compile(r"[+\-\u2212]?\d(?:[\d.,]|[ \u00a0](?=\d{3}\b))*")


def embedded_number(text: str) -> str | None:
    """The one number inside words (``khoảng 50`` → ``50``, ``1.234 người`` → ``1.234``),
    as typed; None when there is no number or more than one (``từ 50 đến 60``, ``2019: 45``)."""
    text = nfc(text)
    tokens = [t for t in (m.rstrip(".,") for m in _NUMBER_TOKEN.findall(text)) if t]
    if len(tokens) != 1 or tokens[0] == text.strip():
        return None
    return tokens[0] if number_readings(tokens[0]) else None


def read_number_text(text: str, minimum: float | None, maximum: float | None, whole: bool) -> tuple[
        float | None, list[float]]:
    """A number typed as text, for a unit with these bounds: (value, readings).

    The value is the only reading that fits the unit; None when no reading or several fit
    (the caller reports "not a number" or "ambiguous")."""
    readings = number_readings(text)
    if len(readings) <= 1:
        return (readings[0] if readings else None), readings

    def fits(v: float) -> bool:
        return ((minimum is None or v >= minimum) and (maximum is None or v <= maximum)
                and (not whole or float(v).is_integer()))

    fitting = [v for v in readings if fits(v)]
    if len(fitting) == 1:
        return fitting[0], readings
    return None, readings
