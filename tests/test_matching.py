"""The matching engine: eligibility in words, the optimum, the hard constraints, pins and
forbids, the reasons for the unmatched, and the same pairs every time."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate import library, matching
from facilitate.cohort import MatchingSettings, PairNames, Settings, settings_yaml
from facilitate.errors import InputError
from facilitate.participants import Participant
from facilitate.programme import Programme
from facilitate.yamlfile import parse_yaml

# Only shared themes count, so that the expected scores are easy to check by hand.
THEMES_ONLY = {"themes": 1.0, "format": 0.0, "location": 0.0, "experience_gap": 0.0}


@pytest.fixture(scope="module")
def programme() -> Programme:
    return library.find("mentorsprogram-vasternorrland", None)[1]


def adept(name: str, org: str = "Region", months: float = 12, **kw: object) -> Participant:
    return Participant(name, None, org, "adept", {"months_as_manager": months}, **kw)  # type: ignore[arg-type]


def mentor(name: str, org: str = "Kommun", years: float = 8, **kw: object) -> Participant:
    return Participant(name, None, org, "mentor", {"years_as_manager": years}, **kw)  # type: ignore[arg-type]


def pairs_of(result: matching.Result) -> set[tuple[str, str]]:
    return {(p.adept, p.mentor) for p in result.pairs}


# ---------------------------------------------------------------------------
# Eligibility


def test_eligibility_sentences_name_the_value_and_the_rule(programme: Programme) -> None:
    people = [
        adept("Anna Berg", months=4),
        adept("Bo Ek", months=6),  # exactly the least: eligible
        mentor("Cecilia Dahl", years=2),
        mentor("David Ek", years=1),
        Participant("Eva Fors", None, "Region", "mentor", {}),
        Participant("Gun Holm", None, "Region", "coordinator", {}),  # not an applicant
    ]
    en = matching.check(programme, people, "en")
    assert [(i.name, i.role, i.reasons) for i in en] == [
        (
            "Anna Berg",
            "adept",
            ("4 months as a manager with staff, the programme asks for at least 6",),
        ),
        (
            "Cecilia Dahl",
            "mentor",
            ("2 years as a manager with staff, the programme asks for at least 3",),
        ),
        (
            "David Ek",
            "mentor",
            ("1 year as a manager with staff, the programme asks for at least 3",),
        ),
        ("Eva Fors", "mentor", ("the application does not give years as a manager with staff",)),
    ]
    sv = matching.check(programme, [adept("Anna Berg", months=4.5)], "sv")
    assert sv[0].reasons == ("4,5 månader som chef över medarbetare, programmet kräver minst 6",)


def test_every_failed_rule_is_a_reason() -> None:
    _, staff = library.find("mentorskap-for-medarbetare", None)
    person = Participant(
        "Anna Berg",
        None,
        "Skatteverket",
        "adept",
        {"years_working_life": 3, "years_state_administration": 1},
    )
    (found,) = matching.check(staff, [person], "en")
    assert found.reasons == (
        "3 years of working life in a qualified role, the programme asks for at least 5",
        "1 year in state administration, the programme asks for at least 2",
    )


# ---------------------------------------------------------------------------
# The optimum


def test_the_optimum_where_greedy_would_be_wrong(programme: Programme) -> None:
    # Anna: Maja 1.0, Nils 0.5. Britt: Maja 1.0, Nils 0. Greedy (Anna first) gives
    # Anna–Maja and Britt–Nils, total 1.0; the optimum is Anna–Nils + Britt–Maja = 1.5.
    people = [
        adept("Anna", themes=(0, 1)),
        adept("Britt", themes=(1,)),
        mentor("Maja", themes=(0, 1)),
        mentor("Nils", themes=(0,)),
    ]
    result = matching.match(programme, people, "en", weights=THEMES_ONLY)
    assert pairs_of(result) == {("Anna", "Nils"), ("Britt", "Maja")}
    assert sum(p.score for p in result.pairs) == pytest.approx(1.5)
    anna = next(p for p in result.pairs if p.adept == "Anna")
    assert anna.parts["themes"] == 0.5
    assert anna.shared_themes == (0,)
    assert anna.reasons[0] == "1 shared theme: Being new in the manager role"


def test_three_by_three_against_every_assignment(programme: Programme) -> None:
    """A 3x3 case checked against all six assignments, scores from every criterion."""
    people = [
        adept("A1", themes=(0, 1, 2), format="on-site", location="Sundsvall", months=24),
        adept("A2", themes=(3,), format="online", location="Härnösand", months=8),
        adept("A3", themes=(2, 4), location="Kramfors", months=60),
        mentor("M1", themes=(0, 1), format="on-site", location="Sundsvall", years=4, org="K1"),
        mentor("M2", themes=(3, 4), format="on-site", location="Härnösand", years=20, org="K2"),
        mentor("M3", themes=(2,), format="either", location="Kramfors", years=10, org="K3"),
    ]
    result = matching.match(programme, people, "en")

    # Weights themes 3, experience_gap 2, format 1, location 1; gap = clip(years / 5, 0, 1).
    def score(a: Participant, m: Participant) -> float:
        shared = len(set(a.themes) & set(m.themes)) / len(a.themes)
        fits = a.format is None or m.format in (None, "either") or a.format == m.format
        gap = min(
            max((m.fields["years_as_manager"] - a.fields["months_as_manager"] / 12) / 5, 0), 1
        )
        return 3 * shared + 2 * gap + fits + (a.location == m.location)

    adepts, mentors = people[:3], people[3:]
    best = max(
        itertools.permutations(mentors),
        key=lambda order: sum(score(a, m) for a, m in zip(adepts, order, strict=True)),
    )
    assert pairs_of(result) == {(a.name, m.name) for a, m in zip(adepts, best, strict=True)}
    for pair in result.pairs:
        a = next(p for p in adepts if p.name == pair.adept)
        m = next(p for p in mentors if p.name == pair.mentor)
        assert pair.score == pytest.approx(score(a, m), abs=1e-3)


def test_reasons_in_words(programme: Programme) -> None:
    people = [
        adept("Anna", themes=(0, 1), format="on-site", location="Sundsvall", months=12),
        mentor("Maja", themes=(0, 1, 2), format="on-site", location=" sundsvall", years=10),
    ]
    (pair,) = matching.match(programme, people, "en").pairs
    assert pair.reasons == (
        "2 shared themes: Being new in the manager role and Leading people and teams",
        "both prefer to meet on site",
        "both in Sundsvall",
        "the mentor has 9 more years of experience",
    )
    assert pair.parts == {"themes": 1.0, "format": 1.0, "location": 1.0, "experience_gap": 1.0}
    assert pair.score == 7.0
    people = [
        adept("Anna", themes=(3,), format="on-site", location="Sundsvall", months=30),
        mentor("Maja", themes=(0,), format="online", location="Härnösand", years=3),
    ]
    (pair,) = matching.match(programme, people, "sv").pairs
    assert pair.reasons == (
        "inget gemensamt tema",
        "olika önskemål om form (adept: på plats, mentor: på distans)",
        "på olika orter (Sundsvall och Härnösand)",
        "mentorn har något längre erfarenhet (under ett år)",
    )
    assert pair.score == pytest.approx(2 * 0.5 / 5)


# ---------------------------------------------------------------------------
# Hard constraints and the unmatched


def test_never_a_mentor_from_the_adepts_organisation(programme: Programme) -> None:
    people = [
        adept("Anna", org="Region", themes=(0,)),
        mentor("Maja", org="Region", themes=(0,)),  # the perfect mentor, but same organisation
        mentor("Nils", org="Kommun", themes=(4,)),
    ]
    result = matching.match(programme, people, "en")
    assert pairs_of(result) == {("Anna", "Nils")}
    assert result.unmatched == [matching.Unmatched("Maja", "mentor", "every adept has a mentor", 1)]


def test_organisations_compare_as_people_read_them(programme: Programme) -> None:
    people = [
        adept("Anna", org="Region  Västernorrland"),
        mentor("Maja", org="region västernorrland"),
    ]
    result = matching.match(programme, people, "en")
    assert result.pairs == []
    assert result.unmatched[0].reason == (
        "every eligible mentor is from Region  Västernorrland, the adept's own organisation"
    )


def test_capacity_and_more_adepts_than_places(programme: Programme) -> None:
    people = [
        adept("Anna", org="A", themes=(0,)),
        adept("Britt", org="B", themes=(0,)),
        adept("Cilla", org="C", themes=(1,)),
        adept("Dora", org="D", themes=(1,)),
        mentor("Maja", org="M", themes=(0,), capacity=2),
        mentor("Nils", org="N", themes=(1,)),
    ]
    result = matching.match(programme, people, "en", weights=THEMES_ONLY)
    assert len(result.pairs) == 3
    assert sum(p.mentor == "Maja" for p in result.pairs) == 2
    (left,) = [u for u in result.unmatched if u.role == "adept"]
    assert left.name in ("Cilla", "Dora")
    assert left.reason == (
        "the mentors who could take this adept (Maja and Nils) have no place left; "
        "more adepts than mentor places (4 adepts, 3 places)"
    )


def test_unmatched_reasons(programme: Programme) -> None:
    people = [
        adept("Anna", org="Region"),
        adept("Britt", org="Kommun"),
        mentor("Maja", org="Region"),
        mentor("Nils", org="Region"),
        mentor("Olle", org="FK"),
    ]
    result = matching.match(programme, people, "en", forbids=[("Britt", "Olle")])
    assert pairs_of(result) == {("Anna", "Olle"), ("Britt", "Maja")} or pairs_of(result) == {
        ("Anna", "Olle"),
        ("Britt", "Nils"),
    }
    assert [u.role for u in result.unmatched] == ["mentor"]
    assert result.unmatched[0].reason == "every adept has a mentor"

    alone = [adept("Anna", org="Region"), mentor("Olle", org="FK")]
    result = matching.match(programme, alone, "en", forbids=[("Anna", "Olle")])
    assert result.unmatched == [
        matching.Unmatched(
            "Anna",
            "adept",
            "every mentor from another organisation is forbidden for this adept in cohort.yaml",
        ),
        matching.Unmatched(
            "Olle",
            "mentor",
            "the adepts left are from the mentor's own organisation or forbidden with this mentor",
            1,
        ),
    ]
    nobody = matching.match(programme, [adept("Anna"), mentor("Olle", years=1)], "en")
    assert nobody.unmatched == [matching.Unmatched("Anna", "adept", "no eligible mentor applied")]
    assert [i.name for i in nobody.ineligible] == ["Olle"]


def test_a_mentor_whose_places_only_own_organisation_could_fill(programme: Programme) -> None:
    people = [
        adept("Anna", org="Region"),
        adept("Britt", org="Region"),
        mentor("Maja", org="Kommun"),
        mentor("Nils", org="Region"),
    ]
    result = matching.match(programme, people, "en")
    assert len(result.pairs) == 1
    nils = next(u for u in result.unmatched if u.name == "Nils")
    assert nils.reason == "the adepts left are from Region, the mentor's own organisation"
    assert nils.places == 1


# ---------------------------------------------------------------------------
# Pins and forbids


def test_pins_are_kept_and_forbids_honoured(programme: Programme) -> None:
    people = [
        adept("Anna", themes=(0,), org="A"),
        adept("Britt", themes=(1,), org="B"),
        mentor("Maja", themes=(0,), org="M"),
        mentor("Nils", themes=(1,), org="N"),
    ]
    free = matching.match(programme, people, "en", weights=THEMES_ONLY)
    assert pairs_of(free) == {("Anna", "Maja"), ("Britt", "Nils")}
    pinned = matching.match(programme, people, "en", weights=THEMES_ONLY, pins=[("anna", "NILS")])
    assert pairs_of(pinned) == {("Anna", "Nils"), ("Britt", "Maja")}
    anna = next(p for p in pinned.pairs if p.adept == "Anna")
    assert anna.pinned and anna.reasons[0] == "pinned by the coordinator"
    forbidden = matching.match(
        programme, people, "en", weights=THEMES_ONLY, forbids=[("Anna", "Maja")]
    )
    assert pairs_of(forbidden) == {("Anna", "Nils"), ("Britt", "Maja")}


@pytest.mark.parametrize(
    ("pins", "forbids", "message"),
    [
        (
            [("Anna", "Maija")],
            [],
            "matching pin Anna – Maija: no mentor named 'Maija' (did you mean 'Maja'?)",
        ),
        ([("Anna", "Olle")], [], "Olle is not eligible"),
        ([("Maja", "Anna")], [], "Maja applied as mentor, not adept"),
        (
            [("Britt", "Nils")],
            [],
            "both are from Region, and the programme pairs across organisations",
        ),
        ([("Anna", "Maja")], [("Anna", "Maja")], "the pair is both pinned and forbidden"),
        ([("Anna", "Maja"), ("Anna", "Nils")], [], "Anna is pinned to more than one mentor"),
        (
            [("Anna", "Maja"), ("Cilla", "Maja")],
            [],
            "Maja takes 1 adept(s), and more are pinned to them",
        ),
        ([], [("Anna", "Nobody")], "matching forbid Anna – Nobody: no mentor named 'Nobody'"),
    ],
)
def test_pins_the_rules_do_not_allow_are_refused(
    programme: Programme, pins: list[tuple[str, str]], forbids: list[tuple[str, str]], message: str
) -> None:
    people = [
        adept("Anna", org="A"),
        adept("Britt", org="Region"),
        adept("Cilla", org="C"),
        mentor("Maja", org="M"),
        mentor("Nils", org="Region"),
        mentor("Olle", org="O", years=1),
    ]
    with pytest.raises(InputError) as caught:
        matching.match(programme, people, "en", pins=pins, forbids=forbids, source="x/cohort.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("x/cohort.yaml: matching ")


# ---------------------------------------------------------------------------
# The same input, the same pairs


def test_the_same_pairs_in_any_order_of_the_list(programme: Programme) -> None:
    rng = random.Random(3)
    people = [
        adept(
            f"Adept {i:02d}",
            org=f"O{rng.randrange(4)}",
            themes=(rng.randrange(5),),
            months=rng.randint(6, 40),
        )
        for i in range(20)
    ] + [
        mentor(
            f"Mentor {i:02d}",
            org=f"O{rng.randrange(4)}",
            themes=(rng.randrange(5),),
            years=rng.randint(3, 20),
        )
        for i in range(15)
    ]
    first = matching.match(programme, people, "en")
    for seed in range(3):
        shuffled = people[:]
        random.Random(seed).shuffle(shuffled)
        again = matching.match(programme, shuffled, "en")
        assert again.to_json() == first.to_json()


# ---------------------------------------------------------------------------
# Properties over random applicant sets

ORGS = ("A", "B", "C")


@st.composite
def applicant_sets(draw: st.DrawFn) -> list[Participant]:
    count = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    people: list[Participant] = []
    for role, n in zip(("adept", "mentor"), count, strict=True):
        for i in range(n):
            themes = tuple(sorted(draw(st.sets(st.integers(0, 4), max_size=3))))
            common = {
                "org": draw(st.sampled_from(ORGS)),
                "themes": themes,
                "format": draw(st.sampled_from((None, "on-site", "online", "either"))),
                "location": draw(st.sampled_from((None, "Sundsvall", "Härnösand"))),
            }
            if role == "adept":
                people.append(
                    adept(f"A{i}", months=draw(st.sampled_from((3, 6, 20, 50))), **common)
                )
            else:
                people.append(
                    mentor(
                        f"M{i}",
                        years=draw(st.sampled_from((1, 3, 9))),
                        capacity=draw(st.sampled_from((None, 1, 2))),
                        **common,
                    )
                )
    return people


def _best_possible(people: list[Participant], programme: Programme) -> tuple[int, float]:
    """The most pairs the constraints allow, and the highest total score among those,
    by trying every assignment."""
    out = {i.name for i in matching.check(programme, people, "en")}
    adepts = [p for p in people if p.role == "adept" and p.name not in out]
    slots = [
        m
        for m in people
        if m.role == "mentor" and m.name not in out
        for _ in range(m.capacity or 1)
    ]

    def pair_score(a: Participant, m: Participant) -> float | None:
        """A pair's score, from a matching of the two alone; None: not allowed."""
        if a.organisation == m.organisation:
            return None
        return matching.match(programme, [a, m], "en").pairs[0].score

    scores = {(a.name, m.name): pair_score(a, m) for a in adepts for m in slots}
    best = (0, 0.0)
    k = min(len(adepts), len(slots))
    for chosen in itertools.permutations(range(len(slots)), k):
        for rows in itertools.combinations(range(len(adepts)), k):
            got = [
                scores[(adepts[r].name, slots[c].name)] for r, c in zip(rows, chosen, strict=True)
            ]
            allowed = [s for s in got if s is not None]
            value = (len(allowed), round(sum(allowed), 6))
            best = max(best, value)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicant_sets())
def test_constraints_hold_and_the_matching_is_optimal(people: list[Participant]) -> None:
    constraints_hold_and_optimal(people)


@pytest.mark.fuzz
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applicant_sets())
def test_constraints_hold_and_the_matching_is_optimal_long(people: list[Participant]) -> None:
    constraints_hold_and_optimal(people)


def constraints_hold_and_optimal(people: list[Participant]) -> None:
    programme = library.find("mentorsprogram-vasternorrland", None)[1]
    result = matching.match(programme, people, "en")
    by_name = {p.name: p for p in people}
    taken: dict[str, int] = {}
    for pair in result.pairs:
        a, m = by_name[pair.adept], by_name[pair.mentor]
        assert a.organisation != m.organisation
        taken[m.name] = taken.get(m.name, 0) + 1
        assert taken[m.name] <= (m.capacity or 1)
    assert len({p.adept for p in result.pairs}) == len(result.pairs)
    ineligible = {i.name for i in result.ineligible}
    assert not ineligible & ({p.adept for p in result.pairs} | set(taken))
    # Every eligible adept is paired or listed with a reason.
    adepts = {p.name for p in people if p.role == "adept"} - ineligible
    assert adepts == {p.adept for p in result.pairs} | {
        u.name for u in result.unmatched if u.role == "adept"
    }
    most, total = _best_possible(people, programme)
    assert len(result.pairs) == most
    assert round(sum(p.score for p in result.pairs), 3) == pytest.approx(round(total, 3), abs=1e-3)


# ---------------------------------------------------------------------------
# The coordinator's settings in cohort.yaml


def test_matching_settings_round_trip_through_cohort_yaml() -> None:
    settings = Settings(
        id="x",
        programme="mentorsprogram-vasternorrland",
        organisation="Myndighetsnätverket",
        language="sv",
        delivery="on-site",
        first_date="2027-09-01",  # type: ignore[arg-type]
        matching=MatchingSettings(
            weights={"themes": 4, "location": 0.5},
            pin=[PairNames(adept="Anna Berg", mentor='Per "P" Ek')],
            forbid=[PairNames(adept="Britt", mentor="Olle")],
        ),
    )
    text = settings_yaml(settings)
    assert '  pin:\n    - {adept: "Anna Berg", mentor: "Per \\"P\\" Ek"}' in text
    again = Settings.model_validate(parse_yaml(text, "cohort.yaml").data)
    assert again.matching == settings.matching


def test_run_reads_the_list_and_the_pins(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from facilitate import cohort as cohorts
    from facilitate.cli import app

    folder = tmp_path / "c"
    result = CliRunner().invoke(
        app,
        [
            "init",
            "mentorsprogram-vasternorrland",
            str(folder),
            "--no-input",
            "--organisation",
            "Nätverket",
            "--first-date",
            "2027-09-06",
        ],
    )
    assert result.exit_code == 0, result.output
    text = (folder / "cohort.yaml").read_text(encoding="utf-8")
    assert "matching:\n  weights: {}\n  pin: []\n  forbid: []\n" in text
    assert cohorts.load(folder).settings.matching == MatchingSettings()
    people = [adept("Anna Berg"), mentor("Maja Lind"), mentor("Nils Ek", org="Skolan")]
    write_list(folder / "participants.xlsx", people)
    text = text.replace("  pin: []", "  pin:\n    - {adept: anna berg, mentor: Nils Ek}")
    (folder / "cohort.yaml").write_text(text, encoding="utf-8")
    cohort = cohorts.load(folder)
    result = matching.run(cohort, matching.applicants(cohort))
    assert pairs_of(result) == {("Anna Berg", "Nils Ek")}
    assert result.pairs[0].pinned
    text = text.replace("mentor: Nils Ek}", "mentor: Nils Eck}")
    (folder / "cohort.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(
        InputError, match="no mentor named 'Nils Eck' \\(did you mean 'Nils Ek'\\?\\)"
    ):
        cohort = cohorts.load(folder)
        matching.run(cohort, matching.applicants(cohort))


def write_list(path: Path, people: list[Participant]) -> None:
    """A participant list as a coordinator saves it: name, email, organisation, role and
    the eligibility numbers."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Organisation", "Role", "months_as_manager", "years_as_manager"])
    for p in people:
        sheet.append(
            [
                p.name,
                None,
                p.organisation,
                p.role,
                p.fields.get("months_as_manager"),
                p.fields.get("years_as_manager"),
            ]
        )
    book.save(path)
