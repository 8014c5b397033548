"""The order rule as a property (hypothesis): whatever versions of a row arrive, in whatever
order and however the arrivals are cut into transactions, the ledger keeps one current
value per row, never lets an invalid value replace a valid current one, never lets an
older version replace a newer one, and gives the same result for one transaction as for
one per file."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sdgxl.ledger import Arrival, Ledger
from sdgxl.validate.engine import FileReport, Observation

versions = st.lists(st.tuples(st.integers(1, 9), st.booleans(), st.booleans()), min_size=1, max_size=6)


def report(n: int, day: int, ok: bool, second_row: bool) -> FileReport:
    rows = ["2.1", "2.2"] if second_row else ["2.1"]
    rep = FileReport(path=f"/in/v{n}.xlsx", agency="SYT", year=2026, form_id="f", format_version=1,
                     saved_at=f"2026-11-{day:02d}T02:00:00+00:00")
    for key in rows:
        rep.observations.append(Observation(key, None, 2026, "SYT", float(n), None, "has_data", None, None,
                                            "Chỉ tiêu", "J7", key, ok=ok))
    return rep


def record(db: Path, vs: list[tuple[int, bool, bool]], batched: bool) -> dict[str, float]:
    ledger = Ledger(db)
    items = [(report(n, day, ok, two), f"{n:064d}", Path(f"/in/v{n}.xlsx"), Arrival(f"2026-11-20T0{n}:00:00+00:00",
                                                                                    "officer"))
             for n, (day, ok, two) in enumerate(vs)]
    if batched:
        ledger.record(items, collected_for=2026)
    else:
        for it in items:
            ledger.record([it], collected_for=2026)
    current = [o for o in ledger.observations(2026) if o["superseded_by"] is None]
    ledger.close()
    keys = [o["row_key"] for o in current]
    assert len(keys) == len(set(keys))  # one current value per row
    return {o["row_key"]: o["value"] for o in current}


@settings(max_examples=25, deadline=None)
@given(versions)
def test_the_order_rule_holds_for_any_arrivals(tmp_path_factory, vs):
    tmp = tmp_path_factory.mktemp("order")
    one = record(tmp / "one.sqlite", vs, batched=True)
    each = record(tmp / "each.sqlite", vs, batched=False)
    assert one == each
    # replay the rule by hand for row 2.1: every version carries it
    cur: tuple[int, bool, int] | None = None  # (day, ok, n)
    for n, (day, ok, _) in enumerate(vs):
        if cur is None or ((day, n) > (cur[0], cur[2]) and (ok or not cur[1])):
            cur = (day, ok, n)
    assert cur is not None and one["2.1"] == float(cur[2])
