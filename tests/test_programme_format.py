"""What real programmes say, on a Norwegian programme written for these tests
(`tests/data/lederskap-nb.yaml`): session kinds in the programme's languages and by
meaning, a programme's own label for its sessions, focus areas apart from tasks,
resource types and when they are shared, a session's own place, day-long sessions and
spans written in Norwegian, Finnish and Swedish."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pydantic import TypeAdapter, ValidationError
from typer.testing import CliRunner

from facilitate.cli import app
from facilitate.errors import ExitStatus, ProgrammeError
from facilitate.loader import load_programme
from facilitate.programme import CalendarSpan, Minutes, Range, Span

from .conftest import DATA

PROGRAMME = DATA / "lederskap-nb.yaml"


def problems(path: Path) -> list[str]:
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    return [str(p).replace(f"{path.parent}/", "") for p in caught.value.problems]


def with_session(write: Any, session: str, languages: str = "[en]") -> Path:
    """A one-session programme whose session is `session` (YAML, indented 4)."""
    return write(
        f"""id: tiny
languages: {languages}
title: Tiny
description: One session.
kind: team-coaching
delivery: [on-site]
roles:
  - id: coach
    title: Coach
    facilitator: true
  - id: member
    title: Member
sessions:
  - id: first
    title: First
    duration: 2 h
{session}
schedule:
  interval: 1 month
"""
    )


# --- session kinds ------------------------------------------------------------------------


def test_kinds_written_in_the_programmes_language() -> None:
    programme = load_programme(PROGRAMME)
    assert [spec.kind for spec in programme.sessions] == ["kick-off", "module"]


@pytest.mark.parametrize(
    ("word", "languages", "kind"),
    [
        ("moduuli", "[fi]", "module"),
        ("tapaaminen", "[fi]", "meeting"),
        ("träff", "[sv]", "meeting"),
        ("Uppföljning", "[sv, en]", "follow-up"),
        ("samling", "[nb]", "meeting"),
        ("Kick Off", "[en]", "kick-off"),
    ],
)
def test_kind_names_in_each_language(write: Any, word: str, languages: str, kind: str) -> None:
    programme = load_programme(with_session(write, f"    kind: {word}", languages))
    assert programme.sessions[0].kind == kind


@pytest.mark.parametrize("word", ["samling", "kokoontuminen", "träff", "gathering", "workshop"])
def test_unknown_kind_suggested_by_meaning(write: Any, word: str) -> None:
    """A gathering is a module or a meeting, whatever its spelling is close to: `samling`
    suggested 'sparring' before."""
    (problem,) = problems(with_session(write, f"    kind: {word}"))
    assert problem.startswith("programme.yaml:17: sessions[0].kind: must be one of ")
    assert f"got '{word}'; a '{word}' is probably a 'module' or a 'meeting'" in problem
    assert "sparring'?" not in problem
    assert f"label: {word[:1].upper()}{word[1:]}" in problem


def test_kind_of_another_language_is_suggested(write: Any) -> None:
    """`moduuli` in a Norwegian programme: the Finnish word for module."""
    (problem,) = problems(with_session(write, "    kind: moduuli", "[nb]"))
    assert problem.endswith("got 'moduuli' (did you mean 'module'?)")


def test_kind_by_spelling_and_not_at_all(write: Any) -> None:
    (close,) = problems(with_session(write, "    kind: seminr"))
    assert close.endswith("(did you mean 'seminar'?)")
    (none,) = problems(with_session(write, "    kind: zzz"))
    assert none.endswith("or 'follow-up', got 'zzz'")
    (number,) = problems(with_session(write, "    kind: 3"))
    assert number.endswith("or 'follow-up', got 3")


# --- labels -------------------------------------------------------------------------------


def test_label_numbers_the_sessions_that_carry_it() -> None:
    programme = load_programme(PROGRAMME)
    sessions = programme.sessions_for()
    assert [s.prefix(programme, "nb") for s in sessions] == [
        "Samling 1",
        "Samling 2",
        "Samling 3",
        "Samling 4",
    ]
    assert sessions[1].prefix(programme, "en") == "Gathering 2"
    assert [s.ref for s in sessions] == ["kick-off-1", "module-1", "module-2", "module-3"]


def test_label_false_and_a_label_of_one(write: Any) -> None:
    path = with_session(write, "    kind: module\n    label: false")
    programme = load_programme(path)
    assert programme.sessions_for()[0].prefix(programme, "en") == ""
    path = with_session(write, "    kind: seminar\n    label: Opening")
    programme = load_programme(path)
    assert programme.sessions_for()[0].prefix(programme, "en") == "Opening"


def test_label_is_checked(write: Any) -> None:
    (wrong,) = problems(with_session(write, "    kind: module\n    label: true"))
    assert wrong == (
        "programme.yaml:18: sessions[0].label: must be the word shown before the session's "
        "number (label: Gathering), one per language, or false for no word and no number, "
        "got true"
    )
    (missing,) = problems(
        with_session(write, "    kind: module\n    label: {fi: Kokoontuminen}", "[fi, en]")
    )
    assert missing.startswith("programme.yaml:18: sessions[0].label: missing the 'en' text")


# --- resources, place, focus --------------------------------------------------------------


def test_resource_types_and_sharing() -> None:
    programme = load_programme(PROGRAMME)
    kick_off, module = programme.sessions
    assert [(r.type, r.shared) for r in kick_off.resources] == [
        ("film", "before"),
        ("pdf", "after"),
    ]
    assert [r.type for r in module.resources] == ["slides", "article", "book", "web"]
    assert kick_off.resources[0].about("nb") == "Film, deles før samlingen"
    assert kick_off.resources[1].about("fi") == "PDF, jaetaan tapaamisen jälkeen"
    assert module.resources[3].about("sv") == "Webbsida"
    assert module.resources[0].about("en") == "Slides, shared after the session"


def test_resource_type_and_shared_are_checked(write: Any) -> None:
    path = with_session(
        write,
        "    kind: module\n    resources:\n      - title: A talk\n        type: podcst\n"
        "        shared: during",
    )
    assert problems(path) == [
        "programme.yaml:20: sessions[0].resources[0].type: must be one of 'film', 'pdf', "
        "'slides', 'article', 'book' or 'web', got 'podcst'",
        "programme.yaml:21: sessions[0].resources[0].shared: must be one of 'before' or "
        "'after', got 'during'",
    ]


def test_resource_words_in_any_capitals(write: Any) -> None:
    path = with_session(
        write,
        "    kind: module\n    resources:\n      - title: A talk\n        type: Web Page\n"
        "        shared: Before",
    )
    resource = load_programme(path).sessions[0].resources[0]
    assert (resource.type, resource.shared) == ("web", "before")


def test_place_and_focus_are_texts_in_every_language(write: Any) -> None:
    path = with_session(
        write,
        "    kind: module\n    place: {nb: Konferansesenteret}\n    focus:\n      - {nb: Hva nå?}",
        "[nb, en]",
    )
    assert problems(path) == [
        "programme.yaml:18: sessions[0].place: missing the 'en' text (the languages declared are nb, en)",
        "programme.yaml:20: sessions[0].focus[0]: missing the 'en' text (the languages declared are nb, en)",
    ]


# --- durations and spans ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("1 day", 360, 420), ("1 päivä", 360, 420), ("1 dag", 360, 420), ("0,5 dag", 180, 210)],
)
def test_session_of_a_day(text: str, low: int, high: int) -> None:
    assert TypeAdapter(Minutes).validate_python(text) == Range(low, high)


def test_session_of_several_days_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(Minutes).validate_python("2 dager")
    assert caught.value.errors()[0]["msg"] == (
        "a session lasts at most one day, got '2 dager'; write one session per day "
        "(a repeated session with count: 2, say)"
    )


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2 måneder", Span(2, 2, "months")),
        ("3 kuukautta", Span(3, 3, "months")),
        ("1 kuukausi", Span(1, 1, "months")),
        ("2 veckor", Span(2, 2, "weeks")),
        ("1 uke", Span(1, 1, "weeks")),
        ("2-3 viikkoa", Span(2, 3, "weeks")),
        ("10 dagar", Span(10, 10, "days")),
        ("4–6 månader", Span(4, 6, "months")),
        ("3 mnd", Span(3, 3, "months")),
        ("5 Weeks", Span(5, 5, "weeks")),
    ],
)
def test_spans_in_our_languages(text: str, span: Span) -> None:
    assert TypeAdapter(CalendarSpan).validate_python(text) == span


def test_misspelt_span_unit() -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(CalendarSpan).validate_python("3 måneeder")
    assert caught.value.errors()[0]["msg"].endswith("got '3 måneeder' (did you mean '3 måneder'?)")


# --- shown in show, schedule, calendar and documents --------------------------------------


def test_show(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", str(PROGRAMME), "--lang", "nb"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Samling (oppstart) · 1 dag" in out
    assert "Sted: Scandic Hotel, konferansesal Fjord, Tromsø" in out
    assert "Fokus og refleksjon" in out
    assert "Velkomstfilm (Film, deles før samlingen)" in out


@pytest.fixture
def cohort(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(PROGRAMME, tmp_path / "lederskap-nb.yaml")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        [
            "init", "lederskap-nb.yaml", "leder", "--no-input", "--organisation",
            "Tromsø kommune", "--lang", "nb", "--country", "NO", "--delivery", "on-site",
            "--place", "Rådhuset, møterom 3", "--first-date", "2031-02-04",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return tmp_path / "leder"


def test_own_place_in_schedule_and_calendar(runner: CliRunner, cohort: Path) -> None:
    result = runner.invoke(app, ["schedule", "--cohort", str(cohort), "--ics", "k.ics"])
    assert result.exit_code == 0, result.output
    ics = (Path("k.ics").read_text(encoding="utf-8")).replace("\r\n ", "")
    locations = [line for line in ics.splitlines() if line.startswith("LOCATION")]
    assert locations == [
        "LOCATION:Scandic Hotel\\, konferansesal Fjord\\, Tromsø",
        *["LOCATION:Rådhuset\\, møterom 3"] * 3,
    ]


def texts(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs if p.text]


def test_documents_carry_label_place_focus_and_resources(runner: CliRunner, cohort: Path) -> None:
    result = runner.invoke(app, ["handouts", "oppstart", "--cohort", str(cohort)])
    assert result.exit_code == 0, result.output
    handout = texts(next((cohort / "out" / "oppstart").glob("deltaker*.docx")))
    assert handout[0] == ("Title", "Samling 1: Felles start")
    assert ("Details", "Sted\tScandic Hotel, konferansesal Fjord, Tromsø") in handout
    headings = [text for style, text in handout if style == "Heading 1"]
    assert headings == ["Fokus og refleksjon", "Materiell og lenker"]
    bullets = [text for style, text in handout if style == "List Bullet"]
    assert bullets == [
        "Hva slags leder vil du være om et år?",
        "Velkomstfilm (Film, deles før samlingen)",
        "Lederplakaten (PDF, deles etter samlingen)",
    ]
    result = runner.invoke(app, ["handouts", "module-1", "--cohort", str(cohort)])
    assert result.exit_code == 0, result.output
    runsheet = texts(cohort / "out" / "samling-1" / "kjoreplan.docx")
    assert runsheet[0] == ("Title", "Samling 2: Lederskap i hverdagen")
    headings = [text for style, text in runsheet if style == "Heading 1"]
    # The focus area and the task each under a heading of their own.
    assert headings.index("Fokus og refleksjon") < headings.index("Oppgaver mellom samlingene")
    assert ("Details", "Sted\tRådhuset, møterom 3") in runsheet


def test_prepare_shows_focus_and_resources(runner: CliRunner, cohort: Path) -> None:
    result = runner.invoke(app, ["prepare", "oppstart", "--cohort", str(cohort), "--json"])
    assert result.exit_code == ExitStatus.OK, result.output
    data = json.loads(result.stdout)["preparation"]
    assert data["place"] == "Scandic Hotel, konferansesal Fjord, Tromsø"
    assert data["focus"] == ["Hva slags leder vil du være om et år?"]
    assert [(r["about"], r["shared"]) for r in data["resources"]] == [
        ("Film, deles før samlingen", "before"),
        ("PDF, deles etter samlingen", "after"),
    ]
