"""`facilitate results`: the figures against values computed here with `statistics`, the
anonymity threshold, the comparison of two meter rounds, the breakdown by role, attendance
and the certificates it decides, and the workbook and report read back (openpyxl,
python-docx; LibreOffice, where installed, must convert both).

Answers are stored with `answers.save`, as `collect` stores them, so that these tests do
not depend on the sheets.
"""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from facilitate import answers, documents, results
from facilitate.answers import Response
from facilitate.cli import app
from facilitate.cohort import Cohort, load
from facilitate.errors import ExitStatus, InputError
from facilitate.formatting import short_date
from facilitate.participants import Participant, write_template
from facilitate.results import Stats, summarise
from facilitate.schedule import compute

from .office import convert
from .test_golden import make_cohort
from .test_templates import out_of_order

OHJAAMO = "osaava-ja-oppiva-ohjaamo"
MENTORING = "mentorsprogram-vasternorrland"
STAFF = (
    ("Sari Läänelä", "coordinator"),
    ("Päivi Ahonen", "member"),
    ("Åsa Lindqvist", "member"),
    ("Mikko Koski", "member"),
    ("Liisa Nieminen", "member"),
    ("Jussi Mäkelä", "member"),
    ("Noora O'Connor", "member"),
    ("Timo Rantanen", "member"),
)
COLLECTED = "2030-05-02T14:30:00+03:00"


def ohjaamo(folder: Path, threshold: int = 3, attended: dict[str, float] | None = None) -> Cohort:
    """Osaava ja oppiva Ohjaamo in Finnish from 15 January 2030 with eight on its list."""
    cohort = make_cohort(
        folder,
        OHJAAMO,
        organisation="Ohjaamo Koskela",
        name="Ohjaamo Koskela, kevät 2030",
        language="fi",
        facilitators=["Anna Virtanen", "Kalle Nieminen"],
        delivery="on-site",
        first_date=date(2030, 1, 15),
        start_time=time(9, 0),
        anonymity_threshold=threshold,
    )
    people = [
        Participant(name, None, "Ohjaamo", role, {"attended": attended[name]} if attended and name in attended else {}, row)
        for row, (name, role) in enumerate(STAFF, start=2)
    ]  # fmt: skip
    write_template(folder / "participants.xlsx", cohort.programme, "fi", "Ohjaamo Koskela", people)
    return load(folder)


def scores(cohort: Cohort, qid: str, people: int, seed: int) -> list[Response]:
    """Answers of the first `people` on the list, a fixed pattern that varies by `seed`."""
    q = cohort.programme.questionnaire(qid)
    out = []
    for i, (name, role) in enumerate(STAFF[:people]):
        given = {
            statement.id: 1 + (i * 7 + j * 3 + seed) % 5
            for j, (_, statement) in enumerate(q.statements())
        }
        out.append(Response(name, role, given, {}, f"{name}.xlsx", COLLECTED))
    return out


def half_up(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def expected_stats(values: Sequence[Sequence[int]], low: int = 1, high: int = 5) -> tuple:
    """n, mean, median and distribution of per-person score lists, by `statistics`."""
    people = [v for v in values if v]
    pooled = [x for v in people for x in v]
    return (
        len(people),
        statistics.mean(pooled),
        statistics.median(pooled),
        tuple(pooled.count(p) for p in range(low, high + 1)),
    )


def assert_figures(stats: Stats, values: Sequence[Sequence[int]]) -> None:
    """`stats` are what `statistics` makes of per-person score lists."""
    n, mean, median, distribution = expected_stats(values)
    assert (stats.n, stats.distribution, stats.suppressed) == (n, distribution, False)
    assert (stats.mean, stats.median) == pytest.approx((mean, median))


def docx_text(data: bytes) -> str:
    """Every paragraph and table row of a report (rows as cells joined with ' | ')."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(data))
    lines = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    if not cells or cell.text != cells[-1]:  # a merged cell repeats
                        cells.append(cell.text)
                lines.append(" | ".join(cells))
    return "\n".join(lines)


@pytest.fixture
def cohort(tmp_path: Path) -> Cohort:
    return ohjaamo(tmp_path / "koskela")


# --- the figures ---------------------------------------------------------------------------


def test_meter_figures_are_those_statistics_gives(cohort: Cohort) -> None:
    pre = scores(cohort, "meter", 7, seed=0)
    later = scores(cohort, "meter", 6, seed=2)
    del later[0].answers["trust"]  # the coordinator skipped one statement
    answers.save(cohort, "meter", "pre-assignment", pre)
    answers.save(cohort, "meter", "module-4", later)

    summary = summarise(cohort, "meter")

    q = cohort.programme.questionnaire("meter")
    r = summary.round
    assert r is not None and summary.questionnaire is not None
    assert (r.id, r.label, r.responses, r.expected) == ("module-4", "Moduuli 4", 6, 8)
    assert r.rate == pytest.approx(6 / 8)
    assert r.date == next(s.date for s in compute(cohort) if s.session.id == "module-4")
    assert r.collected == date(2030, 5, 2)
    assert summary.stem == "meter-module-4"
    assert summary.title == "Monialaisuusmittari: tulokset"
    for dimension, result in zip(q.dimensions, r.dimensions, strict=True):
        ids = [s.id for s in dimension.statements]
        for statement, got in zip(dimension.statements, result.statements, strict=True):
            values = [[x.answers[statement.id]] if statement.id in x.answers else [] for x in later]
            assert_figures(got.stats, values)
        pooled = [[x.answers[i] for i in ids if i in x.answers] for x in later]
        assert_figures(result.stats, pooled)
        assert result.stats.answers == sum(len(v) for v in pooled)
    trust = r.dimensions[0].statements[0]
    assert (trust.id, trust.stats.n) == ("trust", 5)


def test_a_meter_is_compared_with_the_pre_assignment(cohort: Cohort) -> None:
    pre = scores(cohort, "meter", 7, seed=0)
    later = scores(cohort, "meter", 6, seed=3)
    answers.save(cohort, "meter", "pre-assignment", pre)
    answers.save(cohort, "meter", "module-4", later)

    c = summarise(cohort, "meter").comparison

    assert c is not None
    assert (c.before.id, c.after.id) == ("pre-assignment", "module-4")
    assert (c.before.label, c.before.responses, c.after.responses) == ("Ennakkotehtävä", 7, 6)
    q = cohort.programme.questionnaire("meter")
    for dimension, change in zip(q.dimensions, c.changes, strict=True):
        ids = [s.id for s in dimension.statements]
        before = statistics.mean(x.answers[i] for x in pre for i in ids)
        after = statistics.mean(x.answers[i] for x in later for i in ids)
        assert change.dimension == dimension.id
        assert change.before.mean == pytest.approx(before)
        assert change.after.mean == pytest.approx(after)
        # The change of the means as shown, so that the table adds up.
        assert change.change == pytest.approx(half_up(after) - half_up(before))


def test_rounds_and_comparisons_can_be_chosen(cohort: Cohort) -> None:
    answers.save(cohort, "meter", "pre-assignment", scores(cohort, "meter", 5, seed=0))
    answers.save(cohort, "meter", "module-4", scores(cohort, "meter", 4, seed=1))

    first = summarise(cohort, "meter", "pre-assignment")
    assert first.round is not None and first.round.id == "pre-assignment"
    assert first.comparison is None  # nothing before the pre-assignment
    assert first.round.date is None and first.stem == "meter-pre-assignment"
    assert summarise(cohort, "meter", compare="none").comparison is None
    by_number = summarise(cohort, "meter", "4")
    assert by_number.round is not None and by_number.round.id == "module-4"
    backwards = summarise(cohort, "meter", "pre-assignment", compare="module-4").comparison
    assert backwards is not None
    assert (backwards.before.id, backwards.after.id) == ("pre-assignment", "module-4")
    # Feedback is compared only when asked.
    answers.save(cohort, "feedback", "module-1", scores(cohort, "feedback", 4, seed=0))
    answers.save(cohort, "feedback", "module-2", scores(cohort, "feedback", 4, seed=1))
    assert summarise(cohort, "feedback").comparison is None
    asked = summarise(cohort, "feedback", compare="module-1")
    assert asked.round is not None and asked.round.id == "module-2"
    assert asked.comparison is not None


@pytest.mark.parametrize(
    ("kind", "round_", "compare", "message"),
    [
        (
            "survey",
            None,
            None,
            "no questionnaire 'survey' in osaava-ja-oppiva-ohjaamo; "
            "results are for: meter, feedback, attendance",
        ),
        (
            "meter",
            "module-2",
            None,
            "ROUND: meter is not answered at 'module-2'; it is answered at: pre-assignment, module-4",
        ),
        (
            "meter",
            "pre-assignment",
            None,
            "no answers to meter at pre-assignment are stored yet; "
            "collect the filled sheets first: facilitate collect meter FILE...",
        ),
        (
            "feedback",
            None,
            None,
            "no answers to feedback are stored yet (it is answered at: module-1, module-2, "
            "module-3, module-4, module-5); collect the filled sheets first: "
            "facilitate collect feedback FILE...",
        ),
        (
            "meter",
            "module-4",
            "module-4",
            "--compare module-4: that is the round shown; compare with another",
        ),
        (
            "attendance",
            "module-1",
            None,
            "attendance results cover every session; leave out the round and --compare",
        ),
    ],
)
def test_what_cannot_be_summed_up_is_said(
    cohort: Cohort, kind: str, round_: str | None, compare: str | None, message: str
) -> None:
    answers.save(cohort, "meter", "module-4", scores(cohort, "meter", 4, seed=1))
    with pytest.raises(InputError) as raised:
        summarise(cohort, kind, round_, compare)
    assert raised.value.message == message


# --- the anonymity threshold ------------------------------------------------------------------


def test_two_respondents_under_a_threshold_of_three_show_only_their_count(cohort: Cohort) -> None:
    two = scores(cohort, "feedback", 2, seed=0)
    two[0].open = {"best": "Ryhmätyö oli paras osa"}
    two[1].open = {"best": "Aikataulu piti"}
    answers.save(cohort, "feedback", "module-1", two)

    summary = summarise(cohort, "feedback")

    r = summary.round
    assert r is not None and r.suppressed and r.responses == 2
    for d in r.dimensions:
        assert (d.stats.n, d.stats.suppressed, d.stats.mean, d.stats.median) == (
            2,
            True,
            None,
            None,
        )
        assert d.stats.distribution is None
        for s in d.statements:
            assert (s.stats.n, s.stats.mean, s.stats.distribution) == (2, None, None)
    assert all(not question.answers for question in r.open_answers)

    text = docx_text(results.write_report(summary))
    assert "Vastauksia on vain 2, alle 3: tuloksia ei näytetä." in text
    assert "Ryhmätyö" not in text and "Aikataulu" not in text
    assert "Keskiarvo" not in text  # no table of figures at all
    book = load_workbook(io.BytesIO(results.write_xlsx(summary)))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "Ryhmätyö oli paras osa" not in values
    dims = book["Osa-alueet"]
    assert [[c.value for c in row] for row in dims.iter_rows(min_row=2, max_col=4)] == [
        ["Sisältö", 2, None, None],
        ["Työskentely", 2, None, None],
    ]
    assert dims.cell(row=2, column=dims.max_column).value == "liian vähän vastauksia näytettäväksi"


def test_a_statement_fewer_answered_than_the_threshold_is_hidden_alone(cohort: Cohort) -> None:
    three = scores(cohort, "feedback", 3, seed=0)
    del three[2].answers["useful"]
    answers.save(cohort, "feedback", "module-1", three)

    r = summarise(cohort, "feedback").round

    assert r is not None and not r.suppressed
    content = r.dimensions[0]
    shown = {s.id: s.stats.suppressed for s in content.statements}
    assert shown == {"goals-clear": False, "useful": True, "next-steps": False}
    useful = content.statements[1].stats
    assert (useful.n, useful.mean) == (2, None)
    assert not content.stats.suppressed and content.stats.n == 3


def test_the_threshold_is_the_cohorts_setting(tmp_path: Path) -> None:
    cohort = ohjaamo(tmp_path / "k", threshold=5)
    answers.save(cohort, "meter", "module-4", scores(cohort, "meter", 4, seed=1))
    r = summarise(cohort, "meter").round
    assert r is not None and r.suppressed
    answers.save(cohort, "meter", "module-4", scores(cohort, "meter", 5, seed=1))
    r = summarise(cohort, "meter").round
    assert r is not None and not r.suppressed


def test_open_answers_are_sorted_and_without_names(cohort: Cohort) -> None:
    given = scores(cohort, "meter", 4, seed=0)
    for response, text in zip(
        given, ["nuorten ohjaus", "=Mielenterveys", "  Asumisneuvonta ", "Työllisyys"], strict=True
    ):
        response.open = {"own-expertise": text, "develop-next": ""}
    answers.save(cohort, "meter", "pre-assignment", given)

    summary = summarise(cohort, "meter")

    r = summary.round
    assert r is not None
    own, develop = r.open_answers
    assert own.answers == ("=Mielenterveys", "Asumisneuvonta", "nuorten ohjaus", "Työllisyys")
    assert develop.answers == ()
    text = docx_text(results.write_report(summary))
    assert "Asumisneuvonta\nnuorten ohjaus\nTyöllisyys" in text
    assert not any(name in text for name, _ in STAFF)
    book = load_workbook(io.BytesIO(results.write_xlsx(summary)))
    sheet = book["Avoimet vastaukset"]
    cell = sheet["B2"]
    # Text that looks like a formula stays text.
    assert (cell.value, cell.data_type) == ("=Mielenterveys", "s")
    assert sheet["B6"].value == "Ei vastauksia."


# --- by role (mentors and adepts) --------------------------------------------------------------

MENTORS = ("Karin Berg", "Lars Nyström", "Anna Lind", "Per Sjöberg")
ADEPTS = ("Erik Sundin", "Maria Holm", "Johan Ek", "Sara Wik", "Nils Öberg")
# The evaluation's answers, statement by statement in the programme's order: Mentorskapet
# (4 statements), Parmötena (3), Programmet (4). Lars Nyström skipped the meetings' length.
ANSWERS = {
    "Karin Berg": [5, 4, 5, 4, 4, 4, 3, 3, 3, 3, 3],
    "Lars Nyström": [4, 4, 5, 3, 4, 4, None, 3, 3, 3, 3],
    "Anna Lind": [5, 3, 4, 4, 4, 4, 3, 3, 3, 3, 3],
    "Per Sjöberg": [4, 4, 4, 3, 4, 4, 3, 3, 3, 3, 3],
    "Erik Sundin": [4, 5, 3, 4, 5, 3, 2, 5, 5, 5, 5],
    "Maria Holm": [3, 5, 4, 4, 5, 3, 2, 5, 5, 5, 5],
    "Johan Ek": [4, 4, 3, 5, 5, 3, 2, 5, 5, 5, 5],
    "Sara Wik": [3, 5, 4, 4, 5, 3, 2, 5, 5, 5, 5],
    "Nils Öberg": [4, 4, 3, 3, 5, 3, 2, 5, 5, 5, 5],
}
# Worked out by hand from ANSWERS: per row, the mentors' mean and n, the adepts' mean and n
# and the difference of the means as shown (mentors − adepts). The length of the meetings
# was answered by 3 mentors, fewer than the threshold of 4: no means on that row, neither
# the adepts' (with the whole shown, the mentors' would follow from theirs).
BY_ROLE = [
    ("mentorship", False, 65 / 16, 4, 78 / 20, 5, 0.2),  # 4,1 − 3,9
    ("open-dialogue", True, 4.5, 4, 3.6, 5, 0.9),
    ("new-perspectives", True, 3.75, 4, 4.6, 5, -0.8),  # 3,8 − 4,6
    ("other-organisation", True, 4.5, 4, 3.4, 5, 1.1),
    ("mutual-learning", True, 3.5, 4, 4.0, 5, -0.5),
    ("meetings", False, 41 / 11, 4, 50 / 15, 5, 0.4),  # 3,7 − 3,3
    ("regular", True, 4.0, 4, 5.0, 5, -1.0),
    ("structure", True, 4.0, 4, 3.0, 5, 1.0),
    ("length", True, None, 3, None, 5, None),
    ("programme", False, 3.0, 4, 5.0, 5, -2.0),
    ("matching", True, 3.0, 4, 5.0, 5, -2.0),
    ("seminars", True, 3.0, 4, 5.0, 5, -2.0),
    ("book", True, 3.0, 4, 5.0, 5, -2.0),
    ("recommend", True, 3.0, 4, 5.0, 5, -2.0),
]


def mentoring(
    folder: Path, mentors: Sequence[str] = MENTORS, adepts: Sequence[str] = ADEPTS
) -> Cohort:
    """Mentorsprogrammet in Swedish, a threshold of 4, `mentors` and `adepts` on its list."""
    cohort = make_cohort(
        folder,
        MENTORING,
        organisation="Myndighetsnätverket Västernorrland",
        name="Mentorsprogrammet 2030–2031",
        language="sv",
        country="SE",
        facilitators=["Eva Sundin"],
        delivery="on-site",
        first_date=date(2030, 9, 3),
        anonymity_threshold=4,
    )
    people = [
        Participant(name, None, "Myndighet", role, {}, row)
        for row, (name, role) in enumerate(
            [*((m, "mentor") for m in mentors), *((a, "adept") for a in adepts)], start=2
        )
    ]
    write_template(folder / "participants.xlsx", cohort.programme, "sv", "Nätverket", people)
    return load(folder)


def evaluation(cohort: Cohort, mentors: Iterable[str], adepts: Iterable[str]) -> list[Response]:
    """ANSWERS of `mentors` and `adepts`; the adepts' role is left to the participant list."""
    ids = [s.id for _, s in cohort.programme.questionnaire("evaluation").statements()]
    out = []
    for name, role in [*((m, "mentor") for m in mentors), *((a, None) for a in adepts)]:
        given = {i: v for i, v in zip(ids, ANSWERS[name], strict=True) if v is not None}
        out.append(Response(name, role, given, {}, "", COLLECTED))
    return out


@pytest.fixture
def evaluated(tmp_path: Path) -> Cohort:
    cohort = mentoring(tmp_path / "m")
    answers.save(cohort, "evaluation", "final-seminar", evaluation(cohort, MENTORS, ADEPTS))
    return cohort


def test_mentors_and_adepts_are_compared_dimension_and_statement(evaluated: Cohort) -> None:
    r = summarise(evaluated, "evaluation").round

    assert r is not None and (r.responses, r.expected) == (9, 9)
    assert [(g.role, g.title, g.n) for g in r.roles] == [
        ("mentor", "Mentor", 4),
        ("adept", "Adept", 5),
    ]
    got = [
        (row.id, row.statement, row.stats[0].mean, row.stats[0].n, row.stats[1].mean,
         row.stats[1].n, row.difference)
        for row in r.role_rows
    ]  # fmt: skip
    assert len(got) == len(BY_ROLE)
    for row, expected in zip(got, BY_ROLE, strict=True):
        assert row == pytest.approx(expected), row[0]
    length = next(row for row in r.role_rows if row.id == "length")
    assert all(s.suppressed and s.distribution is None for s in length.stats)
    # Over both roles the length is shown: 8 answered.
    overall = r.dimensions[1].statements[2].stats
    assert (overall.n, overall.mean) == (8, pytest.approx(19 / 8))
    # In English the titles are the programme's English ones, in its order.
    english = summarise(evaluated, "evaluation", lang="en").round
    assert english is not None
    assert [g.title for g in english.roles] == ["Mentor", "Mentee"]


def test_no_role_is_shown_when_one_group_is_too_small(tmp_path: Path) -> None:
    cohort = mentoring(tmp_path / "m", mentors=MENTORS[:3])
    answers.save(cohort, "evaluation", "final-seminar", evaluation(cohort, MENTORS[:3], ADEPTS))

    summary = summarise(cohort, "evaluation")

    r = summary.round
    assert r is not None and not r.suppressed and r.responses == 8
    assert (r.roles, r.role_rows, r.roles_withheld) == ((), (), True)
    withheld = "Resultaten delas inte upp per roll: en grupp har färre än 4 svarande."
    text = docx_text(results.write_report(summary))
    assert f"Per roll\n{withheld}" in text and "Mentor (n =" not in text
    sheet = load_workbook(io.BytesIO(results.write_xlsx(summary)))["Per roll"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Per roll"], [withheld]]
    assert sheet._charts == []


def test_the_workbook_shows_the_roles_side_by_side_and_charted(evaluated: Cohort) -> None:
    summary = summarise(evaluated, "evaluation")

    sheet = load_workbook(io.BytesIO(results.write_xlsx(summary)))["Per roll"]

    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == [
        "Delområde och dess påståenden",
        "Mentor\nMedelvärde",
        "Mentor\nn",
        "Adept\nMedelvärde",
        "Adept\nn",
        "Skillnad\nMentor − Adept",
        "Anmärkning",
    ]
    too_few = "för få svar för att visas"
    assert values[1:4] == [
        ["Mentorskapet", pytest.approx(65 / 16), 4, pytest.approx(3.9), 5, pytest.approx(0.2), None],
        ["Parmötena", pytest.approx(41 / 11), 4, pytest.approx(50 / 15), 5, pytest.approx(0.4), None],
        ["Programmet", 3, 4, 5, 5, -2, None],
    ]  # fmt: skip
    assert values[4] == [None] * 7
    # Below, each dimension as a heading and its statements under it.
    details = values[5:]
    assert [row[0] for row in details[:6]] == [
        "Mentorskapet",
        "Samtalen i vårt par var öppna och ärliga.",
        "Mentorskapet har gett mig nya perspektiv på ledarskap.",
        "Att mentorn kom från en annan organisation gav nya infallsvinklar.",
        "Jag har själv lärt mig och utvecklats under mentorskapet.",
        "Parmötena",
    ]
    assert details[0][1:] == [None] * 6 and sheet["A6"].font.bold
    assert details[2][1:] == [3.75, 4, pytest.approx(4.6), 5, pytest.approx(-0.8), None]
    assert sheet["A7"].alignment.indent == 1 and sheet["F7"].number_format == "+0.0;-0.0;0.0"
    assert details[8] == [
        "Mötenas längd, 1,5–2 timmar, var lagom.",
        None,
        3,
        None,
        5,
        None,
        too_few,
    ]
    assert len(details) == 3 + 11
    (chart,) = sheet._charts
    assert (chart.type, chart.grouping) == ("bar", "clustered")
    assert [s.tx.v for s in chart.series] == ["Mentor", "Adept"]
    assert [s.val.numRef.f for s in chart.series] == [
        "'Per roll'!$B$2:$B$4",
        "'Per roll'!$D$2:$D$4",
    ]
    assert chart.series[0].cat.numRef.f == "'Per roll'!$A$2:$A$4"


def test_the_report_shows_the_roles_side_by_side_and_charted(evaluated: Cohort) -> None:
    summary = summarise(evaluated, "evaluation")

    data = results.write_report(summary)

    text = docx_text(data)
    part = text[text.index("\nPer roll\n") :]
    assert part.startswith(
        "\nPer roll\n"
        "\n"  # the chart's cell
        "Delområde och dess påståenden | Mentor (n = 4) | Adept (n = 5) | Skillnad (Mentor − Adept)\n"
        "Mentorskapet | 4,1 | 3,9 | +0,2\n"
        "Samtalen i vårt par var öppna och ärliga. | 4,5 | 3,6 | +0,9\n"
        "Mentorskapet har gett mig nya perspektiv på ledarskap. | 3,8 | 4,6 | -0,8\n"
    )
    assert "\nParmötena | 3,7 | 3,3 | +0,4\n" in part
    assert (
        "\nMötenas längd, 1,5–2 timmar, var lagom. | för få svar för att visas (n = 3) | för få svar för att visas | –\n"
        in part
    )
    assert "\nProgrammet | 3,0 | 5,0 | -2,0\n" in part
    doc = Document(io.BytesIO(data))
    chart = doc.inline_shapes[-1]._inline.docPr.get("descr")
    assert chart == (
        "Mentorskapet: Mentor: 4,1; Adept: 3,9; Parmötena: Mentor: 3,7; Adept: 3,3; "
        "Programmet: Mentor: 3,0; Adept: 5,0"
    )
    table = next(t for t in doc.tables if t.cell(0, 0).text == "Delområde och dess påståenden")
    first = [row.cells[0].paragraphs[0] for row in table.rows[1:]]
    assert [p.runs[0].bold for p in first[:2]] == [True, None]
    assert first[1].paragraph_format.left_indent is not None


# --- attendance and certificates ------------------------------------------------------------


def test_attendance_rates_per_participant_and_session(cohort: Cohort) -> None:
    names = [name for name, _ in STAFF]
    answers.save_attendance(
        cohort,
        {
            "module-1": {name: "present" for name in names},
            "sparring-1": {"Sari Läänelä": "present"},
            "module-2": {
                **{name: "present" for name in names[:5]},
                "Jussi Mäkelä": "excused",
                "Noora O'Connor": "absent",
            },
        },
    )

    summary = summarise(cohort, "attendance")

    a = summary.attendance
    assert a is not None and summary.stem == "attendance"
    slots = [s for s in compute(cohort) if not s.reminder]
    assert a.total_sessions == len(slots)
    assert [(s.id, s.present, s.excused, s.absent, s.not_marked) for s in a.sessions] == [
        ("module-1", 8, 0, 0, 0),
        ("sparring-1", 1, 0, 0, 0),
        ("module-2", 5, 1, 1, 1),
    ]
    rows = {p.name: (p.present, p.held, p.excused, p.absent, p.rate) for p in a.people}
    assert rows["Sari Läänelä"] == (3, 3, 0, 0, 1.0)  # the sparring is hers too
    assert rows["Päivi Ahonen"] == (2, 2, 0, 0, 1.0)
    assert rows["Jussi Mäkelä"] == (1, 2, 1, 0, 0.5)
    assert rows["Noora O'Connor"] == (1, 2, 0, 1, 0.5)
    assert rows["Timo Rantanen"] == (1, 2, 0, 0, 0.5)  # not marked at module 2
    assert not any(p.certificate for p in a.people)  # 3 sessions of 10 held so far

    book = load_workbook(io.BytesIO(results.write_xlsx(summary)))
    people = book["Osallistujat"]
    assert people.freeze_panes == "A2"
    assert [c.value for c in people[3]] == [
        "Päivi Ahonen",
        "Ohjaamon työntekijä",
        2,
        0,
        0,
        2,
        1,
        "ei vielä",
    ]
    assert people["G3"].number_format == "0%"
    sessions = book["Tapaamiset"]
    assert len(sessions._charts) == 1
    text = docx_text(results.write_report(summary))
    assert "Jussi Mäkelä | Ohjaamon työntekijä | 1 / 2 | 1 | 0 | 50\xa0% | ei vielä" in text


def test_certificates_follow_recorded_attendance_before_the_list(tmp_path: Path) -> None:
    cohort = ohjaamo(
        tmp_path / "k",
        attended={"Päivi Ahonen": 0, "Åsa Lindqvist": 6, "Mikko Koski": 6},
    )
    slots = [s for s in compute(cohort) if not s.reminder]
    member = [
        s.session.id for s in slots if "member" in (s.session.spec.participants or ["member"])
    ]
    answers.save_attendance(
        cohort,
        {
            sid: {
                "Päivi Ahonen": "present",  # the list says 0: what was recorded counts
                **({"Åsa Lindqvist": "present"} if i == 0 else {"Åsa Lindqvist": "absent"}),
            }
            for i, sid in enumerate(member)
        },
    )

    plan = documents.plan(cohort, date(2029, 11, 20), kinds=["certificate"])

    certified = sorted(job.title for job in plan.jobs)
    assert certified == ["Mikko Koski", "Päivi Ahonen"]  # Mikko: no record, the list's 6
    total = len(member)
    assert (
        f"Åsa Lindqvist: no certificate, attended 1 of {total} sessions "
        "(the programme asks for 80 %)"
    ) in plan.skipped
    assert (
        "Liisa Nieminen: no certificate, the number of sessions attended is not filled in"
        in plan.skipped
    )
    paivi = next(job for job in plan.jobs if job.title == "Päivi Ahonen")
    assert paivi.context["attended"] == str(total)

    a = summarise(cohort, "attendance").attendance
    assert a is not None
    decided = {p.name: p.certificate for p in a.people}
    assert (decided["Päivi Ahonen"], decided["Åsa Lindqvist"]) == (True, False)
    # Results count only what was recorded: Mikko's 6 on the list do not count here.
    assert decided["Mikko Koski"] is False


def test_recorded_attendance_is_matched_by_name_loosely() -> None:
    marks = {"module-1": {"päivi  Ahonen": "present"}, "module-2": {"Päivi Ahonen": "excused"}}
    assert results.present_count(marks, "Päivi Ahonen", ["module-1", "module-2"]) == 1
    assert results.present_count(marks, "Päivi Ahonen", ["module-2"]) == 0
    assert results.present_count(marks, "Åsa Lindqvist", ["module-1"]) is None


# --- the files ---------------------------------------------------------------------------------


@pytest.fixture
def measured(cohort: Cohort) -> Cohort:
    """A cohort whose meter was answered twice, with open answers."""
    pre = scores(cohort, "meter", 7, seed=0)
    later = scores(cohort, "meter", 6, seed=3)
    for i, response in enumerate(later):
        response.open = {"own-expertise": f"Osaaminen {i}", "develop-next": "Yhteinen aika"}
    answers.save(cohort, "meter", "pre-assignment", pre)
    answers.save(cohort, "meter", "module-4", later)
    return cohort


def test_the_workbook_has_tables_and_native_charts(measured: Cohort) -> None:
    summary = summarise(measured, "meter")
    r, c = summary.round, summary.comparison
    assert r is not None and c is not None

    book = load_workbook(io.BytesIO(results.write_xlsx(summary)))

    assert book.sheetnames == [
        "Tiedot",
        "Osa-alueet",
        "1 Toimiva vuorovaikutus",
        "2 Toimijoita tukeva työyhteisö",
        "3 Yhteisen työn organisoitumin…",
        "Vertailu",
        "Avoimet vastaukset",
    ]
    about = {
        row[0].value: row[1].value for row in book["Tiedot"].iter_rows(min_row=3) if row[0].value
    }
    assert about["Vastauksia"] == 6 and about["Odotetut vastaajat"] == 8
    assert about["Vastausprosentti"] == pytest.approx(0.75)
    assert about["Verrattuna"] == "Ennakkotehtävä"
    for i, d in enumerate(r.dimensions, start=1):
        ws = book[book.sheetnames[i + 1]]
        assert ws.freeze_panes == "A2"
        assert ws["A1"].value == "Väittämä" and ws["C1"].value == "Keskiarvo"
        assert ws["E1"].value == "1\ntäysin eri mieltä"
        for row, s in enumerate(d.statements, start=2):
            assert ws.cell(row=row, column=1).value == s.text
            assert ws.cell(row=row, column=2).value == s.stats.n
            assert ws.cell(row=row, column=3).value == pytest.approx(s.stats.mean)
            assert ws.cell(row=row, column=3).number_format == "0.0"
            assert (
                tuple(ws.cell(row=row, column=5 + k).value for k in range(5))
                == s.stats.distribution
            )
        total = len(d.statements) + 2
        assert ws.cell(row=total, column=1).value == "Kaikki väittämät"
        assert ws.cell(row=total, column=3).value == pytest.approx(d.stats.mean)
        (chart,) = ws._charts
        assert chart.type == "bar" and len(chart.series) == 1
        assert (chart.y_axis.scaling.min, chart.y_axis.scaling.max) == (1, 5)
        ref = chart.series[0].val.numRef.f
        assert ref == f"'{ws.title}'!$C$2:$C${len(d.statements) + 1}"
    comparison = book["Vertailu"]
    (chart,) = comparison._charts
    assert [s.tx.v for s in chart.series] == ["Ennakkotehtävä", "Moduuli 4"]
    for row, change in enumerate(c.changes, start=2):
        assert comparison.cell(row=row, column=2).value == pytest.approx(change.before.mean)
        assert comparison.cell(row=row, column=4).value == pytest.approx(change.after.mean)
        assert comparison.cell(row=row, column=6).value == pytest.approx(change.change)
    assert len(book["Osa-alueet"]._charts) == 1
    assert book["Osa-alueet"].print_area is not None


def test_the_report_says_who_when_and_what(measured: Cohort) -> None:
    summary = summarise(measured, "meter")
    r, c = summary.round, summary.comparison
    assert r is not None and c is not None

    data = results.write_report(summary)

    text = docx_text(data)
    assert text.startswith(
        "Monialaisuusmittari: tulokset\n"
        "Osaava ja oppiva Ohjaamo · Ohjaamo Koskela, kevät 2030\n"
        "Ohjelma\tOsaava ja oppiva Ohjaamo\n"
        "Ryhmä\tOhjaamo Koskela, kevät 2030\n"
        "Valmentajat\tAnna Virtanen, Kalle Nieminen\n"
        f"Vastauskerta\t{r.title} ({short_date(r.date, 'fi')})\n"  # type: ignore[arg-type]
        "Verrattuna\tEnnakkotehtävä\n"
        "Vastauksia\t6/8 (75\xa0%)\n"
        f"Vastaukset koottu\t{short_date(date(2030, 5, 2), 'fi')}\n"
        "Asteikko\t1 = täysin eri mieltä … 5 = täysin samaa mieltä\n"
        "Alle 3 vastaajan tuloksia ei näytetä, jotta kenenkään vastauksia ei voi tunnistaa.\n"
        "Yhteenveto\n"
    )
    first = r.dimensions[0]
    mean = f"{half_up(first.stats.mean):.1f}".replace(".", ",")  # type: ignore[arg-type]
    assert f"{first.title} | {first.stats.n} | {mean} |" in text
    assert "Muutos: Ennakkotehtävä → Moduuli 4" in text
    assert "Osa-alue | Ennakkotehtävä (n = 7) | Moduuli 4 (n = 6) | Muutos" in text
    change = c.changes[0]
    assert change.change is not None
    assert f"{change.title} | " in text and f"{change.change:+.1f}".replace(".", ",") in text
    trust = first.statements[0]
    assert f"{trust.text} | {trust.stats.n} |" in text
    assert (
        "Avoimet vastaukset\nMitä osaamista sinä tuot Ohjaamon yhteiseen työhön?\nOsaaminen 0"
        in text
    )

    doc = Document(io.BytesIO(data))
    styles = [p.style.name for p in doc.paragraphs if p.text]
    assert styles[:2] == ["Title", "Subtitle"]
    assert styles.count("Heading 1") == 1 + 1 + 3 + 1  # summary, change, dimensions, open
    assert "List Bullet" in styles
    assert all(t.style.name == "Facilitate Table" for t in doc.tables if len(t.columns) > 1)
    pictures = [s for s in doc.inline_shapes]
    assert len(pictures) == 1 + 1 + 3
    descr = pictures[0]._inline.docPr.get("descr")
    assert descr.startswith(f"{first.title}: {mean}")
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Ohjaamo Koskela · Osaava ja oppiva Ohjaamo\tSivu")


def test_the_report_is_valid_word(measured: Cohort, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(results.write_report(summarise(measured, "meter")))
    assert out_of_order(path) == []
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        images = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(images) == 5


def test_make_writes_both_files_and_rewrites_only_what_changed(measured: Cohort) -> None:
    made = results.make(measured, "meter")
    assert made.written == (
        Path("out/results/meter-module-4.xlsx"),
        Path("out/results/meter-module-4.docx"),
    )
    files = [measured.folder / p for p in made.written]
    before = [p.read_bytes() for p in files]
    stamps = [p.stat().st_mtime_ns for p in files]
    results.make(measured, "meter")  # the same answers make the same bytes
    assert [p.read_bytes() for p in files] == before
    assert [p.stat().st_mtime_ns for p in files] == stamps


def test_the_organisations_own_report_template_is_used(measured: Cohort, tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    doc = Document(str(results.report_template()))
    doc.sections[0].header.paragraphs[0].text = "Ohjaamo Koskela – {{ cohort.name }}"
    doc.save(str(own / "report.docx"))

    made = results.make(measured, "meter", templates=own)

    report = Document(str(measured.folder / made.written[1]))
    assert (
        report.sections[0].header.paragraphs[0].text
        == "Ohjaamo Koskela – Ohjaamo Koskela, kevät 2030"
    )


def test_a_report_in_another_language(measured: Cohort) -> None:
    summary = summarise(measured, "meter", lang="sv")
    text = docx_text(results.write_report(summary))
    assert text.startswith("Sektorövergripande mätare: resultat\n")
    assert "\nFörändring: Förhandsuppgift → Modul 4\n" in text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_report_and_the_workbook(measured: Cohort, tmp_path: Path) -> None:
    summary = summarise(measured, "meter")
    (tmp_path / "report.docx").write_bytes(results.write_report(summary))
    (tmp_path / "workbook.xlsx").write_bytes(results.write_xlsx(summary))
    convert([tmp_path / "report.docx", tmp_path / "workbook.xlsx"], tmp_path / "pdf")
    for name in ("report.pdf", "workbook.pdf"):
        assert (tmp_path / "pdf" / name).stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "pdf" / "report.pdf"), "-"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        assert "Monialaisuusmittari: tulokset" in text and "Kaikki väittämät" in text


# --- the command line --------------------------------------------------------------------------


def test_the_command_prints_the_summary_and_the_files(
    measured: Cohort, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(measured.folder.parent)
    result = runner.invoke(app, ["results", "meter", "--cohort", measured.folder.name])
    assert result.exit_code == 0, result.output
    summary = summarise(measured, "meter")
    assert summary.comparison is not None and summary.round is not None
    lines = result.stdout.splitlines()
    assert lines[:2] == [summary.round.title, "Vastauksia: 6/8 (75\xa0%)"]
    for change in summary.comparison.changes:
        assert change.change is not None
        row = next(line for line in lines if change.title in line)
        assert results.number_text(change.change, "fi", signed=True) in row
    assert lines[-3:] == [
        "Kirjoitettu:",
        "  out/results/meter-module-4.xlsx",
        "  out/results/meter-module-4.docx",
    ]


def test_the_command_says_when_too_few_answered(
    cohort: Cohort, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers.save(cohort, "feedback", "module-1", scores(cohort, "feedback", 2, seed=0))
    monkeypatch.chdir(cohort.folder)
    result = runner.invoke(app, ["results", "feedback", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Responses: 2 of 8 (25%)" in result.stdout
    assert result.stdout.count("too few answers to show") == 2


def test_the_command_refuses_an_unknown_kind(
    cohort: Cohort, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(cohort.folder)
    result = runner.invoke(app, ["results", "metre"])
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stderr == (
        "no questionnaire 'metre' (did you mean 'meter'?) in osaava-ja-oppiva-ohjaamo; "
        "results are for: meter, feedback, attendance\n"
    )
