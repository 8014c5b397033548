"""Collect an inbox: validate every file, record it in the ledger, merge, write the outputs.

The pipeline is one-way: files → validation (in parallel when there are many) → ledger
(one transaction per batch; which value is current follows the order rule of
docs/ledger.md: the file's own saved time, then its arrival) → consolidation from the
ledger → outputs written atomically.

When a file arrived is never its modification time (saving an attachment, copying or
unzipping sets it to "now"). In order: a time the officer gives (``received`` for the
whole inbox, or a ``received.csv`` beside the files), the time the workbook says it was
last saved (``docProps/core.xml``: the agency's clock), and last the time the ledger first
sees the file. Re-running on the same inbox changes nothing: a file already in the ledger
(same sha256) is skipped and said so.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from sdgxl.areas import area_id, check_area, province_settings
from sdgxl.catalogue.models import Catalogue, cycle_date
from sdgxl.catalogue.views import printed_codes
from sdgxl.consolidate import Consolidation, consolidate
from sdgxl.errors import OutputError, UsageError
from sdgxl.fileio import make_dir
from sdgxl.ingest.inbox import (
    RECEIVED_CSV,
    Inbox,
    no_form_report,
    open_inbox,
    sender_registry,
    sender_warnings,
    warn_senders,
)
from sdgxl.ingest.sender import SenderEvidence, check_sender, expected_agency, path_evidence
from sdgxl.ledger import WAIT as LEDGER_WAIT
from sdgxl.ledger import Arrival, Ledger
from sdgxl.validate import FileReport
from sdgxl.validate.checks import CHECKS, Issue
from sdgxl.validate.parallel import BATCH, validate_batches

__all__ = ["OUTPUT_NAMES", "RECEIVED_CSV", "CollectResult", "FileOutcome", "collect", "parse_when", "read_received_csv",
           "sender_registry"]

RECORD_MAX = 200  # the most files a transaction records
OUTPUT_NAMES = {"csv": "sdgxl-observations.csv", "parquet": "sdgxl-observations.parquet"}
VN = dt.timezone(dt.timedelta(hours=7))


@dataclass
class FileOutcome:
    path: Path
    sha256: str
    agency: str | None
    year: int | None
    status: str  # "new", "skipped" (already in the ledger) or "unreadable" (not recorded: read again next run)
    valid: bool
    errors: int
    warnings: int
    submission_id: int | None = None
    feedback: Path | None = None
    received_at: str | None = None  # when it arrived (UTC, ISO 8601)
    received_source: str | None = None  # where that time came from (sdgxl.ledger.RECEIVED_SOURCES)
    older: bool = False  # an older version of a file already received: recorded, not merged
    migrated: Path | None = None  # for a wrong-year file: the fresh form of the year, values carried over
    message: Path | None = None  # the email it came attached to
    sender: str | None = None  # that email's sender address


@dataclass
class CollectResult:
    year: int
    files: list[FileOutcome]
    ledger: str
    out_dir: Path
    consolidated: Path | None = None
    csv: Path | None = None
    parquet: Path | None = None
    feedback: list[Path] = field(default_factory=list)
    replies: list[Path] = field(default_factory=list)  # reply drafts (.eml), one per email with issues
    consolidation: Consolidation | None = None
    progress: list[Any] | None = None  # the progress assessments (sdgxl.progress.assess)
    year_from: str | None = None  # None: the year was given; "ledger"/"today": see resolve_year
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # (file, why): not recorded this run

    @property
    def new(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "new"]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "skipped"]


def _sha256(path: Path) -> str:
    """The sha256 of a regular file's bytes (OSError for anything else: it is not opened)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _same_place(path: Path) -> str:
    """A path as the file system means it: symlinks and ``..`` resolved, letter case folded
    where the file system ignores it (Windows)."""
    return os.path.normcase(str(path.resolve()))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def resolve_year(year: int | None, ledger: Ledger) -> tuple[int, str | None]:
    """The year to collect: the one given, else the reporting cycle under way (the year the
    last collect was for; on a first run, this year's cycle: the data of the year before
    until July, of this year from July). Never guessed from what the files say, which a
    few files of another year would decide. Returns (year, why) (why None when given)."""
    if year is not None:
        return year, None
    latest = ledger.latest_cycle()
    if latest is not None:
        return latest, "ledger"
    today = dt.date.today()
    return (today.year if today.month >= 7 else today.year - 1), "today"


def parse_when(text: str) -> dt.datetime | None:
    """A time as an officer writes it: ``2026-11-14``, ``2026-11-14 09:30``, ``14/11/2026``,
    ``14/11/2026 09:30`` (Vietnam time unless a zone is given), or ISO 8601 with a zone."""
    text = text.strip()
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=VN)
        except ValueError:
            pass
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=VN)


def parse_day(text: str) -> dt.date | None:
    """A date as an officer writes it (``30/12/2026``) or ISO 8601 (``2026-12-30``): the
    one parser of every date option, :func:`parse_when` without a time of day."""
    when = parse_when(text)
    if when is None or (when.hour, when.minute, when.second) != (0, 0, 0):
        return None
    return when.date()


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def read_received_csv(path: Path) -> dict[Path, str]:
    """``received.csv`` (columns ``file`` and ``received``; names relative to its folder) →
    file → the time it arrived (UTC ISO 8601). A bad line is a usage error naming it."""
    import csv

    out: dict[Path, str] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))[:100_000]
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError("cannot_read", path=path, reason=str(exc)) from None
    for n, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip() or (n == 1 and row[0].strip().lower() in ("file", "tep", "tệp")):
            continue
        when = parse_when(row[1]) if len(row) >= 2 else None
        if when is None:
            raise UsageError("bad_received_line", path=path, line=n)
        out[(path.parent / row[0].strip()).absolute()] = _iso(when)
    return out


def _plausible_saved(saved: str | None, year: int | None, now: str) -> str | None:
    """A saved time the file states, when it can be a time of saving this return: not the
    fixed time of a form never saved by a spreadsheet program, not before the year before
    the form's, not after now (a day's slack for a clock set wrong)."""
    if not saved or saved < "2001":
        return None
    if year is not None and saved < f"{year - 1}-01-01":
        return None
    limit = (dt.datetime.fromisoformat(now) + dt.timedelta(days=1)).isoformat()
    return saved if saved <= limit else None


def _folder_agency(path: Path, inbox: Path, ids: set[str]) -> str | None:
    """An agency id named by a folder between the inbox and the file (SYT/2026_SYT….xlsx)."""
    try:
        parts = path.relative_to(inbox).parts[:-1]
    except ValueError:
        return None
    for part in reversed(parts):
        if part.upper() in ids:
            return part.upper()
    return None


def _history(ledger: Ledger, cat: Catalogue, year: int) -> dict[tuple[str, str, str | None], float]:
    """Last year's merged values, keyed by the agency that reports each row this year: a value
    sent by an agency merged away since is compared with its successor's."""
    on = cycle_date(year)
    return {(cat.successor(a, on, i, c), i, c): v for (a, i, c), v in ledger.previous_values(year - 1).items()}


def collect(
    inbox: Path | str,
    cat: Catalogue,
    *,
    year: int | None = None,
    out_dir: Path | str = "tong-hop",
    db: str | Path = "sdgxl.sqlite",
    jobs: int | None = None,
    feedback: bool = True,
    strict: bool = False,
    lang: str = "vi",
    catalogue_path: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    outputs: bool = True,
    received: dt.datetime | None = None,
    area: str | None = None,
    after_record: Callable[[int], None] | None = None,
    wait: float = LEDGER_WAIT,
    on_busy: Callable[[], None] | None = None,
) -> CollectResult:
    """Collect every file under ``inbox`` for ``year`` (None: the reporting cycle under way,
    see :func:`resolve_year`; never what most files say). ``received``: when the officer
    says every file of the inbox arrived (overrides the files' own times; a ``received.csv``
    in a folder gives it file by file). ``area``: the territory these returns are filed under
    in the ledger (None: the one ``province.toml`` names for the year); collects of different
    areas into one ledger may run at once. ``after_record`` is called with the number of
    transactions recorded so far, after each one (a progress hook; tests use it to kill a
    collect half-way). ``wait``: seconds to wait, at most, for a ledger another program holds
    (then :class:`~sdgxl.ledger.LedgerBusy`); ``on_busy`` is called when it is."""
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise UsageError("inbox_not_found", path=inbox)
    out = Path(out_dir)
    if _same_place(out) == _same_place(inbox):
        raise UsageError("out_is_inbox", path=out)
    area = check_area(area) if area else area_id(province_settings(year))
    with Ledger.open_exclusive(db, wait=wait, on_busy=on_busy, area=area) as ledger:
        return _collect(inbox, out, ledger, cat, year, jobs, feedback, strict, lang, catalogue_path, progress,
                        outputs, received, after_record)


def _collect(inbox: Path, out: Path, ledger: Ledger, cat: Catalogue, year_given: int | None, jobs: int | None,
             feedback: bool, strict: bool, lang: str, catalogue_path: str | None,
             progress: Callable[[int, int], None] | None, outputs: bool,
             received: dt.datetime | None = None,
             after_record: Callable[[int], None] | None = None) -> CollectResult:
    year, year_from = resolve_year(year_given, ledger)
    # our own outputs and the ledger are never submissions, however their paths are spelt
    own = _same_place(out)
    ledger_files = _same_place(ledger.path) if ledger.path is not None else None  # with -wal, -shm, .lock …
    seen: set[str] = set()

    def keep(p: Path) -> bool:
        place = _same_place(p)
        if place in seen or _inside(place, own) or (ledger_files is not None and place.startswith(ledger_files)):
            return False
        seen.add(place)
        return True

    # emails' attachments are written under our outputs
    box = open_inbox([inbox], out / ("attachments" if lang == "en" else "dinh-kem"), keep=keep)
    officer: dict[Path, str] = {}
    for p in box.received_csvs:
        officer.update(read_received_csv(p))
    files = box.files
    ids = {a.id for a in cat.agencies}
    arrivals: dict[str, Arrival] = {}
    expected: dict[str, str] = {}  # file → the agency its sender is (an email's registered address)
    registry = sender_registry(cat) if box.mails else {}
    mailbox = _open_mail(inbox, box, files, registry, ids, arrivals, expected)
    unregistered = sender_warnings(box, registry)
    bare = {str(m.message.path): m for m in box.mails if not m.files}  # emails with no form: recorded as such
    for p in files:
        when = _iso(received) if received is not None else officer.get(p.absolute())
        if when is not None:
            was = arrivals.get(str(p)) or Arrival()
            arrivals[str(p)] = Arrival(when, "officer", was.sender, was.subject, was.message_id)
    # recorded in the order of arrival when it is known (then by name); which value is
    # current does not depend on it (the ledger's order rule)
    stamped = sorted((arrivals[str(p)].at if str(p) in arrivals else "~", str(p), p) for p in files)
    unreadable: list[tuple[Path, str]] = []
    shas: dict[str, str] = {}
    for _, _, p in stamped:
        try:
            shas[str(p)] = _sha256(p)
        except OSError as exc:  # one file that cannot be read does not stop the others
            unreadable.append((p, exc.strerror or type(exc).__name__))
    known = ledger.recorded(list(shas.values()))  # looked up by the unique index: not the whole ledger
    outcomes: list[FileOutcome] = []
    todo: list[tuple[Path, str | None]] = []
    no_form: list[FileReport] = []  # reports made here, not by reading a file (an email with no form)
    meta: dict[str, tuple[str, Arrival | None]] = {}
    evidence: dict[str, list[SenderEvidence]] = {}
    for _, _, p in stamped:
        if str(p) not in shas:  # it could not be read: listed, not recorded
            continue
        sha = shas[str(p)]
        if sha in known:
            prior = ledger.by_hash(sha)  # None: its twin is earlier in this inbox
            guess = expected.get(str(p)) or expected_agency(path_evidence(p, inbox, ids))
            outcomes.append(FileOutcome(p, sha, prior.agency if prior else guess, prior.year if prior else None,
                                        "skipped", prior.valid if prior else True, prior.errors if prior else 0,
                                        prior.warnings if prior else 0, prior.id if prior else None,
                                        received_at=prior.received_at if prior else None,
                                        received_source=prior.received_source if prior else None))
            continue
        known.add(sha)  # the same file twice in one inbox: the second is a duplicate
        meta[str(p)] = (sha, arrivals.get(str(p)))
        ev = path_evidence(p, inbox, ids)
        if str(p) in expected:  # the email's sender, by its registered address
            ev.insert(0, SenderEvidence("email", expected[str(p)], (arrivals.get(str(p)) or Arrival()).sender or ""))
        evidence[str(p)] = ev
        if str(p) in bare:
            no_form.append(no_form_report(bare[str(p)], expected_agency(ev)))
        else:
            todo.append((p, expected_agency(ev)))
    history = _history(ledger, cat, year)
    done = 0
    with_issues: dict[str, FileReport] = {}  # new reports with issues (for the replies to emails)
    batches = 0
    # a transaction records a tenth of the inbox (25 to 200 files): what a killed collect
    # leaves to do again, against the cost of each transaction
    record_every = max(BATCH, min(RECORD_MAX, len(todo) // 10))
    unrecorded: list[FileReport] = []
    for reports in chain([no_form] if no_form else [], validate_batches(todo, cat, jobs=jobs,
                                                                  catalogue_path=catalogue_path, year=year,
                                                                  history=history)):
        for r in reports:
            check_sender(r, evidence[r.path])
        warn_senders(reports, unregistered)
        unrecorded.extend(reports)
        if len(unrecorded) >= record_every:
            _record(ledger, unrecorded, meta, outcomes, with_issues, strict, year)
            unrecorded = []
            batches += 1
            if after_record is not None:
                after_record(batches)
        done += len(reports)
        if progress is not None:
            progress(done, len(todo) + len(no_form))
    if unrecorded:
        _record(ledger, unrecorded, meta, outcomes, with_issues, strict, year)
    for p, _why in unreadable:
        outcomes.append(FileOutcome(p, "", None, None, "unreadable", False, 1, 0))
    result = CollectResult(year=year, files=sorted(outcomes, key=lambda o: str(o.path)), ledger=ledger.display,
                           out_dir=out, year_from=year_from, unreadable=unreadable)
    if not outputs:
        return result
    make_dir(out)
    blocked: OutputError | None = None
    if feedback:
        fresh_forms: dict[str, Path] = {}  # sha256 → the form of the year made for a wrong-year file
        for o in result.files:
            rep = with_issues.get(str(o.path))
            if rep is not None and o.status == "new" and any(i.code == "wrong-year" for i in rep.issues):
                from sdgxl.forms.migrate import migrate_report  # a fresh form: it cannot be corrected

                made = migrate_report(rep, cat, result.year, out / ("new-forms" if lang == "en" else "bieu-mau-moi"))
                o.migrated = made.path if made else None
                if o.migrated is not None:
                    fresh_forms[o.sha256] = o.migrated
        blocked = write_missing_feedback(result, cat, ledger, lang,
                                         {o.sha256: o.path for o in reversed(result.files) if o.sha256}, fresh_forms)
    if mailbox:
        _mail_outcomes(result, mailbox, with_issues, lang, cat)
    write_outputs(result, cat, ledger, lang)
    if blocked is not None:  # every other output is written; the blocked copy is written next run
        raise blocked
    return result


@dataclass
class _Mail:
    message: Any  # sdgxl.ingest.mail.MailMessage
    files: list[str]  # the attachments, as written for validation
    names: dict[str, str]  # written path → the attachment's name as sent
    agency: str | None  # the agency its sender's address is registered to


def _open_mail(inbox: Path, box: Inbox, files: list[Path], registry: dict[str, str], ids: set[str],
               arrivals: dict[str, Arrival], expected: dict[str, str]) -> list[_Mail]:
    """Each email's arrival, sender and provenance, given to its attachments; an email with no
    form goes into ``files`` itself (recorded as a submission with the issue)."""
    mailbox: list[_Mail] = []
    for mail in box.mails:
        msg = mail.message
        agency = registry.get(msg.sender or "") or expected_agency(path_evidence(msg.path, inbox, ids))
        at, source = msg.arrival
        arrival = Arrival(at, source, msg.sender, (msg.subject or "")[:998] or None,
                          (msg.message_id or "")[:998] or None)
        for target in mail.files or [msg.path]:
            arrivals[str(target)] = arrival
            if agency:
                expected[str(target)] = agency
        if not mail.files:
            files.append(msg.path)
        mailbox.append(_Mail(msg, [str(f) for f in mail.files], mail.names, agency))
    return mailbox


def _mail_outcomes(result: CollectResult, mailbox: list[_Mail], with_issues: dict[str, FileReport], lang: str,
                   cat: Catalogue) -> None:
    """Tie outcomes to their emails, and write a reply draft for each email whose new files
    have issues (or that brought no form)."""
    from sdgxl.areas import receiver
    from sdgxl.outputs.reply import ReplyFile, write_reply

    by_path = {str(o.path): o for o in result.files}
    dpi = receiver(result.year)  # the receiver of the year collected
    folder = result.out_dir / ("replies" if lang == "en" else "thu-tra-loi")
    for mail in mailbox:
        msg = mail.message
        outcomes = [by_path[f] for f in mail.files or [str(msg.path)] if f in by_path]
        for o in outcomes:
            o.message, o.sender = msg.path, msg.sender
        fresh = [o for o in outcomes if o.status == "new"]
        noisy = [o for o in fresh if str(o.path) in with_issues]
        if not msg.sender or (outcomes and not noisy):
            continue
        names = mail.names
        files = []
        for o in noisy:
            if not mail.files:
                continue  # the email itself (no form attached): the reply says so
            rep = with_issues[str(o.path)]
            by_sev = {sev: [j for j in rep.issues if j.severity == sev] for sev in ("error", "warning")}
            notes = [" – ".join(x for x in (i.location, CHECKS[i.code].label(lang)) if x) + ": " + i.message(lang)
                     for sev in ("error", "warning") for i in by_sev[sev][:5]]
            other = next((str(i.value) for i in rep.issues if i.code == "wrong-agency"), None)
            files.append(ReplyFile(names.get(str(o.path), o.path.name), o.errors, o.warnings, o.feedback, notes,
                                   o.migrated, _agency_name(cat, other, lang) if other else None,
                                   more_errors=max(0, o.errors - min(5, len(by_sev["error"]))),
                                   more_warnings=max(0, o.warnings - min(5, len(by_sev["warning"])))))
        agency = mail.agency or next((o.agency for o in outcomes if o.agency), None)
        name = _agency_name(cat, agency, lang) if agency else None
        result.replies.append(write_reply(
            folder, msg.path, to=msg.sender, subject=msg.subject, message_id=msg.message_id,
            sender=dpi.get("email"), agency_name=name, files=files, skipped=msg.skipped, lang=lang))


def _agency_name(cat: Catalogue, agency: str, lang: str) -> str | None:
    if agency not in {a.id for a in cat.agencies}:
        return None
    ag = cat.agency(agency)
    return ag.name_en if lang == "en" and ag.name_en else ag.name


def _record(ledger: Ledger, reports: list[FileReport], meta: dict[str, tuple[str, Arrival | None]],
            outcomes: list[FileOutcome], with_issues: dict[str, FileReport], strict: bool, year: int) -> None:
    """Record reports with the hash of the bytes their values were read from (a file replaced
    after the first look is recorded as the version read, or skipped when that one is known)."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    items = []
    for r in reports:
        sha, arrival = meta[r.path]
        r.saved_at = _plausible_saved(r.saved_at, r.year, now)
        if arrival is None:
            arrival = Arrival(r.saved_at, "saved") if r.saved_at else Arrival()
        items.append((r, r.sha256 or sha, Path(r.path), arrival))
    for (rep, sid), (_, sha, p, arrival) in zip(ledger.record(items, strict=strict, collected_for=year), items,
                                                strict=True):
        if sid is None:  # recorded before (by a concurrent collect, or the version read was known)
            prior = ledger.by_hash(sha)
            outcomes.append(FileOutcome(p, sha, rep.agency, rep.year, "skipped", rep.valid,
                                        rep.errors, rep.warnings, prior.id if prior else None))
            continue
        outcomes.append(FileOutcome(p, sha, rep.agency, rep.year, "new", rep.valid, rep.errors,
                                    rep.warnings, sid, received_at=arrival.at or now,
                                    received_source=arrival.source if arrival.at else "first-seen",
                                    older=any(i.code == "version-older" for i in rep.issues)))
        if rep.issues:
            with_issues[rep.path] = rep


def _unique_names(subs: list[Any], lang: str) -> dict[int, str]:
    """Submission id → its feedback copy's name: the name of its file, and where two would
    share one, each gets its submission id too (again, until no two share one: a file may be
    named like another's suffixed name). Deterministic: the same ledger gives the same names."""
    from sdgxl.outputs.feedback import feedback_filename

    stems = {s.id: feedback_filename(Path(s.file_name), lang).rsplit("_", 1) for s in subs}
    while True:
        clash = Counter(stem.casefold() for stem, _ in stems.values())  # Windows: one name in any case
        if all(n == 1 for n in clash.values()):
            return {sid: f"{stem}_{tail}" for sid, (stem, tail) in stems.items()}
        for sid, (stem, tail) in stems.items():
            if clash[stem.casefold()] > 1:
                stems[sid] = [f"{stem}-{sid}", tail]


def write_missing_feedback(result: CollectResult, cat: Catalogue, ledger: Ledger, lang: str,
                           files: dict[str, Path], fresh_forms: dict[str, Path] | None = None) -> OutputError | None:
    """Write the feedback copy of every submission of the year that has issues and none yet:
    what the ledger holds decides, not what this run read, so a copy a killed or failed run
    did not write is written now. A copy is made from the file in the inbox whose bytes have
    the recorded hash (``files``: sha256 → path), never from another version; a wrong-year
    file's copy names the fresh form made for it this run (``fresh_forms``). Names are
    unique among the year's copies: a name two submissions would share gets each one's id.
    Returns the first copy that could not be written (the others are written)."""
    from sdgxl.outputs.feedback import write_feedback

    fb_dir = result.out_dir / ("feedback" if lang == "en" else "phan-hoi")
    subs = [s for s in ledger.submissions(result.year) if s.readable and (s.errors or s.warnings)]
    names = _unique_names(subs, lang)
    todo = [s for s in subs if not (fb_dir / names[s.id]).exists()]
    outcomes: dict[str, list[FileOutcome]] = {}  # sha256 → this run's outcomes of that file
    for o in result.files:
        outcomes.setdefault(o.sha256, []).append(o)
    for s in subs:
        if (fb_dir / names[s.id]).exists():
            for o in outcomes.get(s.sha256, []):
                o.feedback = fb_dir / names[s.id]
    if not todo:
        return None
    issue_rows = ledger.issues_of([s.id for s in todo])
    sheets = ledger.data_sheets([s.id for s in todo])
    blocked: OutputError | None = None
    codes = printed_codes(cat, lang)
    for s in todo:
        source = files.get(s.sha256) or Path(s.file_path)
        report = FileReport(path=str(source), agency=s.agency, year=s.year, readable=s.readable,
                            issues=[Issue.from_record(r) for r in issue_rows[s.id] if r["code"] in CHECKS],
                            data_sheet=sheets.get(s.id))
        name = None
        if s.agency and s.agency in {a.id for a in cat.agencies}:
            agency = cat.agency(s.agency)
            name = agency.name_en if lang == "en" and agency.name_en else agency.name
        try:
            path = write_feedback(report, source, fb_dir, lang=lang, agency_name=name, name=names[s.id],
                                  sha256=s.sha256, fresh=(fresh_forms or {}).get(s.sha256), year=result.year,
                                  codes=codes,
                                  received=dt.datetime.fromisoformat(s.received_at) if s.received_at else None)
        except OutputError as exc:
            blocked = blocked or exc
            continue
        if path is not None:
            result.feedback.append(path)
            for o in outcomes.get(s.sha256, []):
                o.feedback = path
    return blocked


def write_outputs(result: CollectResult, cat: Catalogue, ledger: Ledger, lang: str) -> None:
    from sdgxl.outputs.tidy import write_exports
    from sdgxl.outputs.workbook import write_consolidated
    from sdgxl.progress.assess import assess

    # the provincial table holds the current values; the exports every value ever received,
    # read from the ledger as they are written (memory stays flat as the ledger grows)
    con = consolidate(cat, ledger, result.year)
    result.consolidation = con
    result.progress = assess(con)
    result.consolidated = write_consolidated(con, result.out_dir, lang=lang, progress=result.progress)
    written = write_exports(ledger, cat, {fmt: result.out_dir / name for fmt, name in OUTPUT_NAMES.items()})
    result.csv, result.parquet = written["csv"], written["parquet"]
