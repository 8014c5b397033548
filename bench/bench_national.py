"""Benchmark: the national roll-up on PostgreSQL. A ledger of 34 areas × 30 agencies × 10
years (~10,000 submissions, ~1 million observations), then a year's returns of every area
(~1,000 files) collected area by area, with every output; time per file and peak memory
against the same collect of one province into an empty ledger.

The fill is set-up, not what is measured: rows are bulk-loaded straight into the ledger's
tables (COPY), shaped like real ones (current and superseded values, every area's index
range). The collects are the real thing: one ``sdgxl collect`` process per area (so the
peak memory is each collect's own), on the same server. Run by hand:

    python bench/bench_national.py [--scale 0.1] [--pg-url postgresql+psycopg://…]

Without ``--pg-url`` a throw-away server is started from /usr/lib/postgresql/*/bin (as in
the tests). Two baselines: the province into an empty ledger, and the province with its
own ten years of history (what the other 33 areas add is the national ledger's cost).
``--scale`` shrinks the ledger (areas and years stay, fewer rows a submission
and fewer files an area) for a first try. Prints the EXPLAIN of the collect's queries (each
must be an index scan on the area, so its cost does not grow with the other areas' rows),
and one JSON line of results.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import io
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
AREAS = 34
AGENCIES = 30
YEARS = list(range(2016, 2026))  # the filled history; the collect is for 2026
ROWS = 100  # observations a submission


@contextlib.contextmanager
def server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    pgbin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    data = Path(tempfile.mkdtemp(prefix="sdgxl-bench-pg-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*prefix, f"{pgbin}/initdb", "-D", str(data / "db"), "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)
    subprocess.run([*prefix, f"{pgbin}/pg_ctl", "-D", str(data / "db"), "-o",
                    f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "-l", str(data / "log"), "-w", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, f"{pgbin}/pg_ctl", "-D", str(data / "db"), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def new_database(url: str, name: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


def fill(url: str, rows: int, areas: int = AREAS) -> dict[str, int]:
    """Bulk-load the history straight into the ledger's tables (COPY)."""
    import psycopg

    from sdgxl.ledger import Ledger

    Ledger(url).close()  # the schema
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    n_sub = n_obs = 0
    with psycopg.connect(dsn) as conn:
        with conn.cursor() as cur:
            sub_id = 0
            subs = io.StringIO()
            for a in range(areas):
                for g in range(AGENCIES):
                    for y in YEARS:
                        sub_id += 1
                        subs.write(f"{sub_id}\tsha-{sub_id}\tf{sub_id}.xlsx\t/in/f{sub_id}.xlsx\tA{g:02d}\t{y}\t{y}\t"
                                   f"{y}-11-10T02:00:00+00:00\tsaved\t{y}-11-20T02:00:00+00:00\tt\tt\t0\t0\t"
                                   f"area-{a:02d}\n")
            subs.seek(0)
            with cur.copy("COPY submissions (id, sha256, file_name, file_path, agency, year, collected_for, "
                          "received_at, received_source, collected_at, readable, valid, errors, warnings, area) "
                          "FROM STDIN") as cp:
                cp.write(subs.read())
            n_sub = sub_id
            cur.execute("SELECT setval(pg_get_serial_sequence('submissions', 'id'), %s)", (sub_id,))
            with cur.copy("COPY observations (submission_id, year, agency, indicator, component, row_key, value, "
                          "ok, codes, area) FROM STDIN") as cp:
                sid = 0
                for a in range(areas):
                    buf = io.StringIO()
                    for g in range(AGENCIES):
                        for y in YEARS:
                            sid += 1
                            for r in range(rows):
                                buf.write(f"{sid}\t{y}\tA{g:02d}\t{g}.{r}\t\t{g}.{r}\t{(sid * 7 + r) % 100}.5\t"
                                          f"t\t\tarea-{a:02d}\n")
                                n_obs += 1
                    cp.write(buf.getvalue())
        conn.commit()
        conn.execute("ANALYZE")
    return {"submissions": n_sub, "observations": n_obs}


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from sdgxl.catalogue import bundled
from sdgxl.collect import collect
inbox, db, area, out = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])
t0 = time.perf_counter()
res = collect(inbox, bundled(), year=2026, out_dir=out, db=db, feedback=False, area=area, jobs=1)
t = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": t, "files": len(res.new), "peak_mb": peak}))
"""


def make_inbox(root: Path, files: int, tag: str) -> Path:
    """``files`` returns of 2026 for one area: every agency's form filled with the sample
    values, and resubmissions to reach the count; a note names the area, so that no two
    areas send the same file (the ledger knows a file by its sha256)."""
    from sdgxl.catalogue import bundled
    from sdgxl.demo.fill import Entry, FormFile
    from sdgxl.demo.samples import fill_from_samples
    from sdgxl.forms.generate import generate_forms

    forms = generate_forms(bundled(), 2026, root / "forms")  # same bytes each time
    inbox = root / f"inbox-{tag}"
    n = 0
    while n < files:
        for f in forms:
            if n >= files:
                break
            dst = inbox / f.agency / f"{n:04d}_{f.path.name}"
            dst.parent.mkdir(parents=True, exist_ok=True)
            fill_from_samples(f.path, dst, 2026, f.agency)
            ff = FormFile(dst)
            ff.fill([Entry(next(iter(ff.rows)), note=f"{tag} lần {n}")]).save(dst)
            n += 1
    return inbox


def collect_area(inbox: Path, db: str, area: str, out: Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(inbox), db, area, str(out)], capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def explain(db: str, area: str) -> list[str]:
    """The plans of the collect's reads of one area: each must use an index led by the area."""
    from sqlalchemy import text

    from sdgxl.ledger import Ledger

    queries = {
        "current values (provincial table)": "SELECT * FROM observations WHERE area = :a AND superseded_by IS NULL",
        "last year's values": "SELECT agency, indicator, component, value FROM observations WHERE year = 2025 "
                              "AND ok AND area = :a AND superseded_by IS NULL AND value IS NOT NULL",
        "supersession": "SELECT id FROM observations WHERE area = :a AND superseded_by IS NULL "
                        "AND agency IN ('SYT') AND year IN (2026)",
        "submissions of the year": "SELECT * FROM submissions WHERE (year = 2026 OR collected_for = 2026) "
                                   "AND area = :a",
        "files already recorded": "SELECT sha256 FROM submissions WHERE sha256 IN ('sha-1', 'sha-2')",
    }
    out = []
    with Ledger(db) as ledger, ledger.engine.connect() as conn:
        for name, sql in queries.items():
            plan = [r[0] for r in conn.execute(text("EXPLAIN " + sql), {"a": area})]
            out.append(f"{name}: {plan[0].strip()}")
            uses_index = any("Index" in line for line in plan)
            out.append(f"    {'index' if uses_index else 'NO INDEX'}: " + " / ".join(p.strip() for p in plan[1:3]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of rows a submission and files an area")
    ap.add_argument("--pg-url", default=None)
    ap.add_argument("--repeat", type=int, default=3, help="single-province collects (median)")
    args = ap.parse_args()
    rows = max(1, int(ROWS * args.scale))
    files = max(5, int(AGENCIES * args.scale))
    work = Path(tempfile.mkdtemp(prefix="sdgxl-bench-national-"))
    try:
        inboxes = [make_inbox(work, files, f"area-{a:02d}") for a in range(AREAS)]
        with server(args.pg_url) as url:
            single = []
            for n in range(args.repeat):  # one province, an empty ledger
                db = new_database(url, f"single_{n}")
                single.append(collect_area(inboxes[0], db, "area-00", work / f"single-{n}"))
            # one province with its own ten years of history: what the other 33 areas add
            history = []
            for n in range(args.repeat):
                db = new_database(url, f"province_{n}")
                fill(db, rows, areas=1)
                history.append(collect_area(inboxes[0], db, "area-00", work / f"province-{n}"))
            db = new_database(url, "national")
            t0 = time.perf_counter()
            filled = fill(db, rows)
            fill_s = time.perf_counter() - t0
            for line in explain(db, "area-07"):
                print(line)
            national = [collect_area(inboxes[a], db, f"area-{a:02d}", work / f"out-{a:02d}") for a in range(AREAS)]
        per_single = statistics.median(r["seconds"] / r["files"] for r in single)
        per_history = statistics.median(r["seconds"] / r["files"] for r in history)
        per_national = sum(r["seconds"] for r in national) / sum(r["files"] for r in national)
        result = {
            "ledger": filled, "fill_seconds": round(fill_s, 1), "files_per_area": files,
            "files_collected": sum(r["files"] for r in national),
            "single_s_per_file": round(per_single, 4), "national_s_per_file": round(per_national, 4),
            "ratio": round(per_national / per_single, 2),
            "province_with_history_s_per_file": round(per_history, 4),
            "ratio_to_province_with_history": round(per_national / per_history, 2),
            "province_with_history_peak_mb": round(max(r["peak_mb"] for r in history), 1),
            "single_peak_mb": round(max(r["peak_mb"] for r in single), 1),
            "national_peak_mb": round(max(r["peak_mb"] for r in national), 1),
            "first_area_s_per_file": round(national[0]["seconds"] / national[0]["files"], 4),
            "last_area_s_per_file": round(national[-1]["seconds"] / national[-1]["files"], 4),
            "this_process_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        print(json.dumps(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
