"""Vietnamese number habits, slugs and NFC."""

from __future__ import annotations

import pytest

from sdgxl.text import ascii_fold, number_readings, slug


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("9,78", [9.78]),
        ("-18,8", [-18.8]),
        ("1.234,5", [1234.5]),
        ("1,234.5", [1234.5]),
        ("1.234.567", [1234567.0]),
        ("1 234", [1234.0]),
        ("1.234", [1234.0, 1.234]),  # Vietnamese thousands, or an English decimal
        ("1,234", [1.234, 1234.0]),
        ("12,5", [12.5]),
        ("0,35", [0.35]),
        ("85", [85.0]),
        ("3.5", [3.5]),
    ],
)
def test_number_readings(text, readings):
    assert number_readings(text) == pytest.approx(readings)


@pytest.mark.parametrize("text", ["", "abc", "12a", "1,2,3", "--5", "1..2", "9,", ",5", "85%"])
def test_not_numbers(text):
    assert number_readings(text) == []


def test_slug_and_fold():
    assert slug("Báo cáo SDG") == "bao-cao-sdg"
    assert ascii_fold("Sở Lao động - Thương binh và Xã hội") == "So Lao dong - Thuong binh va Xa hoi"
    assert slug("Đào tạo") == "dao-tao"


@pytest.mark.parametrize(("text", "number"), [
    ("khoảng 50", "50"), ("~50", "50"), ("50 người", "50"), ("1.234 người", "1.234"),
    ("ước 9,78%", "9,78"), ("Khoảng 1 234 hộ", "1 234"),
    ("từ 50 đến 60", None), ("2019: 45", None), ("chưa có", None), ("50", None), ("5e3", None),
])
def test_embedded_number(text, number):
    """One number inside words is offered back to the user as the number to type."""
    from sdgxl.text import embedded_number

    assert embedded_number(text) == number
