"""The ledger: every submission, every value and every issue, append-only (SQLAlchemy).

SQLite by default (a file in the working folder); any SQLAlchemy URL works, PostgreSQL
included (a ministry collecting from every province). Nothing is deleted or updated in
place except the ``superseded_by`` links:

* a submission is a returned file (its sha256 is unique: the same file twice is skipped);
* an observation is one value read from it (merged or not, with the cell it came from);
* an issue is one problem found in it.

A later submission from the same agency for the same year supersedes the earlier one's
observations of the indicators it covers; the earlier ones stay queryable. Each batch of
submissions is written in one transaction, so a collect killed half-way leaves whole
submissions only, and the next run finishes the rest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    exists,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, SQLAlchemyError, StatementError

from sdgxl.areas import check_area, default_area
from sdgxl.errors import SdgxlError
from sdgxl.fileio import file_lock, make_dir
from sdgxl.text import safe_text
from sdgxl.validate import FileReport
from sdgxl.validate.checks import Issue, params_json

__all__ = ["SCHEMA_VERSION", "TRUSTED_SOURCES", "Arrival", "Ledger", "LedgerBusy", "LedgerError", "Submission"]

SCHEMA_VERSION = 7  # 2: issues.detail_en; 3: no index of all rows by (agency, year, row_key); 4: issues.params;
# 5: where the arrival time came from, the file's saved time, email provenance, held observations;
# 6: the area of every submission and observation (one ledger, several areas), indexes led by it
# 7: narratives

# where a submission's arrival time came from, in the order collect tries them
RECEIVED_SOURCES = ("officer", "email-received", "email-date", "saved", "first-seen", "mtime")
# the sources lateness is judged from ("first-seen" only proves a file on time; "mtime", a
# ledger made before version 5, proves nothing: copying a file changes it)
TRUSTED_SOURCES = frozenset({"officer", "email-received", "email-date", "saved"})
metadata = MetaData()
_T = TypeVar("_T")

meta_table = Table(
    "sdgxl_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
)

submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("file_name", String(512), nullable=False),
    Column("file_path", Text, nullable=False),
    Column("agency", String(32)),
    Column("year", Integer),  # the year the form says
    Column("collected_for", Integer),  # the year being collected when it arrived
    Column("form_id", String(64)),
    Column("format_version", Integer),
    Column("catalogue_hash", String(32)),
    Column("received_at", String(32), nullable=False),  # when it arrived (UTC, ISO 8601), from received_source
    Column("received_source", String(16), nullable=False, default="first-seen"),
    Column("saved_at", String(32)),  # the last-saved time the file states (the agency's clock)
    Column("sender", String(320)),  # the email address it came from
    Column("subject", Text),  # the email's subject
    Column("message_id", String(998)),  # the email's Message-ID
    Column("collected_at", String(32), nullable=False),
    Column("readable", Boolean, nullable=False),
    Column("valid", Boolean, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("superseded_by", Integer, ForeignKey("submissions.id")),
    Column("area", String(64), nullable=False),  # the territory collected (schema 6)
    Index("ix_submissions_area_agency_year", "area", "agency", "year"),
)

observations = Table(
    "observations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("agency", String(32), nullable=False),
    Column("indicator", String(16), nullable=False),
    Column("component", String(32), nullable=False, default=""),
    Column("row_key", String(64), nullable=False),
    Column("value", Float),
    Column("value_text", Text),
    Column("data_status", String(32)),
    Column("source", Text),
    Column("note", Text),
    Column("sheet", String(64)),
    Column("cell", String(16)),
    Column("ok", Boolean, nullable=False),
    Column("codes", Text, nullable=False, default=""),
    Column("superseded_by", Integer, ForeignKey("submissions.id")),
    # why a value arriving later did not become current: "older" (an older version of the
    # file), "invalid" (an error, and the earlier value was valid); null otherwise
    Column("held", String(16)),
    Column("area", String(64), nullable=False),  # the submission's area, on every row (schema 6)
    UniqueConstraint("submission_id", "row_key", name="uq_observation_row"),
    Index("ix_observations_area_key", "area", "year", "agency", "indicator", "component"),
)
# the observations still current, by (area, agency, year, row): what supersession and the
# provincial table look up (a query for one area reads that area's rows only, however many
# areas the ledger holds)
_CURRENT = Index("ix_observations_area_current", observations.c.area, observations.c.agency, observations.c.year,
                 observations.c.row_key, sqlite_where=observations.c.superseded_by.is_(None),
                 postgresql_where=observations.c.superseded_by.is_(None))

# what an agency wrote on a target it leads or co-operates on (forms of format 2 on):
# superseded like observations, by a later submission of the same agency and year that
# writes on the same target
narratives = Table(
    "narratives", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("agency", String(32), nullable=False),
    Column("target", String(16), nullable=False),
    Column("role", String(16), nullable=False),  # lead, cooperate
    Column("results", Text),
    Column("difficulties", Text),
    Column("proposals", Text),
    Column("sheet", String(64)),
    Column("cell", String(16)),
    Column("ok", Boolean, nullable=False),
    Column("superseded_by", Integer, ForeignKey("submissions.id")),
    Column("area", String(64), nullable=False),  # the submission's area (schema 6)
    UniqueConstraint("submission_id", "target", name="uq_narrative_target"),
    Index("ix_narratives_key", "area", "year", "agency", "target"),
)

issues = Table(
    "issues", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("sheet", String(64)),
    Column("cell", String(16)),
    Column("indicator", String(16)),
    Column("component", String(32)),
    Column("value", Text),  # the offending value as text (as typed, or a number written out)
    Column("value_num", Float),  # the same value when it is a number
    Column("params", Text),  # the check's typed parameters, JSON (schema 4); rendered when shown
    Column("detail", Text),  # rows before schema 4: the parameter as Vietnamese words
    Column("detail_en", Text),  # … and as English words, when it was words (file-level problems)
    Index("ix_issues_submission", "submission_id"),
)


# statements built once (SQLAlchemy caches their compiled form)
_STMT: dict[str, Any] = {
    "known": select(submissions.c.sha256).where(submissions.c.sha256.in_(bindparam("shas", expanding=True))),
    "ids": select(submissions.c.sha256, submissions.c.id).where(
        submissions.c.sha256.in_(bindparam("shas", expanding=True))),
    "hold": update(observations).where(observations.c.id == bindparam("b_id"))
    .values(superseded_by=bindparam("b_by"), held=bindparam("b_held")),
    "recount": update(submissions).where(submissions.c.id == bindparam("b_id"))
    .values(warnings=bindparam("b_warnings")),
    "close_subs": update(submissions).where(
        submissions.c.area == bindparam("b_area"),
        submissions.c.superseded_by.is_(None), submissions.c.readable.is_(True),
        submissions.c.agency.in_(bindparam("b_agencies", expanding=True)),
        submissions.c.year.in_(bindparam("b_years", expanding=True)),
        exists().where(observations.c.submission_id == submissions.c.id),
        ~exists().where(observations.c.submission_id == submissions.c.id, observations.c.superseded_by.is_(None)),
    ).values(superseded_by=select(func.max(observations.c.superseded_by))
             .where(observations.c.submission_id == submissions.c.id).scalar_subquery()),
}


class LedgerError(SdgxlError):
    """The ledger cannot be opened or written."""


class LedgerBusy(LedgerError):
    """Another collect holds the ledger: exit code 75, "try again later" in BSD's sysexits."""

    exit_code = 75


@dataclass(frozen=True)
class Arrival:
    """When a file arrived and how the time is known (``source``: one of
    :data:`RECEIVED_SOURCES`); ``at`` None: the time the ledger first sees it. An email's
    sender, subject and Message-ID are kept as provenance."""

    at: str | None = None  # UTC, ISO 8601
    source: str = "first-seen"
    sender: str | None = None
    subject: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class Submission:
    id: int
    sha256: str
    file_name: str
    file_path: str
    agency: str | None
    year: int | None
    collected_for: int | None
    form_id: str | None
    received_at: str
    collected_at: str
    received_source: str
    saved_at: str | None
    sender: str | None
    subject: str | None
    message_id: str | None
    readable: bool
    valid: bool
    errors: int
    warnings: int
    superseded_by: int | None
    area: str = ""


def _utc(ts: float | None = None) -> str:
    t = dt.datetime.fromtimestamp(ts if ts is not None else time.time(), tz=dt.timezone.utc)
    return t.replace(microsecond=0).isoformat()


def is_url(db: str) -> bool:
    return "://" in db


WAIT = 60.0  # seconds a collect waits for a ledger another program holds, by default


def _busy(exc: BaseException) -> bool:
    """A lock another program holds: SQLite's "database is locked", PostgreSQL's lock_timeout."""
    text_ = str(getattr(exc, "orig", None) or exc).lower()
    state = getattr(getattr(exc, "orig", None), "sqlstate", "")
    return "locked" in text_ or "lock timeout" in text_ or state == "55P03"


class Ledger:
    """A ledger at ``db``: a SQLite file path, or an SQLAlchemy URL.

    ``area``: the territory this ledger object reads and writes (one ledger holds several,
    each collected with its own catalogue); None reads every area and writes the default
    one (``province.toml``'s ``area``). ``wait``: how long to wait, at most, for a ledger
    that another program holds (a collect, DB Browser, the sqlite3 shell, a PostgreSQL
    session); then :class:`LedgerBusy`. ``on_busy``: called once, within about a second,
    when the ledger is found held (the CLI says so, instead of waiting silently)."""

    def __init__(self, db: str | Path, area: str | None = None, *, wait: float = WAIT,
                 on_busy: Callable[[], None] | None = None) -> None:
        db = str(db)
        self.area = area
        self.write_area = area or default_area()
        self.url = db if is_url(db) else f"sqlite:///{Path(db).resolve()}"
        self.path = None if is_url(db) else Path(db).resolve()
        self.sqlite = self.url.startswith("sqlite")
        self.wait = max(0.0, wait)
        self._on_busy = on_busy
        try:
            if self.sqlite:
                assert self.path is not None
                make_dir(self.path.parent)
                # a short busy timeout: the waiting is done here, where it can be said and bounded
                self.engine: Engine = create_engine(self.url, connect_args={"timeout": min(1.0, self.wait)})
                _sqlite_pragmas(self.engine)
            else:
                wait_ms = max(1, int(min(self.wait, 5.0) * 1000))
                args = {"options": f"-c lock_timeout={wait_ms}"} if self.url.startswith("postgresql") else {}
                self.engine = create_engine(self.url, pool_pre_ping=True, connect_args=args)
            self._ensure_schema()
        except LedgerError:
            raise
        except (SQLAlchemyError, OSError, ImportError) as exc:
            raise LedgerError("ledger_open_failed", db=self.display, reason=_short(exc)) from None

    @property
    def display(self) -> str:
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True) if hasattr(self, "engine") else self.url

    def _ensure_schema(self) -> None:
        self._retry(self._create_schema)

    def busy(self) -> None:
        """Say once that the ledger is held (see ``on_busy``)."""
        if self._on_busy is not None:
            self._on_busy()
            self._on_busy = None

    def _retry(self, work: Callable[[], _T]) -> _T:
        """Run a transaction, again while another program holds the ledger, up to ``wait``
        seconds in all; then :class:`LedgerBusy` (exit code 75)."""
        deadline = time.monotonic() + self.wait
        while True:
            try:
                return work()
            except OperationalError as exc:
                if not _busy(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise LedgerBusy("ledger_held", db=self.display, wait=round(self.wait)) from None
                self.busy()
                time.sleep(0.2)

    def _create_schema(self) -> None:
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # two first collects at once must not race on CREATE TABLE
                conn.execute(text("SELECT pg_advisory_xact_lock(7358230)"))
            metadata.create_all(conn)
            row = conn.execute(select(meta_table.c.value).where(meta_table.c.key == "schema_version")).first()
            if row is None:
                with contextlib.suppress(IntegrityError):
                    conn.execute(insert(meta_table).values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(row[0]) > SCHEMA_VERSION:
                raise LedgerError("ledger_newer", db=self.display, found=int(row[0]), known=SCHEMA_VERSION)
            elif int(row[0]) < SCHEMA_VERSION:
                _migrate(conn, int(row[0]), default_area())

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ locking
    @classmethod
    @contextlib.contextmanager
    def open_exclusive(cls, db: str | Path, wait: float = WAIT, area: str | None = None,
                       on_busy: Callable[[], None] | None = None) -> Iterator[Ledger]:
        """Open the ledger for a collect, one collect of an area at a time (collects of
        different areas run together). For SQLite the lock is taken before the database is
        even opened, so two first runs cannot race on creating it."""
        if not is_url(str(db)):
            path = Path(db).resolve()
            make_dir(path.parent)  # a folder that cannot be made: exit 73, naming it
            with file_lock(_lock_path(path, area), wait, busy=lambda: LedgerBusy("ledger_busy"), on_wait=on_busy):
                ledger = cls(db, area, wait=wait, on_busy=on_busy)
                try:
                    yield ledger
                finally:
                    ledger.close()
            return
        ledger = cls(db, area, wait=wait, on_busy=on_busy)
        try:
            with ledger.exclusive(wait):
                yield ledger
        finally:
            ledger.close()

    @contextlib.contextmanager
    def exclusive(self, wait: float = WAIT) -> Iterator[None]:
        """One collect at a time: a lock file beside a SQLite ledger, an advisory lock on a server."""
        if self.sqlite:
            assert self.path is not None
            with file_lock(_lock_path(self.path, self.area), wait, busy=lambda: LedgerBusy("ledger_busy"),
                           on_wait=self.busy):
                yield
            return
        key = zlib.crc32(self.write_area.encode()) & 0x7FFFFFFF  # one lock per area
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                deadline = time.monotonic() + wait
                while not conn.execute(text("SELECT pg_try_advisory_lock(7358231, :k)"), {"k": key}).scalar():
                    if time.monotonic() > deadline:
                        raise LedgerBusy("ledger_busy")
                    self.busy()
                    time.sleep(0.5)
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(7358231, :k)"), {"k": key})
                    conn.commit()
            else:
                yield

    # ------------------------------------------------------------------ reading
    def by_hash(self, sha: str) -> Submission | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(submissions).where(submissions.c.sha256 == sha)).first()
        return None if r is None else Submission(**{k: r._mapping[k] for k in Submission.__dataclass_fields__})

    def recorded(self, shas: Sequence[str]) -> set[str]:
        """Which of ``shas`` the ledger holds (found through the unique index, a thousand at a
        time: the cost follows the inbox, not the ledger)."""
        out: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(shas), 1000):
                out.update(r[0] for r in conn.execute(_STMT["known"], {"shas": list(shas[i:i + 1000])}))
        return out

    def known_hashes(self) -> set[str]:
        with self.engine.connect() as conn:
            return {r[0] for r in conn.execute(select(submissions.c.sha256))}

    def submissions(self, year: int | None = None) -> list[Submission]:
        """Submissions of ``year``: forms of that year, and whatever arrived while collecting it."""
        q = select(submissions).order_by(submissions.c.id)
        if year is not None:
            q = q.where((submissions.c.year == year) | (submissions.c.collected_for == year))
        if self.area is not None:
            q = q.where(submissions.c.area == self.area)
        with self.engine.connect() as conn:
            return [Submission(**{k: r._mapping[k] for k in Submission.__dataclass_fields__})
                    for r in conn.execute(q)]

    def observations(self, year: int | None = None, *, current_only: bool = False) -> list[dict[str, Any]]:
        return list(self.iter_observations(year, current_only=current_only))

    def iter_observations(self, year: int | None = None, *, current_only: bool = False,
                          batch: int = 2000) -> Iterator[dict[str, Any]]:
        """The observations (of ``year``, or all; only the current ones), in order, read
        ``batch`` rows at a time: memory stays flat however large the ledger grows."""
        q = (select(observations, submissions.c.file_name, submissions.c.collected_at, submissions.c.received_at,
                    submissions.c.received_source)
             .join(submissions, submissions.c.id == observations.c.submission_id)
             .order_by(observations.c.year, observations.c.submission_id, observations.c.id))
        q = self._scoped(q, observations, year, current_only)
        with self.engine.connect().execution_options(stream_results=True, yield_per=batch) as conn:
            result = conn.execute(q)
            keys = list(result.keys())
            for row in result:
                yield dict(zip(keys, row, strict=True))

    def narratives(self, year: int | None = None, *, current_only: bool = False) -> list[dict[str, Any]]:
        """What agencies wrote on their targets (of ``year``, or all; only the current ones),
        with the file each came from, in the order received."""
        q = (select(narratives, submissions.c.file_name, submissions.c.received_at)
             .join(submissions, submissions.c.id == narratives.c.submission_id)
             .order_by(narratives.c.year, narratives.c.submission_id, narratives.c.id))
        q = self._scoped(q, narratives, year, current_only)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def _scoped(self, q: Any, table: Any, year: int | None, current_only: bool) -> Any:
        """``q`` narrowed to ``year`` (None: all), to current rows if asked, and to this
        ledger's area: the one scope the readers of values and narratives share."""
        if year is not None:
            q = q.where(table.c.year == year)
        if current_only:
            q = q.where(table.c.superseded_by.is_(None))
        if self.area is not None:
            q = q.where(table.c.area == self.area)
        return q

    def issues(self, year: int | None = None) -> list[dict[str, Any]]:
        q = (select(issues, submissions.c.file_name, submissions.c.agency, submissions.c.year,
                    submissions.c.superseded_by)
             .join(submissions, submissions.c.id == issues.c.submission_id)
             .order_by(issues.c.submission_id, issues.c.id))
        if year is not None:
            q = q.where((submissions.c.year == year) | (submissions.c.collected_for == year))
        if self.area is not None:
            q = q.where(submissions.c.area == self.area)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def held_observations(self, year: int) -> list[dict[str, Any]]:
        """Values of ``year`` with an error that did not replace an earlier valid one."""
        q = (select(observations.c.agency, observations.c.row_key, observations.c.superseded_by)
             .where(observations.c.year == year, observations.c.held == "invalid",
                    observations.c.area == self.write_area))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def previous_values(self, year: int) -> dict[tuple[str, str, str | None], float]:
        """(agency, indicator, component) → the merged value of ``year`` (for year-on-year checks)."""
        q = (select(observations.c.agency, observations.c.indicator, observations.c.component,
                    observations.c.value)
             .where(observations.c.year == year, observations.c.ok.is_(True), observations.c.area == self.write_area,
                    observations.c.superseded_by.is_(None), observations.c.value.is_not(None)))
        with self.engine.connect() as conn:
            return {(a, i, c or None): v for a, i, c, v in conn.execute(q)}

    def areas(self) -> list[str]:
        """Every area the ledger holds submissions of (whatever this object's own area)."""
        with self.engine.connect() as conn:
            return sorted(str(r[0]) for r in conn.execute(select(submissions.c.area).distinct()))

    def latest_cycle(self) -> int | None:
        """The year the last collect was for (the reporting cycle under way), if any."""
        with self.engine.connect() as conn:
            value = conn.execute(select(func.max(submissions.c.collected_for))).scalar()
        return int(value) if value is not None else None

    def issues_of(self, submission_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        """Submission id → its issues (as recorded, in order), with the sheet its values came from."""
        out: dict[int, list[dict[str, Any]]] = {sid: [] for sid in submission_ids}
        if not submission_ids:
            return out
        q = select(issues).where(issues.c.submission_id.in_(list(submission_ids))).order_by(issues.c.id)
        with self.engine.connect() as conn:
            for r in conn.execute(q):
                out[r.submission_id].append(dict(r._mapping))
        return out

    def data_sheets(self, submission_ids: Sequence[int]) -> dict[int, str]:
        """Submission id → the sheet its values were read from."""
        if not submission_ids:
            return {}
        q = (select(observations.c.submission_id, func.min(observations.c.sheet))
             .where(observations.c.submission_id.in_(list(submission_ids)))
             .group_by(observations.c.submission_id))
        with self.engine.connect() as conn:
            return {int(sid): sheet for sid, sheet in conn.execute(q) if sheet}

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
                    for name, t in (("submissions", submissions), ("observations", observations),
                                    ("narratives", narratives), ("issues", issues))}

    # ------------------------------------------------------------------ writing
    def record(self, items: Sequence[tuple[FileReport, str, Path, Arrival]], *, strict: bool = False,
               collected_for: int | None = None) -> list[tuple[FileReport, int | None]]:
        """Record submissions in one transaction, in the order they arrived.

        Each item is (report, sha256, path, arrival). Which value is current follows the rule
        of :meth:`_supersede` (its own saved time, then arrival; an invalid value never replaces
        a valid one). Returns (report, submission id), id None when the file was already in
        the ledger (same sha256). Issues the rule adds (an older version, a value kept) are
        appended to the reports too."""
        try:
            return self._retry(lambda: self._record_once(items, strict, collected_for))
        except IntegrityError:
            # a concurrent collect recorded one of these files meanwhile: do them one by one
            if len(items) > 1:
                out: list[tuple[FileReport, int | None]] = []
                for it in items:
                    out.extend(self.record([it], strict=strict, collected_for=collected_for))
                return out
            return [(items[0][0], None)]
        except OperationalError as exc:
            raise LedgerError("ledger_write_failed", db=self.display, reason=_short(exc)) from None
        except (DataError, StatementError) as exc:
            # a value this database refuses (and another might take): the file that holds it gets
            # a file-level issue instead of its values, the other files of the batch are recorded
            if len(items) > 1:
                done: list[tuple[FileReport, int | None]] = []
                for it in items:
                    done.extend(self.record([it], strict=strict, collected_for=collected_for))
                return done
            report, sha, path, arrival = items[0]
            refused = _refused(report, _short(exc))
            if refused is report:
                raise LedgerError("ledger_write_failed", db=self.display, reason=_short(exc)) from None
            return self.record([(refused, sha, path, arrival)], strict=strict, collected_for=collected_for)

    def _record_once(self, items: Sequence[tuple[FileReport, str, Path, Arrival]], strict: bool,
                     collected_for: int | None) -> list[tuple[FileReport, int | None]]:
        now = _utc()
        with self.engine.begin() as conn:
            shas = [sha for _, sha, _, _ in items]
            known = {r[0] for r in conn.execute(_STMT["known"], {"shas": shas})} if shas else set()
            fresh = [it for it in items if it[1] not in known]
            sub_rows = [(
                sha, safe_text(path.name), safe_text(str(path)), report.agency, report.year, collected_for,
                report.form_id, report.format_version, report.catalogue_hash, arrival.at or now,
                arrival.source if arrival.at else "first-seen", report.saved_at, arrival.sender,
                arrival.subject, arrival.message_id, now, report.readable,
                report.valid, report.errors, report.warnings, self.write_area,
            ) for report, sha, path, arrival in fresh]
            ids: list[int] = []
            if sub_rows:
                _insert_many(conn, submissions, _SUB_COLS, sub_rows)
                found = conn.execute(_STMT["ids"], {"shas": [it[1] for it in fresh]})
                by_sha = {sha: int(sid) for sha, sid in found}
                ids = [by_sha[it[1]] for it in fresh]
                if ids != sorted(ids):
                    raise LedgerError("ledger_out_of_order", db=self.display)
            obs_rows: list[tuple[Any, ...]] = []
            narr_rows: list[tuple[Any, ...]] = []
            for (report, _, _, _), sid in zip(fresh, ids, strict=True):
                merge_ok = report.valid or not strict
                obs_rows.extend((
                    sid, o.year, o.agency, o.indicator, o.component or "", o.row_key, o.value, o.value_text,
                    o.data_status, o.source, o.note, o.sheet, o.cell, bool(o.ok and merge_ok), ",".join(o.codes),
                    self.write_area,
                ) for o in report.observations)
                narr_rows.extend((
                    sid, n.year, n.agency, n.target, n.role, n.results, n.difficulties, n.proposals, n.sheet,
                    n.cell, bool(n.ok and merge_ok), self.write_area,
                ) for n in report.narratives)
            _insert_many(conn, observations, _OBS_COLS, obs_rows)
            _insert_many(conn, narratives, _NARR_COLS, narr_rows)
            movers = {sid: report for (report, _, _, _), sid in zip(fresh, ids, strict=True)
                      if report.readable and report.agency and report.year and report.observations
                      and not report.file_error}
            narrators = {sid: report for (report, _, _, _), sid in zip(fresh, ids, strict=True)
                         if report.readable and report.agency and report.year and report.narratives
                         and not report.file_error}
            touched = {**movers, **narrators}
            counted = {sid: r.warnings for sid, r in touched.items()}
            if movers:
                self._supersede(conn, movers)
            if narrators:  # after the values: a file they found older is warned once
                self._supersede_narratives(conn, narrators)
            recount = [{"b_id": sid, "b_warnings": r.warnings} for sid, r in touched.items()
                       if r.warnings != counted[sid]]
            if recount:
                conn.execute(_STMT["recount"], recount)
            issue_rows = [(
                sid, i.code, i.severity, i.sheet, i.cell, i.indicator, i.component,
                _issue_text(i.value), _issue_number(i.value), params_json(i.params),
            ) for (report, _, _, _), sid in zip(fresh, ids, strict=True) for i in report.issues]
            _insert_many(conn, issues, _ISSUE_COLS, issue_rows)
            by_sha = dict(zip((it[1] for it in fresh), ids, strict=True))
            return [(report, by_sha.get(sha)) for report, sha, _, _ in items]

    def _supersede(self, conn: Any, movers: dict[int, FileReport]) -> None:
        """Decide, row by row, which value is current after the new submissions ``movers``
        (id → report, ids in the order they arrived). The rule (docs/ledger.md):

        * a newer version replaces an older one: newer by the file's own saved time, then by
          its arrival, then by the order recorded;
        * an older version that arrives later is recorded but not merged (``held`` "older",
          a ``version-older`` warning on the file);
        * an invalid value never replaces a valid one: the earlier value stays current
          (``held`` "invalid", a ``value-kept`` warning on the cell), the error stays reported.
        """
        agencies = sorted({r.agency for r in movers.values() if r.agency})
        years = sorted({r.year for r in movers.values() if r.year})
        pairs = {(r.agency, r.year) for r in movers.values()}
        o, s = observations.c, submissions.c
        q = (select(o.id, o.submission_id, o.agency, o.year, o.row_key, o.ok, o.cell, o.value, o.value_text,
                    s.saved_at, s.received_at, s.file_name)
             .join(submissions, s.id == o.submission_id)
             .where(o.area == self.write_area, o.superseded_by.is_(None), o.agency.in_(agencies),
                    o.year.in_(years)))
        groups: dict[tuple[str, int, str], list[Any]] = {}
        for row in conn.execute(q):
            if (row.agency, row.year) in pairs:
                groups.setdefault((row.agency, row.year, row.row_key), []).append(row)
        changes: list[dict[str, Any]] = []
        older: dict[int, Any] = {}
        kept: list[tuple[Any, Any]] = []
        for new, cur, held in _order(groups, movers):
            if held is None:
                changes.append({"b_id": cur.id, "b_by": new.submission_id, "b_held": None})
                continue
            changes.append({"b_id": new.id, "b_by": cur.submission_id, "b_held": held})
            if held == "older":
                older.setdefault(new.submission_id, cur)
            else:
                kept.append((new, cur))
        if not changes:
            return
        conn.execute(_STMT["hold"], changes)
        for sid, newer in older.items():
            movers[sid].issues.append(Issue("version-older", value=newer.file_name,
                                            params={"saved": newer.saved_at or newer.received_at}))
        for n, cur in kept:
            was = cur.value if cur.value is not None else cur.value_text
            rep = movers[n.submission_id]
            ob = next((x for x in rep.observations if x.row_key == n.row_key), None)
            rep.issues.append(Issue("value-kept", sheet=ob.sheet if ob else None, cell=n.cell,
                                    indicator=ob.indicator if ob else None, component=ob.component if ob else None,
                                    value=was, params={"file": cur.file_name}))
        touched = {(r.agency, r.year) for r in movers.values() if r.agency and r.year}
        self._supersede_submissions(conn, touched)

    def _supersede_narratives(self, conn: Any, movers: dict[int, FileReport]) -> None:
        """Which narrative of a target is current after the new submissions ``movers``: the
        rule of values (:meth:`_supersede`): newer by the file's saved time, then arrival,
        then the order recorded; an over-long text never replaces a valid one; an older version
        arriving later is held with the values' ``version-older`` warning (once a file: at the
        first held narrative's cell when no value of the file was found older)."""
        agencies = sorted({r.agency for r in movers.values() if r.agency})
        years = sorted({r.year for r in movers.values() if r.year})
        pairs = {(r.agency, r.year) for r in movers.values()}
        n_, s = narratives.c, submissions.c
        q = (select(n_.id, n_.submission_id, n_.agency, n_.year, n_.target, n_.ok, n_.sheet, n_.cell, s.saved_at,
                    s.received_at, s.file_name)
             .join(submissions, s.id == n_.submission_id)
             .where(n_.area == self.write_area, n_.superseded_by.is_(None), n_.agency.in_(agencies),
                    n_.year.in_(years)))
        groups: dict[tuple[str, int, str], list[Any]] = {}
        for row in conn.execute(q):
            if (row.agency, row.year) in pairs:
                groups.setdefault((row.agency, row.year, row.target), []).append(row)
        changes: list[dict[str, Any]] = []
        older: dict[int, tuple[Any, Any]] = {}
        for new, cur, held in _order(groups, movers):
            if held is None:
                changes.append({"b_id": cur.id, "b_by": new.submission_id})
                continue
            changes.append({"b_id": new.id, "b_by": cur.submission_id})
            if held == "older" and (new.submission_id not in older or new.id < older[new.submission_id][0].id):
                older[new.submission_id] = (new, cur)  # the file's first narrative held
        if changes:
            conn.execute(update(narratives).where(narratives.c.id == bindparam("b_id"))
                         .values(superseded_by=bindparam("b_by")), changes)
        for sid, (new, newer) in older.items():
            rep = movers[sid]
            if any(i.code == "version-older" for i in rep.issues):
                continue  # its values were found older: the file is warned once
            # the values' warning, at the narrative sheet's cell (a form of narratives only)
            rep.issues.append(Issue("version-older", sheet=new.sheet, cell=new.cell, value=newer.file_name,
                                    params={"saved": newer.saved_at or newer.received_at}))

    def _supersede_submissions(self, conn: Any, touched: set[tuple[str, int]]) -> None:
        """A submission all of whose observations are superseded is superseded as a whole, by
        the submission that superseded the last of them (one statement for the batch)."""
        agencies = sorted({a for a, _ in touched})
        years = sorted({y for _, y in touched})
        conn.execute(_STMT["close_subs"], {"b_agencies": agencies, "b_years": years, "b_area": self.write_area})


def _order(groups: dict[Any, list[Any]], movers: Mapping[int, Any]) -> Iterator[tuple[Any, Any, str | None]]:
    """The order rule, for values and narratives alike (docs/ledger.md): in each group of rows
    of one (agency, year, row) that are current, the new submissions' rows (``movers``) are
    taken in the order recorded against the current one. Yields ``(new, current, held)``:
    ``held`` None when ``new`` supersedes ``current`` (newer by the file's saved time, then
    arrival, then the order recorded), "older" when ``new`` is an older version arriving
    later, "invalid" when ``new`` is invalid and ``current`` valid; both of those stay
    superseded by ``current``."""

    def key(row: Any) -> tuple[str, str, int]:
        return (row.saved_at or row.received_at, row.received_at, row.submission_id)

    for group in groups.values():
        if len(group) < 2:
            continue
        news = sorted((r for r in group if r.submission_id in movers), key=lambda r: r.submission_id)
        olds = [r for r in group if r.submission_id not in movers]
        cur = max(olds, key=key) if olds else None
        for new in news:
            if cur is None:
                cur = new
            elif key(new) < key(cur):
                yield new, cur, "older"
            elif not new.ok and cur.ok:
                yield new, cur, "invalid"
            else:
                yield new, cur, None
                cur = new


def _migrate(conn: Any, version: int, area: str) -> None:
    """Bring an older ledger up to :data:`SCHEMA_VERSION`, in the caller's transaction (the
    ledger is append-only: a migration only adds). ``area``: the area of the rows written
    before ledgers had areas (this installation's, from ``province.toml``)."""
    if version < 2:
        columns = {c["name"] for c in inspect(conn).get_columns("issues")}
        if "detail_en" not in columns:
            conn.execute(text("ALTER TABLE issues ADD COLUMN detail_en TEXT"))
    if version < 3:
        # it led SQLite's planner away from ix_observations_current, which supersession needs
        conn.execute(text("DROP INDEX IF EXISTS ix_observations_row"))
    if version < 4:
        # issues carry typed parameters; older rows keep their words in detail / detail_en
        columns = {c["name"] for c in inspect(conn).get_columns("issues")}
        if "params" not in columns:
            conn.execute(text("ALTER TABLE issues ADD COLUMN params TEXT"))
    if version < 5:
        # the arrival times recorded before were file modification times: kept, marked untrusted
        have = {c["name"] for c in inspect(conn).get_columns("submissions")}
        for name, decl in (("received_source", "VARCHAR(16) NOT NULL DEFAULT 'mtime'"), ("saved_at", "VARCHAR(32)"),
                           ("sender", "VARCHAR(320)"), ("subject", "TEXT"), ("message_id", "VARCHAR(998)")):
            if name not in have:
                conn.execute(text(f"ALTER TABLE submissions ADD COLUMN {name} {decl}"))
        if "held" not in {c["name"] for c in inspect(conn).get_columns("observations")}:
            conn.execute(text("ALTER TABLE observations ADD COLUMN held VARCHAR(16)"))
    if version < 6:
        # every row gets an area: the old rows belong to this installation's (an id of
        # lower-case ASCII, checked, so it can stand in the statement)
        check_area(area)
        for table in ("submissions", "observations"):
            if "area" not in {c["name"] for c in inspect(conn).get_columns(table)}:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN area VARCHAR(64) NOT NULL DEFAULT '{area}'"))
        for old in ("ix_submissions_agency_year", "ix_observations_key", "ix_observations_current"):
            conn.execute(text(f"DROP INDEX IF EXISTS {old}"))
        for index in (*submissions.indexes, *observations.indexes):
            index.create(conn, checkfirst=True)
    if version < 7:
        # the narratives table (create_all made it already when it was missing; no-op then)
        narratives.create(conn, checkfirst=True)
    conn.execute(update(meta_table).where(meta_table.c.key == "schema_version")
                 .values(value=str(SCHEMA_VERSION)))


_SUB_COLS = ("sha256", "file_name", "file_path", "agency", "year", "collected_for", "form_id", "format_version",
             "catalogue_hash", "received_at", "received_source", "saved_at", "sender", "subject", "message_id",
             "collected_at", "readable", "valid", "errors", "warnings", "area")
_OBS_COLS = ("submission_id", "year", "agency", "indicator", "component", "row_key", "value", "value_text",
             "data_status", "source", "note", "sheet", "cell", "ok", "codes", "area")
_NARR_COLS = ("submission_id", "year", "agency", "target", "role", "results", "difficulties", "proposals", "sheet",
              "cell", "ok", "area")
_ISSUE_COLS = ("submission_id", "code", "severity", "sheet", "cell", "indicator", "component", "value", "value_num",
               "params")


def _issue_number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _issue_text(value: Any) -> str | None:
    if value is None:
        return None
    number = _issue_number(value)
    return f"{number:.15g}" if number is not None else str(value)


def _insert_many(conn: Any, table: Table, cols: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows through the driver's executemany (the rows of a batch of files: the
    ledger's hot path, where building SQLAlchemy parameters per row costs more than SQLite)."""
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"
    conn.exec_driver_sql(sql, rows)


def _refused(report: FileReport, why: str) -> FileReport:
    """The report recorded in place of one the database refused: who and what, one file-level
    issue saying why, none of the values (they stay in the file; nothing is merged)."""
    from sdgxl.validate.checks import Issue

    if report.readable is False and not report.observations and len(report.issues) == 1 and \
            str(report.issues[0].params.get("reason", "")).startswith("ledger:"):
        return report  # already the stripped form: refused again, nothing more to strip
    return FileReport(path=report.path, agency=report.agency if report.agency and len(report.agency) <= 32 else None,
                      year=report.year if report.year is not None and 0 < report.year < 10_000 else None,
                      issues=[Issue("file-unreadable", params={"reason": f"ledger: {safe_text(why)[:200]}"})],
                      readable=False,
                      sha256=report.sha256)


def _lock_path(path: Path, area: str | None) -> Path:
    """The lock file of a collect into the SQLite ledger ``path``: one per area."""
    return path.with_name(path.name + (f".{area}.lock" if area else ".lock"))


def _short(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text_[0][:300] if text_ else type(exc).__name__


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below decide
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # writers queue up instead of failing mid-transaction
