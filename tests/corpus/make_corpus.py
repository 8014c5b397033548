"""Build the validation test corpus: returned workbooks with every typical problem.

    python tests/corpus/make_corpus.py

Each file starts from a generated form (sdgxl's own generator) filled with the sample
values, then gets exactly one problem. The expected issues are written in
tests/test_validate_corpus.py, by hand. Output is deterministic, the encrypted file included
(its salts and key come from a seeded generator: see :func:`encrypted`);
tests/test_validate_corpus.py checks every file is current.
"""

from __future__ import annotations

import io
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "files"
sys.path.insert(0, str(HERE.parent.parent / "src"))

from xlsxwriter.utility import xl_col_to_name  # noqa: E402

from sdgxl.catalogue import Catalogue, bundled  # noqa: E402
from sdgxl.catalogue.excel import export_xlsx  # noqa: E402
from sdgxl.demo.fill import Entry, FormFile  # noqa: E402
from sdgxl.demo.samples import sample_entries, sample_narratives  # noqa: E402
from sdgxl.forms.generate import generate_forms  # noqa: E402
from sdgxl.forms.spec import NARR_COL, build_spec  # noqa: E402


def column(key: str) -> str:
    return str(xl_col_to_name(NARR_COL[key]))

YEAR = 2026


def forms(tmp: Path, year: int = YEAR, cat: Catalogue | None = None, lang: str = "vi") -> dict[str, Path]:
    res = generate_forms(cat or bundled(), year, tmp / f"{year}-{lang}-{id(cat)}", lang=lang,
                         agencies=["SYT", "SNNMT"])
    return {r.agency: r.path for r in res}


def filled(path: Path, agency: str, year: int = YEAR, en: bool = False) -> FormFile:
    ff = FormFile(path)
    entries = sample_entries(YEAR, agency)
    if en:
        tr = {"Có số liệu": "Has data", "Ước tính": "Estimate", "Chưa có số liệu": "No data yet"}
        for e in entries:
            e.status = tr.get(e.status or "", e.status)
    ff.fill(entries)
    # a narrative on every target the agency leads: the sample's text where there is one
    texts = sample_narratives(YEAR, agency)
    done = "Done as the plan asks." if en else "Đã triển khai các nhiệm vụ theo Kế hoạch."
    spec = build_spec(bundled(), agency, year, lang="en" if en else "vi")
    ff.write_narratives({n.target: texts.get(n.target, (done, None, None)) for n in spec.narratives if n.required})
    return ff


def build(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        f = forms(tmp)
        syt, nn = f["SYT"], f["SNNMT"]  # 2026: after the 2025 reorganisation

        def case(name: str, base: Path = syt, agency: str = "SYT", entries: list[Entry] | None = None,
                 edit=None) -> None:  # type: ignore[no-untyped-def]
            ff = filled(base, agency)
            if entries:
                ff.fill(entries)
            if edit:
                edit(ff)
            files[f"{name}.xlsx"] = ff.to_bytes()

        case("ok")
        case("missing_with_status", entries=[Entry("2.1", None, "Chưa có số liệu")],
             edit=lambda ff: ff.set_cell("J9", "", "text"))
        case("number_as_text", entries=[Entry("2.2", "19,4", kind="text")])
        case("count_thousands_dot", syt, "SYT", [Entry("8.7#so-luong", "4.620", kind="text")])
        case("number_ambiguous", nn, "SNNMT", [Entry("2.3", "47.800", kind="text")])
        case("percent_typed", entries=[Entry("3.7", 0.864, percent_format=True)])
        case("out_of_range", entries=[Entry("3.3", 239)])
        case("not_whole", entries=[Entry("3.2a", 126.5)])
        case("not_number", entries=[Entry("2.1", "chưa tổng hợp", kind="text")])
        case("number_with_words", entries=[Entry("2.1", "khoảng 9", kind="text")])
        case("formula_nocache", entries=[Entry("3.2a", "=100+26", kind="formula_nocache")])
        case("formula_cached", entries=[Entry("3.2a", "=100+26", kind="formula", cached=126)])
        case("error_value", entries=[Entry("3.1a", "#DIV/0!", kind="error")])
        case("value_missing", edit=lambda ff: (ff.set_cell("J9", "", "text"), ff.set_cell("K9", "", "text")))
        case("status_invalid", entries=[Entry("2.1", status="Đã có")])
        case("status_conflict", entries=[Entry("2.1", status="Chưa có số liệu")])
        case("text_too_long", entries=[Entry("3.4", "Đã triển khai. " * 40)])
        case("far_from_roadmap", entries=[Entry("2.1", 45)])
        case("locked_changed", edit=lambda ff: (ff.unprotect(), ff.set_cell("I9", "< 10", "text")))
        case("row_deleted", edit=lambda ff: ff.delete_row("3.2b"))
        case("row_inserted", edit=lambda ff: ff.insert_row("3.3", {"D": "Tổng", "J": 250}))
        case("rows_swapped", edit=lambda ff: ff.swap_rows("2.1", "2.2"))
        case("row_duplicate", edit=lambda ff: ff.copy_row_to_new("2.1", 40))
        case("row_unknown", edit=lambda ff: ff.set_cell("O23", "9.9", "text"))
        case("note_formula_text", entries=[Entry("2.1", note="=1+1"), Entry("2.2", source="+84 297 3862 000")])
        case("tampered_year", edit=lambda ff: ff.set_meta("year", "2025"))
        case("format_version", edit=lambda ff: ff.set_meta("format_version", "99"))
        case("catalogue_unknown", edit=lambda ff: ff.set_meta("catalogue_id", "an-giang-2018"))

        def rename_sheet(ff: FormFile) -> None:
            part = "xl/workbook.xml"
            ff.parts[part] = ff.parts[part].replace('name="Chỉ tiêu"'.encode(), b'name="Sheet1"')

        case("sheet_renamed", edit=rename_sheet)

        def narrative(target: str, results: str) -> Callable[[FormFile], Any]:
            def edit(ff: FormFile) -> None:
                sheet = ff.meta["narrative_sheet"]
                ff.set_cell(f"{column('results')}{ff.narratives[target]}", results, "text", sheet=sheet)
                for key in ("difficulties", "proposals"):
                    ff.set_cell(f"{column(key)}{ff.narratives[target]}", "", "text", sheet=sheet)
            return edit

        # a target SYT leads left empty; a narrative over the limit; one that starts with "="
        case("narrative_missing", edit=narrative("3.1", ""))
        case("narrative_too_long", edit=narrative("3.2", "Đã triển khai. " * 250))
        case("narrative_formula_text", edit=narrative("3.3", "=SUM(A1:A3) là cách tính tổng, không phải công thức"))
        # a 2025 form, filled and sent in 2026
        old = forms(tmp, 2025)["SYT"]
        files["last_year_form.xlsx"] = filled(old, "SYT").to_bytes()
        # a form made from an older catalogue version (one roadmap cell differed)
        data = bundled().model_dump()
        for ind in data["indicators"]:
            if ind["code"] == "2.1":
                ind["roadmap"]["2025"] = {"text": "10", "kind": "number", "value": 10.0}
        stale = forms(tmp, YEAR, Catalogue.model_validate(data))["SYT"]
        files["stale_catalogue.xlsx"] = filled(stale, "SYT").to_bytes()
        en = forms(tmp, YEAR, lang="en")["SYT"]
        files["english_ok.xlsx"] = filled(en, "SYT", en=True).to_bytes()
        # not ours
        export_xlsx(bundled(), tmp / "cat.xlsx")
        files["Bao_cao_SYT_tu_lam.xlsx"] = (tmp / "cat.xlsx").read_bytes()
        files["renamed_pdf.xlsx"] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
        files["empty.xlsx"] = b""
        files["truncated.xlsx"] = files["ok.xlsx"][: len(files["ok.xlsx"]) // 2]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zi = zipfile.ZipInfo("[Content_Types].xml", (1980, 1, 1, 0, 0, 0))
            zf.writestr(zi, "<Types/>")
            zf.writestr(zipfile.ZipInfo("word/document.xml", (1980, 1, 1, 0, 0, 0)), "<w:document/>")
        files["word.docx.xlsx"] = buf.getvalue()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            zf.writestr(zipfile.ZipInfo("[Content_Types].xml", (1980, 1, 1, 0, 0, 0)), "<Types/>")
            zf.writestr(zipfile.ZipInfo("xl/workbook.xml", (1980, 1, 1, 0, 0, 0)), "<workbook/>")
            zi = zipfile.ZipInfo("xl/worksheets/sheet1.xml", (1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(zi, "w") as fh:
                chunk = b" " * (1024 * 1024)
                for _ in range(120):
                    fh.write(chunk)
        files["bomb.xlsx"] = buf.getvalue()
        import xlwt

        wb = xlwt.Workbook()
        ws = wb.add_sheet("Chi tieu")
        ws.write(0, 0, "Sở Y tế")
        b = io.BytesIO()
        wb.save(b)
        files["old_format.xls"] = b.getvalue()
        files["encrypted.xlsx"] = encrypted(files["ok.xlsx"], "matkhau")


def encrypted(plain: bytes, password: str, seed: int = 2026) -> bytes:
    """``plain`` encrypted with ``password`` (ECMA-376 agile, what Excel's "Encrypt with
    password" writes), the same bytes every run. msoffcrypto-tool takes only the password
    salt as an argument; it draws its other salts, the file key and the HMAC salt from
    ``secrets`` (``ecma376_agile._random_buffer``) and stamps the OLE directory with
    ``datetime.now()``. For this test file both are replaced by a generator seeded with
    ``seed`` and a fixed time: a corpus file needs no secrecy, its bytes must not change.
    ``mock.patch.object`` fails loudly if a later msoffcrypto-tool renames either."""
    import datetime as dt
    import random
    from unittest import mock

    import msoffcrypto.method.container.ecma376_encrypted as container
    import msoffcrypto.method.ecma376_agile as agile
    from msoffcrypto.format.ooxml import OOXMLFile

    rng = random.Random(seed)

    class _Fixed(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> _Fixed:
            return cls(2026, 1, 1, tzinfo=tz)

    enc = io.BytesIO()
    with mock.patch.object(agile, "_random_buffer", rng.randbytes), mock.patch.object(container, "datetime", _Fixed):
        OOXMLFile(io.BytesIO(plain)).encrypt(password, enc)
    return enc.getvalue()


def main() -> None:
    files: dict[str, bytes] = {}
    build(files)
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    for name, data in sorted(files.items()):
        (OUT / name).write_bytes(data)
    print(f"{len(files)} files in {OUT}")


if __name__ == "__main__":
    main()
