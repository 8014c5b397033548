"""Text helpers: NFC normalisation, ASCII slugs and Vietnamese number parsing.

Everything that enters sdgxl from a file or a user goes through :func:`nfc` first, so
that the same Vietnamese word is always the same string (OCR and some Windows
programs produce decomposed diacritics).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_fold", "clean_spaces", "nfc", "parse_vn_number", "slug"]

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC form."""
    return unicodedata.normalize("NFC", text)


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


_NUM_TOKEN = re.compile(r"^[+-−]?\d[\d.,\s]*$")


def parse_vn_number(text: str, *, whole: bool = False) -> tuple[float | None, bool]:
    """Parse a number written the Vietnamese way (or the English way when unambiguous).

    Returns ``(value, ambiguous)``. ``value`` is None when ``text`` is not a number.
    ``ambiguous`` is True when the text could be read two ways (``1.234`` is one
    thousand two hundred and thirty-four in Vietnamese but 1.234 in English) and the
    caller gave no hint: with ``whole=True`` (a count) a dot group of three digits is a
    thousands separator.

    * ``9,78`` → 9.78 (decimal comma)
    * ``1.234,5`` → 1234.5; ``1 234`` → 1234
    * ``-18,8`` → -18.8
    * ``1.234`` → 1234 when ``whole`` else (1.234, ambiguous)
    * ``1,234`` → (1.234, ambiguous) unless ``whole`` (then 1234)
    """
    s = nfc(text).strip().replace("\u00a0", " ").replace("−", "-")
    if not s or not _NUM_TOKEN.match(s):
        return None, False
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-").replace(" ", "")
    if not s or not s[0].isdigit():
        return None, False
    dots, commas = s.count("."), s.count(",")
    three = re.compile(r"^\d{1,3}([.,]\d{3})+$")
    if dots and commas:
        # the separator that comes last is the decimal one
        if s.rfind(",") > s.rfind("."):
            int_part, _, frac = s.rpartition(",")
            if not re.fullmatch(r"\d{1,3}(\.\d{3})*", int_part) or not frac.isdigit():
                return None, False
            return sign * float(int_part.replace(".", "") + "." + frac), False
        int_part, _, frac = s.rpartition(".")
        if not re.fullmatch(r"\d{1,3}(,\d{3})*", int_part) or not frac.isdigit():
            return None, False
        return sign * float(int_part.replace(",", "") + "." + frac), False
    if commas > 1 or dots > 1:
        sep = "," if commas else "."
        if three.match(s):
            return sign * float(s.replace(sep, "")), False
        return None, False
    if commas == 1:
        int_part, frac = s.split(",")
        if not int_part or not frac:
            return None, False
        if len(frac) == 3 and whole:
            return sign * float(int_part + frac), False
        # a comma is the Vietnamese decimal mark; "1,234" might still be an English
        # thousands separator, so that single case is flagged as ambiguous
        return sign * float(int_part + "." + frac), len(frac) == 3 and len(int_part) <= 3
    if dots == 1:
        int_part, frac = s.split(".")
        if not int_part or not frac:
            return None, False
        if len(frac) == 3:
            if whole:
                return sign * float(int_part + frac), False
            return sign * float(int_part + "." + frac), True
        return sign * float(s), False
    return sign * float(s), False
