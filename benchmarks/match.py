"""Time the matching of 1,000 adepts and 1,000 mentors against `linear_sum_assignment` alone.

The applicants of "Mentorsprogram för chefer i Myndighetsnätverket Västernorrland" come
from 50 organisations, with themes, formats, towns, experience and mentor capacities of
1 or 2, made with a fixed seed. In one run, alternately: `facilitate.matching.match` as a
function call after loading (eligibility, the score matrix, the assignment, the reasons
in words and the unmatched) and the floor, `scipy.optimize.linear_sum_assignment` on a
random matrix of the same shape, 1,000 x 1,000 (adepts x mentors). The medians are
compared. Target: ratio <= 2.

A second, stricter line compares with `linear_sum_assignment` on a random matrix of the
shape the matching actually solves: the eligible adepts x the mentors' places (a mentor
with room for two is two columns). A wide matrix is easier for the solver than a square
one, so this floor is lower; it is printed for honesty, not judged.

    python benchmarks/match.py [--people 1000] [--runs 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

PROGRAMME = "mentorsprogram-vasternorrland"
TARGET = 2.0
TOWNS = ("Sundsvall", "Härnösand", "Örnsköldsvik", "Kramfors", "Sollefteå", "Timrå", "Ånge")
FORMATS = ("on-site", "online", "either", None)


def applicants(count: int, seed: int = 7) -> list:
    """`count` adepts and `count` mentors, a few of each not eligible."""
    from facilitate.participants import Participant

    rng = random.Random(seed)
    people = []
    for role, field, low, high in (
        ("adept", "months_as_manager", 3, 60),
        ("mentor", "years_as_manager", 2, 30),
    ):
        for i in range(count):
            people.append(
                Participant(
                    name=f"{role.title()} {i + 1:04d}",
                    email=None,
                    organisation=f"Organisation {rng.randrange(50) + 1:02d}",
                    role=role,
                    fields={field: float(rng.randint(low, high))},
                    themes=tuple(sorted(rng.sample(range(5), rng.randint(1, 3)))),
                    format=rng.choice(FORMATS),
                    location=rng.choice(TOWNS),
                    capacity=rng.choice((1, 1, 2)) if role == "mentor" else None,
                )
            )
    return people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000, help="adepts, and as many mentors")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from facilitate import library, matching

    _, programme = library.find(PROGRAMME, None)
    people = applicants(args.people)
    result = matching.match(programme, people, "sv")  # warm-up: imports, Babel data
    eligible = {p.name for p in people} - {i.name for i in result.ineligible}
    adepts = sum(1 for p in people if p.role == "adept" and p.name in eligible)
    places = sum(p.capacity or 1 for p in people if p.role == "mentor" and p.name in eligible)
    rng = np.random.default_rng(7)

    def solve(shape: tuple[int, int]) -> float:
        matrix = rng.random(shape)
        start = time.perf_counter()
        linear_sum_assignment(matrix)  # as the matching calls it: minimising a cost
        return time.perf_counter() - start

    ours: list[float] = []
    floor: list[float] = []
    strict: list[float] = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = matching.match(programme, people, "sv")
        ours.append(time.perf_counter() - start)
        floor.append(solve((args.people, args.people)))
        strict.append(solve((adepts, places)))

    o, f, s = (statistics.median(times) for times in (ours, floor, strict))
    n = args.people
    print(f"applicants          : {len(people)} ({adepts} eligible adepts, {places} mentor places)")
    print(f"pairs made          : {len(result.pairs)}")
    print(f"facilitate match    : {o * 1000:7.0f} ms (median of {args.runs})")
    print(f"linear_sum_assign.  : {f * 1000:7.0f} ms (median of {args.runs}, random {n}x{n})")
    print(f"  on {adepts}x{places}      : {s * 1000:7.0f} ms (the shape solved; ratio {o / s:.2f})")
    print(f"ratio               : {o / f:.2f} (target <= {TARGET})")


if __name__ == "__main__":
    main()
