"""Build the bundled catalogue from the plan's text (OCR'd PDF) and a list of corrections.

Run it again with ``sdgxl catalogue extract`` (or ``python -m sdgxl.catalogue.extract``):
it reproduces ``src/sdgxl/data/catalogue.json`` byte for byte from

* ``kien-giang-2018-plan.txt``: the plan as OCR'd (NFC);
* ``agencies.toml``: the agency registry (every spelling seen in the plan);
* ``corrections.toml``: the manual corrections, one per repaired cell, each naming what
  the source said (the script refuses a correction whose ``source`` no longer matches,
  so a correction can never silently apply to the wrong cell);
* ``crosswalk.toml``: the mappings to national and global indicators;
* ``titles_en.toml``: the English titles (the UN's goal titles; sdgxl's translation of the
  targets, indicators and components, recorded as such in ``source.translation_en``).

The parser knows the shape of the plan's tables, not their content: rows that start with
``(n) Mục tiêu X.Y (MTUT):`` open a target, a cell that starts with an indicator code
opens an indicator, and text in a row with neither continues whatever the page break
cut (a target's title, an indicator's name).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdgxl.catalogue.aims import aim_from_roadmap, direction_conflict
from sdgxl.catalogue.load import dump_catalogue
from sdgxl.catalogue.models import (
    ROADMAP_YEARS,
    Agency,
    Aim,
    Catalogue,
    Component,
    Goal,
    Indicator,
    Source,
    Succession,
    Target,
    UnitKind,
)
from sdgxl.catalogue.roadmap import parse_roadmap
from sdgxl.catalogue.units import classify_unit
from sdgxl.errors import SdgxlError
from sdgxl.text import clean_spaces, nfc

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(__file__).resolve().parent.parent / "data"
SEED = DATA / "kien-giang-2018-plan.txt"
AGENCIES = DATA / "agencies.toml"
CORRECTIONS = DATA / "corrections.toml"
CROSSWALK = DATA / "crosswalk.toml"
TITLES_EN = DATA / "titles_en.toml"
BUNDLED = DATA / "catalogue.json"

__all__ = ["ExtractionError", "dump_catalogue", "extract", "main"]


class ExtractionError(SdgxlError):
    """The seed, registry or corrections do not fit together (``detail``: where and why, for
    the developer who maintains them)."""

    def __init__(self, detail: str) -> None:
        super().__init__("extraction_failed", detail=detail)


# --------------------------------------------------------------------------- registry
def load_registry(path: Path) -> tuple[list[Agency], list[Succession]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    agencies = [Agency.model_validate(a) for a in data.get("agency", [])]
    successions = [Succession.model_validate(s) for s in data.get("succession", [])]
    return agencies, successions


class AliasMatcher:
    """Find agencies in free text by their spellings, longest first."""

    def __init__(self, agencies: list[Agency]) -> None:
        pairs: list[tuple[str, str]] = []
        for a in agencies:
            for s in {a.name, a.short or a.name, *a.aliases}:
                pairs.append((self.key(s), a.id))
        self.pairs = sorted(set(pairs), key=lambda p: (-len(p[0]), p[0]))
        self.exact = dict(self.pairs)

    @staticmethod
    def key(text: str) -> str:
        return clean_spaces(text).rstrip(". ").casefold()

    def one(self, text: str) -> str | None:
        return self.exact.get(self.key(text))

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, agency id) of every spelling found in ``clean_spaces(text)``, in order."""
        plain = clean_spaces(text)
        hay = plain.casefold()
        if len(hay) != len(plain):  # pragma: no cover - no such letter in Vietnamese
            hay = plain.lower()
        taken = [False] * len(hay)
        found: list[tuple[int, int, str]] = []
        for alias, aid in self.pairs:
            start = 0
            while (pos := hay.find(alias, start)) >= 0:
                end = pos + len(alias)
                before_ok = pos == 0 or not hay[pos - 1].isalnum()
                if before_ok and not any(taken[pos:end]):
                    for k in range(pos, end):
                        taken[k] = True
                    found.append((pos, end, aid))
                start = end
        return sorted(found)

    def scan(self, text: str) -> list[str]:
        """Agency ids named in ``text``, in order of appearance, each once."""
        return list(dict.fromkeys(aid for _, _, aid in self.spans(text)))

    def others(self, text: str) -> list[str]:
        """Organisations named in a co-operators' list that are not in the registry.

        The registry's spellings are cut out and the rest is split at commas; what is
        left and is not a generic phrase ("các đơn vị có liên quan", "thị xã" …) is the
        name of an organisation the registry does not know, kept as printed."""
        plain = clean_spaces(text)
        rest, last = [], 0
        for start, end, _ in self.spans(plain):
            rest.append(plain[last:start])
            last = end
        rest.append(plain[last:])
        out: list[str] = []
        for piece in re.split(r"[,;]|\s{2,}", " , ".join(rest)):
            name = clean_spaces(piece).strip(" .:-–")
            name = re.sub(r"^(?:và|với)\s+", "", name)
            name = re.sub(r"\s+(?:và|với)$", "", name)
            low = name.casefold()
            if len(name) < 4 or not name[:1].isupper() or low.startswith(_GENERIC):
                continue
            if name not in out:
                out.append(name)
        return out


# Phrases of a co-operators' list that name no particular organisation.
_GENERIC = (
    "các ", "thị xã", "thành phố", "địa phương", "đơn vị", "phối hợp", "chủ trì", "ubnd các",
    "ngành", "sở, ngành", "tổ chức", "cơ quan", "đoàn thể", "doanh nghiệp",
)


# --------------------------------------------------------------------------- seed
_TARGET_HEAD = re.compile(
    r"^\((\d+)\)\s*Mục tiêu\s+(\d+\.\d+)\s*:?\s*\((MT\w+)\)\s*:?\s*(.*)$", re.S
)
_GOAL_HEAD = re.compile(r"^Mục tiêu\s+(\d+)\s*[.:]\s*(.+)$")
_IND_CODE = re.compile(
    r"^(\d{1,2}\.\d{1,2}(?:\.\d)?)(?:\s?([a-zđ])(?![^\W\d_]))?"
    r"((?:\s*[.:]\s*|\s*\((?:UT|KK)\)\s*)*)(.*)$",
    re.S,
)


def _cells(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [clean_spaces(c) for c in inner.split("|")]


@dataclass
class _RawIndicator:
    code: str
    code_printed: str
    priority: str | None
    name: str
    unit: str
    agency_text: str
    roadmap_cells: list[str]
    line: int


@dataclass
class _RawTarget:
    number: int
    code: str
    priority: str
    title: str
    agency_text: str
    line: int
    indicators: list[_RawIndicator] = field(default_factory=list)
    no_indicator_note: str | None = None


def _tidy(name: str) -> str:
    """An indicator's name without the OCR's spacing: no space before punctuation ("bỏ học ."
    → "bỏ học."), one full stop at the end ("trở đi.." → "trở đi.")."""
    name = re.sub(r"\s+([.,;:])", r"\1", name.rstrip(" ;"))
    return re.sub(r"\.{2,}$", ".", name)


def parse_indicator_cell(text: str) -> tuple[str, str, str | None, str] | None:
    """``'12.4 b(UT): Tỷ lệ …'`` → ('12.4b', '12.4 b(UT)', 'UT', 'Tỷ lệ …')."""
    m = _IND_CODE.match(text)
    if not m:
        return None
    number, letter, seps, rest = m.group(1), m.group(2) or "", m.group(3), m.group(4)
    tag = re.search(r"\((UT|KK)\)", seps)
    printed = (text[: len(text) - len(rest)]).strip().rstrip(":.").strip()
    return number + letter, printed, tag.group(1) if tag else None, rest.strip()


def parse_appendix2(text: str) -> tuple[list[Goal], list[_RawTarget]]:
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("PHỤ LỤC 2"))
    goals: list[Goal] = []
    targets: list[_RawTarget] = []
    current: _RawTarget | None = None
    for lineno in range(start + 1, len(lines)):
        raw = lines[lineno]
        stripped = raw.strip()
        if not stripped:
            continue
        if not stripped.startswith("|"):
            m = _GOAL_HEAD.match(clean_spaces(stripped))
            if m:
                goals.append(Goal(number=int(m.group(1)), title=m.group(2).rstrip(". ")))
            continue
        if re.fullmatch(r"\|[\s|:-]*\|", stripped):
            continue  # separator row, or an empty row
        cells = _cells(raw) + [""] * 8
        c0, agency, ind_text, unit = cells[0], cells[1], cells[2], cells[3]
        roadmap = [c for c in _cells(raw)[4:]]
        if c0.startswith("Mục tiêu giám sát") or c0.startswith("Mục tiêu theo") or ind_text.startswith(
            "Chỉ tiêu giám sát"
        ):
            continue
        if not any(cells) or (not c0 and not agency and not ind_text and not unit and cells[4] in {"2015"}):
            continue
        m = _GOAL_HEAD.match(c0)
        if m and not _TARGET_HEAD.match(c0):
            goals.append(Goal(number=int(m.group(1)), title=m.group(2).rstrip(". ")))
            continue
        m = _TARGET_HEAD.match(c0)
        if m:
            current = _RawTarget(
                number=int(m.group(1)), code=m.group(2), priority=m.group(3),
                title=m.group(4), agency_text=agency, line=lineno + 1,
            )
            targets.append(current)
        elif c0 and current is not None:
            current.title = f"{current.title} {c0}".strip()
        if current is None:
            raise ExtractionError(f"line {lineno + 1}: a row before the first target")
        if ind_text:
            parsed = parse_indicator_cell(ind_text)
            if parsed is not None:
                code, printed, prio, name = parsed
                current.indicators.append(
                    _RawIndicator(
                        code=code, code_printed=printed, priority=prio, name=name, unit=unit,
                        agency_text=agency, roadmap_cells=roadmap, line=lineno + 1,
                    )
                )
            elif m and not current.indicators:
                current.no_indicator_note = ind_text
            elif current.indicators:
                current.indicators[-1].name += " " + ind_text
            else:
                raise ExtractionError(f"line {lineno + 1}: indicator text without a code: {ind_text!r}")
        elif unit and not any(roadmap) and current.indicators and not agency:
            # a sentence of the indicator's name that spilled into a row of its own
            current.indicators[-1].name += " " + unit
        elif agency and not m and not ind_text:
            raise ExtractionError(f"line {lineno + 1}: agency without an indicator: {agency!r}")
    return goals, targets


@dataclass
class _Block:
    """One "Chủ trì: … Phối hợp: …" block of PHỤ LỤC I, and the targets it may belong to."""

    lead: list[str]
    cooperating: list[str]
    others: list[str]
    seen: list[str]  # codes of the targets whose heading comes before the block
    line: int
    row_target: str | None = None  # the target whose tasks open the block's row (no heading first)


def _appendix1_blocks(text: str, matcher: AliasMatcher) -> tuple[list[str], list[_Block]]:
    """Target headings in order, and the agency blocks of PHỤ LỤC I.

    The page breaks of the OCR cut rows anywhere: a target's heading may sit at the end of
    the row that holds the previous target's tasks, and an agency list may run on into the
    next row (or page). So the agency column is read as one running text, split at each
    "Chủ trì", and each block remembers which headings came before it."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("PHỤ LỤC I"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("PHỤ LỤC 2"))
    heads: list[str] = []
    stream: list[tuple[str, int, int, str | None]] = []  # (agency text, line, headings seen, row's target)
    for lineno in range(start, end):
        raw = lines[lineno]
        plain = re.sub(r"<[^>]+>", " ", raw)
        pieces = plain.split("|") if raw.lstrip().startswith("|") else ["", plain, "", ""]
        if len(pieces) < 4:
            pieces = ["", plain, "", ""]
        cells = [clean_spaces(c) for c in pieces[1:-1]]
        if re.fullmatch(r"[\s:-]*", "".join(cells)) or cells[:2] == ["Nhiệm vụ", "Phân công trách nhiệm"]:
            continue
        # the tasks column comes first (after a sub-item letter "a." when the row has one);
        # the agency column is the last filled cell after it, unless it is a sub-item
        # letter or the indicator's note ("Chỉ tiêu: …") that some rows carry there
        first = 1 if re.fullmatch(r"[a-zđ]\.?", cells[0]) else 0
        agency_at = max((k for k in range(first + 1, len(cells)) if cells[k]), default=None)
        if agency_at is not None and re.match(r"[a-zđ]\.?$|Chỉ tiêu\s*:", cells[agency_at]):
            agency_at = None
        tasks = " ".join(c for k, c in enumerate(cells) if k != agency_at)
        opens_with_tasks = bool(tasks.strip()) and not re.match(r"\s*(?:\(\d+\)\s*)?Mục tiêu\s+\d", tasks)
        row_target = heads[-1] if heads and opens_with_tasks else None
        heads.extend(m.group(2) for m in re.finditer(r"\((\d+)\)\s*Mục tiêu\s+(\d+\.\d+)", tasks))
        if agency_at is not None:
            stream.append((cells[agency_at], lineno + 1, len(heads), row_target))
    blocks: list[_Block] = []
    joined = ""
    marks: list[tuple[int, int, int, str | None]] = []  # (offset in joined, line, headings seen, row's target)
    for cell, line, seen, row_target in stream:
        marks.append((len(joined), line, seen, row_target))
        joined += cell + " "
    for m in re.finditer(r"Chủ trì\s*:", joined):
        nxt = joined.find("Chủ trì", m.end())
        body = joined[m.end(): nxt if nxt >= 0 else len(joined)]
        _, line, seen, row_target = max((mk for mk in marks if mk[0] <= m.start()), key=lambda mk: mk[0])
        lead_text, _, coop_text = body.partition("Phối hợp")
        lead = matcher.scan(lead_text)
        coop_text = coop_text.lstrip(": ")
        coop = [a for a in matcher.scan(coop_text) if a not in lead]
        blocks.append(_Block(lead, coop, matcher.others(coop_text), heads[:seen], line, row_target))
    return heads, blocks


def parse_appendix1(
    text: str, matcher: AliasMatcher, slots: list[tuple[str, str]] | None = None
) -> dict[str, tuple[list[str], list[str], list[str]]]:
    """Target code → (lead ids, co-operating ids, co-operators outside the registry).

    ``slots`` is section IV's list of (target, lead agency) in the plan's order (1.1, …,
    3.8a, 3.8b, 3.8c, …). A block goes to the first open slot of its lead agency among the
    targets whose heading precedes it, so a list printed a row late still reaches its own
    target; blocks keep the plan's order (none goes back before the previous block's
    target). A row that opens with a target's tasks (no heading first) holds that target's
    block when its slot is open (16.7a-c, 6.4a). A target whose heading the OCR lost (4.4)
    takes the next block of its lead. A block that fits no slot goes to the first target
    since the previous block's that has none yet, else to the last heading before it."""
    heads, blocks = _appendix1_blocks(text, matcher)
    open_slots = list(slots or [])
    order = [code for code, _ in slots or []]
    out: dict[str, tuple[list[str], list[str], list[str]]] = {}
    floor = 0  # blocks follow the plan's order: never back before the last block's target
    for blk in blocks:
        if not blk.seen:
            raise ExtractionError(f"PHỤ LỤC I line {blk.line}: agencies before the first target")
        window = blk.seen[floor:]
        fits = [s for s in open_slots if s[1] in blk.lead]
        # a row that opens with a target's tasks holds that target's agencies when it can;
        # else the first target before the block still waiting for this lead's list; else a
        # target whose heading the OCR lost (4.4), just after the last heading before it
        slot = next((s for s in fits if s[0] == blk.row_target), None) \
            or next((s for s in fits if s[0] in window), None)
        if slot is None and blk.seen[-1] in order:
            after = order.index(blk.seen[-1])
            slot = next((s for s in fits if s[0] not in heads and order.index(s[0]) > after
                         and all(c in heads or c == s[0] for c in order[after:order.index(s[0])])), None)
        if slot is not None:
            open_slots.remove(slot)
            code = slot[0]
        else:
            code = next((c for c in window if c not in out), blk.seen[-1])
        floor = blk.seen.index(code) if code in blk.seen else len(blk.seen) - 1
        lead, coop, others = out.setdefault(code, ([], [], []))
        lead.extend(a for a in blk.lead if a not in lead)
        coop.extend(a for a in blk.cooperating if a not in coop)
        others.extend(o for o in blk.others if o not in others)
    for lead, coop, _ in out.values():
        coop[:] = [a for a in coop if a not in lead]
    return out


# the tasks of each target, in PHỤ LỤC I's "Nhiệm vụ" column (the plan's lines 385-720):
# a target's heading "(n) Mục tiêu X.Y (MTUT): title" is followed by its tasks, "- …"
# bullets (sometimes in "a."/"b." blocks, one per lead agency) until the next heading;
# the page breaks cut cells, so the column is read as one stream, row after row
_TASK_HEAD = re.compile(r"\((\d+)\)\s*Mục tiêu\s+(\d+\.\d+)\s*:?\s*\((?:[^()]*\()?MT\w+\)?\)\s*:?")
_GOAL_LINE = re.compile(r"Mục tiêu\s+\d{1,2}\s*:[^<|]*?(?=<|$)")


def _task_items(chunk: str) -> list[str]:
    """The bullets of a stretch of the tasks column (tags dropped, "Chỉ tiêu:" notes left out)."""
    chunk = re.sub(r"<p>\s*Chỉ tiêu\s*:.*?</p>", " ", chunk, flags=re.S)
    chunk = re.sub(r"<p>\s*[a-e]\.\s*</p>|(?:^|\s)[a-e]\.\s*(?=<ul)", " ", chunk)  # the a./b. blocks
    plain = clean_spaces(re.sub(r"<[^>]+>", " ", chunk))
    items: list[str] = []
    for piece in re.split(r"\s[-+]\s", " " + plain + " "):
        piece = clean_spaces(piece).strip(" ;.")
        if not piece:
            continue
        if items and not piece[0].isupper():  # "kinh tế - xã hội", "2016 - 2020": not a new bullet
            items[-1] += " - " + piece
        else:
            items.append(piece)
    return [p + "." for p in items if len(p) > 3]


def parse_appendix1_tasks(text: str) -> dict[str, tuple[list[str], tuple[int, int]]]:
    """Target code → (its tasks as the plan words them, (first, last) line of the plan, 1-based)."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("PHỤ LỤC I"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("PHỤ LỤC 2"))
    stream: list[tuple[int, str]] = []  # (line number, first cell)
    for i in range(start, end):
        cells = lines[i].strip().split("|")
        if len(cells) < 3 or cells[1].strip().startswith(("Nhiệm vụ", "---", "--")):
            continue
        stream.append((i + 1, cells[1]))
    out: dict[str, tuple[list[str], tuple[int, int]]] = {}
    current: str | None = None
    parts: list[str] = []
    first = last = 0

    def close() -> None:
        if current is not None:
            out[current] = (_task_items(" ".join(parts)), (first, last))

    for lineno, cell in stream:
        cell = _GOAL_LINE.sub(" ", cell)
        pos = 0
        for m in _TASK_HEAD.finditer(cell):
            if current is not None:
                parts.append(cell[pos:m.start()])
                last = lineno
            close()
            current, parts, first, last = m.group(2), [], lineno, lineno
            # the title runs to the end of its paragraph, or of the cell
            rest = cell[m.end():]
            stop = min([k for k in (rest.find("</p>"), rest.find("<ul")) if k >= 0] or [len(rest)])
            if stop == len(rest) and rest.strip():
                pos = len(cell)  # a heading alone in its cell
            else:
                pos = m.end() + stop
            if pos >= len(cell):
                break
        if current is None:
            continue
        tail = cell[pos:] if pos < len(cell) else ""
        if re.fullmatch(r"\s*<i>[^<]*</i>\s*", tail) and not parts:
            continue  # the rest of a title a page break cut
        if re.sub(r"<[^>]+>", "", tail).strip():
            parts.append(tail)
            last = lineno
        pos = 0
    close()
    return out


_LETTERS = "abcdđefgh"


def parse_section4_slots(text: str, matcher: AliasMatcher) -> list[tuple[str, str]]:
    """Section IV as (target, lead agency) pairs in the plan's order: "3.8a" before "3.8b"."""
    found: list[tuple[int, int, int, str, str]] = []
    for line in text.splitlines():
        plain = clean_spaces(line).lstrip("- ")
        m = re.match(r"^(.*?)\s+chủ trì (?:các )?mục tiêu\s*:\s*(.*)$", plain)
        if not m:
            continue
        who = matcher.scan(m.group(1))
        if len(who) != 1:
            raise ExtractionError(f"section IV: cannot tell the agency of {plain!r}")
        for g, t, letter in re.findall(r"(\d{1,2})\.(\d{1,2})\.?([a-zđ]?)(?![\w])", m.group(2)):
            found.append((int(g), int(t), _LETTERS.find(letter) if letter else -1, f"{g}.{t}", who[0]))
    return [(code, aid) for *_, code, aid in sorted(found)]


def parse_section4(text: str, matcher: AliasMatcher) -> dict[str, list[str]]:
    """Target code → lead agency ids from section IV ("… chủ trì các mục tiêu: 1.1, 1.2 …")."""
    out: dict[str, list[str]] = {}
    for code, aid in parse_section4_slots(text, matcher):
        leads = out.setdefault(code, [])
        if aid not in leads:
            leads.append(aid)
    return out


# --------------------------------------------------------------------------- corrections
@dataclass
class Corrections:
    fixes: list[dict[str, Any]]
    components: list[dict[str, Any]]
    source: dict[str, Any]
    directions: dict[str, str] = field(default_factory=dict)
    aims: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Corrections:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(
            fixes=list(data.get("fix", [])),
            components=list(data.get("components", [])),
            source=dict(data.get("source", {})),
            directions={str(k): str(v) for k, v in data.get("direction", {}).items()},
            aims=list(data.get("aim", [])),
        )


def _apply_fix(obj: dict[str, Any], fix: dict[str, Any], where: str) -> None:
    fld = fix["field"]
    current = obj.get(fld)
    if "find" in fix:  # a phrase inside the cell
        find, repl = fix["find"], fix["replace"]
        if not isinstance(current, str) or current.count(find) != 1:
            raise ExtractionError(
                f"correction at {where} field {fld!r}: {find!r} is not in the source "
                f"exactly once (the source says {current!r})"
            )
        obj[fld] = current.replace(find, repl)
        return
    expected = fix.get("source")
    if fld == "unit":  # keep the printed unit; the corrected one is stored beside it
        fld = "unit_fixed"
    if current != expected:
        raise ExtractionError(
            f"correction at {where} field {fld!r}: the source says {current!r}, "
            f"the correction expects {expected!r}"
        )
    obj[fld] = fix["value"]
    for other in fix.get("move_to", []):  # a merged cell: its text belongs to these cells
        if obj.get(other):
            raise ExtractionError(
                f"correction at {where}: {other!r} is not empty ({obj[other]!r}); cannot move {fld!r} there"
            )
        obj[other] = expected


# --------------------------------------------------------------------------- build
def extract(
    seed: Path = SEED, agencies_path: Path = AGENCIES, corrections_path: Path = CORRECTIONS,
    crosswalk_path: Path | None = CROSSWALK, titles_path: Path | None = TITLES_EN,
) -> Catalogue:
    text = nfc(seed.read_text(encoding="utf-8"))
    agencies, successions = load_registry(agencies_path)
    matcher = AliasMatcher(agencies)
    corr = Corrections.load(corrections_path)
    goals, raw_targets = parse_appendix2(text)
    leads = parse_appendix1(text, matcher, parse_section4_slots(text, matcher))
    leads4 = parse_section4(text, matcher)
    tasks = parse_appendix1_tasks(text)

    # flat dicts that corrections can address by field name, with printed text
    tdicts: dict[str, dict[str, Any]] = {}
    idicts: dict[str, dict[str, Any]] = {}
    for rt in raw_targets:
        # section IV is the plan's own list of who leads what; PHỤ LỤC I (whose rows the
        # page breaks shift) gives the co-operating agencies
        lead_i, coop, others = leads.get(rt.code, ([], [], []))
        lead = leads4.get(rt.code) or lead_i
        coop = [a for a in lead_i + coop if a not in lead]
        coop = list(dict.fromkeys(coop))
        tdicts[rt.code] = {
            "number": rt.number, "code": rt.code, "priority": rt.priority,
            "title": rt.title.rstrip(" "), "agency_text": rt.agency_text,
            "lead_agencies": lead, "cooperating_agencies": coop, "cooperating_other": others,
            "no_indicator_note": rt.no_indicator_note,
        }
        for ri in rt.indicators:
            if ri.code in idicts:
                raise ExtractionError(f"line {ri.line}: indicator code {ri.code} seen twice")
            d: dict[str, Any] = {
                "code": ri.code, "code_printed": ri.code_printed, "target": rt.code,
                "priority": ri.priority, "name": _tidy(ri.name), "unit": ri.unit,
                "agency_text": ri.agency_text or rt.agency_text,
            }
            cells = list(ri.roadmap_cells)
            for n, year in enumerate(ROADMAP_YEARS):
                d[f"roadmap.{year}"] = cells[n] if n < len(cells) else ""
            extra = [c for c in cells[len(ROADMAP_YEARS):] if c]
            d["roadmap.extra"] = " | ".join(extra)
            idicts[ri.code] = d

    lines = text.splitlines()
    for fix in corr.fixes:  # a correction that names its line must quote that line
        quoted = fix.get("find") or fix.get("source")
        if "line" in fix and quoted:
            n = int(fix["line"])
            if not 1 <= n <= len(lines) or clean_spaces(quoted) not in clean_spaces(lines[n - 1]):
                raise ExtractionError(f"correction {fix}: line {n} of the plan does not say {quoted!r}")
    fixes = [f for f in corr.fixes if f.get("field") != "unit_kind"]
    kind_fixes = [f for f in corr.fixes if f.get("field") == "unit_kind"]
    for fix in fixes:
        if "indicator" in fix:
            code = fix["indicator"]
            if code not in idicts:
                raise ExtractionError(f"correction names unknown indicator {code}")
            _apply_fix(idicts[code], fix, f"indicator {code}")
        elif "target" in fix:
            code = fix["target"]
            if code not in tdicts:
                raise ExtractionError(f"correction names unknown target {code}")
            _apply_fix(tdicts[code], fix, f"target {code}")
        else:
            raise ExtractionError(f"correction without indicator or target: {fix}")

    for d in idicts.values():
        rule = classify_unit(d.get("unit_fixed", d["unit"]), d["name"])
        d["unit_kind"] = rule.value if rule else ""
    for fix in kind_fixes:
        code = fix.get("indicator", "")
        if code not in idicts:
            raise ExtractionError(f"correction names unknown indicator {code}")
        _apply_fix(idicts[code], fix, f"indicator {code}")

    targets: list[Target] = []
    for code, t in tdicts.items():
        inds = [d for d in idicts.values() if d["target"] == code]
        prio = t["priority"]
        if prio not in ("MTUT", "MTKK"):
            raise ExtractionError(f"target {code}: priority {prio!r} needs a correction")
        targets.append(
            Target(
                number=t["number"], code=code, goal=int(code.split(".")[0]), title=t["title"],
                priority=prio, lead_agencies=t["lead_agencies"],
                cooperating_agencies=t["cooperating_agencies"],
                cooperating_other=t["cooperating_other"], has_indicators=bool(inds),
                note=t["no_indicator_note"], tasks=tasks.get(code, ([], None))[0],
                tasks_lines=tasks.get(code, ([], None))[1],
            )
        )

    comp_defs = {c["indicator"]: c for c in corr.components}
    indicators: list[Indicator] = []
    for code, d in idicts.items():
        if d.get("roadmap.extra"):
            raise ExtractionError(
                f"indicator {code}: roadmap cells beyond 2030 ({d['roadmap.extra']!r}) need a correction"
            )
        agency_ids: list[str] = []
        for part in re.split(r"\s*;\s*", d["agency_text"]):
            if not part:
                continue
            aid = matcher.one(part)
            if aid is None:
                raise ExtractionError(f"indicator {code}: unknown reporting agency {part!r}")
            agency_ids.append(aid)
        unit_printed = d["unit"]
        unit = d.get("unit_fixed", unit_printed)
        kind = d["unit_kind"]
        if not kind:
            raise ExtractionError(
                f"indicator {code}: unit {unit!r} gives no unit kind; add a correction"
            )
        roadmap = {y: parse_roadmap(d[f"roadmap.{y}"]) for y in ROADMAP_YEARS}
        components: list[Component] = []
        if code in comp_defs:
            components = _components(comp_defs[code], roadmap, code)
        direction = corr.directions.get(code)
        if direction is None:
            raise ExtractionError(f"indicator {code}: no [direction] in the corrections (read it from the plan)")
        aim, aim_note = aim_from_roadmap(roadmap), None
        hand = [a for a in corr.aims if a.get("indicator") == code]
        if len(hand) > 1:
            raise ExtractionError(f"indicator {code}: more than one [[aim]]")
        if hand:
            spec = {k: v for k, v in hand[0].items() if k not in ("indicator", "why", "note")}
            if "why" not in hand[0]:
                raise ExtractionError(f"indicator {code}: an [[aim]] needs a why")
            aim = Aim.model_validate(spec) if spec else None
            aim_note = hand[0].get("note")
        ind = Indicator(
            code=code, code_printed=d["code_printed"], target=d["target"], name=d["name"],
            unit=unit or None, unit_printed=unit_printed or None, unit_kind=UnitKind(kind),
            agencies=agency_ids, unassigned=not agency_ids, priority=d["priority"],
            components=components, roadmap=roadmap, direction=direction, aim=aim, aim_note=aim_note,
        )
        base = roadmap["2015"].value if roadmap["2015"].kind == "number" else None
        conflict = direction_conflict(ind, base)
        if conflict:
            raise ExtractionError(f"indicator {code}: {conflict}")
        indicators.append(ind)
    unknown = sorted(set(corr.directions) - set(idicts))
    if unknown:
        raise ExtractionError(f"[direction] names unknown indicators: {', '.join(unknown)}")

    if crosswalk_path is not None and crosswalk_path.exists():
        merge_crosswalk(indicators, crosswalk_path)
    src = corr.source
    cat = Catalogue(
        id=src["id"],
        source=Source.model_validate(src["about"]),
        goals=sorted(goals, key=lambda g: g.number),
        targets=sorted(targets, key=lambda t: t.number),
        indicators=indicators,
        agencies=agencies,
        successions=successions,
    )
    return apply_titles_en(cat, titles_path) if titles_path is not None and titles_path.exists() else cat


def apply_titles_en(cat: Catalogue, path: Path) -> Catalogue:
    """``cat`` with the English titles of ``titles_en.toml`` (``[goal]``, ``[target]``,
    ``[indicator]``, ``[component]`` keyed ``code#key``) and its ``note`` as the source's
    ``translation_en``. A key the catalogue does not have stops the extraction."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    goals = {str(k): str(v) for k, v in data.get("goal", {}).items()}
    targets = {str(k): str(v) for k, v in data.get("target", {}).items()}
    inds = {str(k): str(v) for k, v in data.get("indicator", {}).items()}
    comps = {str(k): str(v) for k, v in data.get("component", {}).items()}
    known = {"goal": {str(g.number) for g in cat.goals}, "target": {t.code for t in cat.targets},
             "indicator": {i.code for i in cat.indicators},
             "component": {f"{i.code}#{c.key}" for i in cat.indicators for c in i.components}}
    for section, titles in (("goal", goals), ("target", targets), ("indicator", inds), ("component", comps)):
        unknown = sorted(set(titles) - known[section])
        if unknown:
            raise ExtractionError(f"{path.name}: [{section}] names what the catalogue does not have: "
                                  f"{', '.join(unknown)}")
    return Catalogue.model_validate(cat.model_copy(update={  # validated again: the titles NFC, stripped
        "source": cat.source.model_copy(update={"translation_en": data.get("note") or None}),
        "goals": [g.model_copy(update={"title_en": goals.get(str(g.number))}) for g in cat.goals],
        "targets": [t.model_copy(update={"title_en": targets.get(t.code)}) for t in cat.targets],
        "indicators": [i.model_copy(update={
            "name_en": inds.get(i.code),
            "components": [c.model_copy(update={"label_en": comps.get(f"{i.code}#{c.key}")}) for c in i.components],
        }) for i in cat.indicators],
    }).model_dump())


def merge_crosswalk(indicators: list[Indicator], path: Path) -> None:
    """Add the mappings and component dimensions of ``crosswalk.toml`` to ``indicators``."""
    from pydantic import ValidationError

    from sdgxl.catalogue.models import Mapping

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    by_code = {ind.code: ind for ind in indicators}
    for n, rec in enumerate(data.get("map", []), start=1):
        rec = dict(rec)
        code = rec.pop("indicator", None)
        if code not in by_code:
            raise ExtractionError(f"{path.name}: map #{n} names unknown indicator {code!r}")
        try:
            by_code[code].crosswalk.append(Mapping.model_validate(rec))
        except ValidationError as exc:
            raise ExtractionError(f"{path.name}: map #{n} ({code}): {exc.errors()[0]['msg']}") from None
    for n, rec in enumerate(data.get("component", []), start=1):
        ind = by_code.get(rec.get("indicator", ""))
        comp = next((c for c in ind.components if c.key == rec.get("key")), None) if ind else None
        if comp is None:
            raise ExtractionError(f"{path.name}: component #{n} names no component of the catalogue")
        assert ind is not None
        # models are frozen: the component is replaced by a copy that has its dimensions
        ind.components[ind.components.index(comp)] = comp.model_copy(
            update={"dimensions": dict(rec.get("dimensions", {}))})
    for ind in indicators:  # validates the whole list again (duplicates)
        Indicator.model_validate(ind.model_dump())


def _components(defn: dict[str, Any], roadmap: dict[str, Any], code: str) -> list[Component]:
    parts = defn.get("part", [])
    split = defn.get("split_roadmap")
    comps: list[Component] = []
    for n, p in enumerate(parts):
        comp_road = {}
        for year, rv in roadmap.items():
            if split == "ratio" and rv.kind == "ratio" and rv.parts and n < len(rv.parts):
                comp_road[year] = parse_roadmap(_fmt(rv.parts[n]))
            elif split == "labelled" and rv.kind == "composite" and rv.labelled:
                hit = [x for x in rv.labelled if x.label.casefold().startswith(p["match"].casefold())]
                comp_road[year] = parse_roadmap(_fmt(hit[0].value)) if hit else parse_roadmap("")
            else:
                comp_road[year] = parse_roadmap("")
        if "roadmap" in p:  # the part's own milestones, read from the indicator's text (9.5)
            if "why" not in p:
                raise ExtractionError(f"components of {code}: part {p['key']} sets a roadmap without a why")
            for year, text in p["roadmap"].items():
                if year not in comp_road:
                    raise ExtractionError(f"components of {code}: part {p['key']}: no roadmap year {year}")
                comp_road[year] = parse_roadmap(str(text))
        comps.append(
            Component(
                key=p["key"], label=p["label"], unit=p.get("unit"),
                unit_kind=UnitKind(p["unit_kind"]) if p.get("unit_kind") else None,
                agency=p.get("agency"), roadmap=comp_road, aim=aim_from_roadmap(comp_road),
            )
        )
    if not comps:
        raise ExtractionError(f"components of {code}: no [[components.part]]")
    return comps


def _fmt(value: float) -> str:
    text = f"{value:g}"
    return text.replace(".", ",")


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--seed", type=Path, default=SEED)
    ap.add_argument("--agencies", type=Path, default=AGENCIES)
    ap.add_argument("--corrections", type=Path, default=CORRECTIONS)
    ap.add_argument("--out", type=Path, default=BUNDLED)
    args = ap.parse_args(argv)
    cat = extract(args.seed, args.agencies, args.corrections)
    from sdgxl.fileio import atomic_write_text

    atomic_write_text(args.out, dump_catalogue(cat))
    print(f"{args.out}: {len(cat.goals)} goals, {len(cat.targets)} targets, "
          f"{len(cat.indicators)} indicators, {len(cat.agencies)} agencies")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
