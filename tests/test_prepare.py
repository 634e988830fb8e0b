"""`facilitate prepare`: the checklist and its progress, agenda changes in cohort.yaml (and
everywhere the schedule shows), what the screens show, the walk-through typed at the
prompts (resumed, paused, interrupted), the report without a terminal, and one run of the
installed program in a pseudo-terminal."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time as clock_time
from datetime import date, time
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner, Result

from facilitate import cohort as cohorts
from facilitate import prepare
from facilitate.cli import app
from facilitate.cohort import AgendaChange, Settings, settings_yaml
from facilitate.context import Environment
from facilitate.demo import build
from facilitate.errors import CohortFileError, ExitStatus, FacilitateError, InputError
from facilitate.programme import Session
from facilitate.schedule import compute, to_ics
from facilitate.status import prepared_items, status

from .test_init import CLEAR, CTRL_C, DOWN, ENTER, flat, type_in

SPACE = " "
MODULE_3 = ["1", "2", "3", "4", "5", "6", "7"]
# Module 3 of 'Osaava ja oppiva Ohjaamo' as the programme times it from 9.00.
PLANNED = ["9.00–9.35", "9.35–10.15", "10.15–10.30", "10.30–11.00", "11.00–11.50",
           "11.50–12.05", "12.05–12.20"]  # fmt: skip
# ... with the start moved to 9.30 and block 2 made 50 minutes.
CHANGED = ["9.30–10.05", "10.05–10.55", "10.55–11.10", "11.10–11.40", "11.40–12.30",
           "12.30–12.45", "12.45–13.00"]  # fmt: skip
MODULE_3_KEYS = ["p1", "p2", "p3", "p4", "invitation", "print", "room", "sparring"]

# Keys for the whole walk-through of module 3: overview and follow-up go on; the agenda
# starts at 9.30 and block 2 runs 50 minutes; materials go on; the first and the third
# checklist items are ticked.
AGENDA_KEYS = (
    DOWN + ENTER  # Siirrä aloitusaikaa
    + CLEAR + "9.30" + ENTER
    + DOWN + DOWN + ENTER  # Muuta osion kestoa
    + DOWN + ENTER  # block 2
    + CLEAR + "50" + ENTER
    + ENTER  # Ohjelma näyttää hyvältä
)  # fmt: skip
WALK = ENTER + ENTER + AGENDA_KEYS + ENTER + SPACE + DOWN + DOWN + SPACE + ENTER


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo cohort, built once; each test works on a copy (see `demo`)."""
    folder = tmp_path_factory.mktemp("built") / "demo"
    build(folder, date.today())
    return folder


@pytest.fixture
def demo(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the demo cohort (Finnish, 'Osaava ja oppiva Ohjaamo', 12 people);
    the current folder is the one that holds it."""
    folder = tmp_path / "demo"
    shutil.copytree(built, folder)
    monkeypatch.chdir(tmp_path)
    return folder


def load(folder: Path) -> cohorts.Cohort:
    return cohorts.load(folder)


def session(folder: Path, name: str = "module-3") -> tuple[cohorts.Cohort, Session]:
    cohort = load(folder)
    return cohort, prepare.find(cohort, name)


def runsheet_text(folder: Path, session_id: str = "module-3") -> str:
    """Every paragraph and table cell of the session's run-sheet."""
    document = Document(str(folder / "out" / session_id / "kasikirjoitus.docx"))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def state(folder: Path) -> dict[str, object]:
    path = folder / ".facilitate" / "prepare.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def run(runner: CliRunner, *args: str, interactive: bool = False) -> Result:
    return runner.invoke(app, list(args), obj=Environment(interactive=interactive))


# ---------------------------------------------------------------------------
# Finding the session


@pytest.mark.parametrize("name", ["module-3", "3", " Module-3 "])
def test_find_a_session_by_kind_and_number_or_number(demo: Path, name: str) -> None:
    cohort = load(demo)
    assert prepare.find(cohort, name).id == "module-3"


def test_find_a_session_by_id(demo: Path) -> None:
    cohort = load(demo)
    assert prepare.find(cohort, "sparring-2").id == "sparring-2"
    assert prepare.find(cohort, "follow-up").id == "follow-up"


def test_an_unknown_session_lists_the_sessions_there_are(demo: Path) -> None:
    with pytest.raises(InputError) as caught:
        prepare.find(load(demo), "module-9")
    assert caught.value.message == (
        "ohjelmassa osaava-ja-oppiva-ohjaamo ei ole tapaamista 'module-9'; tapaamiset ovat: "
        "module-1, sparring-1, module-2, sparring-2, module-3, sparring-3, module-4, "
        "sparring-4, module-5, follow-up"
    )


# ---------------------------------------------------------------------------
# The checklist


def test_checklist_of_a_module_after_a_sparring(demo: Path) -> None:
    cohort, module = session(demo)
    items = prepare.checklist(cohort, module)
    assert [item.key for item in items] == MODULE_3_KEYS
    assert items[0].text.startswith("Pyydä koordinaattorilta välityöskentelyn kirjausten")
    assert [item.text for item in items[4:]] == [
        "Kutsu lähetetty osallistujille",
        "Monisteet tulostettu",
        "Tila tarkistettu (varaus, tekniikka, seinätila)",
        "Sparraus koordinaattorin kanssa pidetty",
    ]


def test_checklist_of_the_first_module_has_no_sparring(demo: Path) -> None:
    cohort, module = session(demo, "module-1")
    keys = [item.key for item in prepare.checklist(cohort, module)]
    assert keys == ["p1", "p2", "p3", "p4", "p5", "p6", "invitation", "print", "room"]


def test_checklist_of_a_sparring_on_teams(demo: Path) -> None:
    """The coordinator's sparring: on Teams, no handouts, no room, no sparring before it."""
    cohort, sparring = session(demo, "sparring-2")
    keys = [item.key for item in prepare.checklist(cohort, sparring)]
    assert keys == ["p1", "p2", "invitation", "teams-link"]


def test_checklist_of_a_hybrid_and_a_teams_cohort(demo: Path) -> None:
    cohort, module = session(demo)
    hybrid = cohort.settings.model_copy(update={"delivery": "hybrid"})
    items = prepare.checklist(
        cohorts.Cohort(demo, hybrid, cohort.programme, cohort.programme_path), module
    )
    assert [i.key for i in items][4:] == ["invitation", "teams-link", "print", "room", "sparring"]
    teams = cohort.settings.model_copy(update={"delivery": "teams"})
    items = prepare.checklist(
        cohorts.Cohort(demo, teams, cohort.programme, cohort.programme_path), module
    )
    assert [(i.key, i.text) for i in items][4:] == [
        ("invitation", "Kutsu lähetetty osallistujille"),
        ("teams-link", "Teams-linkki lähetetty"),
        ("print", "Monisteet lähetetty osallistujille"),  # sent, not printed
        ("sparring", "Sparraus koordinaattorin kanssa pidetty"),
    ]


@pytest.mark.parametrize(
    ("wanted", "keys"),
    [
        (["p2"], ["p2"]),
        (["invitation", "ROOM"], ["invitation", "room"]),
        (["3"], ["p3"]),
        (["8", "8"], ["sparring"]),
        (["kutsu"], ["invitation"]),
        (["  tila TARKISTETTU"], ["room"]),
        (["Valmistele lyhyt"], ["p3"]),
    ],
)
def test_resolve_by_key_number_or_start_of_text(
    demo: Path, wanted: list[str], keys: list[str]
) -> None:
    cohort, module = session(demo)
    assert prepare.resolve(cohort, module, wanted) == keys


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ("9", "muistilistalla ei ole kohtaa 9; kohdat on numeroitu 1–8"),
        ("0", "muistilistalla ei ole kohtaa 0; kohdat on numeroitu 1–8"),
        (
            "tulosta",
            "'tulosta' sopii useaan muistilistan kohtaan (p2, p4); anna kohdan tunnus tai numero",
        ),
        ("lounas", "muistilistalla ei ole kohtaa 'lounas'"),
        ("", "muistilistalla ei ole kohtaa ''"),
    ],
)
def test_resolve_refuses_an_unknown_or_ambiguous_item(
    demo: Path, wanted: str, message: str
) -> None:
    cohort, module = session(demo)
    with pytest.raises(InputError) as caught:
        prepare.resolve(cohort, module, [wanted])
    lines = caught.value.message.splitlines()
    assert lines[0] == message
    assert lines[1] == "Tapaamisen module-3 muistilista:"
    assert lines[2].startswith("  1. p1: Pyydä koordinaattorilta")
    assert lines[-1] == "  8. sparring: Sparraus koordinaattorin kanssa pidetty"


# ---------------------------------------------------------------------------
# Progress


def test_tick_untick_and_status_agree(demo: Path) -> None:
    cohort, module = session(demo)
    assert prepare.progress(cohort, module) == prepare.Progress([], None)

    prepare.tick(cohort, module, ["room", "p2"])
    prepare.tick(cohort, module, ["p2", "invitation"])
    # Kept in the checklist's order, each once.
    assert state(demo) == {"module-3": {"done": ["p2", "invitation", "room"]}}
    prepare.untick(cohort, module, ["invitation"])
    assert prepare.progress(cohort, module).done == ["p2", "room"]
    assert prepared_items(cohort) == {"module-3": ["p2", "room"]}

    row = next(s for s in status(cohort, date.today()).sessions if s.id == "module-3")
    assert (row.checklist_done, row.checklist_total) == (2, 8)
    sparring = next(s for s in status(cohort, date.today()).sessions if s.id == "sparring-2")
    assert (sparring.checklist_done, sparring.checklist_total) == (0, 4)


def test_tick_refuses_a_key_not_on_the_list(demo: Path) -> None:
    cohort, sparring = session(demo, "sparring-2")
    with pytest.raises(InputError, match="muistilistalla ei ole kohtaa 'print'"):
        prepare.tick(cohort, sparring, ["print"])
    assert state(demo) == {}


def test_saving_the_checklist_keeps_other_sessions_and_the_step(demo: Path) -> None:
    cohort, module = session(demo)
    _, sparring = session(demo, "sparring-2")
    prepare.tick(cohort, sparring, ["p1"])
    prepare.complete(cohort, module, "agenda")
    prepare.save_checklist(cohort, module, ["room", "p1"])
    assert state(demo) == {
        "sparring-2": {"done": ["p1"]},
        "module-3": {"done": ["p1", "room"], "step": "checklist"},
    }
    assert prepare.progress(cohort, module).next_step == "documents"


def test_ticks_of_items_no_longer_on_the_list_are_kept(demo: Path) -> None:
    """A changed programme can drop an item; what was ticked is not lost, nor counted."""
    cohort, module = session(demo)
    path = demo / ".facilitate" / "prepare.json"
    path.write_text(json.dumps({"module-3": {"done": ["p9", "p1"]}}), encoding="utf-8")
    prepare.save_checklist(cohort, module, ["p2"])
    assert state(demo)["module-3"] == {"done": ["p2", "p9"], "step": "checklist"}
    row = next(s for s in status(cohort, date.today()).sessions if s.id == "module-3")
    assert (row.checklist_done, row.checklist_total) == (1, 8)


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_a_damaged_progress_file_says_what_to_do(demo: Path, content: str) -> None:
    cohort, module = session(demo)
    path = demo / ".facilitate" / "prepare.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FacilitateError) as caught:
        prepare.progress(cohort, module)
    assert caught.value.message == (
        f"{path} is damaged; delete it to start the preparation checklists afresh"
    )


# ---------------------------------------------------------------------------
# Agenda changes: cohort.yaml, the schedule, the calendar, the documents


def test_an_agenda_change_moves_the_clock_times(demo: Path) -> None:
    cohort, module = session(demo)
    changed = prepare.with_agenda(cohort, module, time(9, 30), {2: 50})
    assert changed.settings.agenda == {
        "module-3": AgendaChange(start_time=time(9, 30), minutes={2: 50})
    }
    slot = next(s for s in compute(changed) if s.session.id == "module-3")
    assert [(a.strftime("%H:%M"), b.strftime("%H:%M")) for a, b, _ in slot.blocks][:3] == [
        ("09:30", "10:05"), ("10:05", "10:55"), ("10:55", "11:10"),
    ]  # fmt: skip
    assert [block.minutes for _, _, block in slot.blocks] == [35, 50, 15, 30, 50, 15, 15]
    assert slot.end.time() == time(13, 0)
    # Nothing else moves; the programme is as shipped.
    others = {s.session.id: s for s in compute(cohort)}
    assert all(
        (s.start, s.end) == (others[s.session.id].start, others[s.session.id].end)
        for s in compute(changed)
        if s.session.id != "module-3"
    )
    assert cohort.programme.sessions[4].agenda[1].minutes == 40
    # Nothing was written.
    assert load(demo).settings.agenda == {}


def test_an_agenda_change_equal_to_the_programme_is_no_change(demo: Path) -> None:
    cohort, module = session(demo)
    changed = prepare.with_agenda(cohort, module, time(9, 30), {2: 50})
    back = prepare.with_agenda(changed, module, time(9, 0), {2: 40, 3: 15})
    assert back.settings.agenda == {}
    kept = prepare.with_agenda(changed, module, time(9, 0), {2: 50})
    assert kept.settings.agenda == {"module-3": AgendaChange(minutes={2: 50})}


def test_an_agenda_past_midnight_is_refused(demo: Path) -> None:
    cohort, module = session(demo)
    with pytest.raises(InputError) as caught:
        prepare.with_agenda(cohort, module, time(21, 0), {})
    assert caught.value.message == (
        "module-3 would run past midnight: 200 minutes from 21:00; start earlier or shorten a block"
    )


def test_a_saved_agenda_change_reads_back_and_shows_everywhere(demo: Path) -> None:
    cohort, module = session(demo)
    prepare.save_settings(prepare.with_agenda(cohort, module, time(9, 30), {2: 50}))
    text = (demo / "cohort.yaml").read_text(encoding="utf-8")
    assert "agenda:\n  module-3:\n    start_time: 09:30\n    minutes:\n      2: 50\n" in text
    reloaded = load(demo)
    assert reloaded.settings == prepare.with_agenda(cohort, module, time(9, 30), {2: 50}).settings

    calendar = to_ics(reloaded, compute(reloaded), stamp=None).decode()
    assert "10.05–10.55  Työmuotojen arviointi" in calendar.replace("\r\n ", "")

    result = run(CliRunner(), "handouts", "module-3", "--cohort", str(demo))
    assert result.exit_code == 0, result.output
    text = runsheet_text(demo)
    for clock in CHANGED:
        assert clock in text
    assert "9.30–13.00" in text
    assert "9.00–9.35" not in text


def test_settings_yaml_writes_the_agenda_and_reads_it_back(tmp_path: Path) -> None:
    settings = Settings(
        id="c",
        programme="osaava-ja-oppiva-ohjaamo",
        organisation="Ohjaamo",
        language="fi",
        delivery="on-site",
        first_date=date(2027, 1, 19),
        agenda={
            "module-3": AgendaChange(start_time=time(12, 30), minutes={5: 45, 2: 50}),
            "module-1": AgendaChange(minutes={1: 20}),
            "module-2": AgendaChange(start_time=time(8, 15)),
        },
    )
    text = settings_yaml(settings)
    assert "# Agenda changes per session, made with `facilitate prepare`" in text
    assert "      2: 50\n      5: 45\n" in text
    (tmp_path / "cohort.yaml").write_text(text, encoding="utf-8")
    assert cohorts.load(tmp_path).settings == settings
    empty = settings_yaml(settings.model_copy(update={"agenda": {}}))
    assert "\nagenda: {}\n" in empty


@pytest.mark.parametrize(
    ("agenda", "message"),
    [
        (
            "  module-9:\n    minutes: {2: 50}\n",
            "cohort.yaml:{line}: agenda.module-9: no session 'module-9' (did you mean 'module-5'?); "
            "sessions: module-1, sparring-1, module-2, sparring-2, module-3, sparring-3, "
            "module-4, sparring-4, module-5, follow-up",
        ),
        (
            "  module-3:\n    minutes:\n      9: 50\n",
            "cohort.yaml:{line}: agenda.module-3.minutes.9: module-3 has no agenda block 9; "
            "it has blocks 1–7",
        ),
        (
            "  module-3:\n    minutes:\n      two: 50\n",
            "cohort.yaml:{line}: agenda.module-3.minutes.two: must be the number of an agenda "
            "block (1 for the first), got 'two'",
        ),
        (
            "  module-3:\n    minutes:\n      2: 50 min\n",
            "cohort.yaml:{line}: agenda.module-3.minutes.2: must be a whole number of minutes, "
            "got '50 min' (write 50)",
        ),
        (
            "  module-3:\n    start_time: noon\n",
            "cohort.yaml:{line}: agenda.module-3.start_time: must be a clock time such as "
            "'09:00' or '13.30', got 'noon'",
        ),
        (
            "  module-3:\n    start_time: '23:00'\n",
            "cohort.yaml:{line}: agenda.module-3: module-3 would run past midnight: 200 minutes "
            "from 23:00; start earlier or shorten a block",
        ),
        (
            "  module-3:\n    minutes: {1: 40}\n  '3':\n    minutes: {1: 30}\n",
            "cohort.yaml:{line}: agenda.3: module-3 is given twice (also as 'module-3')",
        ),
        (
            "  module-3:\n    minuuts: {1: 40}\n",
            "cohort.yaml:{line}: agenda.module-3.minuuts: unknown key 'minuuts' (did you mean 'minutes'?)",
        ),
    ],
)
def test_cohort_yaml_agenda_problems(demo: Path, agenda: str, message: str) -> None:
    path = demo / "cohort.yaml"
    text = path.read_text(encoding="utf-8").replace("agenda: {}\n", "agenda:\n" + agenda)
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    key = message.split(": ")[1].split(".")[-1]
    line = max(
        i
        for i, content in enumerate(lines, 1)
        if content.strip().startswith((f"{key}:", f"'{key}':"))
    )
    with pytest.raises(CohortFileError) as caught:
        cohorts.load(demo)
    assert [str(p).replace(str(demo) + os.sep, "") for p in caught.value.problems] == [
        message.format(line=line)
    ]


# ---------------------------------------------------------------------------
# What the screens show


def test_preparation_of_module_3(demo: Path) -> None:
    cohort, module = session(demo)
    today = date.today()
    prep = prepare.preparation(cohort, module, today)
    slot = next(s for s in compute(cohort) if s.session.id == "module-3")
    assert (prep.session, prep.ref, prep.heading) == (
        "module-3", "module-3", "Moduuli 3: Monialaiset työtavat",
    )  # fmt: skip
    assert (prep.date, prep.start, prep.end) == (slot.date, time(9, 0), time(12, 20))
    assert prep.days_to == (slot.date - today).days
    assert (prep.delivery, prep.place, prep.link) == (
        "on-site", "Ohjaamo Järvenranta, Rantakatu 4, 2. kerros", None,
    )  # fmt: skip
    assert prep.goals == [
        "Arvioidaan Ohjaamossa käytössä olevia monialaisen työn muotoja.",
        "Laaditaan kehittämissuunnitelma siitä, miten yhteistyön muotoja viedään Ohjaamossa eteenpäin.",
    ]
    assert [(e.title, e.count, e.names[:2]) for e in prep.expected] == [
        ("Valmentaja", 2, ["Anna Virtanen", "Kalle Nieminen"]),
        ("Koordinaattori", 1, ["Sari Läänelä"]),
        ("Ohjaamon työntekijä", 11, ["Mikko Hämäläinen", "Päivi Ahonen"]),
    ]
    assert prep.participant_problem is None
    # Follow-up from module 2 (the sparring in between is the coordinator's only).
    follow = prep.follow_up
    assert (follow.session, follow.heading) == (
        "module-2", "Moduuli 2: Monialaisena osaajatiiminä toimiminen",
    )  # fmt: skip
    assert [task.title for task in follow.tasks] == ["Tehkää monialaisen työn muodot näkyviksi"]
    assert [(a.questionnaire, a.session, a.collected, a.expected) for a in follow.answers] == [
        ("feedback", "module-2", 0, 12)
    ]
    assert follow.pre_assignment is None
    assert [(row.number, row.minutes, row.planned) for row in prep.agenda][:2] == [
        (1, 35, 35), (2, 40, 40),
    ]  # fmt: skip
    assert prep.agenda[1].title == "Työmuotojen arviointi"
    assert prep.agenda[1].materials == ["Nelikenttäpohjat (A3 tai fläppi)"]
    assert prep.minutes == 200 and not prep.agenda_changed
    # Every block's materials once, in order.
    assert prep.materials == [
        "Koordinaattorin kokoamat kirjaukset",
        "Nelikenttäpohjat (A3 tai fläppi)",
        "Äänestystarrat tai digitaalinen äänestys",
        "Kehittämissuunnitelman pohja",
        "Itsearviointilomake",
        "Palautelomakkeet",
    ]
    assert [item.key for item in prep.checklist] == MODULE_3_KEYS
    assert prep.open == prep.checklist and prep.step is None
    assert [task.title for task in prep.tasks] == [
        "Kokeilkaa monialaisen yhteistyön muotoja käytännössä",
        "Arvioikaa kokeiluja",
    ]


def test_preparation_of_the_first_module_shows_the_pre_assignment(demo: Path) -> None:
    # The demo collects meter answers of its own; these tests start from none.
    shutil.rmtree(demo / ".facilitate" / "answers", ignore_errors=True)
    cohort, module = session(demo, "module-1")
    follow = prepare.preparation(cohort, module, date.today()).follow_up
    assert (follow.session, follow.tasks) == (None, [])
    assert follow.pre_assignment == "Ohjaamon osaamispääoman kartoitus"
    assert [
        (a.questionnaire, a.session, a.collected, a.expected, a.headline) for a in follow.answers
    ] == [("meter", "pre-assignment", 0, 12, None)]


def _store_meter(cohort: cohorts.Cohort, scores: list[dict[str, int]]) -> None:
    from facilitate import answers

    meter = cohort.programme.questionnaire("meter")
    ids = {d.id: [s.id for s in d.statements] for d in meter.dimensions}
    responses = [
        answers.Response(
            respondent=f"Person {i}",
            role="member",
            answers={sid: score for dim, score in person.items() for sid in ids[dim]},
        )
        for i, person in enumerate(scores)
    ]
    answers.save(cohort, "meter", "pre-assignment", responses)


def test_the_meter_headline_once_answers_are_in(demo: Path) -> None:
    # The demo collects meter answers of its own; these tests start from none.
    shutil.rmtree(demo / ".facilitate" / "answers", ignore_errors=True)
    cohort, module = session(demo, "module-1")
    _store_meter(
        cohort,
        [
            {"interaction": 4, "community": 3, "organisation": 2},
            {"interaction": 5, "community": 3, "organisation": 3},
            {"interaction": 4, "community": 4, "organisation": 3},
            {"interaction": 4, "community": 3, "organisation": 2},
        ],
    )
    follow = prepare.preparation(cohort, module, date.today()).follow_up
    (meter_answers,) = follow.answers
    assert (meter_answers.collected, meter_answers.expected) == (4, 12)
    # 4.25 and 2.5 read as `facilitate results` shows them: halves up, one decimal.
    assert meter_answers.headline == (
        "Vahvin: Toimiva vuorovaikutus (4,3); heikoin: Yhteisen työn organisoituminen (2,5), "
        "asteikolla 1–5"
    )


def test_the_meter_headline_keeps_the_anonymity_threshold(demo: Path) -> None:
    """Two respondents under a threshold of three: `results` withholds their means, and so
    does the preparation."""
    shutil.rmtree(demo / ".facilitate" / "answers", ignore_errors=True)
    cohort, module = session(demo, "module-1")
    assert cohort.settings.anonymity_threshold == 3
    _store_meter(
        cohort,
        [
            {"interaction": 4, "community": 3, "organisation": 2},
            {"interaction": 5, "community": 3, "organisation": 3},
        ],
    )
    (meter_answers,) = prepare.preparation(cohort, module, date.today()).follow_up.answers
    assert meter_answers.collected == 2
    assert meter_answers.headline is None


def test_a_sparring_follows_up_the_module_before_it(demo: Path) -> None:
    cohort, sparring = session(demo, "sparring-2")
    prep = prepare.preparation(cohort, sparring, date.today())
    assert prep.follow_up.session == "module-2"
    assert [e.role for e in prep.expected] == ["coach", "coordinator"]
    assert (prep.delivery, prep.place) == ("teams", "Teams")
    assert prep.link == "https://teams.microsoft.com/l/meetup-join/demo-ohjaamo-jarvenranta"


@pytest.mark.parametrize("damage", ["missing", "broken"])
def test_a_participant_list_with_problems_is_said_not_fatal(demo: Path, damage: str) -> None:
    path = demo / "participants.xlsx"
    if damage == "missing":
        path.unlink()
        problem = "osallistujalistaa ei vielä ole (participants.xlsx)"
    else:
        path.write_bytes(b"this is not a workbook")
        problem = None
    cohort, module = session(demo)
    prep = prepare.preparation(cohort, module, date.today())
    assert prep.participant_problem
    if problem:
        assert prep.participant_problem == problem
    assert [(e.role, e.count) for e in prep.expected] == [
        ("coach", 2), ("coordinator", None), ("member", None),
    ]  # fmt: skip
    assert [a.expected for a in prep.follow_up.answers] == [None]


def test_preparation_as_json(demo: Path) -> None:
    cohort, module = session(demo)
    prepare.tick(cohort, module, ["p1"])
    data = prepare.preparation(cohort, module, date.today()).as_json()
    assert json.loads(json.dumps(data)) == data
    assert (data["start"], data["end"], data["planned_start"]) == ("09:00", "12:20", "09:00")
    assert data["agenda"][0]["start"] == "09:00"
    assert data["checklist"][0] == {"key": "p1", "text": data["checklist"][0]["text"], "done": True}
    assert data["open"] == MODULE_3_KEYS[1:]
    assert data["agenda_changed"] is False


# ---------------------------------------------------------------------------
# Without a terminal


def test_no_input_prints_the_report_and_writes_the_documents(runner: CliRunner, demo: Path) -> None:
    for name in ("moniste.docx", "kasikirjoitus.docx", "valitehtava.docx"):
        (demo / "out" / "module-3" / name).unlink()
    result = run(runner, "prepare", "module-3", "--cohort", "demo", "--no-input")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    for text in [
        "1/6 · Yleiskuva – Moduuli 3: Monialaiset työtavat",
        "Arvioidaan Ohjaamossa käytössä olevia monialaisen työn muotoja.",
        "Koordinaattori (1):",
        "2/6 · Edellisestä kerrasta",
        "Edellinen kerta: Moduuli 2: Monialaisena osaajatiiminä toimiminen",
        "Tehkää monialaisen työn muodot näkyviksi",
        "3/6 · Ohjelma",
        "Yhteensä 200 min, 9.00–12.20",
        "4/6 · Materiaalit",
        "Nelikenttäpohjat (A3 tai fläppi)",
        "5/6 · Muistilista",
        "Tehty: 0/8",
        "Sparraus koordinaattorin kanssa pidetty",
        "6/6 · Asiakirjat",
        "out/module-3/kasikirjoitus.docx │ Valmentajan käsikirjoitus",
        "3 asiakirjaa kansiossa out/module-3.",
    ]:
        assert text in out, text
    for clock in PLANNED:
        assert clock in out
    for name in ("moniste.docx", "kasikirjoitus.docx", "valitehtava.docx"):
        assert (demo / "out" / "module-3" / name).is_file()
    assert state(demo) == {}  # a report records no step


def test_without_a_terminal_it_never_asks(runner: CliRunner, demo: Path) -> None:
    """An interactive Environment given --no-input, or none at all: the prompt pipe holds
    only a Ctrl-C, which would stop any prompt with 130."""
    result = type_in(
        runner, ["prepare", "3", "--cohort", "demo", "--no-input", "--no-documents"], ""
    )
    assert result.exit_code == 0, result.output
    assert "5/6 · Muistilista" in result.stdout
    result = runner.invoke(app, ["prepare", "3", "--cohort", "demo", "--no-documents"], input="")
    assert result.exit_code == 0, result.output
    assert "5/6 · Muistilista" in result.stdout


def test_json_report(runner: CliRunner, demo: Path) -> None:
    result = run(runner, "prepare", "module-3", "--cohort", "demo", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["preparation"]["session"] == "module-3"
    assert [row["start"] for row in data["preparation"]["agenda"]][:2] == ["09:00", "09:35"]
    assert data["documents"] == [
        {"path": "out/module-3/moniste.docx", "kind": "handout", "title": "Moduuli 3: Monialaiset työtavat"},
        {"path": "out/module-3/kasikirjoitus.docx", "kind": "runsheet", "title": "Moduuli 3: Monialaiset työtavat"},
        {"path": "out/module-3/valitehtava.docx", "kind": "task-sheet", "title": "Moduuli 3: Monialaiset työtavat"},
    ]  # fmt: skip
    result = run(runner, "prepare", "module-3", "--cohort", "demo", "--json", "--no-documents")
    assert json.loads(result.stdout)["documents"] == []


def test_check_ticks_by_key_number_and_text(runner: CliRunner, demo: Path) -> None:
    result = run(
        runner, "prepare", "module-3", "--cohort", "demo", "--no-documents",
        "--check", "invitation", "--check", "2", "--check", "tila",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert state(demo) == {"module-3": {"done": ["p2", "invitation", "room"]}}
    assert "Tehty: 3/8" in result.stdout
    # --check on a terminal ticks and reports too: it never asks.
    result = type_in(
        runner, ["prepare", "module-3", "--cohort", "demo", "--no-documents", "--check", "p1"], ""
    )
    assert result.exit_code == 0, result.output
    assert state(demo)["module-3"] == {"done": ["p1", "p2", "invitation", "room"]}


def test_check_refuses_an_unknown_item_and_ticks_nothing(runner: CliRunner, demo: Path) -> None:
    result = run(
        runner, "prepare", "module-3", "--cohort", "demo",
        "--check", "p1", "--check", "tulosta",
    )  # fmt: skip
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "'tulosta' sopii useaan muistilistan kohtaan (p2, p4); anna kohdan tunnus tai numero"
    )
    assert lines[1] == "Tapaamisen module-3 muistilista:"
    assert len(lines) == 2 + len(MODULE_3_KEYS)
    assert state(demo) == {}


def test_prepare_an_unknown_session(runner: CliRunner, demo: Path) -> None:
    result = run(runner, "prepare", "module-7", "--cohort", "demo")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert flat(result.stderr).startswith(
        "ohjelmassa osaava-ja-oppiva-ohjaamo ei ole tapaamista 'module-7'; tapaamiset ovat: module-1,"
    )


def test_prepare_needs_a_cohort(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(runner, "prepare", "module-3")
    assert result.exit_code == ExitStatus.NO_COHORT
    assert "no cohort here" in result.stderr


def test_a_document_edited_by_hand_is_refused_until_force(runner: CliRunner, demo: Path) -> None:
    edited = demo / "out" / "module-3" / "kasikirjoitus.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    result = run(runner, "prepare", "module-3", "--cohort", "demo", "--no-input")
    assert result.exit_code == ExitStatus.REFUSED
    assert "pass --force to replace it" in flat(result.stderr)
    result = run(runner, "prepare", "module-3", "--cohort", "demo", "--no-input", "--force")
    assert result.exit_code == 0, result.output
    assert edited.with_name("kasikirjoitus.docx.bak").is_file()


# ---------------------------------------------------------------------------
# At a terminal


def test_the_walk_through(runner: CliRunner, demo: Path) -> None:
    result = type_in(runner, ["prepare", "module-3", "--cohort", "demo"], WALK)

    assert result.exit_code == 0, result.output
    out = result.stdout
    # Each screen once (the agenda again after each change), in order.
    order = ["1/6 · Yleiskuva", "2/6 · Edellisestä kerrasta", "3/6 · Ohjelma", "4/6 · Materiaalit",
             "5/6 · Muistilista", "6/6 · Asiakirjat"]  # fmt: skip
    assert [out.index(title) for title in order] == sorted(out.index(title) for title in order)
    assert out.count("3/6 · Ohjelma") == 3
    assert "Yhteensä 200 min, 9.30–12.50" in out
    assert "Aloitus siirretty tälle ryhmälle: 9.30 (yleensä 9.00)" in out
    assert "Yhteensä 210 min, 9.30–13.00" in out
    assert "│ 2 │ 10.05–10.55 │ 50* │" in out
    assert "Ohjelman muutokset tallennettu tiedostoon cohort.yaml." in out
    assert "Tehty: 2/8" in out
    assert "Vielä tekemättä: 6/8" in out
    assert out.rstrip().endswith(
        "Valmistelu tallennettu. Palaa siihen komennolla: facilitate prepare module-3"
    )
    # Saved: the agenda in cohort.yaml, the ticks and the last step.
    assert load(demo).settings.agenda == {
        "module-3": AgendaChange(start_time=time(9, 30), minutes={2: 50})
    }
    assert state(demo) == {"module-3": {"done": ["p1", "p3"], "step": "documents"}}
    # The documents written at the end show the new times.
    text = runsheet_text(demo)
    for clock in CHANGED:
        assert clock in text
    assert "Työmuotojen arviointi\n50\n" in text
    # ... and so does the schedule.
    result = run(runner, "schedule", "--cohort", "demo")
    assert "9.30–13.00" in result.stdout


def test_ctrl_c_at_the_checklist_saves_nothing_of_it_and_resumes_there(
    runner: CliRunner, demo: Path
) -> None:
    yaml_before = (demo / "cohort.yaml").read_text(encoding="utf-8")
    keys = (
        ENTER + ENTER  # overview, follow-up
        + DOWN + ENTER + CLEAR + "10.00" + ENTER  # start at 10.00
        + ENTER  # the agenda looks right: saved
        + ENTER  # materials
        + SPACE + DOWN + SPACE  # two items ticked, not yet saved
    )  # fmt: skip
    result = type_in(runner, ["prepare", "module-3", "--cohort", "demo"], keys + CTRL_C)

    assert result.exit_code == ExitStatus.INTERRUPTED
    assert result.stderr == "Interrupted; nothing was left half-written.\n"
    assert "Traceback" not in result.output
    # The agenda was confirmed before the Ctrl-C: saved. The checklist was not.
    assert load(demo).settings.agenda == {"module-3": AgendaChange(start_time=time(10, 0))}
    assert (demo / "cohort.yaml").read_text(encoding="utf-8") != yaml_before
    assert state(demo) == {"module-3": {"done": [], "step": "materials"}}

    # The next run shows what is open and offers to go on at the checklist.
    result = type_in(
        runner,
        ["prepare", "module-3", "--cohort", "demo", "--no-documents"],
        ENTER + DOWN + SPACE + ENTER,
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("Vielä tekemättä: 8/8") < out.index("5/6 · Muistilista")
    assert "1/6 · Yleiskuva" not in out and "3/6 · Ohjelma" not in out
    assert state(demo) == {"module-3": {"done": ["p2"], "step": "documents"}}
    assert out.rstrip().endswith("facilitate prepare module-3")


def test_ctrl_c_while_changing_the_agenda_keeps_cohort_yaml(runner: CliRunner, demo: Path) -> None:
    before = (demo / "cohort.yaml").read_bytes()
    keys = ENTER + ENTER + DOWN + ENTER + CLEAR + "10.00" + ENTER  # not yet accepted
    result = type_in(runner, ["prepare", "module-3", "--cohort", "demo"], keys + CTRL_C)
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert "Yhteensä 200 min, 10.00–13.20" in result.stdout
    assert (demo / "cohort.yaml").read_bytes() == before
    assert state(demo) == {"module-3": {"done": [], "step": "follow-up"}}


def test_a_start_time_it_cannot_use_is_asked_again(runner: CliRunner, demo: Path) -> None:
    keys = (
        ENTER + ENTER + DOWN + ENTER
        + CLEAR + "noon" + ENTER  # not a time
        + CLEAR + "22.00" + ENTER  # past midnight
        + CLEAR + "8.15" + ENTER
        + ENTER  # looks right
    )  # fmt: skip
    result = type_in(runner, ["prepare", "module-3", "--cohort", "demo"], keys + CTRL_C)
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert "Yhteensä 200 min, 8.15–11.35" in result.stdout
    assert load(demo).settings.agenda == {"module-3": AgendaChange(start_time=time(8, 15))}


def test_back_to_the_programme_timing(runner: CliRunner, demo: Path) -> None:
    cohort, module = session(demo)
    prepare.save_settings(prepare.with_agenda(cohort, module, time(9, 30), {2: 50}))
    keys = ENTER + ENTER + DOWN + DOWN + DOWN + ENTER + ENTER  # Palauta, then looks right
    result = type_in(runner, ["prepare", "module-3", "--cohort", "demo"], keys + CTRL_C)
    assert result.exit_code == ExitStatus.INTERRUPTED
    assert "Yhteensä 210 min, 9.30–13.00" in result.stdout
    assert result.stdout.rstrip().count("Yhteensä 200 min, 9.00–12.20") == 1
    assert load(demo).settings.agenda == {}
    assert "\nagenda: {}\n" in (demo / "cohort.yaml").read_text(encoding="utf-8")


def test_pause_stops_and_keeps_the_steps_confirmed(runner: CliRunner, demo: Path) -> None:
    result = type_in(runner, ["prepare", "module-3", "--cohort", "demo"], ENTER + DOWN + ENTER)
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith(
        "Tallennettu tähän asti. Jatka komennolla: facilitate prepare module-3"
    )
    assert state(demo) == {"module-3": {"done": [], "step": "overview"}}
    # Resumed at the follow-up; or from the beginning.
    result = type_in(runner, ["prepare", "module-3", "--cohort", "demo"], ENTER + DOWN + ENTER)
    assert "2/6 · Edellisestä kerrasta" in result.stdout
    assert "1/6 · Yleiskuva" not in result.stdout
    result = type_in(
        runner, ["prepare", "module-3", "--cohort", "demo"], DOWN + ENTER + DOWN + ENTER
    )
    assert "1/6 · Yleiskuva" in result.stdout


def test_a_finished_preparation_offers_the_checklist_first(runner: CliRunner, demo: Path) -> None:
    cohort, module = session(demo)
    prepare.save_checklist(cohort, module, ["p1"], step="documents")
    result = type_in(
        runner, ["prepare", "module-3", "--cohort", "demo", "--no-documents"], ENTER + SPACE + ENTER
    )
    assert result.exit_code == 0, result.output
    assert "Vielä tekemättä: 7/8" in result.stdout
    assert "5/6 · Muistilista" in result.stdout and "3/6 · Ohjelma" not in result.stdout
    assert state(demo)["module-3"] == {"done": [], "step": "documents"}  # p1 unticked


# ---------------------------------------------------------------------------
# The installed program in a pseudo-terminal


def test_the_installed_program_in_a_terminal(demo: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    program = Path(sys.executable).parent / "facilitate"
    assert program.is_file(), program
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")},
        "TERM": "xterm",
        "COLUMNS": "100",
        "LINES": "40",
        "NO_COLOR": "1",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    started = clock_time.monotonic()
    try:
        child = pexpect.spawn(
            str(program), ["prepare", "module-3"], cwd=str(demo), env=env,
            encoding="utf-8", timeout=30, dimensions=(40, 100),
        )  # fmt: skip
    except (OSError, pexpect.ExceptionPexpect) as exc:  # pragma: no cover
        pytest.skip(f"cannot spawn in a pseudo-terminal: {exc}")
    try:
        child.expect("1/6 · Yleiskuva")
        child.expect("Jatketaanko")
        child.send(ENTER)
        child.expect("2/6 · Edellisestä kerrasta")
        child.expect("Jatketaanko")
        child.send(ENTER)
        child.expect("Näyttääkö ohjelma hyvältä")
        child.send(DOWN + ENTER)
        child.expect("Uusi aloitusaika")
        child.send(CLEAR + "9.30" + ENTER)
        child.expect("Yhteensä 200 min, 9.30–12.50")
        child.expect("Näyttääkö ohjelma hyvältä")
        child.send(ENTER)
        child.expect("Ohjelman muutokset tallennettu")
        child.expect("Jatketaanko")
        child.send(ENTER)
        child.expect("Mitä on jo tehty")
        child.send(SPACE + ENTER)
        child.expect("Tehty: 1/8")
        child.expect("3 asiakirjaa kansiossa out/module-3")
        child.expect("Valmistelu tallennettu")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    assert clock_time.monotonic() - started < 60
    assert load(demo).settings.agenda == {"module-3": AgendaChange(start_time=time(9, 30))}
    assert state(demo) == {"module-3": {"done": ["p1"], "step": "documents"}}
    assert "9.30–10.05" in runsheet_text(demo)


def test_the_prompt_helpers_read_typed_keys() -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from facilitate import prompts

    def even(text: str) -> str | None:
        return None if text.isdigit() and int(text) % 2 == 0 else "an even number"

    with create_pipe_input() as pipe:
        pipe.send_text(
            DOWN + ENTER  # select: the second
            + "n"  # confirm: no
            + DOWN + SPACE + ENTER  # checkbox: the first (ticked already) and the second
            + "3" + ENTER + CLEAR + "4" + ENTER  # text: 3 is refused, 4 is taken
            + CTRL_C
        )  # fmt: skip
        io = {"input": pipe, "output": DummyOutput()}
        assert prompts.select("?", [("a", "A"), ("b", "B")], **io) == "b"
        assert prompts.confirm("?", **io) is False
        assert prompts.checkbox("?", [("x", "X", True), ("y", "Y", False)], **io) == ["x", "y"]
        assert prompts.text("?", validate=even, **io) == "4"
        with pytest.raises(KeyboardInterrupt):
            prompts.select("?", [("a", "A")], **io)


@pytest.mark.parametrize(
    ("lang", "titles"),
    [
        ("en", ["1/6 · Overview", "2/6 · Since last time", "3/6 · Agenda", "5/6 · Checklist"]),
        ("sv", ["1/6 · Översikt", "2/6 · Sedan förra gången", "3/6 · Program", "5/6 · Checklista"]),
        ("nb", ["1/6 · Oversikt", "2/6 · Siden sist", "3/6 · Program", "5/6 · Sjekkliste"]),
    ],
)
def test_the_report_in_the_cohort_language(
    runner: CliRunner, demo: Path, lang: str, titles: list[str]
) -> None:
    path = demo / "cohort.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("language: fi ", f"language: {lang} "),
        encoding="utf-8",
    )
    result = run(runner, "prepare", "3", "--cohort", "demo", "--no-input", "--no-documents")
    assert result.exit_code == 0, result.output
    for title in titles:
        assert title in result.stdout
    # Clock times as the language writes them in Finland, the demo's country.
    assert ("9.00–9.35" if lang == "sv" else "09:00–09:35") in result.stdout


def test_the_installed_program_with_stdin_closed_never_waits(demo: Path) -> None:
    """`facilitate prepare module-3 <&-`: no terminal, no stdin at all; the report and the
    documents, and an exit well before the timeout."""
    import subprocess

    if os.name != "posix":  # pragma: no cover
        pytest.skip("closing stdin with <&- needs a POSIX shell")
    program = Path(sys.executable).parent / "facilitate"
    for name in ("moniste.docx", "kasikirjoitus.docx", "valitehtava.docx"):
        (demo / "out" / "module-3" / name).unlink()
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" prepare module-3 <&-', str(program)],
        cwd=demo,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Yhteensä 200 min, 9.00–12.20" in result.stdout
    assert "3 asiakirjaa kansiossa out/module-3." in result.stdout
    assert (demo / "out" / "module-3" / "kasikirjoitus.docx").is_file()


def test_no_stdin_is_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert Environment().interactive is False
