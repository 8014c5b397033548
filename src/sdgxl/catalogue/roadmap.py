"""Parse one roadmap cell of the plan ("Lộ trình") into a :class:`RoadmapValue`.

The cell's text is always kept; the parsed fields say what it means:

========================================  ================================================
text as printed                           kind and fields
========================================  ================================================
``9,78`` / ``-18,8`` / ``01``             number (9.78 / -18.8 / 1)
``< 8,0`` / ``>85`` / ``từ 80% trở lên``  comparison (operator, value)
``65-70`` / ``98-100`` / ``5,6 - 5,7``    range (low, high)
``1: 2: 4.``                              ratio (parts)
``Đào tạo 52/ dạy nghề 43``               composite (labelled parts)
``Giảm 20% so với 5 năm trước``           relative_change (direction, change_pct, reference)
``Phấn đấu giảm …`` / ``Duy trì …``         relative_change (direction only, no figure)
``Gần bằng``, ``Phấn đấu …``              qualitative
``*``                                     no_data
(blank)                                   empty
========================================  ================================================

A number with a qualifier keeps both: ``58,27 (2014-2015)`` is 58.27 with qualifier
``(2014-2015)``; ``0,9 như TB cả nước`` is 0.9 with qualifier ``như TB cả nước``.
"""

from __future__ import annotations

import re

from sdgxl.catalogue.models import Part, RoadmapValue
from sdgxl.text import clean_spaces

__all__ = ["parse_number", "parse_roadmap"]

_NUM = r"[+-]?\d+(?:[.,]\d+)?"


def parse_number(text: str) -> float:
    """A number as printed in the plan: decimal comma, no thousands separator."""
    return float(text.replace(",", ".").replace("−", "-"))


def _strip(text: str) -> str:
    return text.strip().rstrip(".").strip()


def _num_unit(text: str) -> tuple[float, str] | None:
    """``9,78`` / ``98%`` / ``1,7 lần`` → (value, rest after the number and unit)."""
    m = re.match(rf"^({_NUM})\s*(%|lần)?\s*(.*)$", text)
    if not m:
        return None
    return parse_number(m.group(1)), m.group(3).strip()


def parse_roadmap(raw: str | None) -> RoadmapValue:
    """Parse one roadmap cell. Never raises: what it cannot read is ``qualitative``."""
    text = clean_spaces(raw or "")
    if not text:
        return RoadmapValue(text="", kind="empty")
    if text in {"*", "-", "–"}:
        return RoadmapValue(text=text, kind="no_data")
    body = _strip(text)

    # qualifier in parentheses or after "như …", split off first
    qualifier: str | None = None
    m = re.match(rf"^(.*?{_NUM}\s*%?)\s*(\([^)]*\))$", body)
    if m:
        body, qualifier = m.group(1).strip(), m.group(2)

    # ratio 1: 2: 4
    m = re.fullmatch(rf"({_NUM})(?:\s*:\s*({_NUM}))+", body)
    if m:
        parts = [parse_number(p) for p in re.split(r"\s*:\s*", body)]
        return RoadmapValue(text=text, kind="ratio", parts=parts, qualifier=qualifier)

    # comparison: < 8,0 | >85 | > 15 | ≥ 90 | từ 80% trở lên | trên 50%
    m = re.fullmatch(rf"(<=|>=|≤|≥|<|>)\s*({_NUM})\s*%?", body)
    if m:
        op = {"≤": "<=", "≥": ">="}.get(m.group(1), m.group(1))
        return RoadmapValue(
            text=text, kind="comparison", operator=op,  # type: ignore[arg-type]
            value=parse_number(m.group(2)), qualifier=qualifier,
        )
    m = re.fullmatch(rf"từ\s+({_NUM})\s*%?\s+trở lên", body, flags=re.I)
    if m:
        return RoadmapValue(
            text=text, kind="comparison", operator=">=", value=parse_number(m.group(1))
        )
    m = re.fullmatch(rf"(?:trên|hơn)\s+({_NUM})\s*%?", body, flags=re.I)
    if m:
        return RoadmapValue(text=text, kind="comparison", operator=">", value=parse_number(m.group(1)))
    m = re.fullmatch(rf"(?:dưới)\s+({_NUM})\s*%?", body, flags=re.I)
    if m:
        return RoadmapValue(text=text, kind="comparison", operator="<", value=parse_number(m.group(1)))

    # relative change: Giảm 20% so với 5 năm trước | Tăng 10% … | Giảm so với … | Duy trì …
    m = re.match(
        rf"^(giảm|tăng)\s*(?:({_NUM})\s*(?:-\s*({_NUM}))?\s*%)?\s*(.*)$", body, flags=re.I
    )
    if m and (m.group(2) or re.match(r"^(so với|hàng năm|mỗi năm)", m.group(4), flags=re.I)):
        direction = "decrease" if m.group(1).lower() == "giảm" else "increase"
        sign = -1.0 if direction == "decrease" else 1.0
        pct = sign * parse_number(m.group(2)) if m.group(2) else None
        pct_high = sign * parse_number(m.group(3)) if m.group(3) else None
        ref = m.group(4).strip() or None
        return RoadmapValue(
            text=text, kind="relative_change", direction=direction,  # type: ignore[arg-type]
            change_pct=pct, change_pct_high=pct_high, reference=ref,
        )
    m = re.match(r"^phấn đấu\s+(giảm|tăng)\b", body, flags=re.I)
    if m:  # "Phấn đấu giảm tỷ trọng …": a direction, no figure
        direction = "decrease" if m.group(1).lower() == "giảm" else "increase"
        return RoadmapValue(text=text, kind="relative_change", direction=direction,  # type: ignore[arg-type]
                            reference=body)
    if re.match(r"^(duy trì|giữ ổn định|ổn định)\b", body, flags=re.I):
        return RoadmapValue(text=text, kind="relative_change", direction="maintain", reference=body)

    # range: 65-70 | 5,6 - 5,7 | 7,5-8,0% | Giai đoạn 2016-2020: 7,5-8,0%
    m = re.fullmatch(rf"(?:(.*?):\s*)?({_NUM})\s*%?\s*[-–]\s*({_NUM})\s*%?(?:\s+(.*))?", body)
    if m:
        low, high = parse_number(m.group(2)), parse_number(m.group(3))
        if low <= high:
            extra = " ".join(x for x in (m.group(1), qualifier, m.group(4)) if x) or None
            return RoadmapValue(text=text, kind="range", low=low, high=high, qualifier=extra)

    # composite: Đào tạo 52/ dạy nghề 43 | Thu gom 90% tái chế 85%
    pieces = re.findall(rf"([^\d/]+?)\s*({_NUM})\s*%?", body)
    if pieces and re.fullmatch(rf"(?:\s*/?\s*[^\d/]+?\s*{_NUM}\s*%?)+", body):
        labels = [p[0].strip(" /:") for p in pieces]
        has_words = all(re.search(r"[^\W\d_]", lbl) for lbl in labels)
        if has_words and not any(w in body.lower() for w in ("năm", "giai đoạn")):
            labelled = [Part(label=lbl, value=parse_number(v)) for lbl, (_, v) in zip(labels, pieces, strict=True)]
            if len(labelled) == 1 and labels[0].lower() in {"đạt", "khoảng"}:
                return RoadmapValue(
                    text=text, kind="number", value=labelled[0].value, qualifier=labels[0]
                )
            return RoadmapValue(text=text, kind="composite", labelled=labelled)

    # number, optionally with % or lần, and a qualifier after it
    nu = _num_unit(body)
    if nu is not None:
        value, rest = nu
        rest = rest.strip()
        if not rest or rest.lower().startswith(("như", "(")):
            q = " ".join(x for x in (rest, qualifier) if x) or None
            return RoadmapValue(text=text, kind="number", value=value, qualifier=q)

    return RoadmapValue(text=text, kind="qualitative")
