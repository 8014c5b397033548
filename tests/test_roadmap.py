"""The roadmap cell parser on every shape of cell the plan uses."""

from __future__ import annotations

import pytest

from sdgxl.catalogue.roadmap import parse_roadmap


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9,78", {"kind": "number", "value": 9.78}),
        ("-18,8", {"kind": "number", "value": -18.8}),
        ("01", {"kind": "number", "value": 1.0}),
        ("100,0", {"kind": "number", "value": 100.0}),
        ("7,42%", {"kind": "number", "value": 7.42}),
        ("< 8,0", {"kind": "comparison", "operator": "<", "value": 8.0}),
        (">85", {"kind": "comparison", "operator": ">", "value": 85.0}),
        ("> 15", {"kind": "comparison", "operator": ">", "value": 15.0}),
        ("≥ 90", {"kind": "comparison", "operator": ">=", "value": 90.0}),
        ("từ 80% trở lên", {"kind": "comparison", "operator": ">=", "value": 80.0}),
        ("từ 78% trở lên.", {"kind": "comparison", "operator": ">=", "value": 78.0}),
        ("65-70", {"kind": "range", "low": 65.0, "high": 70.0}),
        ("98-100", {"kind": "range", "low": 98.0, "high": 100.0}),
        ("5,6 - 5,7", {"kind": "range", "low": 5.6, "high": 5.7}),
        ("Giai đoạn 2020-2030: 8 - 9%", {"kind": "range", "low": 8.0, "high": 9.0,
                                         "qualifier": "Giai đoạn 2020-2030"}),
        ("1: 2: 4.", {"kind": "ratio", "parts": [1.0, 2.0, 4.0]}),
        ("Đào tạo 52/ dạy nghề 43", {"kind": "composite"}),
        ("Thu gom 90% tái chế 85%", {"kind": "composite"}),
        ("Giảm 20% so với 5 năm trước", {"kind": "relative_change", "direction": "decrease",
                                         "change_pct": -20.0, "reference": "so với 5 năm trước"}),
        ("Giảm 15% so với năm gốc", {"kind": "relative_change", "change_pct": -15.0}),
        ("Tăng 10% so với 5 năm trước", {"kind": "relative_change", "direction": "increase",
                                         "change_pct": 10.0}),
        ("Giảm so với 5 năm trước", {"kind": "relative_change", "direction": "decrease", "change_pct": None}),
        ("Duy trì tỷ lệ diện tích 5 năm trước", {"kind": "relative_change", "direction": "maintain"}),
        ("Gần bằng", {"kind": "qualitative"}),
        ("Người dân hài lòng hơn", {"kind": "qualitative"}),
        ("Phấn đấu giảm tỷ trọng các nạn nhân bị bạo hành", {"kind": "relative_change", "direction": "decrease",
                                                             "change_pct": None}),
        ("Phấn đấu hàng năm có báo cáo", {"kind": "qualitative"}),
        ("*", {"kind": "no_data"}),
        ("", {"kind": "empty"}),
        ("   ", {"kind": "empty"}),
        ("58,27 (2014-2015)", {"kind": "number", "value": 58.27, "qualifier": "(2014-2015)"}),
        ("0,9 như TB cả nước", {"kind": "number", "value": 0.9, "qualifier": "như TB cả nước"}),
        ("25,17 như TB cả nước", {"kind": "number", "value": 25.17, "qualifier": "như TB cả nước"}),
        ("1,7 lần như TB cả nước", {"kind": "number", "value": 1.7, "qualifier": "như TB cả nước"}),
        ("đạt 98%", {"kind": "number", "value": 98.0, "qualifier": "đạt"}),
    ],
)
def test_parse_roadmap(text, expected):
    rv = parse_roadmap(text)
    assert rv.text == text.strip()
    for key, value in expected.items():
        assert getattr(rv, key) == value, (key, rv)


def test_composite_parts():
    rv = parse_roadmap("Đào tạo 52/ dạy nghề 43")
    assert [(p.label, p.value) for p in rv.labelled or []] == [("Đào tạo", 52.0), ("dạy nghề", 43.0)]


def test_decomposed_input_is_normalised():
    import unicodedata

    rv = parse_roadmap(unicodedata.normalize("NFD", "Giảm 20% so với 5 năm trước"))
    assert rv.kind == "relative_change"
    assert unicodedata.is_normalized("NFC", rv.text)


@pytest.mark.parametrize(
    ("text", "bounds"),
    [("65-70", (65.0, 70.0)), (">85", (85.0, None)), ("< 2", (None, 2.0)), ("9,78", (9.78, 9.78)),
     ("Gần bằng", (None, None))],
)
def test_bounds(text, bounds):
    assert parse_roadmap(text).bounds() == bounds
