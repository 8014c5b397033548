"""Areas: one ledger holds several territories, each collected with its own catalogue (the
merged province's two predecessor plans; here Kiên Giang's and a synthetic second plan),
on SQLite and on a real PostgreSQL server; outputs per area, a combined view of the
indicators the areas share, the merge draft of a successor plan, and an old ledger's rows
given the installation's area."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sdgxl.catalogue import bundled
from sdgxl.catalogue.excel import import_xlsx
from sdgxl.catalogue.merge import merge_catalogues
from sdgxl.catalogue.models import Catalogue
from sdgxl.collect import collect
from sdgxl.consolidate import combine, consolidate
from sdgxl.demo.fill import Entry, FormFile
from sdgxl.forms.generate import generate_forms
from sdgxl.ledger import Ledger, LedgerBusy
from tests.conftest import assert_no_traceback, run_cli

VN = dt.timezone(dt.timedelta(hours=7))
YEAR = 2026


def synthetic_plan() -> Catalogue:
    """A second province's plan: goals 1–5 of Kiên Giang's with what differs between real
    plans (a unit, a roadmap, one code used for another indicator, one indicator under
    another code)."""
    data = bundled().model_dump(mode="json")
    data["id"] = "an-giang-2018"
    data["source"] = {"title": "Kế hoạch SDG tỉnh An Giang (tổng hợp để kiểm thử)", "province": "An Giang"}
    data["successions"] = []
    inds = [i for i in data["indicators"] if int(i["target"].split(".")[0]) <= 5]
    for i in inds:
        if i["code"] == "2.1":
            i["unit"] = "‰"
        if i["code"] == "3.1a":
            i["roadmap"]["2030"] = {"text": "30", "kind": "number", "value": 30.0}
        if i["code"] == "4.1a":
            i["name"] = "Số trường học đạt chuẩn quốc gia trên địa bàn tỉnh"
        if i["code"] == "5.6":
            i["code"] = i["code_printed"] = "5.9"
    data["indicators"] = inds
    codes = {i["target"] for i in inds}
    data["targets"] = [t for t in data["targets"] if t["code"] in codes or t["goal"] <= 5]
    data["goals"] = [g for g in data["goals"] if g["number"] <= 5]
    return Catalogue.model_validate(data)


def fill(form: Path, inbox: Path, agency: str, entries: list[Entry], day: int = 5) -> Path:
    dst = inbox / agency / form.name
    dst.parent.mkdir(parents=True, exist_ok=True)
    FormFile(form).fill(entries).save(dst)
    ts = dt.datetime(YEAR, 11, day, 9, tzinfo=VN).timestamp()
    os.utime(dst, (ts, ts))
    return dst


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    out = tmp_path_factory.mktemp("plans")
    second = synthetic_plan()
    path = out / "an-giang.json"
    path.write_text(second.model_dump_json(), encoding="utf-8")
    return {"kien-giang": (bundled(), None), "an-giang": (second, path)}


def test_two_areas_in_one_ledger(tmp_path, plans, ledger_db):
    results = {}
    for area, value in (("kien-giang", 9.5), ("an-giang", 7.25)):
        cat, _ = plans[area]
        form = generate_forms(cat, YEAR, tmp_path / f"forms-{area}", agencies=["SYT"])[0].path
        inbox = tmp_path / f"in-{area}"
        fill(form, inbox, "SYT", [Entry("2.1", value)])
        results[area] = collect(inbox, cat, year=YEAR, out_dir=tmp_path / f"out-{area}", db=ledger_db,
                                feedback=False, area=area)
    # the same agency, year and row in two areas: both current (no supersession across areas)
    for area, value in (("kien-giang", 9.5), ("an-giang", 7.25)):
        con = results[area].consolidation
        assert con is not None
        assert next(r for r in con.rows if r.key == "2.1").years[YEAR].value == value
        with Ledger(ledger_db, area) as ledger:
            obs = ledger.observations(YEAR)
            assert {o["area"] for o in obs} == {area} and {s.area for s in ledger.submissions(YEAR)} == {area}
            assert all(o["superseded_by"] is None for o in obs)
    with Ledger(ledger_db) as everything:  # no area: every area's rows
        assert {o["area"] for o in everything.observations(YEAR)} == {"kien-giang", "an-giang"}
    # outputs per area: each area's table and data carry its own values and its area
    df = pd.read_csv(results["an-giang"].csv, encoding="utf-8-sig")
    assert set(df["area"]) == {"an-giang"} and 7.25 in set(df["value"]) and 9.5 not in set(df["value"])
    assert results["an-giang"].consolidation is not None
    assert len(results["an-giang"].consolidation.rows) < len(results["kien-giang"].consolidation.rows)
    # the combined view: shared indicators matched by code, and 5.6 ↔ 5.9 through a mapping
    shared = {r.key: r for r in combine(ledger_db, {a: c for a, (c, _) in plans.items()}, YEAR)}
    assert "2.1" in shared and "8.3" not in shared and "5.6" not in shared
    cells = shared["2.1"].cells
    assert cells["kien-giang"] is not None and cells["kien-giang"].value == 9.5
    assert cells["an-giang"] is not None and cells["an-giang"].value == 7.25
    mapped = {r.key for r in combine(ledger_db, {a: c for a, (c, _) in plans.items()}, YEAR,
                                     mapping={"an-giang": {"5.9": "5.6"}})}
    assert "5.6" in mapped


def test_cli_areas_and_the_combined_view(tmp_path, plans):
    db = str(tmp_path / "l.sqlite")
    for area, value in (("kien-giang", 9.5), ("an-giang", 7.25)):
        cat, path = plans[area]
        form = generate_forms(cat, YEAR, tmp_path / f"forms-{area}", agencies=["SYT"])[0].path
        inbox = tmp_path / f"in-{area}"
        fill(form, inbox, "SYT", [Entry("2.1", value)])
        args = ["collect", str(inbox), "--year", str(YEAR), "--db", db, "--out", str(tmp_path / area),
                "--area", area, "--no-feedback"] + (["--catalogue", str(path)] if path else [])
        proc = run_cli(*args)
        assert proc.returncode in (0, 1), proc.stderr
    proc = run_cli("export", "--year", str(YEAR), "--db", db, "--area", "an-giang", "--format", "json",
                   "--out", str(tmp_path / "ag.json"), "--catalogue", str(plans["an-giang"][1]))
    assert proc.returncode == 0, proc.stderr
    rows = json.loads((tmp_path / "ag.json").read_text(encoding="utf-8"))
    assert {r["area"] for r in rows} == {"an-giang"}
    mapping = tmp_path / "map.toml"
    mapping.write_text('[an-giang]\n"5.9" = "5.6"\n', encoding="utf-8")
    out = tmp_path / "combined.csv"
    proc = run_cli("combined", "--year", str(YEAR), "--db", db, "--plan", "kien-giang",
                   "--plan", f"an-giang={plans['an-giang'][1]}", "--mapping", str(mapping), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out, encoding="utf-8-sig")
    row = table[table["key"] == "2.1"].iloc[0]
    assert row["kien-giang"] == 9.5 and row["an-giang"] == 7.25
    assert "5.6" in set(table["key"])
    shown = run_cli("combined", "--year", str(YEAR), "--db", db, "--plan", "kien-giang",
                    "--plan", f"an-giang={plans['an-giang'][1]}", "--mapping", str(mapping))
    line = next(x for x in shown.stdout.splitlines() if x.startswith("│ 2.1 "))
    assert "9,5" in line and "7,25" in line and "9.5" not in line  # the language's numbers
    bad = run_cli("collect", str(tmp_path), "--db", db, "--area", "Kiên Giang")
    assert bad.returncode == 2
    assert_no_traceback(bad)


def test_two_collectors_of_different_areas_at_once(tmp_path, plans, ledger_db):
    """Each holds its area's lock; neither waits for the other's, both finish whole."""
    inboxes = {}
    for area in ("kien-giang", "an-giang"):
        cat, _ = plans[area]
        forms = generate_forms(cat, YEAR, tmp_path / f"forms-{area}")
        inbox = tmp_path / f"in-{area}"
        for n, f in enumerate(forms):
            fill(f.path, inbox, f.agency, [], day=1 + n % 10)
        inboxes[area] = (inbox, len(forms))
    errors: list[BaseException] = []
    done: dict[str, int] = {}

    def run(area: str) -> None:
        try:
            res = collect(inboxes[area][0], plans[area][0], year=YEAR, out_dir=tmp_path / f"o-{area}",
                          db=ledger_db, feedback=False, area=area, jobs=1)
            done[area] = len(res.new)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in inboxes]
    with Ledger.open_exclusive(ledger_db, wait=1, area="kien-giang"):
        with pytest.raises(LedgerBusy), Ledger.open_exclusive(ledger_db, wait=0.5, area="kien-giang"):
            pass  # a second collect of the same area waits, then says the ledger is busy
        # another collect of kien-giang would wait here; an-giang's goes through meanwhile
        t_ag = threads[1]
        t_ag.start()
        t_ag.join(timeout=300)
        assert not t_ag.is_alive() and done.get("an-giang") == inboxes["an-giang"][1], errors
    threads[0].start()
    threads[0].join(timeout=300)
    assert not errors, errors
    assert done == {a: n for a, (_, n) in inboxes.items()}
    with Ledger(ledger_db) as ledger:
        subs = ledger.submissions(YEAR)
    assert len(subs) == sum(n for _, n in inboxes.values())
    assert {s.area for s in subs} == {"kien-giang", "an-giang"}


def test_the_merge_draft(tmp_path, plans):
    first, second = plans["kien-giang"][0], plans["an-giang"][0]
    draft = merge_catalogues([first, second], id="an-giang-2026")
    kinds = {(r.kind, r.code, r.other_code) for r in draft.review}
    assert ("match", "2.1", "2.1") in kinds and ("unit", "2.1", "2.1") in kinds
    assert ("roadmap", "3.1a", "3.1a") in kinds
    assert ("code-taken", "4.1a", "4.1a") in kinds
    assert ("proposed", "5.6", "5.9") in kinds
    assert not any(r.kind in ("unit", "roadmap") and r.code == "2.2" for r in draft.review)
    codes = [i.code for i in draft.catalogue.indicators]
    assert len(codes) == len(set(codes)) == len(first.indicators) + 1  # 5.9 added beside 5.6
    assert draft.catalogue.indicator("2.1").unit == first.indicator("2.1").unit  # the first plan's, named in review
    assert draft.mapping()["an-giang-2018"]["5.9"] == "5.6"


def test_cli_catalogue_merge_writes_json_and_the_planners_workbook(tmp_path, plans):
    out = tmp_path / "successor.json"
    a = tmp_path / "kg.json"
    a.write_text(bundled().model_dump_json(), encoding="utf-8")
    proc = run_cli("catalogue", "merge", str(a), str(plans["an-giang"][1]), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "4.1a" in proc.stdout
    draft = Catalogue.model_validate_json(out.read_text(encoding="utf-8"))
    assert "5.9" in {i.code for i in draft.indicators}
    book = out.with_suffix(".xlsx")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == "Hợp nhất"
    review = [r for r in wb["Hợp nhất"].iter_rows(min_row=2, values_only=True)]
    assert any(r[0] == "unit" and r[1] == "2.1" for r in review)
    back = import_xlsx(book)  # the planner edits it and imports it as any catalogue
    assert {i.code for i in back.indicators} == {i.code for i in draft.indicators}
    proc = run_cli("catalogue", "merge", str(a), "--out", str(out))
    assert proc.returncode == 2
    assert_no_traceback(proc)


def test_an_old_ledger_gets_the_installations_area(tmp_path):
    from sqlalchemy import inspect, text

    from sdgxl.ledger import SCHEMA_VERSION

    db = tmp_path / "old.sqlite"
    ledger = Ledger(db)
    with ledger.engine.begin() as conn:
        for ix in ("ix_observations_area_current", "ix_observations_area_key", "ix_submissions_area_agency_year"):
            conn.execute(text(f"DROP INDEX {ix}"))
        conn.execute(text("ALTER TABLE submissions DROP COLUMN area"))
        conn.execute(text("ALTER TABLE observations DROP COLUMN area"))
        conn.execute(text("UPDATE sdgxl_meta SET value = '5' WHERE key = 'schema_version'"))
        conn.execute(text(
            "INSERT INTO submissions (sha256, file_name, file_path, agency, year, collected_for, received_at, "
            "received_source, collected_at, readable, valid, errors, warnings) VALUES ('x', 'a.xlsx', 'a.xlsx', "
            "'SYT', 2024, 2024, '2024-11-10T02:00:00+00:00', 'saved', '2024-11-21T02:00:00+00:00', 1, 1, 0, 0)"))
        conn.execute(text(
            "INSERT INTO observations (submission_id, year, agency, indicator, component, row_key, value, ok, codes) "
            "VALUES (1, 2024, 'SYT', '2.1', '', '2.1', 9.9, 1, '')"))
    ledger.close()
    with Ledger(db, "kien-giang") as ledger:
        with ledger.engine.connect() as conn:
            assert conn.execute(text("SELECT value FROM sdgxl_meta")).scalar() == str(SCHEMA_VERSION)
            names = {i["name"] for i in inspect(conn).get_indexes("observations")}
        assert "ix_observations_area_current" in names
        (sub,) = ledger.submissions(2024)
        assert sub.area == "kien-giang"
        con = consolidate(bundled(), ledger, 2024)
        assert next(r for r in con.rows if r.key == "2.1").years[2024].value == 9.9
    with Ledger(db, "an-giang") as other:
        assert other.submissions(2024) == []
