"""Issue 14: the bundled catalogue read right, item by item, against the plan's own lines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sdgxl.catalogue import bundled
from sdgxl.catalogue import extract as ex
from sdgxl.catalogue.aims import aim_from_roadmap, review
from sdgxl.catalogue.models import Aim
from sdgxl.catalogue.roadmap import parse_roadmap
from sdgxl.text import nfc
from tests.conftest import assert_no_traceback, run_cli


@pytest.fixture(scope="module")
def cat():
    return bundled()


# --------------------------------------------------------------------------- co-operating agencies
def test_agencies_of_a_heading_at_the_end_of_a_row_go_to_the_target_before_it(cat):
    # 8.4's list is printed in 8.5's row (line 560): it belongs to 8.4
    t84, t85 = cat.target("8.4"), cat.target("8.5")
    assert t84.lead_agencies == ["SCT"]
    assert {"SKHDT", "STNMT", "STC", "SNNPTNT", "SXD", "SGTVT", "STTTT", "UBND_HUYEN"} <= set(t84.cooperating_agencies)
    assert t85.lead_agencies == ["SLDTBXH"]
    assert {"STC", "STNMT", "STTTT"}.isdisjoint(t85.cooperating_agencies)
    assert {"SGDDT", "STP", "LDLD"} <= set(t85.cooperating_agencies)
    # 3.8's three leads (a TN&MT, b MTTQ, c Y tế) stay on 3.8; 3.9's list is its own
    assert cat.target("3.8").lead_agencies == ["STNMT", "MTTQ", "SYT"]
    assert {"SNNPTNT", "SXD", "SGTVT", "SKHDT"} <= set(cat.target("3.8").cooperating_agencies)
    assert "STNMT" not in cat.target("3.9").cooperating_agencies
    # 4.5's VCCI (line 469, the row that ends with 4.6's heading)
    assert "VCCI" in cat.target("4.5").cooperating_agencies
    assert "VCCI" not in cat.target("4.6").cooperating_agencies
    # 9.3 (NHNN, Sở Công Thương) and 9.4 (KH&CN) from the row that holds both headings
    assert cat.target("9.3").lead_agencies == ["NHNN", "SCT"]
    assert {"SNV", "SLDTBXH"} <= set(cat.target("9.3").cooperating_agencies)
    assert cat.target("9.4").lead_agencies == ["SKHCN"]
    assert "SNV" not in cat.target("9.4").cooperating_agencies
    # 12.4b-12.7a: each list on its own target (the Cần Thơ VCCI branch co-operates on 12.6)
    assert "VCCI" in cat.target("12.6").cooperating_agencies
    assert "VCCI" not in cat.target("12.7").cooperating_agencies
    assert "SKHCN" in cat.target("12.7").cooperating_agencies
    assert "SKHCN" not in cat.target("12.8").cooperating_agencies


def test_a_row_that_opens_with_tasks_holds_that_targets_agencies(cat):
    # 16.7's three blocks (lines 737-739) beside its tasks a., b., c. - not 16.5's (whose
    # blocks the OCR lost); 6.4a (line 522) beside 6.4's tasks, not 6.2
    t167 = cat.target("16.7")
    assert t167.lead_agencies == ["MTTQ", "HDND"] and {"SNV", "STP", "BAOKG"} <= set(t167.cooperating_agencies)
    assert cat.target("16.5").cooperating_agencies == []
    assert {"SKHDT", "STC", "SCT"} <= set(cat.target("6.4").cooperating_agencies)
    # 4.4's heading is missing from PHỤ LỤC I: the third block of 4.3's rows (Sở LĐ-TB&XH) is 4.4's
    assert {"SKHDT", "STC"} <= set(cat.target("4.4").cooperating_agencies)


def test_names_that_run_on_across_a_page_break_are_joined(cat):
    # 3.6: "Sở Lao động - Thương | bình và Xã hội, Sở Văn hóa và Thể thao, Sở Du lịch, …" (lines 438/442)
    assert {"SLDTBXH", "SVHTT", "SDL", "STTTT", "UBND_HUYEN"} <= set(cat.target("3.6").cooperating_agencies)
    # 9.2: "… Sở Lao động -" | "Thương binh và Xã hội, Sở Giao thông vận tải, UBND …" (lines 579/585)
    assert {"SLDTBXH", "SGTVT", "UBND_HUYEN"} <= set(cat.target("9.2").cooperating_agencies)
    # 12.2: "Chủ trì: Sở Tài nguyên và Môi trường" | "Phối hợp: Sở Nông nghiệp …" (lines 635/639)
    assert {"SNNPTNT", "SXD", "SKHDT", "UBND_HUYEN"} <= set(cat.target("12.2").cooperating_agencies)


def test_unknown_organisations_are_kept_by_name(cat):
    assert cat.target("1.3").cooperating_other == ["Ngân hàng Chính sách xã hội"]
    assert cat.target("9.3").cooperating_other == ["Hiệp hội doanh nghiệp nhỏ và vừa"]
    assert cat.target("16.1").cooperating_other == ["Hội nông dân tỉnh"]
    others = [o for t in cat.targets for o in t.cooperating_other]
    assert len(others) == 3, others  # no generic phrase ("các đơn vị có liên quan") is kept


def test_a_block_finds_its_target_through_section_iv(cat):
    matcher = ex.AliasMatcher(cat.agencies)
    text = (
        "PHỤ LỤC I\n"
        "| (1) Mục tiêu 1.1 (MTUT): a | |\n"
        "| tasks of 1.1 (2) Mục tiêu 1.2 (MTUT): b | Chủ trì: Sở Y tế Phối hợp: Sở Tài chính, Sở Nội |\n"
        "| tasks of 1.2 | vụ, Tổ hợp tác Bình An Chủ trì: Sở Tư pháp Phối hợp: Sở Y tế |\n"
        "PHỤ LỤC 2\n"
    )
    out = ex.parse_appendix1(text, matcher, [("1.1", "SYT"), ("1.2", "STP")])
    assert out["1.1"] == (["SYT"], ["STC", "SNV"], ["Tổ hợp tác Bình An"])
    assert out["1.2"] == (["STP"], ["SYT"], [])


# --------------------------------------------------------------------------- names, titles, cells
@pytest.mark.parametrize(
    ("code", "text", "wrong"),
    [
        ("11.4", "Tổng chi tiêu (công và tư)", "Tổng chỉ tiêu"),
        ("12.7a", "chi tiêu công xanh", "chỉ tiêu công xanh"),
        ("3.8", "không chủ ý", "không chú ý"),
        ("12.3", "tổn thất sau thu hoạch", "tồn thải"),
        ("3.4", "Phấn đấu vận dụng", "Phản ánh"),
        ("8.1b", "Tốc độ tăng GRDP", "tăng tăng"),
    ],
)
def test_misread_names(cat, code, text, wrong):
    name = cat.indicator(code).name
    assert text in name and wrong not in name


@pytest.mark.parametrize(
    ("code", "text", "wrong"),
    [
        ("3.2", "nhiệt đới bị lãng quên", "lảng"),
        ("14.6", "loại hình trợ cấp thủy sản dẫn đến", "trụ cột"),
        ("17.2", "Phấn đấu đạt tốc độ", "Phản ánh"),
        ("8.5", "thù lao", "thử lao"),
        ("12.3", "giảm tổn thất lương thực", "tồn thải"),
    ],
)
def test_misread_titles(cat, code, text, wrong):
    title = cat.target(code).title
    assert text in title and wrong not in title


@pytest.mark.parametrize("code", ["7.3", "8.3", "8.6", "15.5", "16.3", "16.4", "16.7", "17.4", "17.5", "6.6", "9.5"])
def test_period_targets_printed_in_the_2015_column_are_not_a_baseline(cat, code):
    road = cat.indicator(code).roadmap
    assert road["2015"].kind == "empty"
    assert road["2030"].text and road["2030"].text == road["2020"].text == road["2025"].text


def test_decisions_8_1b_14_3_6_6(cat):
    r = cat.indicator("8.1b").roadmap
    assert (r["2015"].value, r["2020"].low, r["2020"].high, r["2025"].low, r["2030"].high) == (7.42, 7.5, 8.0, 8.0, 9.0)
    assert cat.indicator("8.1b").aim == Aim(year=2030, kind="range", low=8.0, high=9.0)
    assert [cat.indicator("14.3").roadmap[y].value for y in ("2020", "2025", "2030")] == [1.0, 1.0, 1.0]
    assert cat.indicator("6.6").roadmap["2030"].direction == "maintain"
    assert cat.indicator("6.6").direction == "maintain"


def test_decisions_9_5_12_2_3_3_4_3(cat):
    levels = {c.key: [c.roadmap[y].value for y in ("2020", "2025", "2030")] for c in cat.indicator("9.5").components}
    assert levels == {"huyen": [100.0, 100.0, 100.0], "xa": [None, 100.0, 100.0], "ho": [None, None, 100.0]}
    parts = cat.indicator("12.2").components
    assert [(c.key, c.unit) for c in parts] == [("tren-grdp", "tấn/triệu đồng"), ("binh-quan-dau-nguoi", "tấn/người")]
    three = cat.indicator("3.3")
    assert (three.direction, three.roadmap["2025"].value, three.aim) == (
        "decrease", 25.0, Aim(year=2030, kind="level", value=20.0))
    four = cat.indicator("4.3")
    assert [(c.key, c.agency) for c in four.components] == [("dao-tao", None), ("day-nghe", None)]
    assert four.agencies == ["SLDTBXH", "SGDDT"]


# --------------------------------------------------------------------------- directions and aims
def test_every_indicator_has_a_direction_and_every_stated_target_an_aim(cat):
    assert all(i.direction for i in cat.indicators)
    assert review(cat) == []
    counts = {d: sum(i.direction == d for i in cat.indicators) for d in ("increase", "decrease", "maintain")}
    assert counts == {"increase": 80, "decrease": 35, "maintain": 5}


@pytest.mark.parametrize(
    ("code", "aim"),
    [
        ("1.1a", Aim(year=2030, kind="level", value=0.0)),
        ("1.1b", Aim(year=2030, kind="level", value=2.0)),
        ("2.1", Aim(year=2030, kind="bound", value=8.0, operator="<")),
        ("11.9", Aim(year=2030, kind="range", low=85.0, high=95.0)),
        ("7.3", Aim(year=2030, kind="annual_rate", low=-1.5, high=-1.0)),
        ("3.6a", Aim(year=2030, kind="relative_change", low=-20.0, high=-20.0, per_years=5)),
        ("14.1b", Aim(year=2030, kind="relative_change", low=10.0, high=10.0, per_years=5)),
        ("8.2", Aim(year=2020, kind="range", low=6.0, high=7.0)),
        ("15.6", Aim(year=2025, kind="level", value=70.0)),
        ("14.4", Aim(year=2020, kind="level", value=0.0)),
        ("17.2", Aim(year=2030, kind="level", value=8.3)),
        ("16.3", None), ("5.7.1", None), ("14.2", None),
    ],
)
def test_aims(cat, code, aim):
    assert cat.indicator(code).aim == aim


def test_aim_from_roadmap_reads_the_last_stated_milestone():
    road = {y: parse_roadmap(t) for y, t in {"2015": "9", "2020": "7", "2025": "", "2030": ""}.items()}
    assert aim_from_roadmap(road) == Aim(year=2020, kind="level", value=7.0)
    road["2030"] = parse_roadmap("Phấn đấu giảm")
    assert aim_from_roadmap(road) is None


def _rebuild(tmp_path: Path, edit) -> ex.Catalogue:
    corr = tmp_path / "corrections.toml"
    corr.write_text(edit(ex.CORRECTIONS.read_text(encoding="utf-8")), encoding="utf-8")
    return ex.extract(ex.SEED, ex.AGENCIES, corr)


def test_a_direction_the_numbers_contradict_is_refused(tmp_path):
    with pytest.raises(ex.ExtractionError, match=r"1\.1b: direction increase"):
        _rebuild(tmp_path, lambda s: s.replace('"1.1b" = "decrease"', '"1.1b" = "increase"'))


def test_an_indicator_without_a_direction_is_refused(tmp_path):
    with pytest.raises(ex.ExtractionError, match=r"indicator 5\.5: no \[direction\]"):
        _rebuild(tmp_path, lambda s: s.replace('"5.5" = "increase"\n', ""))


def test_a_correction_must_quote_its_line(tmp_path):
    with pytest.raises(ex.ExtractionError, match=r"line 790 of the plan does not say"):
        _rebuild(tmp_path, lambda s: s.replace("line = 791\n", "line = 790\n", 1))


def test_catalogue_check_reports_missing_directions_and_unparsed_targets(tmp_path):
    data = json.loads(ex.BUNDLED.read_text(encoding="utf-8"))
    for ind in data["indicators"]:
        if ind["code"] == "5.5":
            del ind["direction"]
        if ind["code"] == "11.9":
            del ind["aim"]
    path = tmp_path / "cat.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = run_cli("catalogue", "check", str(path))
    assert_no_traceback(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "5.5" in proc.stderr and "chiều mong muốn" in proc.stderr
    assert "11.9" in proc.stderr and "85-95" in proc.stderr
    ok = run_cli("catalogue", "check")
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_excel_round_trip_keeps_direction_aim_and_co_operators(tmp_path):
    from sdgxl.catalogue.excel import export_xlsx, import_xlsx

    back = import_xlsx(export_xlsx(bundled(), tmp_path / "cat.xlsx"))
    assert back.indicator("7.3").aim == bundled().indicator("7.3").aim
    assert back.indicator("9.5").components[1].aim == Aim(year=2030, kind="level", value=100.0)
    assert back.indicator("10.1").aim_note == bundled().indicator("10.1").aim_note
    assert back.target("9.3").cooperating_other == ["Hiệp hội doanh nghiệp nhỏ và vừa"]


def test_rebuild_is_byte_for_byte(tmp_path):
    out = tmp_path / "catalogue.json"
    assert ex.main(["--out", str(out)]) == 0
    assert out.read_bytes() == ex.BUNDLED.read_bytes()
    assert nfc(out.read_text(encoding="utf-8")) == out.read_text(encoding="utf-8")
    shutil.rmtree(tmp_path)


def test_names_keep_no_ocr_spacing(cat):
    import re

    for ind in cat.indicators:
        assert not re.search(r"\s[.,;:]|\.\.", ind.name), (ind.code, ind.name)
    assert cat.indicator("4.1a").name == "Tỷ lệ học sinh tiểu học bỏ học."
    assert cat.indicator("6.1b").name.endswith("đến năm 2020 trở đi.")
