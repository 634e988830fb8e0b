"""Mentoring: who is eligible, and pairing adepts with mentors across organisations.

The applicants are the cohort's participant list (or an application workbook of the same
columns): role mentor or adept, organisation, the numbers the programme's eligibility
rules use, themes, preferred format, location and a mentor's capacity.

Hard constraints: eligibility, a mentor never from the adept's organisation (when the
programme says so), each mentor's capacity, pairs the coordinator forbade. Pairs the
coordinator pinned are kept. Among what is left the assignment first pairs as many adepts
as the constraints allow, then maximises the total score, with
`scipy.optimize.linear_sum_assignment` over adepts x mentor places (a mentor repeated once
per place). The score of a pair is the weighted sum of four criteria, each from 0 to 1:

- themes: the share of the adept's wanted themes the mentor offers (0 when the adept
  ticked none);
- format: 1 when their preferred formats fit: the same, or either of them says "either"
  or nothing (no preference fits any);
- location: 1 when both give the same town (case and spacing ignored), else 0;
- experience_gap: how much longer the mentor has done the work, clip(gap / 5 years, 0, 1).
  Experience is the eligibility field both roles' rules use (years in state
  administration in the employee programme) or, when they share none, each role's first
  field (months as a manager for adepts, years as a manager for mentors), in years.

Weights come from the programme (`matching.weights`), overridden per criterion by the
cohort (`matching: weights:` in cohort.yaml); a criterion given no weight counts 1.
Applicants are sorted by name first, so the same applicants, pins and forbids always give
the same pairs, in whatever order the list has them.

The result is kept in `.facilitate/matching.json` for the letters, the pair calendars and
the pair meeting logs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cohort import COHORT_FILE, Cohort
from .errors import InputError
from .formatting import join, number
from .i18n import t

if TYPE_CHECKING:
    import numpy as np

    from .participants import Participant
    from .programme import Programme, Rule

MATCHING_FILE = "matching.json"
ADEPT = "adept"
MENTOR = "mentor"
CRITERIA = ("themes", "format", "location", "experience_gap")
# Years of extra experience that earn a mentor the full experience score.
FULL_GAP_YEARS = 5.0


@dataclass(frozen=True)
class Ineligible:
    """An applicant the programme's rules leave out, and every reason in words."""

    name: str
    role: str
    organisation: str | None
    reasons: tuple[str, ...]  # "4 months as a manager, the programme asks for at least 6"


@dataclass(frozen=True)
class Pair:
    adept: str  # participant names, as in the participant list
    mentor: str
    score: float  # the weighted total
    parts: dict[str, float] = field(default_factory=dict)  # criterion -> 0..1, unweighted
    shared_themes: tuple[int, ...] = ()  # indexes into programme.themes
    reasons: tuple[
        str, ...
    ] = ()  # in the cohort language: "2 shared themes: ...", "both in Sundsvall"
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    name: str
    role: str  # adept, or mentor with places left
    reason: str  # in the cohort language
    places: int = 0  # a mentor: places left unused


@dataclass
class Result:
    pairs: list[Pair]
    unmatched: list[Unmatched]  # adepts left without a mentor, mentors with places left
    ineligible: list[Ineligible]

    def to_json(self) -> dict[str, Any]:
        return {
            "pairs": [asdict(p) for p in self.pairs],
            "unmatched": [asdict(u) for u in self.unmatched],
            "ineligible": [asdict(i) for i in self.ineligible],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        def pair(item: dict[str, Any]) -> Pair:
            item = dict(item)
            item["shared_themes"] = tuple(item.get("shared_themes", ()))
            item["reasons"] = tuple(item.get("reasons", ()))
            return Pair(**item)

        def ineligible(item: dict[str, Any]) -> Ineligible:
            item = dict(item)
            item["reasons"] = tuple(item.get("reasons", ()))
            return Ineligible(**item)

        return cls(
            pairs=[pair(p) for p in data.get("pairs", [])],
            unmatched=[Unmatched(**u) for u in data.get("unmatched", [])],
            ineligible=[ineligible(i) for i in data.get("ineligible", [])],
        )


def store_path(cohort: Cohort) -> Path:
    return cohort.state / MATCHING_FILE


def save(cohort: Cohort, result: Result) -> Path:
    """Keep the result of the last `facilitate match` (atomically)."""
    from .output import write_atomic

    text = json.dumps(result.to_json(), ensure_ascii=False, indent=1)
    return write_atomic(store_path(cohort), text + "\n")


def load(cohort: Cohort) -> Result | None:
    """The pairs of the last `facilitate match`; None before the first."""
    path = store_path(cohort)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Result.from_json(data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InputError(
            f"{path} is damaged ({exc}); run `facilitate match` again to make it anew"
        ) from None


def stored_pairs(cohort: Cohort, made: str, one: str) -> list[Pair]:
    """The pairs of the last `facilitate match`, for what is made per pair: an InputError
    before a match, or when it paired nobody. `made`: "the pair calendars are"; `one`:
    "a calendar"."""
    result = load(cohort)
    if result is None:
        raise InputError(
            f"there are no pairs yet: run `facilitate match` first; {made} made for the "
            "pairs it finds"
        )
    if not result.pairs:
        raise InputError(
            f"the last `facilitate match` paired nobody, so there is no pair to make {one} "
            "for; see `facilitate match` for why"
        )
    return result.pairs


# ---------------------------------------------------------------------------
# Eligibility


def _key(name: str) -> str:
    """Names compared the way a person reads them: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def _shortfall(
    programme: Programme, person: Participant, rule: Rule, phrases: _Phrases
) -> str | None:
    """Why `person` fails `rule` in words, or None when they meet it."""
    if rule.field is None or rule.at_least is None:
        return None  # other_organisation: a constraint between pairs, not on a person
    value = person.fields.get(rule.field)
    if value is not None and value >= rule.at_least:
        return None
    lang = phrases.lang
    label = programme.text(rule.label, lang) or rule.field
    if value is None:
        what = f"{t(lang, f'participant.{rule.unit}').lower()} {label}" if rule.unit else label
        return t(lang, "matching.missing", what=what)
    given = phrases.number(value)
    if rule.unit:  # '4 months', '1 year', '2,5 år'
        given += " " + t(lang, f"unit.{rule.unit[:-1] if value == 1 else rule.unit}")
    least = phrases.number(rule.at_least)
    return t(lang, "matching.too_little", given=given, label=label, least=least)


def check(programme: Programme, people: Iterable[Participant], lang: str) -> list[Ineligible]:
    """Every mentor and adept the programme's rules leave out, with each reason, by name.

    A field missing from the application is a reason too. Other roles are not applicants."""
    return _ineligible(programme, _sorted(people), lang)


def _sorted(people: Iterable[Participant]) -> list[tuple[str, Participant]]:
    """People by name (case and spacing ignored), each with that key: the one order every
    run uses, whatever the order of the list."""
    keyed = [(_key(p.name), p) for p in people]
    keyed.sort(key=lambda kp: (kp[0], kp[1].name, kp[1].row))
    return keyed


def _ineligible(
    programme: Programme, keyed: list[tuple[str, Participant]], lang: str
) -> list[Ineligible]:
    rules = {
        role: [r for r in programme.eligibility if r.role == role and r.field]
        for role in (ADEPT, MENTOR)
    }
    phrases = _Phrases(programme, lang)
    out: list[Ineligible] = []
    for _, person in keyed:
        reasons = [
            reason
            for rule in rules.get(person.role, ())
            if (reason := _shortfall(programme, person, rule, phrases)) is not None
        ]
        if reasons:
            out.append(Ineligible(person.name, person.role, person.organisation, tuple(reasons)))
    return out


# ---------------------------------------------------------------------------
# The coordinator's pins and forbids


@dataclass(frozen=True)
class _Applicants:
    """The eligible adepts and mentors, sorted, and everyone by name key."""

    adepts: list[Participant]
    mentors: list[Participant]
    capacity: list[int]  # per mentor
    everyone: dict[str, Participant]
    index: dict[str, int]  # an eligible adept's or mentor's place in its list

    @classmethod
    def of(cls, keyed: list[tuple[str, Participant]], left_out: set[str]) -> _Applicants:
        adepts: list[Participant] = []
        mentors: list[Participant] = []
        index: dict[str, int] = {}
        for key, person in keyed:
            if key in left_out or person.role not in (ADEPT, MENTOR):
                continue
            group = adepts if person.role == ADEPT else mentors
            index[key] = len(group)
            group.append(person)
        capacity = [max(p.capacity or 1, 1) for p in mentors]
        return cls(adepts, mentors, capacity, dict(keyed), index)


def _pair_indexes(
    pairs: Sequence[tuple[str, str]],
    what: str,
    applicants: _Applicants,
    source: str,
) -> list[tuple[int, int]]:
    """(adept, mentor) names as indexes; an unknown or ineligible name is an InputError."""
    out: list[tuple[int, int]] = []
    problems: list[str] = []
    for adept, mentor in pairs:
        where = f"{source}: matching {what} {adept} – {mentor}"
        found = []
        for name, role in ((adept, ADEPT), (mentor, MENTOR)):
            person = applicants.everyone.get(_key(name))
            if person is not None and person.role == role and _key(name) in applicants.index:
                found.append(applicants.index[_key(name)])
                continue
            if person is None:
                names = [p.name for p in applicants.everyone.values() if p.role == role]
                from .programme import did_you_mean

                problems.append(f"{where}: no {role} named '{name}'{did_you_mean(name, names)}")
            elif person.role != role:
                problems.append(f"{where}: {person.name} applied as {person.role}, not {role}")
            else:
                problems.append(f"{where}: {person.name} is not eligible")
        if len(found) == 2:
            out.append((found[0], found[1]))
    if problems:
        raise InputError("\n".join(problems))
    return out


def _check_pins(
    pins: list[tuple[int, int]],
    forbids: list[tuple[int, int]],
    applicants: _Applicants,
    across: bool,
    source: str,
) -> None:
    """Pins the rules allow: other organisation, within capacity, an adept pinned once,
    and not forbidden too."""
    problems: list[str] = []
    taken: dict[int, int] = {}
    seen: set[int] = set()
    for a, m in pins:
        adept, mentor = applicants.adepts[a], applicants.mentors[m]
        where = f"{source}: matching pin {adept.name} – {mentor.name}"
        if a in seen:
            problems.append(f"{where}: {adept.name} is pinned to more than one mentor")
        seen.add(a)
        if across and _same_organisation(adept, mentor):
            problems.append(
                f"{where}: both are from {adept.organisation}, and the programme pairs across organisations"
            )
        if (a, m) in forbids:
            problems.append(f"{where}: the pair is both pinned and forbidden")
        taken[m] = taken.get(m, 0) + 1
        if taken[m] == applicants.capacity[m] + 1:
            problems.append(
                f"{where}: {mentor.name} takes {applicants.capacity[m]} adept(s), "
                f"and more are pinned to them"
            )
    if problems:
        raise InputError("\n".join(problems))


def _same_organisation(a: Participant, b: Participant) -> bool:
    return bool(a.organisation and b.organisation) and _key(a.organisation or "") == _key(
        b.organisation or ""
    )


# ---------------------------------------------------------------------------
# Scores


def _weights(programme: Programme, override: Mapping[str, float] | None) -> dict[str, float]:
    """The cohort's weight, else the programme's, else 1, per criterion."""
    given = {str(k): v for k, v in programme.matching.weights.items()} if programme.matching else {}
    given.update(override or {})
    return {c: float(given.get(c, 1.0)) for c in CRITERIA}


def _experience_fields(programme: Programme) -> dict[str, Rule | None]:
    """The rule whose field measures each role's experience (see the module docstring)."""
    rules = {
        role: [r for r in programme.eligibility if r.role == role and r.field and r.unit]
        for role in (ADEPT, MENTOR)
    }
    mentor_fields = {r.field for r in rules[MENTOR]}
    common = next((r for r in rules[ADEPT] if r.field in mentor_fields), None)
    if common is not None:
        mentor_rule = next(r for r in rules[MENTOR] if r.field == common.field)
        return {ADEPT: common, MENTOR: mentor_rule}
    return {role: (found[0] if found else None) for role, found in rules.items()}


def _years(people: list[Participant], rule: Rule | None) -> np.ndarray:
    import numpy as np

    values = np.full(len(people), np.nan)
    if rule is None or rule.field is None:
        return values
    per_year = 12.0 if rule.unit == "months" else 1.0
    for i, person in enumerate(people):
        value = person.fields.get(rule.field)
        if value is not None:
            values[i] = value / per_year
    return values


def _codes(values: list[str | None]) -> np.ndarray:
    """Text as integer codes for comparing with numpy; -1 for none given. Spelling
    variants ('Sundsvall', 'sundsvall ') share a code."""
    import numpy as np

    codes: dict[str | None, int] = {None: -1}
    table: dict[str, int] = {}
    for value in set(values):
        if value is not None:
            key = _key(value)
            codes[value] = table.setdefault(key, len(table)) if key else -1
    return np.array([codes[v] for v in values], dtype=np.int64)


@dataclass(frozen=True)
class _Scores:
    """What the criteria are computed from, per person, as numpy vectors: the score of
    any pair, the cost matrix of the assignment, and which pairs are ruled out.

    Themes, format and town take few distinct values, so each person also gets a
    category (one per distinct combination of the three): their part of the score is a
    small table over categories, spread to the full matrix in one gather."""

    weights: dict[str, float]
    wanted: np.ndarray  # adepts x themes, each wanted theme worth its share
    offered: np.ndarray  # mentors x themes, 0/1
    formats: tuple[np.ndarray, np.ndarray]  # codes: 0 none or either, 1 on site, 2 online
    towns: tuple[np.ndarray, np.ndarray]  # codes, -1 for none given
    orgs: tuple[np.ndarray, np.ndarray]  # codes, unique negatives for none given
    years: tuple[np.ndarray, np.ndarray]  # experience in years, NaN when not given
    categories: tuple[np.ndarray, np.ndarray]  # per person
    examples: tuple[np.ndarray, np.ndarray]  # per category: a person who has it
    across: bool  # the programme pairs across organisations only
    forbidden: frozenset[tuple[int, int]]

    def parts(self, a: np.ndarray, m: np.ndarray) -> dict[str, np.ndarray]:
        """Each criterion, unweighted, for the pairs (a[k], m[k])."""
        import numpy as np

        fa, fm = self.formats[0][a], self.formats[1][m]
        ta, tm = self.towns[0][a], self.towns[1][m]
        gap = self.years[1][m] - self.years[0][a]
        return {
            "themes": (self.wanted[a] * self.offered[m]).sum(axis=1),
            "format": ((fa == 0) | (fm == 0) | (fa == fm)).astype(float),
            "location": ((ta == tm) & (ta >= 0)).astype(float),
            "experience_gap": np.nan_to_num(np.clip(gap / FULL_GAP_YEARS, 0.0, 1.0)),
        }

    def blocked(self, a: int) -> np.ndarray:
        """The mentors adept `a` cannot be paired with."""
        import numpy as np

        out = (
            self.orgs[1] == self.orgs[0][a]
            if self.across
            else np.zeros(len(self.orgs[1]), dtype=bool)
        )
        for fa, fm in self.forbidden:
            if fa == a:
                out[fm] = True
        return out

    def cost(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The negated weighted score of adepts `rows` x mentors `cols` (a mentor repeated
        once per place), for `linear_sum_assignment` to minimise: allowed pairs cost 0 or
        less, a pair ruled out costs more than every allowed pair together can gain.
        A million cells: built in a few passes, without a Python loop over pairs."""
        import numpy as np

        w = self.weights
        a, m = self.examples
        ta, tm = self.towns[0][a][:, None], self.towns[1][m][None, :]
        fa, fm = self.formats[0][a][:, None], self.formats[1][m][None, :]
        # Both operands contiguous: BLAS takes a far quicker path for such thin matrices.
        table = w["themes"] * (self.wanted[a] @ np.ascontiguousarray(self.offered[m].T))
        table += w["format"] * ((fa == 0) | (fm == 0) | (fa == fm))
        table += w["location"] * ((ta == tm) & (ta >= 0))
        cost = np.take(table[self.categories[0][rows]], self.categories[1][cols], axis=1)
        if w["experience_gap"]:
            # w * clip(gap / 5, 0, 1) as clip(w * gap / 5, 0, w), scaled per person. Not
            # given: no gap (an unknown adept counts as endlessly experienced, and the reverse).
            scale = w["experience_gap"] / FULL_GAP_YEARS
            ya = np.nan_to_num(self.years[0][rows], nan=np.inf) * scale
            ym = np.nan_to_num(self.years[1][cols], nan=-np.inf) * scale
            gap = np.subtract(ym[None, :], ya[:, None])
            cost += np.clip(gap, 0.0, w["experience_gap"], out=gap)
        np.negative(cost, out=cost)
        ruled_out = (sum(w.values()) + 1.0) * min(len(rows), len(cols)) + 1.0
        if self.across:
            np.copyto(cost, ruled_out, where=self.orgs[0][rows, None] == self.orgs[1][None, cols])
        if self.forbidden:
            where = {int(a): k for k, a in enumerate(rows)}
            for fa_, fm_ in self.forbidden:
                if fa_ in where:
                    cost[where[fa_], cols == fm_] = ruled_out
        return cost


def _scores(
    programme: Programme,
    applicants: _Applicants,
    weights: dict[str, float],
    forbids: list[tuple[int, int]],
) -> _Scores:
    """The per-person vectors every criterion is computed from."""
    import numpy as np

    adepts, mentors = applicants.adepts, applicants.mentors
    n_themes = len(programme.themes)

    def theme_matrix(people: list[Participant]) -> np.ndarray:
        cells = [(i, k) for i, p in enumerate(people) for k in p.themes if k < n_themes]
        out = np.zeros((len(people), n_themes), dtype=np.float64)
        if cells:
            out[tuple(np.array(cells).T)] = 1.0
        return out

    def split(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return codes[: len(adepts)], codes[len(adepts) :]

    themes = theme_matrix(adepts + mentors)
    format_code = {"on-site": 1, "online": 2}
    formats = np.array([format_code.get(p.format or "", 0) for p in adepts + mentors])
    towns = _codes([p.location for p in adepts + mentors])
    orgs = _codes([p.organisation for p in adepts + mentors])
    orgs = np.where(orgs >= 0, orgs, -1 - np.arange(len(orgs)))  # none given: never the same
    # A category per distinct (themes, format, town).
    if n_themes <= 52:  # a theme set as the bits of a number (exact in a float), numbered
        bits = themes @ 2.0 ** np.arange(n_themes)
        theme_sets = np.unique(bits, return_inverse=True)[1].reshape(-1)
    else:
        theme_sets = np.unique(themes, axis=0, return_inverse=True)[1].reshape(-1)
    key = (theme_sets * 3 + formats) * (int(towns.max(initial=-1)) + 2) + towns + 1
    categories, examples = [], []
    for group in split(key):
        _, first, inverse = np.unique(group, return_index=True, return_inverse=True)
        categories.append(inverse.reshape(-1))
        examples.append(first)
    wanted = themes[: len(adepts)].copy()
    wanted /= np.maximum(wanted.sum(axis=1, keepdims=True), 1.0)
    rules = _experience_fields(programme)
    return _Scores(
        weights=weights,
        wanted=wanted,
        offered=themes[len(adepts) :],
        formats=split(formats),
        towns=split(towns),
        orgs=split(orgs),
        years=(_years(adepts, rules[ADEPT]), _years(mentors, rules[MENTOR])),
        categories=(categories[0], categories[1]),
        examples=(examples[0], examples[1]),
        across=programme.matching is None or programme.matching.other_organisation,
        forbidden=frozenset(forbids),
    )


# ---------------------------------------------------------------------------
# The assignment


def _assign(scores: _Scores, free_adepts: list[int], places: list[int]) -> list[tuple[int, int]]:
    """The best pairs among the free adepts and mentors' places left: as many pairs as the
    constraints allow, then the highest total score."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    if not free_adepts or not sum(places):
        return []
    rows = np.asarray(free_adepts)
    slots = np.repeat(np.arange(len(places)), places)
    cost = scores.cost(rows, slots)
    picked_rows, picked_slots = linear_sum_assignment(cost)
    keep = cost[picked_rows, picked_slots] <= 0  # allowed pairs cost 0 or less, see cost()
    return [
        (int(rows[r]), int(slots[s]))
        for r, s in zip(picked_rows[keep], picked_slots[keep], strict=True)
    ]


# ---------------------------------------------------------------------------
# Reasons in words


class _Phrases:
    """The sentences of the reasons, each made once per distinct value: a thousand pairs
    share a few dozen theme sets, formats, towns and gaps."""

    def __init__(self, programme: Programme, lang: str) -> None:
        self.programme, self.lang = programme, lang
        self._cache: dict[tuple[Any, ...], str | None] = {}

    def number(self, value: float) -> str:
        key = ("number", value)
        if key not in self._cache:
            self._cache[key] = number(value, self.lang)
        return self._cache[key] or ""

    def themes(self, shared: tuple[int, ...]) -> str:
        lang = self.lang
        titles = [self.programme.text(self.programme.themes[k], lang) for k in shared]
        if not titles:
            return t(lang, "matching.themes.none")
        key = "matching.themes.one" if len(titles) == 1 else "matching.themes.many"
        return t(lang, key, n=len(titles), themes=join(titles, lang))

    def format(self, adept: int, mentor: int) -> str | None:
        """From format codes (0 no preference or either, 1 on site, 2 online)."""
        if not adept and not mentor:
            return None  # neither has a preference: nothing to say
        names = ("either", "on-site", "online")
        lang = self.lang
        labels = {
            "adept": t(lang, f"matching.format.{names[adept]}"),
            "mentor": t(lang, f"matching.format.{names[mentor]}"),
        }
        if adept == mentor:
            return t(lang, "matching.format.same", format=labels["adept"])
        fits = not adept or not mentor
        return t(lang, "matching.format.fits" if fits else "matching.format.clash", **labels)

    def location(self, adept: str | None, mentor: str | None, same: bool) -> str | None:
        if same:
            return t(self.lang, "matching.location.same", place=(adept or "").strip())
        if adept and adept.strip() and mentor and mentor.strip():
            return t(
                self.lang, "matching.location.apart", adept=adept.strip(), mentor=mentor.strip()
            )
        return None

    def gap(self, whole: int, years: float) -> str:
        """In whole years, as people say it; under half a year is 'a little more'."""
        if whole >= 2:
            return t(self.lang, "matching.gap.more", years=self.number(whole))
        if whole == 1:
            return t(self.lang, "matching.gap.year")
        return t(self.lang, "matching.gap.little" if years > 0 else "matching.gap.none")


def _make_pairs(
    programme: Programme,
    applicants: _Applicants,
    scores: _Scores,
    chosen: list[tuple[int, int]],
    pinned: set[int],
    lang: str,
) -> list[Pair]:
    """The chosen pairs with their scores and reasons in words (only these get words).

    The numbers come out of numpy for all pairs at once; each sentence is made once per
    distinct value and looked up after that."""
    import numpy as np

    if not chosen:
        return []
    a_idx, m_idx = (np.asarray(side) for side in zip(*chosen, strict=True))
    unweighted = scores.parts(a_idx, m_idx)
    weighted = sum(scores.weights[c] * unweighted[c] for c in CRITERIA)
    parts = {c: np.round(v, 4).tolist() for c, v in unweighted.items()}
    totals = np.round(weighted, 4).tolist()
    gap = scores.years[1][m_idx] - scores.years[0][a_idx]
    known = ~np.isnan(gap)
    whole = np.where(known, np.round(np.nan_to_num(gap)), 0).astype(int).tolist()
    gap_key = list(zip(known.tolist(), whole, (gap > 0).tolist(), strict=True))
    format_key = list(
        zip(scores.formats[0][a_idx].tolist(), scores.formats[1][m_idx].tolist(), strict=True)
    )
    town_key = list(
        zip(scores.towns[0][a_idx].tolist(), scores.towns[1][m_idx].tolist(), strict=True)
    )
    phrases = _Phrases(programme, lang)
    pin_reason = t(lang, "matching.pinned")
    said: dict[tuple[Any, ...], Any] = {}  # (criterion, key) -> sentence or shared themes
    pairs = []
    for k, (a, m) in enumerate(chosen):
        adept, mentor = applicants.adepts[a], applicants.mentors[m]
        reasons = [pin_reason] if a in pinned else []
        themes_key = ("shared", adept.themes, mentor.themes)
        if themes_key not in said:
            said[themes_key] = tuple(sorted(set(adept.themes) & set(mentor.themes)))
        shared = said[themes_key]
        if ("themes", shared) not in said:
            said[("themes", shared)] = phrases.themes(shared)
        sentence = said[("themes", shared)] if adept.themes else None
        keys = (
            ("format", format_key[k]),
            ("town", town_key[k], adept.location, mentor.location),
            ("gap", gap_key[k]),
        )
        for key in keys:
            if key not in said:
                said[key] = _sentence(phrases, key, gap[k])
        reasons += [r for r in (sentence, *(said[key] for key in keys)) if r is not None]
        pairs.append(
            Pair(
                adept=adept.name,
                mentor=mentor.name,
                score=totals[k],
                parts={c: parts[c][k] for c in CRITERIA},
                shared_themes=shared,
                reasons=tuple(reasons),
                pinned=a in pinned,
            )
        )
    return pairs


def _sentence(phrases: _Phrases, key: tuple[Any, ...], gap: float) -> str | None:
    """One reason from its lookup key (see _make_pairs)."""
    if key[0] == "format":
        return phrases.format(*key[1])
    if key[0] == "town":
        (adept_town, mentor_town), adept, mentor = key[1:]
        return phrases.location(adept, mentor, adept_town == mentor_town and adept_town >= 0)
    known, whole, _ = key[1]
    return phrases.gap(whole, float(gap)) if known else None


def _names(people: list[str], lang: str, most: int = 3) -> str:
    """'Eva, Olle and Per' or 'Eva, Olle, Per and 4 more'."""
    if len(people) <= most:
        return join(people, lang)
    return join([*people[:most], t(lang, "matching.more", n=len(people) - most)], lang)


def _adept_left_out(
    a: int, applicants: _Applicants, scores: _Scores, adepts_free: int, places_free: int, lang: str
) -> str:
    """Why an adept has no mentor: the first constraint that leaves no candidate."""
    adept = applicants.adepts[a]
    if not applicants.mentors:
        return t(lang, "matching.left.no_mentor")
    blocked = scores.blocked(a)
    if blocked.all():
        if scores.across and (scores.orgs[1] == scores.orgs[0][a]).all():
            return t(lang, "matching.left.own_org", organisation=adept.organisation or "")
        return t(lang, "matching.left.forbidden")
    candidates = [applicants.mentors[m].name for m in (~blocked).nonzero()[0]]
    reason = t(lang, "matching.left.taken", mentors=_names(candidates, lang))
    if adepts_free > places_free:
        reason += "; " + t(lang, "matching.left.short", adepts=adepts_free, places=places_free)
    return reason


def _mentor_places_left(
    m: int, left: int, unmatched: list[int], applicants: _Applicants, scores: _Scores, lang: str
) -> Unmatched:
    """A mentor with places nobody took, and why none of the adepts left fits."""
    mentor = applicants.mentors[m]
    if not unmatched:
        reason = t(lang, "matching.places.all_paired")
    elif (scores.orgs[0][unmatched] == scores.orgs[1][m]).all():
        reason = t(lang, "matching.places.own_org", organisation=mentor.organisation or "")
    else:
        reason = t(lang, "matching.places.ruled_out")
    return Unmatched(mentor.name, MENTOR, reason, places=left)


# ---------------------------------------------------------------------------
# The matching


def match(
    programme: Programme,
    people: Sequence[Participant],
    lang: str,
    *,
    pins: Sequence[tuple[str, str]] = (),
    forbids: Sequence[tuple[str, str]] = (),
    weights: Mapping[str, float] | None = None,
    source: str = COHORT_FILE,
) -> Result:
    """Pair the eligible adepts with mentors (see the module docstring).

    `pins` and `forbids` are (adept name, mentor name); `source` names where they were
    written, for messages. A pin the rules do not allow is an InputError."""
    keyed = _sorted(people)
    ineligible = _ineligible(programme, keyed, lang)
    applicants = _Applicants.of(keyed, {_key(i.name) for i in ineligible})
    adepts, mentors = applicants.adepts, applicants.mentors
    pinned = _pair_indexes(pins, "pin", applicants, source)
    forbidden = _pair_indexes(forbids, "forbid", applicants, source)
    across = programme.matching is None or programme.matching.other_organisation
    _check_pins(pinned, forbidden, applicants, across, source)

    scores = _scores(programme, applicants, _weights(programme, weights), forbidden)
    places = list(applicants.capacity)
    for _, m in pinned:
        places[m] -= 1
    pinned_adepts = {a for a, _ in pinned}
    free = [a for a in range(len(adepts)) if a not in pinned_adepts]
    chosen = _assign(scores, free, places)
    pairs = _make_pairs(programme, applicants, scores, sorted(pinned + chosen), pinned_adepts, lang)

    paired = pinned_adepts | {a for a, _ in chosen}
    left = [a for a in range(len(adepts)) if a not in paired]
    unmatched = [
        Unmatched(
            adepts[a].name,
            ADEPT,
            _adept_left_out(a, applicants, scores, len(free), sum(places), lang),
        )
        for a in left
    ]
    used = [0] * len(mentors)
    for _, m in chosen:
        used[m] += 1
    unmatched += [
        _mentor_places_left(m, places[m] - used[m], left, applicants, scores, lang)
        for m in range(len(mentors))
        if places[m] > used[m]
    ]
    return Result(pairs=pairs, unmatched=unmatched, ineligible=ineligible)


def applicants(cohort: Cohort, applications: Path | None = None) -> list[Participant]:
    """The applicants: `applications` when given, else the cohort's participant list."""
    from .participants import read_participants

    if cohort.programme.matching is None:
        raise InputError(
            f"{cohort.programme.id} does not pair mentors and adepts; `facilitate match` is "
            "for mentoring programmes (their programme file has a 'matching:' section)"
        )
    path = applications or cohort.participants_file()
    if path is None:
        raise InputError(
            f"{cohort.folder} has no participants.xlsx; fill in the applications "
            "(`facilitate sheets applications`) and save them there, or give "
            "--applications FILE"
        )
    return read_participants(path, cohort.programme)


def run(cohort: Cohort, people: Sequence[Participant]) -> Result:
    """Match the cohort's applicants with the pins, forbids and weights of cohort.yaml."""
    settings = cohort.settings.matching
    return match(
        cohort.programme,
        people,
        cohort.lang,
        pins=[(p.adept, p.mentor) for p in settings.pin] if settings else (),
        forbids=[(p.adept, p.mentor) for p in settings.forbid] if settings else (),
        weights={str(k): v for k, v in settings.weights.items()} if settings else None,
        source=str(cohort.folder / COHORT_FILE),
    )
