"""``sdgxl demo``: the whole reporting cycle on the bundled plan and the sample returns.

For three years (the last with the typical mistakes of ``samples/mistakes.toml``):
generate every agency's form, fill it as the agency would (a few agencies do not send
anything, one sends last year's form, one sends a corrected file after a first one with
an error), collect the inbox into a ledger and write the consolidated workbook, the tidy
data and the feedback copies. Re-running it in the same folder gives the same files and
changes nothing in the ledger.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdgxl.catalogue import bundled
from sdgxl.collect import CollectResult, collect
from sdgxl.demo.samples import fill_from_samples, load_mistakes, sample_years
from sdgxl.forms.generate import generate_forms

__all__ = ["DemoResult", "run_demo"]

VN = dt.timezone(dt.timedelta(hours=7))


@dataclass
class DemoResult:
    folder: Path
    years: list[int]
    forms: dict[int, list[Path]] = field(default_factory=dict)
    inboxes: dict[int, Path] = field(default_factory=dict)
    collects: dict[int, CollectResult] = field(default_factory=dict)
    document: Path | None = None  # the last year's report as an administrative document (.docx)
    open_sdg: Path | None = None  # the Open SDG data folder of the last year
    sdmx_csv: Path | None = None  # the SDMX-CSV file of the last year
    sdmx_structure: Path | None = None  # beside it, the provincial dataflow's structure (SDMX-ML)

    @property
    def last(self) -> CollectResult:
        return self.collects[self.years[-1]]


def _as_email(dst: Path, agency: str, year: int, spec: dict[str, Any], name: str, *, late: bool) -> None:
    """Turn a bare return into the email it arrived as (and, for ``resent``, the same email
    saved twice); the sender's address is the example address of ``province.toml``, or of
    another agency for ``wrong_sender``."""
    from sdgxl.areas import receiver
    from sdgxl.collect import sender_registry
    from sdgxl.demo.mail import write_eml

    addresses = {a: e for e, a in sorted(sender_registry(bundled()).items(), reverse=True)}
    wrong = spec.get("wrong_sender", {})
    sender_agency = wrong["sender"] if agency == wrong.get("form") else agency
    sent = dt.datetime(year, 11, 14, 16, 40, tzinfo=VN)
    # late by the DPI server's clock: sent after the deadline, though saved before it
    received = dt.datetime(year, 11, 18, 8, 15, tzinfo=VN) if late else sent + dt.timedelta(minutes=2)
    if late:
        sent = received - dt.timedelta(minutes=2)
    to = receiver(year).get("email") or "tonghop@skhdt.example"
    targets = [dst.with_suffix(".eml")]
    if agency in spec.get("resent", []):
        targets.append(dst.with_name(dst.stem + "_gui-lai.eml"))
    for target in targets:
        write_eml(target, sender=addresses.get(sender_agency, f"{sender_agency.lower()}@kiengiang.example"),
                  sender_name=bundled().agency(sender_agency).name, to=to,
                  subject=f"Báo cáo chỉ tiêu SDG năm {year} – {name}", attachment=dst,
                  receiver=receiver(year).get("name", ""),
                  attachment_name=f"Báo cáo SDG {year} – {name}.xlsx", sent=sent, received=received,
                  message_id=f"<{year}.{agency.lower()}@kiengiang.example>")
    dst.unlink()


def run_demo(folder: Path | str = "sdgxl-demo", *, lang: str = "vi", years: list[int] | None = None,
             progress: Any = None) -> DemoResult:
    folder = Path(folder)
    cat = bundled()
    available = sample_years()
    years = years or available[-3:]
    mistakes = load_mistakes()
    last = years[-1]
    result = DemoResult(folder, years)
    db = folder / "sdgxl.sqlite"
    for year in years:
        forms = generate_forms(cat, year, folder / "bieu-mau" / str(year), lang=lang)
        result.forms[year] = [f.path for f in forms]
        inbox = folder / "hop-thu" / str(year)
        if inbox.exists():
            shutil.rmtree(inbox)
        inbox.mkdir(parents=True)
        result.inboxes[year] = inbox
        missing = set(mistakes.get("missing", {}).get("agencies", [])) if year == last else set()
        old_form = mistakes.get("old_form", {}).get("agency") if year == last else None
        resubmit = mistakes.get("resubmit", {}).get("agency") if year == last else None
        late = mistakes.get("late", {}).get("agency") if year == last else None
        by_mail = mistakes.get("email", {}) if year == last else {}
        changes: dict[str, list[dict[str, Any]]] = {}
        if year == last:
            for ch in mistakes.get("change", []):
                changes.setdefault(ch["agency"], []).append(ch)
        for n, form in enumerate(forms):
            if form.agency in missing:
                continue
            source = form.path
            if form.agency == old_form and year - 1 in result.forms:
                source = next(p for p in result.forms[year - 1] if f"_{form.agency}_" in p.name)
            dst = inbox / form.agency / form.path.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            day = 18 if form.agency == late else 1 + n % 14
            fill_from_samples(source, dst, year, form.agency, changes.get(form.agency, []),
                              saved=dt.datetime(year, 11, day, 9, 30, tzinfo=VN))
            if form.agency in by_mail.get("agencies", []) or form.agency == by_mail.get("wrong_sender", {}).get("form"):
                _as_email(dst, form.agency, year, by_mail, cat.agency(form.agency).name,
                          late=form.agency == late)
            if form.agency == resubmit:
                fixed = dst.with_name(dst.stem + "_lan-2.xlsx")
                fill_from_samples(form.path, fixed, year, form.agency,
                                  saved=dt.datetime(year, 11, 20, 15, 0, tzinfo=VN))
        out = folder / "tong-hop" if year == last else folder / "tong-hop" / str(year)
        result.collects[year] = collect(inbox, cat, year=year, out_dir=out, db=db, lang=lang,
                                        feedback=year == last, outputs=True)
        if progress is not None:
            progress(year)
    last_collect = result.collects[last]
    if last_collect.consolidation is not None and last_collect.progress is not None:
        from sdgxl.progress.document import write_document

        result.document, _ = write_document(last_collect.consolidation, last_collect.progress,
                                            last_collect.out_dir, lang=lang, pdf=False)
    result.open_sdg, result.sdmx_csv, result.sdmx_structure = _publish(cat, db, last, folder / "xuat-ban")
    return result


def _publish(cat: Any, db: Path, year: int, out: Path) -> tuple[Path, Path, Path | None]:
    """The Open SDG data folder, the SDMX-CSV file of ``year`` and the provincial dataflow's
    structure beside it, from the ledger."""
    from sdgxl.consolidate import consolidate
    from sdgxl.ledger import Ledger
    from sdgxl.outputs.opensdg import write_open_sdg
    from sdgxl.outputs.sdmx import publish_settings
    from sdgxl.outputs.sdmx_structure import write_sdmx_with_structure
    from sdgxl.progress.assess import assess

    with Ledger(db) as ledger:
        con = consolidate(cat, ledger, year)
    area, agency = publish_settings()
    osdg = write_open_sdg(con, assess(con), out / "open-sdg", area_code=area)
    sdmx = write_sdmx_with_structure(con, out / f"{year}_sdmx.csv", version=2, area_code=area, agency=agency)
    return osdg.folder, sdmx.path, sdmx.structure
