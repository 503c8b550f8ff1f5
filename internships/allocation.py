"""Placement allocation: students × store seats × certified mentors' capacity.

Algorithm: student-proposing deferred acceptance (Gale–Shapley) in which every store ranks the
students by one common lottery. With a common priority order, deferred acceptance gives the same
matching as *random serial dictatorship*: students, in lottery order, each take their most
preferred store that still has a seat. That is what `allocate` computes, in O(students × wishes):
the result is stable (no student and store would both rather be matched to each other),
Pareto-efficient for the students, and strategy-proof (ranking stores truthfully is best).

Ties are broken by the lottery: a student's number is SHA-256(seed + application id), lowest
first. The seed is recorded with each run, so the same seed on the same data gives the same
result, and anyone can re-check it.

Mentors: within a store, students are given to the certified mentor with the most free capacity
(then the lowest id); a store's usable seats are the fewer of its seats and its mentors' free
capacity, so neither limit is ever exceeded.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Stored on each run as a key; shown through ALGORITHM_LABELS in the reader's language.
ALGORITHM = "rsd-common-lottery"
ALGORITHM_LABELS = {
    ALGORITHM: _(
        "Student-proposing deferred acceptance with a common lottery (= random serial dictatorship)"
    ),
}
# Runs recorded before the key was introduced stored the English description itself.
ALGORITHM_LABELS[
    "student-proposing deferred acceptance with a common lottery (= random serial dictatorship)"
] = ALGORITHM_LABELS[ALGORITHM]

# Why a candidate was left out (the codes `allocate` returns, and one the run itself uses).
UNPLACED_REASONS = {
    "no_wishes": _("gave no store or district preference"),
    "wishes_full": _("every preferred store was full"),
    "wishes_without_seats": _("no preferred store has seats or certified mentors in this window"),
    "no_window": _("the cohort has no placement window"),
}
# An eligible student the last run did not consider (e.g. an exception granted after it).
NOT_IN_LAST_RUN = _("became eligible after the last allocation run")


def algorithm_label(key: str) -> str:
    return ALGORITHM_LABELS.get(key, key)


@dataclass(frozen=True)
class Candidate:
    key: int  # the application id
    wishes: tuple[tuple[int, ...], ...]  # ranked wishes; each a tuple of acceptable store ids


@dataclass
class Outcome:
    placed: dict[int, tuple[int, int]] = field(default_factory=dict)  # key → (store, rank)
    unplaced: dict[int, str] = field(default_factory=dict)  # key → reason code


def lottery_number(seed: str, key: int) -> str:
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def allocate(candidates: Iterable[Candidate], seats: dict[int, int], seed: str) -> Outcome:
    """Assign each candidate to at most one store, never past `seats`."""
    free = dict(seats)
    outcome = Outcome()
    for candidate in sorted(candidates, key=lambda c: lottery_number(seed, c.key)):
        if not candidate.wishes:
            outcome.unplaced[candidate.key] = "no_wishes"
            continue
        choice = next(
            (
                (store, rank)
                for rank, stores in enumerate(candidate.wishes, 1)
                for store in stores
                if free.get(store, 0) > 0
            ),
            None,
        )
        if choice is None:
            offered = any(seats.get(store, 0) > 0 for stores in candidate.wishes for store in stores)
            outcome.unplaced[candidate.key] = "wishes_full" if offered else "wishes_without_seats"
            continue
        free[choice[0]] -= 1
        outcome.placed[candidate.key] = choice
    return outcome


def assign_mentors(students: list[int], mentors: dict[int, int]) -> dict[int, int]:
    """Give each student (in order) to the mentor with the most free capacity, then lowest id.

    `mentors` maps mentor id → free capacity; the caller never passes more students than the sum.
    """
    free = dict(mentors)
    result = {}
    for student in students:
        mentor = max(sorted(free), key=lambda m: free[m])
        if free[mentor] <= 0:
            raise ValueError("more students than mentor capacity")
        free[mentor] -= 1
        result[student] = mentor
    return result
