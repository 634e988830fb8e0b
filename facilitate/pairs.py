"""`facilitate match` for a cohort: who is eligible, the pairs as matching.xlsx, and an
introduction letter per pair, written into out/<matching folder>/ like every generated
file (the manifest keeps a file edited by hand from being overwritten without --force).

The algorithm is `matching`; this module reads the applicants, keeps the result in
`.facilitate/matching.json` and writes what the coordinator sends and reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cohort import Cohort
from .i18n import t
from .matching import ADEPT, CRITERIA, MENTOR, Ineligible, Result

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .generated import GeneratedFiles
    from .participants import Participant

WORKBOOK = "matching.xlsx"


@dataclass(frozen=True)
class Eligibility:
    """`facilitate match --check`: who the rules leave out, and how many are eligible."""

    ineligible: list[Ineligible]
    counts: dict[str, tuple[int, int]]  # role -> (eligible, applied)


@dataclass(frozen=True)
class Made:
    """What `facilitate match` found and wrote."""

    result: Result
    people: dict[str, Participant]  # by name, as the pairs name them
    written: list[Path]  # relative to the cohort folder: matching.xlsx, then the letters
    folder: Path  # where they are, relative to the cohort folder


def folder(cohort: Cohort, lang: str | None = None) -> Path:
    """out/matchning (in the cohort's language): the workbook and the letters."""
    return Path("out") / t(lang or cohort.lang, "doc.file.matching")


def check(cohort: Cohort, applications: Path | None = None) -> Eligibility:
    """Who is not eligible and why, and per role how many of those who applied are."""
    from .matching import applicants
    from .matching import check as ineligible_of

    people = applicants(cohort, applications)
    ineligible = ineligible_of(cohort.programme, people, cohort.lang)
    counts = {}
    for role in (ADEPT, MENTOR):
        applied = sum(p.role == role for p in people)
        left_out = sum(i.role == role for i in ineligible)
        counts[role] = (applied - left_out, applied)
    return Eligibility(ineligible, counts)


def make(
    cohort: Cohort, today: date, applications: Path | None = None, force: bool = False
) -> Made:
    """Match the applicants, keep the result, and write matching.xlsx and the letters.

    Everything is rendered before anything is written: a file edited by hand stops the
    run (without --force) before matching.json or any document changes."""
    from . import matching
    from .docgen import Templates
    from .documents import letters
    from .generated import GeneratedFiles
    from .handouts import templates_folder

    applied = matching.applicants(cohort, applications)
    result = matching.run(cohort, applied)
    people = {p.name: p for p in applied}
    where = folder(cohort)
    files = [(where / WORKBOOK, workbook(cohort, result, people))]
    plan = letters(cohort, today, result.pairs, people, where.relative_to("out"))
    renderer = Templates(templates_folder(cohort, None))
    files += [(Path("out") / job.path, renderer.render(job.kind, job.context)) for job in plan.jobs]
    writer = GeneratedFiles(cohort.folder)
    writer.write_many(files, force=force)  # a refusal names every edited file, writes none
    matching.save(cohort, result)
    _remove_stale(writer, where, {path for path, _ in files})
    return Made(result, people, [path for path, _ in files], where)


def _remove_stale(writer: GeneratedFiles, where: Path, kept: set[Path]) -> None:
    """Delete the letters of pairs an earlier run made and this one did not (after a pin
    or a forbid), so that no letter introduces a pair that no longer exists. A letter
    edited by hand stays."""
    prefix = where.as_posix() + "/"
    for name in list(writer.hashes):
        path = Path(name)
        if name.startswith(prefix) and path not in kept and writer.state(path) == "generated":
            (writer.folder / path).unlink()
            writer.forget(path)


# ---------------------------------------------------------------------------
# matching.xlsx


def theme_titles(cohort: Cohort, indexes: tuple[int, ...]) -> list[str]:
    return [cohort.text(cohort.programme.themes[k]) for k in indexes]


def workbook(cohort: Cohort, result: Result, people: dict[str, Participant]) -> bytes:
    """Three sheets: the pairs with score, criteria and reasons; the unmatched; the not
    eligible. Headers in the cohort's language, ready to filter, sort and print."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    _pairs_sheet(book.active, cohort, result, people)
    _unmatched_sheet(book.create_sheet(), cohort, result)
    _ineligible_sheet(book.create_sheet(), cohort, result)
    book.properties.creator = "facilitate"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _organisation(people: dict[str, Participant], name: str) -> str:
    person = people.get(name)
    return (person.organisation or "") if person else ""


def _pairs_sheet(
    sheet: Worksheet, cohort: Cohort, result: Result, people: dict[str, Participant]
) -> None:
    lang = cohort.lang
    sheet.title = t(lang, "pairs.sheet.pairs")
    adept, mentor = (
        cohort.programme.role_title(ADEPT, lang),
        cohort.programme.role_title(MENTOR, lang),
    )
    headers = [
        adept,
        t(lang, "pairs.col.organisation", role=adept),
        mentor,
        t(lang, "pairs.col.organisation", role=mentor),
        t(lang, "pairs.col.score"),
        *(t(lang, f"pairs.criterion.{c}") for c in CRITERIA),
        t(lang, "pairs.col.shared_themes"),
        t(lang, "pairs.col.reasons"),
        t(lang, "pairs.col.pinned"),
    ]
    rows = [
        [
            pair.adept,
            _organisation(people, pair.adept),
            pair.mentor,
            _organisation(people, pair.mentor),
            pair.score,
            *(pair.parts.get(c) for c in CRITERIA),
            ", ".join(theme_titles(cohort, pair.shared_themes)),
            "\n".join(pair.reasons),
            t(lang, "pairs.yes") if pair.pinned else "",
        ]
        for pair in result.pairs
    ]
    widths = [24, 26, 24, 26, 9, *(12 for _ in CRITERIA), 34, 60, 10]
    _fill(sheet, headers, rows, widths, numbers=range(4, 5 + len(CRITERIA)))


def _unmatched_sheet(sheet: Worksheet, cohort: Cohort, result: Result) -> None:
    lang = cohort.lang
    sheet.title = t(lang, "pairs.sheet.unmatched")
    headers = [
        t(lang, "participant.name"),
        t(lang, "participant.role"),
        t(lang, "pairs.col.reason"),
        t(lang, "pairs.col.places"),
    ]
    rows = [
        [u.name, cohort.programme.role_title(u.role, lang), u.reason, u.places or None]
        for u in result.unmatched
    ]
    _fill(sheet, headers, rows, [26, 14, 80, 12], numbers=range(3, 4))


def _ineligible_sheet(sheet: Worksheet, cohort: Cohort, result: Result) -> None:
    lang = cohort.lang
    sheet.title = t(lang, "pairs.sheet.ineligible")
    headers = [
        t(lang, "participant.name"),
        t(lang, "participant.role"),
        t(lang, "participant.organisation"),
        t(lang, "pairs.col.reasons"),
    ]
    rows = [
        [
            i.name,
            cohort.programme.role_title(i.role, lang),
            i.organisation or "",
            "\n".join(i.reasons),
        ]
        for i in result.ineligible
    ]
    _fill(sheet, headers, rows, [26, 14, 28, 70], numbers=range(0))


def _fill(
    sheet: Worksheet,
    headers: list[str],
    rows: list[list[Any]],
    widths: Sequence[float],
    numbers: range,
) -> None:
    """Header and rows, every text through `put` (formula-like text stays text); a frozen,
    filterable header row; wrapped text; A4 landscape, one page wide. `numbers` are the
    (0-based) columns of scores, shown with two decimals."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from .workbook import LINE, font, print_setup, put, row_height

    wrapped = Alignment(wrap_text=True, vertical="top")
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=col)
        put(cell, text)
        cell.font = font(bold=True)
        cell.alignment = wrapped
    sheet.row_dimensions[1].height = max(
        row_height(h, w, "bold") for h, w in zip(headers, widths, strict=True)
    )
    for r, values in enumerate(rows, start=2):
        texts = [(v, w) for v, w in zip(values, widths, strict=True) if isinstance(v, str)]
        sheet.row_dimensions[r].height = max((row_height(v, w) for v, w in texts), default=LINE)
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=col)
            put(cell, value)
            cell.font = font()
            cell.alignment = wrapped
            if col - 1 in numbers:
                cell.number_format = "0.00"
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    last = f"{get_column_letter(len(headers))}{len(rows) + 1}"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}"
    print_setup(sheet, f"A1:{last}", "1:1")
