"""English titles: every target, indicator and component of the bundled plan has one (sdgxl's
translation, recorded as such), they keep the plan's numbers, the English outputs use them, and
`catalogue check` warns (without failing) where a catalogue has none."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml

from sdgxl.catalogue import bundled
from sdgxl.catalogue import extract as ex
from sdgxl.catalogue.load import check_catalogue_file, english_gaps
from tests.conftest import assert_no_traceback, run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Titles whose numbers cannot be compared mechanically, and why.
NUMBER_EXCEPTIONS = {
    # "(10-14,15-19)": the comma separates two age groups; read as a decimal comma it would be 14.15
    "3.6a": "a comma between two age groups, not a decimal comma",
}


def _titled():
    """(where, Vietnamese, English) for every target, indicator and component."""
    cat = bundled()
    out = [(f"target {t.code}", t.title, t.title_en) for t in cat.targets]
    for i in cat.indicators:
        out.append((f"indicator {i.code}", i.name, i.name_en))
        out += [(f"component {i.code}#{c.key}", c.label, c.label_en) for c in i.components]
    return out


def _numbers(text: str, group: str, decimal: str) -> Counter[float]:
    """The numbers of a text whose thousands separator is ``group`` and decimal mark ``decimal``."""
    out: Counter[float] = Counter()
    for tok in re.findall(r"\d+(?:[.,]\d+)*", text):
        if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+", tok):
            tok = tok.replace(group, "")
        out[float(tok.replace(decimal, "."))] += 1
    return out


def numbers_vi(text: str) -> Counter[float]:
    """The numbers of a Vietnamese text: ``1.000`` is a thousand, ``1,25`` one and a quarter."""
    return _numbers(text, ".", ",")


def numbers_en(text: str) -> Counter[float]:
    """The numbers of an English text: ``1,000`` is a thousand, ``1.25`` one and a quarter."""
    return _numbers(text, ",", ".")


def test_number_readers():
    assert numbers_vi("1,25 đô la (giá 2005); 1.000 trẻ; 90% - 95%") == Counter({1.25: 1, 2005: 1, 1000: 1, 90: 1,
                                                                                  95: 1})
    assert numbers_en("US$1.25 (2005 prices); 1,000 births; 90% - 95%") == numbers_vi(
        "1,25 đô la (giá 2005); 1.000 trẻ; 90% - 95%")
    assert numbers_en("11.9 and 11.10") == Counter({11.9: 1, 11.1: 1})


def test_every_title_has_an_english_one():
    titled = _titled()
    assert len(titled) == 110 + 120 + 16
    missing = [where for where, _, en in titled if not en]
    assert missing == []
    assert english_gaps(bundled()) == []


@pytest.mark.parametrize("where,vi,en", _titled(), ids=[w for w, _, _ in _titled()])
def test_english_title_is_clean_and_keeps_the_numbers(where, vi, en):
    assert en and en == en.strip() and unicodedata.normalize("NFC", en) == en
    decomposed = unicodedata.normalize("NFD", en)
    assert not any(unicodedata.combining(ch) for ch in decomposed), f"{where}: a Vietnamese letter in {en!r}"
    assert not set(en) & set("đĐ"), where
    assert en != vi
    code = where.split()[1]
    if code in NUMBER_EXCEPTIONS:
        assert set(numbers_en(en)) == {10, 14, 15, 19, 1000}  # what the exception's title must say
        return
    # the same numbers; a date written twice ("1/7 (1 July)") may repeat one, so compare the sets
    assert set(numbers_en(en)) == set(numbers_vi(vi)), (where, vi, en)


def test_provenance_is_recorded_in_the_catalogue_and_the_file():
    cat = bundled()
    note = cat.source.translation_en or ""
    assert "sdgxl's translation" in note and "not an official text" in note
    head = ex.TITLES_EN.read_text(encoding="utf-8").split("\n[goal]")[0]
    assert "NOT an" in head and "official text" in head and "never replaced by the UN's global wording" in head
    assert tomllib.loads(ex.TITLES_EN.read_text(encoding="utf-8"))["note"] == note


def test_goal_titles_are_the_un_ones():
    cat = bundled()
    assert cat.goal(1).title_en == "End poverty in all its forms everywhere"
    assert all(g.title_en for g in cat.goals)


def test_extract_refuses_a_title_for_what_the_plan_does_not_have(tmp_path):
    bad = tmp_path / "titles_en.toml"
    bad.write_text(ex.TITLES_EN.read_text(encoding="utf-8").replace('"17.5" = "Total value',
                                                                    '"17.9" = "Total value'), encoding="utf-8")
    with pytest.raises(ex.ExtractionError) as exc:
        ex.extract(titles_path=bad)
    assert "[indicator]" in str(exc.value.params["detail"]) and "17.9" in str(exc.value.params["detail"])


def test_translations_do_not_change_the_catalogue_hash():
    """Forms show the plan's own words, so translating leaves the forms sent before valid."""
    from sdgxl.catalogue.load import catalogue_from_data, catalogue_hash

    cat = bundled()
    data = json.loads(ex.BUNDLED.read_text(encoding="utf-8"))
    data["source"].pop("translation_en")
    for t in data["targets"]:
        t.pop("title_en")
    for i in data["indicators"]:
        i.pop("name_en")
        for c in i["components"]:
            c.pop("label_en")
    plain = catalogue_from_data(data, "x")
    assert catalogue_hash(plain) == catalogue_hash(cat)
    data["indicators"][0]["name"] += " x"  # the Vietnamese text is hashed
    assert catalogue_hash(catalogue_from_data(data, "x")) != catalogue_hash(cat)


# --------------------------------------------------------------------------- catalogue check
def _without_english(tmp_path: Path) -> Path:
    data = json.loads(ex.BUNDLED.read_text(encoding="utf-8"))
    del data["targets"][2]["title_en"]
    del data["indicators"][4]["name_en"]
    del data["indicators"][7]["components"][1]["label_en"]
    path = tmp_path / "other-province.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_check_warns_where_a_json_catalogue_has_no_english(tmp_path):
    path = _without_english(tmp_path)
    cat, problems = check_catalogue_file(path)
    assert cat is not None
    assert [(p.severity, p.location, p.params["field"]) for p in problems] == [
        ("warning", "targets › #3 (1.3) › title_en", "title_en"),
        ("warning", "indicators › #5 (2.1) › name_en", "name_en"),
        ("warning", "indicators › #8 (2.4) › components › #2 (rau) › label_en", "label_en"),
    ]
    proc = run_cli("catalogue", "check", "--lang", "en", str(path))
    assert_no_traceback(proc)
    assert proc.returncode == 0, proc.stderr  # a warning does not fail the catalogue
    assert "3 warnings" in proc.stderr and "indicators › #5 (2.1) › name_en: no English title (name_en)" in \
        " ".join(proc.stderr.split())
    assert "Catalogue is valid" in proc.stdout
    proc = run_cli("catalogue", "check", str(path))
    assert "chưa có tên tiếng Anh (title_en)" in " ".join(proc.stderr.split())


def test_check_warns_at_the_cell_in_a_workbook_and_still_fails_on_errors(tmp_path):
    from sdgxl.catalogue.excel import export_xlsx

    path = export_xlsx(bundled(), tmp_path / "cat.xlsx")
    wb = openpyxl.load_workbook(path)
    cols = {}
    for sheet, col in (("Mục tiêu cụ thể", "title_en"), ("Chỉ tiêu", "name_en"), ("Thành phần", "label_en")):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        cols[col] = openpyxl.utils.get_column_letter(header.index(col) + 1)
        ws[f"{cols[col]}4"].value = None
    wb.save(path)
    cat, problems = check_catalogue_file(path)
    assert cat is not None
    assert sorted(str(p.location) for p in problems if p.key == "cat_no_english") == sorted([
        f"Mục tiêu cụ thể!{cols['title_en']}4 (1.3)", f"Chỉ tiêu!{cols['name_en']}4 (1.2a)",
        f"Thành phần!{cols['label_en']}4 (2.4#trai-cay)"])
    assert all(p.severity == "warning" for p in problems)
    # with an error beside them: exit 1, the warnings still shown, the error counted alone
    ws = wb["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    ws.cell(row=6, column=header.index("direction") + 1).value = None
    wb.save(path)
    proc = run_cli("catalogue", "check", "--lang", "en", str(path))
    assert_no_traceback(proc)
    text = " ".join(proc.stderr.split())
    assert proc.returncode == 1 and "has 1 problem" in text and "3 warnings" in text
    assert f"Chỉ tiêu!{cols['name_en']}4 (1.2a): no English title" in text


def test_an_old_workbook_without_the_label_en_column_loads(tmp_path):
    from sdgxl.catalogue.excel import export_xlsx, import_xlsx

    path = export_xlsx(bundled(), tmp_path / "cat.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Thành phần"]
    header = [c.value for c in ws[1]]
    ws.delete_cols(header.index("label_en") + 1)
    wb.save(path)
    cat = import_xlsx(path)
    assert cat.indicator("2.4").components[0].label_en is None
    assert cat.indicator("2.4").name_en == bundled().indicator("2.4").name_en
    _, problems = check_catalogue_file(path)
    assert {str(p.location).split("!")[0] for p in problems} == {"Thành phần"} and len(problems) == 16


def test_workbook_round_trip_keeps_the_english():
    import tempfile

    from sdgxl.catalogue.excel import export_xlsx, import_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        cat = import_xlsx(export_xlsx(bundled(), Path(tmp) / "c.xlsx"))
    assert cat == bundled()


# --------------------------------------------------------------------------- English outputs
@pytest.fixture
def con():
    import datetime as dt

    from sdgxl.consolidate import Cell, Consolidation, ProvincialRow

    cat = bundled()
    rows = []
    for code, comp, values in (("16.8", None, {2024: 98.5, 2025: 99.0}), ("2.4", "lua", {2024: 2.0, 2025: 2.5}),
                               ("1.1b", None, {2024: 3.1, 2025: 2.9})):
        ind = cat.indicator(code)
        c = next(x for x in ind.components if x.key == comp) if comp else None
        r = ProvincialRow(ind, c, code if c is None else f"{code}#{comp}")
        for y, v in values.items():
            r.years[y] = Cell(v, None, "has_data", "Báo cáo", None, "X", 1, "f.xlsx", "A1")
        rows.append(r)
    return Consolidation(cat, 2025, [2024, 2025], rows, [], [], [], [], dt.date(2025, 11, 15))


def test_open_sdg_english_uses_the_english_titles(con, tmp_path):
    from sdgxl.outputs.opensdg import write_open_sdg
    from sdgxl.progress.assess import assess

    write_open_sdg(con, assess(con), tmp_path, area_code="KIEN_GIANG")
    cat = con.catalogue
    for name in ("global_targets", "global_indicators"):
        vi = yaml.safe_load((tmp_path / "translations" / "vi" / f"{name}.yml").read_text(encoding="utf-8"))
        en = yaml.safe_load((tmp_path / "translations" / "en" / f"{name}.yml").read_text(encoding="utf-8"))
        assert set(vi) == set(en) and len(en) in (len(cat.targets), len(cat.indicators))
        assert all(en[k] != vi[k] for k in en), name  # every title translated
    en = yaml.safe_load((tmp_path / "translations" / "en" / "global_indicators.yml").read_text(encoding="utf-8"))
    assert en["16-8-1-title"] == "Proportion of children under 5 years of age whose births have been registered"
    data = yaml.safe_load((tmp_path / "translations" / "en" / "data.yml").read_text(encoding="utf-8"))
    assert data["Lúa"] == "Rice" and data["component"] == "Component"  # the CSV's values are the keys
    meta_en = yaml.safe_load((tmp_path / "meta" / "en" / "16-8-1.yml").read_text(encoding="utf-8"))
    assert meta_en["indicator_name"] == cat.indicator("16.8").name_en
    assert "not an official text" in meta_en["translation_en"]
    meta = yaml.safe_load((tmp_path / "meta" / "16-8-1.yml").read_text(encoding="utf-8"))
    assert meta["indicator_name"] == cat.indicator("16.8").name and "not an official text" in meta["translation_en"]


def test_consolidated_workbook_in_english_names_indicators_in_english(con, tmp_path):
    from sdgxl.outputs.workbook import write_consolidated

    cat = con.catalogue
    texts = {}
    for lang in ("vi", "en"):
        path = write_consolidated(con, tmp_path / lang, lang=lang)
        wb = openpyxl.load_workbook(path, read_only=True)
        texts[lang] = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v}
        wb.close()
    assert cat.indicator("16.8").name_en in texts["en"] and cat.indicator("16.8").name not in texts["en"]
    assert f"{cat.indicator('2.4').name_en} – Rice" in texts["en"] and "2.4 (Rice)" in texts["en"]
    assert cat.indicator("16.8").name in texts["vi"] and cat.indicator("16.8").name_en not in texts["vi"]


def test_report_document_in_english_names_indicators_in_english(con, tmp_path):
    import zipfile

    from sdgxl.progress.assess import assess
    from sdgxl.progress.document import write_document

    cat = con.catalogue
    words = {}
    for lang in ("vi", "en"):
        docx, _ = write_document(con, assess(con), tmp_path / lang, lang=lang, pdf=False)
        with zipfile.ZipFile(docx) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        words[lang] = " ".join(re.sub(r"<[^>]+>", "", xml).split())
    en_name = cat.indicator("16.8").name_en or ""
    assert en_name in words["en"] and cat.indicator("16.8").name not in words["en"]
    assert cat.goal(16).title_en in words["en"] and cat.target("16.8").title not in words["en"]
    assert en_name not in words["vi"]
