"""manage.py benchmark_allocation: time the allocation on a generated large case.

10,000 students with three ranked wishes (stores or districts; some stores far more popular than
others), 500 stores in Shenzhen's districts with 15–25 seats, 1,500 certified mentors taking 5–8
interns. Prints the time and the share of students who got their first choice. Runs the same
functions as the allocation service (internships.allocation), without the database.
"""

import random
import time

from django.core.management.base import BaseCommand

from internships.allocation import Candidate, allocate, assign_mentors
from internships.models import District


class Command(BaseCommand):
    help = "Time the allocation algorithm on N students, S stores and M mentors (generated)."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=10_000)
        parser.add_argument("--stores", type=int, default=500)
        parser.add_argument("--mentors", type=int, default=1_500)
        parser.add_argument("--seed", default="benchmark")

    def handle(self, *args, students, stores, mentors, seed, **options):
        rng = random.Random(seed)
        districts = [d.value for d in District]
        store_district = {s: districts[s % len(districts)] for s in range(stores)}
        by_district = {d: [s for s in range(stores) if store_district[s] == d] for d in districts}
        mentor_store = {m: m % stores for m in range(mentors)}
        mentor_free = {m: rng.randint(5, 8) for m in range(mentors)}
        mentor_room = {s: 0 for s in range(stores)}
        for m, s in mentor_store.items():
            mentor_room[s] += mentor_free[m]
        seats = {s: min(rng.randint(15, 25), mentor_room[s]) for s in range(stores)}
        popularity = [1 / (rank + 1) ** 0.8 for rank in range(stores)]  # a few stores everyone wants
        candidates = []
        for key in range(students):
            wishes = []
            for _ in range(3):
                if rng.random() < 0.25:
                    wishes.append(tuple(by_district[rng.choice(districts)]))
                else:
                    wishes.append((rng.choices(range(stores), weights=popularity)[0],))
            candidates.append(Candidate(key, tuple(wishes)))

        started = time.perf_counter()
        outcome = allocate(candidates, seats, seed)
        by_store: dict[int, list[int]] = {}
        for key, (store, _rank) in outcome.placed.items():
            by_store.setdefault(store, []).append(key)
        for store, keys in by_store.items():
            assign_mentors(keys, {m: mentor_free[m] for m, s in mentor_store.items() if s == store})
        seconds = time.perf_counter() - started

        first = sum(1 for _store, rank in outcome.placed.values() if rank == 1)
        self.stdout.write(
            f"students {students}, stores {stores} ({sum(seats.values())} seats), mentors {mentors}\n"
            f"allocation + mentor assignment: {seconds:.2f} s\n"
            f"placed {len(outcome.placed)} ({len(outcome.placed) / students:.1%}); "
            f"first choice {first / students:.1%}; unplaced {len(outcome.unplaced)}"
        )
