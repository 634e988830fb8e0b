"""Mentoring: who is eligible, and pairing adepts with mentors across organisations.

The applicants are the cohort's participant list (or an application workbook of the same
columns): role mentor or adept, organisation, the numbers the programme's eligibility
rules use, themes, preferred format, location and a mentor's capacity.

Hard constraints: eligibility, a mentor never from the adept's organisation (when the
programme says so), each mentor's capacity, pairs the coordinator forbade. Pairs the
coordinator pinned are kept. Among what is left the total score is maximised with
`scipy.optimize.linear_sum_assignment`, mentors repeated once per place; the score of a
pair is the weighted sum of the soft criteria (shared themes, format, location,
experience gap), each between 0 and 1. The same applicants, pins and forbids always give
the same pairs.

The result is kept in `.facilitate/matching.json` for the letters, the pair calendars and
the pair meeting logs.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .cohort import Cohort
from .errors import InputError

MATCHING_FILE = "matching.json"
ADEPT = "adept"
MENTOR = "mentor"
CRITERIA = ("themes", "format", "location", "experience_gap")


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
