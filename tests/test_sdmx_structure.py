"""The provincial dataflow's structure (SDMX-ML 2.1), written beside the SDMX-CSV: read back with
pysdmx (which validates it against the SDMX schemas), and the CSV's provincial rows read against it."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pysdmx  # noqa: F401  (a test dependency: a missing one fails, never skips)
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdgxl.outputs.sdmx import ATTRIBUTES, DIMENSIONS, provincial_flow
from sdgxl.outputs.sdmx_structure import (
    GLOBAL_CODELISTS,
    structure_path,
    write_provincial_structure,
    write_sdmx_with_structure,
)
from tests.test_publish import _cat, _con, _row

COM = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}"
STR = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure}"


@pytest.fixture
def con():
    cat = _cat()
    rows = [_row(cat, "16.8", {2023: 97.0, 2024: 98.5}, status="estimate"),  # global series
            _row(cat, "1.1b", {2024: 3.1, 2025: 2.9}, status="estimate"),
            _row(cat, "3.9", {2024: 40.0}, "nam"), _row(cat, "3.9", {2024: 2.0}, "nu"),
            _row(cat, "2.4", {2024: 2.0, 2025: 2.5}, "lua"), _row(cat, "2.4", {2024: 2.5}, "rau"),
            _row(cat, "2.3", {2025: 61.2}), _row(cat, "8.7", {2025: 1.5}, "ty-le")]
    return _con(rows, cat)


def _provincial_only(csv_path: Path, out: Path, flow: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    prov = [r for r in rows if r["STRUCTURE_ID"] == flow]
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(prov)
    return prov


def test_structure_is_written_beside_the_csv_and_reads_back(con, tmp_path):
    from pysdmx.io import get_datasets, read_sdmx

    res = write_sdmx_with_structure(con, tmp_path / "2025_sdmx.csv", version=2, area_code="KIEN_GIANG")
    assert res.structure == tmp_path / "2025_sdmx-structure.xml" == structure_path(res.path)
    assert res.structure.exists()
    msg = read_sdmx(str(res.structure))  # validated against the SDMX-ML 2.1 schemas
    (flow,) = msg.get_dataflows()
    assert (flow.agency, flow.id, flow.version) == provincial_flow(con.catalogue)
    (dsd,) = msg.get_data_structure_definitions()
    dims = [c.id for c in dsd.components if c.role.value == "D"]
    assert dims == [*DIMENSIONS, "TIME_PERIOD"]  # the SDG structure's dimensions, in its order
    assert [c.id for c in dsd.components if c.role.value == "A"] == list(ATTRIBUTES)
    assert [c.id for c in dsd.components if c.role.value == "M"] == ["OBS_VALUE"]
    series = msg.get_codelist("Codelist=SDGXL:CL_SERIES_PROV_TEST(1.0)")
    codes = {c.id: c.name for c in series}
    assert codes["PROV_1_1B"].startswith("Multidimensional poverty rate [1.1b]")
    assert codes["PROV_2_4_LUA"].endswith("– Rice [2.4 (Lúa)]")
    assert "PROV_16_8" not in codes  # 16.8 goes to the global flow under SG_REG_BRTH
    # the global code lists by reference: their agency, id and version of IAEG-SDGs:SDG(1.14), partial copies
    sex = next(c for c in dsd.components if c.id == "SEX").enumeration
    assert (sex.agency, sex.id, sex.version, sex.is_partial) == ("IAEG-SDGs", "CL_SEX", "1.1", True)
    assert {c.id for c in sex} == {"_T", "M", "F"}  # 3.9's components mean SEX = M / F
    for comp in dsd.components:
        if comp.id in GLOBAL_CODELISTS:
            assert (comp.enumeration.agency, comp.enumeration.id, comp.enumeration.version) == \
                GLOBAL_CODELISTS[comp.id], comp.id
    # the CSV's provincial rows, read against the structure
    flow_ref = f"SDGXL:{provincial_flow(con.catalogue)[1]}(1.0)"
    prov = _provincial_only(res.path, tmp_path / "prov.csv", flow_ref)
    assert {r["SERIES"] for r in prov} == {"PROV_1_1B", "PROV_3_9", "PROV_2_4_LUA", "PROV_2_4_RAU", "PROV_2_3",
                                           "PROV_8_7_TY_LE"}
    (ds,) = get_datasets(str(tmp_path / "prov.csv"), str(res.structure))
    assert ds.short_urn == f"Dataflow={flow_ref}"
    for comp in ds.structure.components:
        if comp.enumeration is not None:
            allowed = {c.id for c in comp.enumeration}
            assert set(ds.data[comp.id]) <= allowed, (comp.id, set(ds.data[comp.id]) - allowed)
    assert set(ds.data["SERIES"]) <= set(codes)
    assert set(ds.data["OBS_STATUS"]) == {"A", "E"} and set(ds.data["REF_AREA"]) == {"KIEN_GIANG"}
    assert len(ds.data) == len(prov) == 2 + 2 + 3 + 1 + 1


def test_series_names_in_vietnamese_and_english(con, tmp_path):
    path = tmp_path / "s.xml"
    write_provincial_structure(con.catalogue, path, area_code="KIEN_GIANG")
    root = ET.parse(path).getroot()
    cl = next(e for e in root.iter(f"{STR}Codelist") if e.get("id") == "CL_SERIES_PROV_TEST")
    names = {code.get("id"): {n.get("{http://www.w3.org/XML/1998/namespace}lang"): n.text
                              for n in code.findall(f"{COM}Name")} for code in cl.findall(f"{STR}Code")}
    ind = con.catalogue.indicator("1.1b")
    assert names["PROV_1_1B"] == {"vi": f"{ind.name} [1.1b]", "en": f"{ind.name_en} [1.1b]"}
    # every provincial series of the catalogue, each named in both languages
    assert len(names) == 119 and all(set(n) == {"vi", "en"} for n in names.values())
    flow = next(root.iter(f"{STR}Dataflow"))
    assert {n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in flow.findall(f"{COM}Name")} == {"vi", "en"}


def test_structure_is_deterministic(con, tmp_path):
    write_sdmx_with_structure(con, tmp_path / "a.csv", version=1, area_code="X")
    write_sdmx_with_structure(con, tmp_path / "b.csv", version=1, area_code="X")
    assert (tmp_path / "a-structure.xml").read_bytes() == (tmp_path / "b-structure.xml").read_bytes()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=60))
def test_any_indicator_name_stays_well_formed(tmp_path_factory, text):
    from pysdmx.io import read_sdmx

    cat = _cat()
    ind = cat.indicator("1.1b").model_copy(update={"name": text, "name_en": text + " <&>"})
    cat = cat.model_copy(update={"indicators": [ind if i.code == "1.1b" else i for i in cat.indicators]})
    path = tmp_path_factory.mktemp("s") / "s.xml"
    write_provincial_structure(cat, path, area_code="KIEN_GIANG")
    msg = read_sdmx(str(path))
    series = msg.get_codelist("Codelist=SDGXL:CL_SERIES_PROV_TEST(1.0)")
    assert next(c for c in series if c.id == "PROV_1_1B").name.endswith("<&> [1.1b]")  # markup stays text


def test_every_area_code_and_unit_multiplier_is_listed(con, tmp_path):
    from pysdmx.io import read_sdmx

    from sdgxl.outputs.sdmx import AreaCodes

    path = tmp_path / "s.xml"
    write_provincial_structure(con.catalogue, path, area_code=AreaCodes("91", ((2025, "91X"),)))
    msg = read_sdmx(str(path))
    (dsd,) = msg.get_data_structure_definitions()
    enum = {c.id: c.enumeration for c in dsd.components if c.enumeration is not None}
    assert [c.id for c in enum["REF_AREA"]] == ["91", "91X"]  # [publish] and the period's code
    assert [c.id for c in enum["UNIT_MULT"]] == ["0", "6", "9"]  # triệu tấn.km (9.1a), tỷ đồng (17.5)
    units = {c.id: c.name for c in enum["UNIT_MEASURE"]}
    assert units["PT"] == "Percent" and units["CUR_LCU"] == "Local currency" and "KWH" in units
    assert "TRIEU_DONG" not in units  # triệu đồng is CUR_LCU × 10⁶


def test_an_area_code_is_named_for_what_it_covers_in_each_period():
    """Code 91 goes on meaning the former Kiên Giang's ground under the new An Giang: its name
    says so; a period with a code of its own gets its own name."""
    from sdgxl.outputs.sdmx import AreaCodes
    from sdgxl.outputs.sdmx_structure import provincial_structure

    cat = _cat()
    (same,) = provincial_structure(cat, area_code=AreaCodes("91", ((2025, "91"),))).areas
    assert same.id == "91" and same.vi.startswith(cat.source.province + "; từ 2025: An Giang")
    assert same.en is not None and "from 2025: An Giang" in same.en
    first, second = provincial_structure(cat, area_code=AreaCodes("91", ((2025, "KG_OLD"),))).areas
    assert (first.id, first.vi) == ("91", cat.source.province)
    assert second.id == "KG_OLD" and second.vi.startswith("An Giang") and "từ" not in second.vi
