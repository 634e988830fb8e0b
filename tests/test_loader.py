"""The loader and the programme model, on files in tmp_path: values, lines, sessions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from pathlib import Path
from time import perf_counter
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from facilitate.errors import FacilitateError, Problem, ProgrammeError
from facilitate.loader import load_programme, load_questionnaire
from facilitate.programme import (
    CalendarSpan,
    Count,
    Minutes,
    Programme,
    Range,
    Span,
    Text,
    find_session,
)
from facilitate.yamlfile import MAX_BYTES, parse_yaml, read_yaml

from .conftest import DATA, TINY

Write = Callable[..., Path]
SHARED = [DATA / "library" / "questionnaires"]


def problems_of(path: Path, **kwargs: Any) -> list[Problem]:
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path, SHARED, **kwargs)
    return caught.value.problems


def where(problems: list[Problem]) -> list[tuple[int, str]]:
    return [(p.line, p.path) for p in problems]


# -- whole files -----------------------------------------------------------------------


def test_tiny_programme_loads(write: Write) -> None:
    programme = load_programme(write(TINY))
    assert programme.id == "tiny"
    assert programme.languages == ["en"]
    assert programme.sessions[0].count == Range(3, 3)
    assert programme.sessions[0].duration == Range(180, 180)
    assert programme.schedule.interval == Span(1, 1, "months")
    assert programme.schedule.start_time == time(9, 0)


def test_fixture_programme_loads() -> None:
    programme = load_programme(DATA / "programme.yaml", SHARED)
    assert programme.id == "test-mentoring"
    assert [q.id for q in programme.questionnaires] == ["feedback", "expectations", "evaluation"]
    assert programme.questionnaire("feedback").languages == ["fi", "sv", "nb", "en"]
    assert programme.questionnaire("evaluation").scale_range() == (1, 4)
    assert programme.questionnaire("evaluation").scale_labels("fi")[0] == "Huono"
    assert programme.schedule.season is not None
    assert (programme.schedule.season.start, programme.schedule.season.end) == (9, 5)
    assert programme.schedule.start_time == time(13, 0)
    assert programme.certificate_attendance == 75
    assert [r.id for r in programme.participant_roles()] == ["mentor", "adept"]


def test_all_problems_at_once_sorted_by_line(write: Write) -> None:
    text = (
        TINY.replace("kind: team-coaching", "kind: coaching")
        .replace("    count: 3", "    count: lots")
        .replace("    duration: 3 h", "    duration: 3 hours and a bit\n    colour: blue")
        .replace("  interval: 1 month", "  interval: monthly")
        + "eligibility:\n  - role: member\n"
    )
    problems = problems_of(write(text))
    assert where(problems) == [
        (5, "kind"),
        (17, "sessions[0].count"),
        (18, "sessions[0].duration"),
        (19, "sessions[0].colour"),
        (21, "schedule.interval"),
        (23, "eligibility[0]"),
    ]
    assert problems == sorted(problems)


def test_line_numbers_of_nested_values(write: Write) -> None:
    text = TINY.replace(
        "    duration: 3 h\n",
        "    duration: 3 h\n"
        "    agenda:\n"
        "      - title: Check-in\n"
        "        minutes: 30\n"
        "      - title:\n"
        "          en: Work\n"
        "          se: Arbete\n"
        "        minutes: ten\n"
        "    participants: [coach, members]\n",
    )
    problems = problems_of(write(text))
    assert where(problems) == [
        (24, "sessions[0].agenda[1].title"),  # the line of 'se:'
        (25, "sessions[0].agenda[1].minutes"),
        (26, "sessions[0].participants[1]"),
    ]
    assert "(did you mean 'sv'?)" in problems[0].message
    assert "got 'ten'" in problems[1].message
    assert "(did you mean 'member'?)" in problems[2].message


def test_cross_checks_run_beside_model_errors(write: Write) -> None:
    """A wrong kind does not hide that the agenda is longer than the session."""
    text = TINY.replace("kind: team-coaching", "kind: coaching").replace(
        "    duration: 3 h\n",
        "    duration: 1 h\n    agenda:\n      - title: Work\n        minutes: 90\n",
    )
    problems = problems_of(write(text))
    assert where(problems) == [(5, "kind"), (19, "sessions[0].agenda")]
    assert problems[1].message == (
        "the agenda blocks add up to 90 minutes but the session lasts at most 60"
    )


def test_problem_format() -> None:
    assert str(Problem("a.yaml", 3, "sessions[0].kind", "bad")) == "a.yaml:3: sessions[0].kind: bad"
    assert str(Problem("a.yaml", 1, "", "the file is empty")) == "a.yaml:1: the file is empty"
    assert str(Problem("a.yaml", 0, "", "no such file")) == "a.yaml: no such file"


def test_display_name(write: Write) -> None:
    problems = problems_of(write(""), display="shown.yaml")
    assert [str(p) for p in problems] == ["shown.yaml:1: the file is empty"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.yaml", "no such file"),
        (lambda p: p, "is a folder, not a YAML file"),
    ],
)
def test_unreadable(tmp_path: Path, make: Callable[[Path], Path], message: str) -> None:
    problems = problems_of(make(tmp_path))
    assert [(p.line, p.message) for p in problems] == [(0, message)]


def test_too_large(write: Write) -> None:
    path = write(TINY + "# " + "x" * MAX_BYTES + "\n")
    [problem] = problems_of(path)
    assert problem.message.startswith("is 2,000,") and "at most 2,000,000" in problem.message


def test_byte_order_mark_is_fine(write: Write) -> None:
    assert load_programme(write(b"\xef\xbb\xbf" + TINY.encode())).id == "tiny"


def test_errors_are_facilitate_errors(write: Write) -> None:
    with pytest.raises(FacilitateError) as caught:
        load_programme(write("- a list\n"))
    assert caught.value.exit_status == 3


# -- YAML 1.2 --------------------------------------------------------------------------


def test_yaml_12_keeps_no_and_clock_times_as_text() -> None:
    doc = parse_yaml("a: no\nb: 9:30\nc: yes\nd: off\ne: 0o17\nf: 1_000\ng: ~\nh: 012\n", "x.yaml")
    assert doc.data == {
        "a": "no",
        "b": "9:30",
        "c": "yes",
        "d": "off",
        "e": 15,
        "f": 1000,
        "g": None,
        "h": "012",
    }


def test_unquoted_clock_time_is_read(write: Write) -> None:
    text = TINY.replace("  interval: 1 month\n", "  interval: 1 month\n  start_time: 9:30\n")
    assert load_programme(write(text)).schedule.start_time == time(9, 30)


def test_norwegian_no_stays_a_language_code(write: Write) -> None:
    [problem] = problems_of(write(TINY.replace("languages: [en]", "languages: [en, no]")))
    assert (
        problem.message == "must be one of 'fi', 'sv', 'nb' or 'en', got 'no' (did you mean 'nb'?)"
    )


def test_lines_are_recorded_per_path() -> None:
    doc = read_yaml(DATA / "programme.yaml")
    assert doc.line_of(("id",)) == 2
    assert doc.line_of(("sessions", 1, "count")) == 95
    assert doc.line_of(("sessions", 1, "title", "en")) == 94
    # a path that is not in the file falls back to its nearest ancestor
    assert doc.line_of(("sessions", 1, "agenda", 4)) == 90


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!binary aGk=\n", "YAML tags such as '!!binary' are not allowed"),
        ("a: !!set {b}\n", "YAML tags such as '!!set' are not allowed"),
        ("a: !local x\n", "YAML tags such as '!local' are not allowed"),
        (
            "a: &x 1\nb: *x\n",
            "anchors and aliases (&name, *name) are not supported; write the value out",
        ),
        (
            "a: *x\n",
            "YAML syntax error: anchors and aliases (&name, *name) are not supported; write the value out",
        ),
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first given on line 1)"),
        ("{[a]: 1}\n", "keys must be plain words (no merge keys, lists or mappings as keys)"),
        (
            "%YAML 2.0\n---\na: 1\n",
            "the file declares YAML 2.0; programme files are YAML 1.2: delete the '%YAML' line",
        ),
    ],
)
def test_yaml_refusals(text: str, message: str) -> None:
    with pytest.raises(ProgrammeError) as caught:
        parse_yaml(text, "x.yaml")
    assert message in [p.message for p in caught.value.problems]


def test_reused_anchor_is_refused_without_a_warning() -> None:
    # filterwarnings = error turns ruamel's ReusedAnchorWarning into a failure here
    with pytest.raises(ProgrammeError):
        parse_yaml("a: &x 1\nb: &x 2\n", "x.yaml")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "a: 1\nb: " + "[" * 5000 + "]" * 5000 + "\n",
            "x.yaml:2: [ ] and { } nested more than 50 levels deep; a programme needs only a few",
        ),
        (
            "a: " + "{b: " * 60 + "}" * 60,
            "x.yaml:1: [ ] and { } nested more than 50 levels deep; a programme needs only a few",
        ),
        ("a:\n" + "".join("  " * i + "-\n" for i in range(3000)), "x.yaml: nested too deeply"),
    ],
)
def test_deep_nesting_is_refused_quickly(text: str, problem: str) -> None:
    started = perf_counter()
    with pytest.raises(ProgrammeError) as caught:
        parse_yaml(text, "x.yaml")
    assert perf_counter() - started < 1
    assert [str(p) for p in caught.value.problems] == [problem]


def test_brackets_in_quotes_and_comments_do_not_count() -> None:
    text = "a: '" + "[" * 60 + '\'\nb: "\\"' + "{" * 60 + '"  # ' + "[" * 60 + "\n"
    assert parse_yaml(text, "x.yaml").data == {"a": "[" * 60, "b": '"' + "{" * 60}


# -- durations, counts, spans ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        ("3 h", 180, 180),
        ("1.5-2 h", 90, 120),
        ("1,5–2 h", 90, 120),
        ("90 min", 90, 90),
        ("90-120 min", 90, 120),
        ("3-4 hours", 180, 240),
        ("1 hour", 60, 60),
        ("2 tuntia", 120, 120),
        ("2 timmar", 120, 120),
        ("45 minutes", 45, 45),
        ("3 H", 180, 180),
        (180, 180, 180),
    ],
)
def test_duration(value: Any, low: int, high: int) -> None:
    assert TypeAdapter(Minutes).validate_python(value) == Range(low, high)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "three hours",
            "must be minutes (90) or a length such as '3 h', '1.5-2 h', '90 min' or '1 day', got 'three hours'",
        ),
        ("4-3 h", "the range '4-3 h' runs backwards; write the shorter length first"),
        ("1.33 h", "must come to whole minutes, got '1.33 h'"),
        ("0 min", "must be a positive length, got '0 min'"),
        (0, "must be a positive number of minutes, got 0"),
        (-30, "must be a positive number of minutes, got -30"),
        (
            True,
            "must be minutes (90) or a length such as '3 h', '1.5-2 h', '90 min' or '1 day', got true",
        ),
        (
            1.5,
            "must be minutes (90) or a length such as '3 h', '1.5-2 h', '90 min' or '1 day', got 1.5",
        ),
        (
            "3",
            "must be minutes (90) or a length such as '3 h', '1.5-2 h', '90 min' or '1 day', got '3'",
        ),
    ],
)
def test_bad_duration(value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(Minutes).validate_python(value)
    assert caught.value.errors()[0]["msg"] == message


@pytest.mark.parametrize(
    ("value", "expected", "shown"),
    [
        ("3-5", Range(3, 5), "3–5"),
        ("3–5", Range(3, 5), "3–5"),
        ("3..5", Range(3, 5), "3–5"),
        ("3+", Range(3, None), "3+"),
        (" 2 + ", Range(2, None), "2+"),
        (4, Range(4, 4), "4"),
        ("4", Range(4, 4), "4"),
    ],
)
def test_count(value: Any, expected: Range, shown: str) -> None:
    count = TypeAdapter(Count).validate_python(value)
    assert count == expected
    assert str(count) == shown


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "must be at least 1, got 0"),
        ("0-2", "must be at least 1, got '0-2'"),
        ("5-3", "the range '5-3' runs backwards; write the smaller number first"),
        ("many", "must be a count such as 5, '3-5' or '3+' (at least 3), got 'many'"),
        (2.5, "must be a count such as 5, '3-5' or '3+' (at least 3), got 2.5"),
        (True, "must be a count such as 5, '3-5' or '3+' (at least 3), got true"),
        (None, "must be a count such as 5, '3-5' or '3+' (at least 3), got nothing"),
    ],
)
def test_bad_count(value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(Count).validate_python(value)
    assert caught.value.errors()[0]["msg"] == message


def test_range_contains() -> None:
    assert Range(3, 5).contains(3) and Range(3, 5).contains(5)
    assert not Range(3, 5).contains(6) and not Range(3, 5).contains(2)
    assert Range(3, None).contains(300)


@pytest.mark.parametrize(
    ("value", "expected", "days", "en", "fi"),
    [
        ("1 month", Span(1, 1, "months"), 30, "1 month", "1 kuukausi"),
        ("2 weeks", Span(2, 2, "weeks"), 14, "2 weeks", "2 viikkoa"),
        ("1 Week", Span(1, 1, "weeks"), 7, "1 week", "1 viikko"),
        ("10 days", Span(10, 10, "days"), 10, "10 days", "10 päivää"),
        ("4-6 months", Span(4, 6, "months"), 120, "4–6 months", "4–6 kuukautta"),
    ],
)
def test_span(value: str, expected: Span, days: int, en: str, fi: str) -> None:
    span = TypeAdapter(CalendarSpan).validate_python(value)
    assert span == expected
    assert span.days() == days
    assert span.text("en") == en
    assert span.text("fi") == fi


@pytest.mark.parametrize(
    ("value", "hint"),
    [("monthly", " (did you mean '1 month'?)"), ("every week", ""), ("6-4 months", None), (3, "")],
)
def test_bad_span(value: Any, hint: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(CalendarSpan).validate_python(value)
    message = caught.value.errors()[0]["msg"]
    if hint is None:
        assert (
            message == "must be a positive length with the smaller number first, got '6-4 months'"
        )
    else:
        assert message.startswith("must be a length of time such as '1 month'")
        assert message.endswith(hint)


# -- localized text ---------------------------------------------------------------------------


def test_text_neutral() -> None:
    text = Text.parse("Coaching")
    assert text.get("fi") == "Coaching"
    assert text.has("sv")


def test_text_falls_back_in_order() -> None:
    text = Text.parse({"sv": "Handledning", "en": "Coaching"})
    assert text.get("sv") == "Handledning"
    assert text.get("fi", ("en", "sv")) == "Coaching"
    assert text.get("fi", ("sv", "en")) == "Handledning"
    assert text.get("fi", ("nb",)) == "Handledning"  # no fallback has it: the first given
    assert not text.has("fi")
    assert text.has("en")


def test_text_numbers_become_text() -> None:
    assert Text.parse(2027).get("en") == "2027"
    assert Text.parse({"fi": 5}).get("fi") == "5"


def test_text_equality() -> None:
    assert Text.parse({"fi": "a"}) == Text.parse({"fi": "a"})
    assert hash(Text.parse("a")) == hash(Text.parse("a"))
    assert Text.parse("a") != Text.parse({"fi": "a"})


def test_programme_text_falls_back_to_its_languages() -> None:
    programme = load_programme(DATA / "programme.yaml", SHARED)
    resource = programme.sessions[0].resources[0]
    assert programme.text(resource.title, "fi") == "Mentoring guide"
    assert programme.text(programme.title, "sv") == "Testimentorointi"  # fi comes first
    assert programme.text(None, "fi") == ""


# -- sessions -----------------------------------------------------------------------------------


SESSIONS = """\
sessions:
  - id: kick-off
    kind: kick-off
    title: Kick-off
    duration: 3 h
  - id: module
    kind: module
    title: Module {n}
    count: 3
    duration: 3 h
  - id: sparring
    kind: sparring
    title: Sparring
    duration: 1 h
  - id: final
    kind: module
    title: Final module
    duration: 3 h
  - id: meeting
    kind: meeting
    title: Meeting {n}
    count: 2-4
    duration: 1.5-2 h
"""


@pytest.fixture
def programme(write: Write) -> Programme:
    head, _, tail = TINY.partition("sessions:\n")
    text = head + SESSIONS + tail[tail.index("schedule:") :]
    return load_programme(write(text))


def test_sessions_expanded_and_numbered(programme: Programme) -> None:
    sessions = programme.sessions_for()
    assert [(s.id, s.ref, s.number, s.repeat) for s in sessions] == [
        ("kick-off", "kick-off-1", 1, None),
        ("module-1", "module-1", 1, 1),
        ("module-2", "module-2", 2, 2),
        ("module-3", "module-3", 3, 3),
        ("sparring", "sparring-1", 1, None),
        ("final", "module-4", 4, None),
        ("meeting-1", "meeting-1", 1, 1),
        ("meeting-2", "meeting-2", 2, 2),
    ]
    assert [s.title(programme, "en") for s in sessions][1:4] == ["Module 1", "Module 2", "Module 3"]
    assert sessions[5].title(programme, "en") == "Final module"


def test_sessions_for_counts(programme: Programme) -> None:
    sessions = programme.sessions_for({"module": 2, "meeting": 4})
    assert [s.id for s in sessions] == [
        "kick-off", "module-1", "module-2", "sparring", "final",
        "meeting-1", "meeting-2", "meeting-3", "meeting-4",
    ]  # fmt: skip
    assert find_session(sessions, "final").ref == "module-3"  # type: ignore[union-attr]


def test_session_minutes(programme: Programme) -> None:
    sessions = programme.sessions_for()
    assert sessions[0].minutes() == 180
    assert sessions[-1].minutes() == 120  # the longest stated length


def test_agenda_minutes() -> None:
    programme = load_programme(DATA / "programme.yaml", SHARED)
    kick_off = programme.sessions_for()[0]
    assert kick_off.agenda_minutes() == kick_off.minutes() == 180


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("module-3", "module-3"),
        ("Module-3 ", "module-3"),
        ("3", "module-3"),
        ("4", "final"),
        ("kick-off", "kick-off"),
        ("kick-off-1", "kick-off"),
        ("meeting-2", "meeting-2"),
        ("final", "final"),
        ("sparring", "sparring"),
        ("module-5", None),
        ("5", None),  # modules come first; meeting-5 does not make '5' a meeting
        ("workshop", None),
        ("", None),
    ],
)
def test_find_session(programme: Programme, name: str, expected: str | None) -> None:
    found = find_session(programme.sessions_for(), name)
    assert (found.id if found else None) == expected


def test_bare_number_falls_to_meetings(write: Write) -> None:
    text = TINY.replace("    kind: module", "    kind: pair-meeting")
    sessions = load_programme(write(text)).sessions_for()
    assert find_session(sessions, "2").id == "module-2"  # type: ignore[union-attr]
    assert find_session(sessions, "pair-meeting-3").id == "module-3"  # type: ignore[union-attr]


# -- shared questionnaires --------------------------------------------------------------------


def test_shared_questionnaire_from_the_programme_folder(write: Write, tmp_path: Path) -> None:
    shared = (DATA / "library" / "questionnaires" / "feedback.yaml").read_text(encoding="utf-8")
    write(shared.replace("id: feedback", "id: pulse"), "questionnaires/pulse.yaml")
    path = write(TINY + "questionnaires:\n  - pulse\n")
    programme = load_programme(path)
    assert programme.questionnaire("pulse").kind == "feedback"


def test_broken_shared_questionnaire(write: Write) -> None:
    """Its problems are named by its own file; the programme's own are still found."""
    write("id: pulse\nkind: feedback\ntitle: Pulse\n", "questionnaires/pulse.yaml")
    path = write(
        TINY.replace("kind: team-coaching", "kind: coaching") + "questionnaires:\n  - pulse\n"
    )
    problems = problems_of(path)
    shared = str(path.parent / "questionnaires" / "pulse.yaml")
    assert [(p.file, p.line, p.path) for p in problems] == [
        (str(path), 5, "kind"),
        (shared, 1, ""),
        (shared, 1, "languages"),
    ]


def test_shared_questionnaire_missing_a_language(write: Write) -> None:
    text = (
        TINY.replace("languages: [en]", "languages: [en, fi]").replace(
            "title: Tiny programme", "title: {en: Tiny programme, fi: Pieni ohjelma}"
        )
        + "questionnaires:\n  - pulse\n"
    )
    write(
        "id: pulse\nkind: feedback\nlanguages: [en]\ntitle: Pulse\n"
        "open_questions:\n  - id: best\n    text: What was best?\n",
        "questionnaires/pulse.yaml",
    )
    [problem] = problems_of(write(text))
    assert (problem.line, problem.path) == (22, "questionnaires[0]")
    assert problem.message == "the shared questionnaire 'pulse' is not written in fi"


@pytest.mark.parametrize("key", ["roles", "sessions", "questionnaires", "eligibility"])
@pytest.mark.parametrize("value", ["true", "5", "text", "{a: 1}"])
def test_collections_of_the_wrong_type(write: Write, key: str, value: str) -> None:
    """Checks across fields must not trip over a list that is not a list."""
    text = re.sub(rf"^{key}:\n(?:  .*\n)*", "", TINY, flags=re.MULTILINE) + f"{key}: {value}\n"
    problems = problems_of(write(text))
    assert key in [p.path for p in problems]


def test_load_questionnaire() -> None:
    questionnaire = load_questionnaire(DATA / "library" / "questionnaires" / "feedback.yaml")
    assert questionnaire.languages == ["fi", "sv", "nb", "en"]
    assert [s.id for _, s in questionnaire.statements()][:2] == ["goals-clear", "useful"]
    assert questionnaire.scale_labels("en")[0] != questionnaire.scale_labels("fi")[0]
