"""The structure of the provincial dataflow, as an SDMX-ML 2.1 structure message.

The SDMX-CSV export (:mod:`sdgxl.outputs.sdmx`) sends the indicators with no global series to
the province's own dataflow, with SERIES codes ``PROV_<code>`` that no registry knows. This
message says what they are, so a receiver can read those observations:

* the dataflow (:func:`sdgxl.outputs.sdmx.provincial_flow`), named in Vietnamese and English;
* its data structure ``SDG_PROV_<CATALOGUE_ID>``: the dimensions and attributes of the global
  SDG data structure, in its order, with the SDG concepts (``IAEG-SDGs:SDG_CONCEPTS(1.0)``) and
  the global code lists by reference wherever the export's codes are theirs (FREQ ``A``,
  REPORTING_TYPE ``N``, ``_T`` and the components' SEX / AGE codes, UNIT_MULT ``0``, OBS_STATUS
  ``A`` / ``E``, NATURE ``C``);
* three code lists of its own, where the export's codes are not the global ones: the
  provincial series (each named after its indicator, and component, in Vietnamese and, where
  the catalogue has it, English, with the plan's code), the area (``[publish] area_code``) and
  the units the provincial series are sent in (the global unit codes sdgxl uses, named as in
  the global list, and the plan's own units in ASCII: :func:`sdgxl.outputs.sdmx.unit_measure`);
* the referenced global code lists and the SDG concepts as *partial* copies (SDMX 2.1's
  ``isPartial="true"``: a subset of the maintained scheme, same agency, id and version) holding
  only the codes and concepts the flow uses, so that the message is complete for a reader
  (pysdmx resolves every reference inside the message) without claiming to be the registry's
  lists. A code whose name sdgxl does not know is named by its id.

The references are those of the SDG data structure ``IAEG-SDGs:SDG(1.14)`` as sdg-build's
test data holds it (open-sdg/sdg-build, commit 0b450bf, ``tests/assets/data/sdmx/dsd.xml``):
the code list each dimension and attribute is enumerated by, with its agency and version
(:data:`GLOBAL_CODELISTS`), the concepts' names, and the codes sdgxl sends with their English
names (:data:`CODE_NAMES`: CL_NATURE has ``C`` "Country Data", SDMX's CL_OBS_STATUS ``E``
"Estimated value").

The message is written as text (no SDMX library needed to write it), deterministically: same
catalogue and settings, same bytes (the header's ``Prepared`` is a fixed date, as the
workbooks' creation date is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from sdgxl.catalogue.models import Catalogue, Component, Indicator
from sdgxl.catalogue.sdg_codes import SEX_CODES
from sdgxl.consolidate import Consolidation
from sdgxl.fileio import atomic_write_bytes
from sdgxl.outputs.sdmx import (
    ATTRIBUTES,
    DIMENSIONS,
    UNIT_CODES,
    AreaCodes,
    SdmxResult,
    provincial_flow,
    row_series,
    unit_measure,
    write_sdmx_csv,
)

__all__ = ["GLOBAL_CODELISTS", "ProvincialStructure", "provincial_structure", "structure_path",
           "write_provincial_structure", "write_sdmx_with_structure"]

SDG_CONCEPTS = ("IAEG-SDGs", "SDG_CONCEPTS", "1.0")
# dimension / attribute → (agency, code list, version) in IAEG-SDGs:SDG(1.14)
GLOBAL_CODELISTS: dict[str, tuple[str, str, str]] = {
    "FREQ": ("SDMX", "CL_FREQ", "2.0"),
    "REPORTING_TYPE": ("IAEG-SDGs", "CL_REPORTING_TYPE", "1.0"),
    "SEX": ("IAEG-SDGs", "CL_SEX", "1.1"),
    "AGE": ("IAEG-SDGs", "CL_AGE", "1.12"),
    "URBANISATION": ("IAEG-SDGs", "CL_URBANISATION", "1.10"),
    "INCOME_WEALTH_QUANTILE": ("IAEG-SDGs", "CL_QUANTILE", "1.1"),
    "EDUCATION_LEV": ("IAEG-SDGs", "CL_EDUCATION_LEV", "1.10"),
    "OCCUPATION": ("IAEG-SDGs", "CL_OCCUPATION", "1.8"),
    "CUST_BREAKDOWN": ("IAEG-SDGs", "CL_CUST_BREAKDOWN", "1.14"),
    "COMPOSITE_BREAKDOWN": ("IAEG-SDGs", "CL_COMP_BREAKDOWN", "1.14"),
    "DISABILITY_STATUS": ("IAEG-SDGs", "CL_DISABILITY", "1.0"),
    "ACTIVITY": ("IAEG-SDGs", "CL_ACTIVITY", "1.6"),
    "PRODUCT": ("IAEG-SDGs", "CL_PRODUCT", "1.0"),
    "UNIT_MULT": ("SDMX", "CL_UNIT_MULT", "1.1"),
    "OBS_STATUS": ("SDMX", "CL_OBS_STATUS", "2.1"),
    "NATURE": ("IAEG-SDGs", "CL_NATURE", "1.0"),
}
# names in IAEG-SDGs:SDG_CONCEPTS(1.0), as in SDG(1.14)
CONCEPT_NAMES = {
    "FREQ": "Frequency of observation", "REPORTING_TYPE": "Reporting type", "SERIES": "SDG Series",
    "REF_AREA": "Reference area", "SEX": "Sex", "AGE": "Age", "URBANISATION": "Degree of urbanisation",
    "INCOME_WEALTH_QUANTILE": "Income or wealth quantile", "EDUCATION_LEV": "Education level",
    "OCCUPATION": "Occupation", "CUST_BREAKDOWN": "Custom Breakdown", "COMPOSITE_BREAKDOWN": "Composite breakdown",
    "DISABILITY_STATUS": "Disability status", "ACTIVITY": "Economic activity", "PRODUCT": "Type of product",
    "TIME_PERIOD": "Time period", "UNIT_MEASURE": "Unit of measure", "UNIT_MULT": "Unit multiplier",
    "OBS_STATUS": "Observation status", "NATURE": "Nature of data points",
    "COMMENT_OBS": "Observation-level footnotes", "OBS_VALUE": "Observation value",
}
# the English names of the global codes sdgxl sends, by code list (as in SDG(1.14))
CODE_NAMES: dict[str, dict[str, str]] = {
    "CL_FREQ": {"A": "Annual"}, "CL_REPORTING_TYPE": {"N": "National"},
    "CL_UNIT_MULT": {"0": "Units", "6": "Millions", "9": "Billions"},
    "CL_OBS_STATUS": {"A": "Normal value", "E": "Estimated value"}, "CL_NATURE": {"C": "Country Data"},
    "CL_SEX": SEX_CODES,
    "CL_AGE": {"_T": "All age ranges or no breakdown by age"}, "CL_URBANISATION": {"_T": "Total"},
    "CL_QUANTILE": {"_T": "Total (national average) or no breakdown"},
    "CL_EDUCATION_LEV": {"_T": "Total or no breakdown by education level"},
    "CL_OCCUPATION": {"_T": "All occupations or no breakdown by Occupation"},
    **{cl: {"_T": "No breakdown"} for cl in ("CL_CUST_BREAKDOWN", "CL_COMP_BREAKDOWN", "CL_DISABILITY",
                                             "CL_ACTIVITY", "CL_PRODUCT")},
}
# the codes of the global lists the provincial flow sends besides the components' own
_SENT = {"FREQ": ["A"], "REPORTING_TYPE": ["N"], "OBS_STATUS": ["A", "E"], "NATURE": ["C"]}
# the assignment status of each attribute in IAEG-SDGs:SDG(1.14)
_MANDATORY = {"UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS"}
# Vietnamese names of the unit codes that stand for a unit kind (sdgxl.outputs.sdmx); the
# English names of the global unit codes are sdgxl.outputs.sdmx.UNIT_CODES
_UNIT_NAMES_VI = {"PT": "Phần trăm", "NUMBER": "Số", "IX": "Chỉ số"}
_PREPARED = "2000-01-01T00:00:00"
_NS = ('xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
       'xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" '
       'xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"')


@dataclass(frozen=True)
class Code:
    id: str
    vi: str
    en: str | None


@dataclass(frozen=True)
class ProvincialStructure:
    """What the message defines: the flow and structure (agency, id, version) and its own lists."""

    flow: tuple[str, str, str]
    dsd: tuple[str, str, str]
    series: list[Code]
    areas: list[Code]
    units: list[Code]
    global_codes: dict[str, list[str]]  # dimension / attribute → the codes of its global list sent

    def codelist_id(self, kind: str) -> str:
        return f"CL_{kind}_PROV_{self.dsd[1].removeprefix('SDG_PROV_')}"


def structure_path(csv_path: Path | str) -> Path:
    """Where the structure goes beside an SDMX-CSV file: ``2026_sdmx.csv`` → ``2026_sdmx-structure.xml``."""
    path = Path(csv_path)
    return path.with_name(path.stem + "-structure.xml")


def _rows(ind: Indicator) -> list[Component | None]:
    return list(ind.components) or [None]


def _area_codes(cat: Catalogue, area_code: str | AreaCodes) -> list[Code]:
    """The area's codes, each named for what it covers in every period that uses it: the
    plan's province, then from a period on the territory as that period's outputs name it
    (``Kiên Giang; từ 2025: An Giang – địa bàn tỉnh Kiên Giang cũ``), since one code may go
    on meaning the same ground under a new province."""
    from sdgxl.areas import province_settings, territory

    if isinstance(area_code, str):
        return [Code(area_code, cat.source.province, cat.source.province_en)]
    spans: list[tuple[int | None, str, str, str]] = [
        (None, area_code.base, cat.source.province, cat.source.province_en or cat.source.province)]
    for start, code in sorted(area_code.periods):
        settings = province_settings(start)
        spans.append((start, code, territory(settings, "vi"), territory(settings, "en")))
    names: dict[str, list[tuple[int | None, str, str]]] = {}
    for begin, code, vi, en in spans:
        have = names.setdefault(code, [])
        if not have or have[-1][1] != vi:
            have.append((begin, vi, en))
    return [Code(code, "; ".join(vi if not n else f"từ {start}: {vi}" for n, (start, vi, _) in enumerate(spans_)),
                 "; ".join(en if not n else f"from {start}: {en}" for n, (start, _, en) in enumerate(spans_)))
            for code, spans_ in names.items()]


def provincial_structure(cat: Catalogue, *, area_code: str | AreaCodes, agency: str = "SDGXL") -> ProvincialStructure:
    """The provincial flow's structure for ``cat``: every series the export may send there
    (whatever the year's data), the area's codes (of every period) and the units."""
    flow = provincial_flow(cat, agency)
    dsd = (agency, "SDG_PROV_" + flow[1].removeprefix("DF_SDG_PROV_"), "1.0")
    series: dict[str, Code] = {}
    units: dict[str, Code] = {}
    used: dict[str, set[str]] = {d: {"_T"} for d in DIMENSIONS if d in GLOBAL_CODELISTS and d not in _SENT}
    used["UNIT_MULT"] = set()
    for ind in cat.indicators:
        for comp in _rows(ind):
            code = row_series(ind, comp)
            if code is None:  # sent under a global series
                continue
            own = comp is not None and not comp.dimensions  # the component is a series of its own
            vi = ind.row_name(comp, "vi") if own else ind.name
            en = (ind.row_name(comp, "en") if own else ind.name_en) if ind.name_en else None
            printed = ind.row_code(comp, "vi") if own else ind.code
            series.setdefault(code, Code(code, f"{vi} [{printed}]", f"{en} [{printed}]" if en else None))
            unit, mult = unit_measure(ind, comp)
            used["UNIT_MULT"].add(str(mult))
            text = ((comp.unit if comp is not None and comp.unit else ind.unit) or "").strip()
            units.setdefault(unit, Code(unit, _UNIT_NAMES_VI.get(unit, text or unit), UNIT_CODES.get(unit)))
            for dim, value in (comp.dimensions if comp is not None else {}).items():
                used.setdefault(dim, {"_T"}).add(value)
    areas = _area_codes(cat, area_code)
    codes = {**{d: sorted(v, key=lambda c: (len(c), c)) for d, v in used.items()}, **_SENT}
    return ProvincialStructure(flow, dsd, sorted(series.values(), key=lambda c: c.id), areas,
                               sorted(units.values(), key=lambda c: c.id),
                               {k: codes[k] for k in GLOBAL_CODELISTS})


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    """``value`` as XML character data: escaped, without the characters XML 1.0 cannot hold
    (a control character typed into the catalogue workbook)."""
    return escape(_NOT_XML.sub("", value))


def _names(vi: str, en: str | None, tag: str = "com:Name") -> str:
    out = f'<{tag} xml:lang="vi">{_text(vi)}</{tag}>'
    return out + (f'<{tag} xml:lang="en">{_text(en)}</{tag}>' if en else "")


def _ref(attrs: dict[str, str]) -> str:
    return "<Ref " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>"


def _codelist_ref(agency: str, cl: str, version: str) -> str:
    return _ref({"id": cl, "version": version, "agencyID": agency, "class": "Codelist", "package": "codelist"})


def _concept(cid: str) -> str:
    agency, scheme, version = SDG_CONCEPTS
    return "<str:ConceptIdentity>" + _ref({
        "id": cid, "maintainableParentID": scheme, "maintainableParentVersion": version, "agencyID": agency,
        "class": "Concept", "package": "conceptscheme"}) + "</str:ConceptIdentity>"


def _enumeration(ref: str) -> str:
    return f"<str:LocalRepresentation><str:Enumeration>{ref}</str:Enumeration></str:LocalRepresentation>"


def _urn(kind: str, agency: str, id: str, version: str) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.{kind}={agency}:{id}({version})"


def structure_xml(ps: ProvincialStructure, cat: Catalogue) -> str:
    """The SDMX-ML 2.1 structure message of ``ps`` (text, deterministic)."""
    agency, dsd_id, version = ps.dsd
    own = {"SERIES": ps.codelist_id("SERIES"), "REF_AREA": ps.codelist_id("AREA"),
           "UNIT_MEASURE": ps.codelist_id("UNIT_MEASURE")}
    lists = {"SERIES": (ps.series, "Chuỗi chỉ tiêu của tỉnh", "The province's indicator series"),
             "REF_AREA": (ps.areas, "Địa bàn", "Areas"),
             "UNIT_MEASURE": (ps.units, "Đơn vị tính của các chuỗi của tỉnh", "Units of the province's series")}
    plan = cat.source.document or cat.source.title
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<mes:Structure {_NS}>",
             f" <mes:Header><mes:ID>{escape(ps.flow[1])}</mes:ID><mes:Test>false</mes:Test>"
             f"<mes:Prepared>{_PREPARED}</mes:Prepared><mes:Sender id={quoteattr(agency)}/></mes:Header>",
             " <mes:Structures>", "  <str:Dataflows>"]
    fa, fid, fv = ps.flow
    lines.append(
        f"   <str:Dataflow id={quoteattr(fid)} agencyID={quoteattr(fa)} version={quoteattr(fv)} "
        f"urn={quoteattr(_urn('datastructure.Dataflow', fa, fid, fv))}>"
        + _names(f"Chỉ tiêu của tỉnh {cat.source.province} không có chuỗi SDG toàn cầu ({plan})",
                 f"{cat.source.province_en or cat.source.province}: provincial indicators with no global SDG "
                 f"series ({plan})")
        + "<str:Structure>" + _ref({"id": dsd_id, "version": version, "agencyID": agency, "class": "DataStructure",
                                    "package": "datastructure"}) + "</str:Structure></str:Dataflow>")
    lines += ["  </str:Dataflows>", "  <str:Codelists>"]
    for dim, cl in own.items():
        codes, vi, en = lists[dim]
        lines.append(f"   <str:Codelist id={quoteattr(cl)} agencyID={quoteattr(agency)} version=\"1.0\" "
                     f"urn={quoteattr(_urn('codelist.Codelist', agency, cl, '1.0'))}>" + _names(vi, en))
        for c in codes:
            lines.append(f"    <str:Code id={quoteattr(c.id)} "
                         f"urn={quoteattr(_urn('codelist.Code', agency, cl, '1.0') + '.' + c.id)}>"
                         + _names(c.vi, c.en) + "</str:Code>")
        lines.append("   </str:Codelist>")
    for comp_id, (cl_agency, cl, cl_version) in sorted(GLOBAL_CODELISTS.items(), key=lambda kv: kv[1]):
        lines.append(f"   <str:Codelist id={quoteattr(cl)} agencyID={quoteattr(cl_agency)} "
                     f"version={quoteattr(cl_version)} isPartial=\"true\" "
                     f"urn={quoteattr(_urn('codelist.Codelist', cl_agency, cl, cl_version))}>"
                     f'<com:Name xml:lang="en">{escape(cl)}</com:Name>')
        for code in ps.global_codes[comp_id]:
            lines.append(f"    <str:Code id={quoteattr(code)} "
                         f"urn={quoteattr(_urn('codelist.Code', cl_agency, cl, cl_version) + '.' + code)}>"
                         f'<com:Name xml:lang="en">{escape(CODE_NAMES.get(cl, {}).get(code, code))}</com:Name>'
                         "</str:Code>")
        lines.append("   </str:Codelist>")
    cs_agency, cs_id, cs_version = SDG_CONCEPTS
    lines += ["  </str:Codelists>", "  <str:Concepts>",
              f"   <str:ConceptScheme id={quoteattr(cs_id)} agencyID={quoteattr(cs_agency)} "
              f"version={quoteattr(cs_version)} isPartial=\"true\" "
              f"urn={quoteattr(_urn('conceptscheme.ConceptScheme', cs_agency, cs_id, cs_version))}>"
              '<com:Name xml:lang="en">SDG concepts</com:Name>']
    for cid, name in CONCEPT_NAMES.items():
        lines.append(f"    <str:Concept id={quoteattr(cid)} "
                     f"urn={quoteattr(_urn('conceptscheme.Concept', cs_agency, cs_id, cs_version) + '.' + cid)}>"
                     f'<com:Name xml:lang="en">{escape(name)}</com:Name></str:Concept>')
    lines += ["   </str:ConceptScheme>", "  </str:Concepts>"]
    dsd_urn = _urn("datastructure.DataStructure", agency, dsd_id, version)
    lines += ["  <str:DataStructures>",
              f"   <str:DataStructure id={quoteattr(dsd_id)} agencyID={quoteattr(agency)} "
              f"version={quoteattr(version)} urn={quoteattr(dsd_urn)}>"
              + _names("Cấu trúc dữ liệu SDG, với các chuỗi của tỉnh",
                       "The SDG data structure, with the province's series"),
              "    <str:DataStructureComponents>", '     <str:DimensionList id="DimensionDescriptor">']
    for pos, dim in enumerate(DIMENSIONS, start=1):
        ref = _codelist_ref(agency, own[dim], "1.0") if dim in own else _codelist_ref(*GLOBAL_CODELISTS[dim])
        lines.append(f'      <str:Dimension id="{dim}" position="{pos}">{_concept(dim)}{_enumeration(ref)}'
                     "</str:Dimension>")
    lines += [f'      <str:TimeDimension id="TIME_PERIOD" position="{len(DIMENSIONS) + 1}">{_concept("TIME_PERIOD")}'
              '<str:LocalRepresentation><str:TextFormat textType="ObservationalTimePeriod"/></str:LocalRepresentation>'
              "</str:TimeDimension>", "     </str:DimensionList>", '     <str:AttributeList id="AttributeDescriptor">']
    for att in ATTRIBUTES:
        if att in own:
            rep = _enumeration(_codelist_ref(agency, own[att], "1.0"))
        elif att in GLOBAL_CODELISTS:
            rep = _enumeration(_codelist_ref(*GLOBAL_CODELISTS[att]))
        else:  # COMMENT_OBS: free text
            rep = '<str:LocalRepresentation><str:TextFormat textType="String"/></str:LocalRepresentation>'
        status = "Mandatory" if att in _MANDATORY else "Conditional"
        lines.append(f'      <str:Attribute id="{att}" assignmentStatus="{status}">{_concept(att)}{rep}'
                     '<str:AttributeRelationship><str:PrimaryMeasure><Ref id="OBS_VALUE"/></str:PrimaryMeasure>'
                     "</str:AttributeRelationship></str:Attribute>")
    lines += ["     </str:AttributeList>",
              f'     <str:MeasureList id="MeasureDescriptor"><str:PrimaryMeasure id="OBS_VALUE">{_concept("OBS_VALUE")}'
              "</str:PrimaryMeasure></str:MeasureList>",
              "    </str:DataStructureComponents>", "   </str:DataStructure>", "  </str:DataStructures>",
              " </mes:Structures>", "</mes:Structure>", ""]
    return "\n".join(lines)


def write_provincial_structure(cat: Catalogue, path: Path | str, *, area_code: str | AreaCodes,
                               agency: str = "SDGXL") -> ProvincialStructure:
    """Write the provincial flow's structure message to ``path`` (atomically)."""
    ps = provincial_structure(cat, area_code=area_code, agency=agency)
    atomic_write_bytes(Path(path), structure_xml(ps, cat).encode("utf-8"))
    return ps


def write_sdmx_with_structure(con: Consolidation, path: Path | str, *, version: int = 1,
                              area_code: str | AreaCodes, agency: str = "SDGXL") -> SdmxResult:
    """The SDMX-CSV file of ``con`` (:func:`sdgxl.outputs.sdmx.write_sdmx_csv`) and beside it
    the provincial dataflow's structure (:func:`structure_path`), what ``sdgxl export --format
    sdmx-csv`` and the demo write."""
    structure = structure_path(path)
    write_provincial_structure(con.catalogue, structure, area_code=area_code, agency=agency)
    res = write_sdmx_csv(con, path, version=version, area_code=area_code, agency=agency)
    res.structure = structure
    return res
