"""Vietnamese number habits, slugs and NFC."""

from __future__ import annotations

import pytest

from sdgxl.text import ascii_fold, parse_vn_number, slug


@pytest.mark.parametrize(
    ("text", "whole", "value", "ambiguous"),
    [
        ("9,78", False, 9.78, False),
        ("-18,8", False, -18.8, False),
        ("1.234,5", False, 1234.5, False),
        ("1,234.5", False, 1234.5, False),
        ("1.234.567", False, 1234567.0, False),
        ("1 234", False, 1234.0, False),
        ("1.234", True, 1234.0, False),  # a count: the dot groups thousands
        ("1.234", False, 1.234, True),  # a share: could be 1234 or 1.234
        ("1,234", False, 1.234, True),
        ("1,234", True, 1234.0, False),
        ("12,5", True, 12.5, False),
        ("0,35", False, 0.35, False),
        ("85", False, 85.0, False),
        ("3.5", False, 3.5, False),
    ],
)
def test_parse_vn_number(text, whole, value, ambiguous):
    got, amb = parse_vn_number(text, whole=whole)
    assert got == pytest.approx(value)
    assert amb is ambiguous


@pytest.mark.parametrize("text", ["", "abc", "12a", "1,2,3", "--5", "1..2", "9,", ",5", "85%"])
def test_not_numbers(text):
    assert parse_vn_number(text)[0] is None


def test_slug_and_fold():
    assert slug("Báo cáo SDG") == "bao-cao-sdg"
    assert ascii_fold("Sở Lao động - Thương binh và Xã hội") == "So Lao dong - Thuong binh va Xa hoi"
    assert slug("Đào tạo") == "dao-tao"
