"""Golden files: the text of every kind of Word document, per language, as it is printed.

Three cohorts are built in code with fixed dates in 2030 and a fixed `today`, so that
the documents are the same on every machine and every day: Osaava ja oppiva Ohjaamo
(session documents of module 3, the overview and a certificate), Ohjaamon koordinointi
ja johtaminen (the travel diary) and the Swedish mentor programme of Västernorrland (the
pair guide). Each document is rendered with the shipped templates and its text taken
out with python-docx in document order: every paragraph, every table row as its cells
joined with " | ", then the footer. `golden/<kind>.<lang>.txt` holds what is expected;
the files are compared as text, never as bytes.

After a deliberate change to a template, a label or a programme, rewrite them with

    FACILITATE_UPDATE_GOLDEN=1 pytest tests/test_golden.py

and read the diff as a facilitator would before committing it. Where LibreOffice is
installed, the documents are also converted to PDF and their pages counted.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from facilitate import documents, library
from facilitate.cohort import Cohort, Settings, load
from facilitate.docgen import Templates
from facilitate.init import create
from facilitate.participants import Participant, write_template
from facilitate.programme import find_session

from .office import convert

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FACILITATE_UPDATE_GOLDEN") == "1"
HINT = "run FACILITATE_UPDATE_GOLDEN=1 pytest tests/test_golden.py and read the diff"
# The day the documents are made; every session is after it.
TODAY = date(2029, 11, 20)

OHJAAMO = "osaava-ja-oppiva-ohjaamo"
DIARY = "koordinointi-ja-johtaminen"
MENTORING = "mentorsprogram-vasternorrland"

# Sessions attended: enough for a certificate (6 and 5 of 6, the coordinator 10 of 10),
# too few (2 of 6), and not filled in yet.
PEOPLE = (
    Participant(
        "Päivi Ahonen", "paivi.ahonen@te.example", "TE-palvelut", "member", {"attended": 6}
    ),
    Participant(
        "Noora O'Connor",
        "noora.oconnor@koskela.example",
        "Koskelan kaupunki, sosiaali- & terveyspalvelut",
        "member",
        {"attended": 5},
    ),
    Participant(
        "Sari Läänelä",
        "sari.laanela@koskela.example",
        "Koskelan kaupunki",
        "coordinator",
        {"attended": 10},
    ),
    Participant(
        "Aleksi Räsänen",
        "aleksi.rasanen@koskela.example",
        "Etsivä nuorisotyö",
        "member",
        {"attended": 2},
    ),
    Participant(
        "Emil Björkqvist", "emil.bjorkqvist@koskela.example", "Työllisyyspalvelut", "member"
    ),
)
# Whose certificate has a golden file: a name and organisation that need escaping.
CERTIFIED = "Noora O'Connor"


def make_cohort(folder: Path, programme_id: str, **settings: Any) -> Cohort:
    """A cohort folder written as `init` writes it, from settings given in code."""
    path, programme = library.find(programme_id)
    create(folder, Settings(id=folder.name, programme=programme_id, **settings), programme, path)
    return load(folder)


def make_ohjaamo(folder: Path) -> Cohort:
    """Osaava ja oppiva Ohjaamo in Finnish from Tuesday 15 January 2030, with participants."""
    cohort = make_cohort(
        folder,
        OHJAAMO,
        organisation="Ohjaamo Koskela",
        name="Ohjaamo Koskela, kevät 2030",
        language="fi",
        country="FI",
        facilitators=["Anna Virtanen", "Kalle Nieminen"],
        coordinator="Sari Läänelä",
        delivery="hybrid",
        place="Ohjaamo Koskela, Rantakatu 4",
        teams_link="https://teams.example/l/meetup-join/koskela",
        first_date=date(2030, 1, 15),
        start_time=time(9, 0),
    )
    write_template(folder / "participants.xlsx", cohort.programme, "fi", "Ohjaamo Koskela", PEOPLE)
    return cohort


def make_diary_cohort(folder: Path) -> Cohort:
    """Ohjaamon koordinointi ja johtaminen (with a travel diary), on Teams from 15.1.2030."""
    return make_cohort(
        folder,
        DIARY,
        organisation="Ohjaamot Itä-Suomi",
        name="Koordinaattorit, kevät 2030",
        language="fi",
        country="FI",
        facilitators=["Anna Virtanen"],
        delivery="teams",
        teams_link="https://teams.example/l/meetup-join/koordinaattorit",
        first_date=date(2030, 1, 15),
    )


def make_mentoring(folder: Path) -> Cohort:
    """The mentor programme of Västernorrland in Swedish, in Sweden, from 3 September 2030."""
    return make_cohort(
        folder,
        MENTORING,
        organisation="Myndighetsnätverket Västernorrland",
        name="Mentorsprogrammet 2030–2031",
        language="sv",
        country="SE",
        facilitators=["Karin Berg", "Lars Nyström"],
        coordinator="Eva Sundin",
        delivery="on-site",
        place="Länsstyrelsen Västernorrland, Härnösand",
        first_date=date(2030, 9, 3),
    )


@dataclass(frozen=True)
class Case:
    """Which document of which cohort a golden file holds, and in which languages."""

    cohort: str  # a key of the `cohorts` fixture
    session: str | None = None  # the session of a session document
    pick: Callable[[documents.Job], bool] = lambda job: True
    languages: tuple[str, ...] = ("fi", "sv", "nb", "en")


CASES = {
    "handout": Case("ohjaamo", "module-3"),
    "runsheet": Case("ohjaamo", "module-3"),
    "task-sheet": Case("ohjaamo", "module-3"),
    "overview": Case("ohjaamo"),
    "certificate": Case("ohjaamo", pick=lambda job: job.title == CERTIFIED),
    "diary": Case("diary"),
    # Written in Swedish and English only: in Norwegian the labels are Norwegian and
    # the programme's texts fall back to Swedish.
    "pair-guide": Case("mentoring", languages=("sv", "en", "nb")),
}
EXPECTED = sorted(f"{kind}.{lang}.txt" for kind, case in CASES.items() for lang in case.languages)


# --- text of a document -----------------------------------------------------------------


def text_lines(data: bytes) -> list[str]:
    """The text of a .docx in document order: paragraphs, table rows, then footers."""
    doc = Document(io.BytesIO(data))
    lines = list(_block_lines(doc.iter_inner_content()))
    for section in doc.sections:
        for name, part in (("header", section.header), ("footer", section.footer)):
            if part.is_linked_to_previous:
                continue
            text = " ".join(p.text for p in part.paragraphs).strip()
            if text:
                lines.append(f"{name}: {text}")
    return lines


def _block_lines(blocks: Iterator[Paragraph | Table]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        else:
            for row in block.rows:
                cells: list[Any] = []
                for cell in row.cells:  # a merged cell is listed once per column it spans
                    if not cells or cell._tc is not cells[-1]._tc:
                        cells.append(cell)
                # A cell of several paragraphs stays on the row's line.
                yield " | ".join(" / ".join(p.text for p in c.paragraphs) for c in cells)


def headings(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of every title and heading in the body and in table cells."""
    doc = Document(io.BytesIO(data))
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    return [
        (p.style.name, p.text)
        for p in paragraphs
        if p.style is not None and re.match(r"(Title|Heading \d|Certificate Title)$", p.style.name)
    ]


# --- the documents ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    job: documents.Job
    plan: documents.Plan
    data: bytes
    lines: list[str]
    programme_languages: tuple[str, ...]


@pytest.fixture(scope="module")
def cohorts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Cohort]:
    root = tmp_path_factory.mktemp("golden-cohorts")
    return {
        "ohjaamo": make_ohjaamo(root / "ohjaamo-koskela"),
        "diary": make_diary_cohort(root / "koordinaattorit"),
        "mentoring": make_mentoring(root / "mentorskap"),
    }


@pytest.fixture(scope="module")
def templates() -> Templates:
    return Templates()


def render(cohorts: dict[str, Cohort], templates: Templates, kind: str, lang: str) -> Rendered:
    """The document of `kind` that CASES names, in `lang`."""
    case = CASES[kind]
    cohort = cohorts[case.cohort]
    session = None
    if case.session is not None:
        session = find_session(cohort.sessions(), case.session)
        assert session is not None, case.session
    plan = documents.plan(cohort, TODAY, lang=lang, kinds=[kind], session=session)
    jobs = [job for job in plan.jobs if case.pick(job)]
    assert len(jobs) == 1, f"{kind}.{lang}: {[job.path for job in plan.jobs]}"
    data = templates.render(kind, jobs[0].context)
    return Rendered(jobs[0], plan, data, text_lines(data), tuple(cohort.programme.languages))


@pytest.fixture(scope="module")
def rendered(cohorts: dict[str, Cohort], templates: Templates) -> dict[str, Rendered]:
    """Every document that has a golden file, by the golden file's name."""
    return {
        f"{kind}.{lang}.txt": render(cohorts, templates, kind, lang)
        for kind, case in CASES.items()
        for lang in case.languages
    }


# --- the golden files ---------------------------------------------------------------------


def test_every_document_has_a_golden_file(rendered: dict[str, Rendered]) -> None:
    """One file per kind and language, and none for a document no longer made."""
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for name in EXPECTED:
            if not (GOLDEN / name).exists():
                _write(GOLDEN / name, rendered[name].lines)
    present = sorted(path.name for path in GOLDEN.glob("*.txt"))
    missing = sorted(set(EXPECTED) - set(present))
    assert not missing, f"no golden file {', '.join(missing)} in {GOLDEN}; {HINT}"
    stale = sorted(set(present) - set(EXPECTED))
    assert not stale, f"golden files of no document: {', '.join(stale)}; delete them"


@pytest.mark.parametrize(
    "golden", sorted(GOLDEN.glob("*.txt")), ids=lambda path: path.name.removesuffix(".txt")
)
def test_document_text_is_as_expected(golden: Path, rendered: dict[str, Rendered]) -> None:
    if golden.name not in rendered:
        pytest.fail(f"{golden.name} is the golden file of no document; delete it")
    lines = rendered[golden.name].lines
    if UPDATE:
        _write(golden, lines)
    assert golden.read_text(encoding="utf-8").splitlines() == lines, (
        f"{golden.name} differs from the document; if the change is intended, {HINT}"
    )


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- what every document must be, whatever its golden file says ---------------------------


@pytest.mark.parametrize("name", EXPECTED)
def test_no_tag_is_left_and_no_heading_is_empty(name: str, rendered: dict[str, Rendered]) -> None:
    document = rendered[name]
    text = "\n".join(document.lines)
    assert not re.search(r"{[{%#]|[}%#]}", text), name
    empty = [style for style, text in headings(document.data) if not text.strip()]
    assert not empty, f"{name}: empty {', '.join(empty)}"


@pytest.mark.parametrize("name", EXPECTED)
def test_labels_are_in_the_documents_language(name: str, rendered: dict[str, Rendered]) -> None:
    """No paragraph or cell of a Finnish, Swedish or Norwegian document is an English label."""
    lang = name.split(".")[1]
    if lang == "en":
        return
    ours, english = documents.labels(lang), documents.labels("en")
    untranslated = {text for key, text in english.items() if text != ours[key]}
    parts = {part.strip() for line in rendered[name].lines for part in line.split(" | ")}
    parts |= {part.split("\t")[0].strip() for part in parts}
    assert not parts & untranslated, f"{name}: English labels {sorted(parts & untranslated)}"


@pytest.mark.parametrize("name", EXPECTED)
def test_texts_fall_back_only_in_a_language_the_programme_lacks(
    name: str, rendered: dict[str, Rendered]
) -> None:
    document = rendered[name]
    lang = name.split(".")[1]
    if lang in document.programme_languages:
        assert document.plan.fallbacks == [], name
    else:
        # The pair guide in Norwegian: labels in Norwegian, the programme's texts in Swedish.
        assert document.plan.fallbacks, name
        assert "title" in document.plan.fallbacks


def test_certificates_only_for_those_who_attended_enough(cohorts: dict[str, Cohort]) -> None:
    plan = documents.plan(cohorts["ohjaamo"], TODAY, kinds=["certificate"])
    assert [job.title for job in plan.jobs] == ["Päivi Ahonen", "Noora O'Connor", "Sari Läänelä"]
    assert [job.path.as_posix() for job in plan.jobs] == [
        "todistukset/todistus-paivi-ahonen.docx",
        "todistukset/todistus-noora-o-connor.docx",
        "todistukset/todistus-sari-laanela.docx",
    ]
    assert plan.skipped == [
        "Aleksi Räsänen: no certificate, attended 2 of 6 sessions (the programme asks for 80 %)",
        "Emil Björkqvist: no certificate, the number of sessions attended is not filled in",
    ]


# --- the documents as an office suite lays them out ---------------------------------------

# Page counts that a sensible layout of these documents gives: the session documents of
# module 3 and the overview run to a few pages, a certificate to one.
PAGES = {
    "handout": range(1, 5),
    "runsheet": range(1, 6),
    "task-sheet": range(1, 5),
    "overview": range(2, 8),
    "certificate": range(1, 2),
    "pair-guide": range(2, 8),
}


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
@pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler (pdftotext, pdfinfo) is not installed",
)
def test_documents_convert_to_pdf(
    cohorts: dict[str, Cohort], templates: Templates, tmp_path: Path
) -> None:
    """Each kind of document, in Finnish, laid out by LibreOffice: pages and text."""
    finnish = {kind: render(cohorts, templates, kind, "fi") for kind in CASES}
    (tmp_path / "docx").mkdir()
    sources = {kind: tmp_path / "docx" / f"{kind}.docx" for kind in CASES}
    for kind, source in sources.items():
        source.write_bytes(finnish[kind].data)
    convert(list(sources.values()), tmp_path / "pdf")
    for kind in CASES:
        pdf = tmp_path / "pdf" / f"{kind}.pdf"
        assert pdf.is_file(), f"LibreOffice made no PDF of the {kind}"
        info = _run("pdfinfo", str(pdf))
        pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))  # type: ignore[union-attr]
        if kind == "diary":  # the schedule, then a page for each session
            sessions = len(finnish[kind].job.context["schedule"])
            expected_pages = range(sessions + 1, sessions + 3)
        else:
            expected_pages = PAGES[kind]
        assert pages in expected_pages, f"{kind}: {pages} pages"
        # pdftotext breaks lines where the layout does; words are compared across them.
        text = " ".join(_run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split())
        job = finnish[kind].job
        if kind in documents.SESSION_KINDS:
            expected = job.context["session"]["heading"]
        elif kind == "certificate":
            expected = job.context["participant"]["name"]
        else:
            expected = job.context["programme"]["title"]
        assert expected in text, f"{kind}: {expected!r} not in the PDF"


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout
