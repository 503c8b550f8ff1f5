"""The allocation algorithm on small cases worked by hand, and its stability and capacity rules."""

import random

from internships.allocation import Candidate, allocate, assign_mentors, lottery_number

SEED = "hand-worked"
A, B, C = 101, 102, 103


def in_lottery_order(keys, seed=SEED):
    return sorted(keys, key=lambda k: lottery_number(seed, k))


def test_a_hand_worked_case_gives_each_student_the_best_store_left_in_lottery_order():
    s1, s2, s3, s4 = in_lottery_order([11, 12, 13, 14])
    candidates = [
        Candidate(s4, ((A,), (B,))),
        Candidate(s3, ((B,),)),
        Candidate(s2, ((A,), (C,))),
        Candidate(s1, ((A,), (B,))),
    ]

    outcome = allocate(candidates, {A: 1, B: 1, C: 2}, SEED)

    # s1 first: A (1st wish). s2: A is full, so C (2nd wish). s3: B. s4: A and B are full.
    assert outcome.placed == {s1: (A, 1), s2: (C, 2), s3: (B, 1)}
    assert outcome.unplaced == {s4: "wishes_full"}


def test_a_district_wish_takes_any_of_its_stores_with_a_seat():
    (s1, s2) = in_lottery_order([1, 2])
    outcome = allocate([Candidate(s1, ((A, B),)), Candidate(s2, ((A, B),))], {A: 1, B: 1}, SEED)
    assert outcome.placed == {s1: (A, 1), s2: (B, 1)}


def test_students_without_wishes_or_whose_stores_have_no_seats_are_explained():
    outcome = allocate([Candidate(1, ()), Candidate(2, ((C,),))], {A: 3}, SEED)
    assert outcome.unplaced == {1: "no_wishes", 2: "wishes_without_seats"}


def random_case(rng):
    stores = list(range(1, 9))
    seats = {s: rng.randint(0, 3) for s in stores}
    candidates = [
        Candidate(k, tuple((rng.choice(stores),) for _ in range(rng.randint(0, 3)))) for k in range(40)
    ]
    return candidates, seats


def test_it_never_exceeds_a_store_and_is_stable_on_random_cases():
    rng = random.Random(7)
    for trial in range(200):
        candidates, seats = random_case(rng)
        seed = f"trial-{trial}"
        outcome = allocate(candidates, seats, seed)
        taken = {}
        for store, _rank in outcome.placed.values():
            taken[store] = taken.get(store, 0) + 1
        assert all(taken[s] <= seats[s] for s in taken)
        # Stability: no student prefers a store that has a free seat, or that holds a student
        # with a later lottery number (stores rank students by the lottery).
        holders = {}
        for key, (store, _rank) in outcome.placed.items():
            holders.setdefault(store, []).append(key)
        for c in candidates:
            got = outcome.placed.get(c.key)
            better = [s for stores in c.wishes[: (got[1] - 1 if got else len(c.wishes))] for s in stores]
            for store in better:
                assert taken.get(store, 0) >= seats.get(store, 0), (trial, c, store)
                assert all(
                    lottery_number(seed, other) < lottery_number(seed, c.key)
                    for other in holders.get(store, [])
                ), (trial, c, store)


def test_the_same_seed_gives_the_same_result_and_another_seed_may_not():
    rng = random.Random(3)
    candidates, seats = random_case(rng)
    assert allocate(candidates, seats, "s1") == allocate(candidates, seats, "s1")
    results = {tuple(sorted(allocate(candidates, seats, f"s{i}").placed.items())) for i in range(10)}
    assert len(results) > 1


def test_mentors_get_students_by_most_free_capacity_then_lowest_id():
    assert assign_mentors([1, 2, 3], {7: 1, 5: 2}) == {1: 5, 2: 5, 3: 7}
    assert assign_mentors([1, 2], {9: 1, 8: 1}) == {1: 8, 2: 9}
