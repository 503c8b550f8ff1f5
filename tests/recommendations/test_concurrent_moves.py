"""Two Xiaomi HR users move the same recommendation at the same moment (PostgreSQL): exactly one
wins, the other gets "changed by someone else", and the history gains exactly one event."""

import threading

import pytest
from django.db import connection, connections

from recommendations import services
from recommendations.models import Recommendation, RecommendationEvent
from tests.factories import HRFactory, RecommendationFactory

S = Recommendation.Status


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")


def race(calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=30)
            result = call()
        except Exception as error:
            with lock:
                errors.append(error)
        else:
            with lock:
                results.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_hr_users_moving_the_same_version_at_once_one_wins():
    needs_postgresql()
    rec = RecommendationFactory()
    first, second = HRFactory(), HRFactory()
    seen = Recommendation.objects.get(pk=rec.pk).version  # both loaded the page at this version

    won, lost = race(
        [
            lambda: services.recommendation_move(
                by=first, recommendation_id=rec.pk, to_status=S.REVIEWING, version=seen, note="一"
            ),
            lambda: services.recommendation_move(
                by=second, recommendation_id=rec.pk, to_status=S.DECLINED_BY_XIAOMI, version=seen, note="二"
            ),
        ]
    )

    assert len(won) == 1
    assert [type(e) for e in lost] == [services.RecommendationConflict]
    assert "changed by someone else" in str(lost[0])
    rec.refresh_from_db()
    assert rec.status == won[0].status and rec.version == seen + 1
    events = list(RecommendationEvent.objects.filter(recommendation=rec).order_by("id"))
    assert len(events) == 2  # the first "received" and exactly one move
    assert events[-1].to_status == rec.status


@pytest.mark.django_db(transaction=True)
def test_many_tabs_at_once_save_one_move():
    needs_postgresql()
    rec = RecommendationFactory()
    people = [HRFactory() for _ in range(4)]

    won, lost = race(
        [
            lambda person=person: services.recommendation_move(
                by=person, recommendation_id=rec.pk, to_status=S.REVIEWING, version=1
            )
            for person in people
        ]
    )

    assert len(won) == 1 and len(lost) == 3
    assert all(isinstance(e, services.RecommendationConflict) for e in lost)
    assert RecommendationEvent.objects.filter(recommendation=rec).count() == 2
