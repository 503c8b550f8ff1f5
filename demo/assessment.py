"""The "+3" assessment in the demo: evaluations and reflections of the cohort in the stores this
week, and a finished cohort with confirmed results and certificates.

Everything goes through the evaluations services, as the mentor, the student and staff would;
only timestamps are moved into the past (an evaluation "submitted" months ago), as for the
applications in `demo.builder`.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from evaluations.models import FINAL, WEEKS, Evaluation, Reflection
from evaluations.reminders.evaluations import EVALUATION_RELEASED
from evaluations.selectors import assessment_of, period_opens_on
from evaluations.services import (
    certificates_issue,
    evaluation_open,
    evaluation_submit,
    reflection_reply,
    reflection_submit,
    results_confirm,
    rubric_current,
)
from internships.models import Application, Cohort, Placement
from internships.services import DECISION_KINDS
from notifications.services import reminders_cancel

from .data import EVALUATION_COMMENTS, GRADUATE_LEVELS, MENTOR_REPLY, REFLECTION


def _at(day, hour=18):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _submit(placement: Placement, period: int, level: int) -> Evaluation:
    """The mentor's evaluation of one period, every criterion at `level` (one criterion a step
    up or down, so the chart and the spread are not flat), submitted on the period's last day."""
    evaluation = evaluation_open(placement=placement, period=period, by=placement.mentor.user)
    if evaluation.is_submitted:
        return evaluation
    criteria = list(rubric_current(cohort=placement.cohort).criteria.order_by("position"))
    scores = {c.pk: level for c in criteria}
    scores[criteria[period % len(criteria)].pk] = max(1, min(5, level + (1 if period % 2 else -1)))
    final = period == FINAL
    evaluation = evaluation_submit(
        evaluation=evaluation,
        by=placement.mentor.user,
        scores=scores,
        comment=EVALUATION_COMMENTS[level],
        recommends_hiring=("yes" if level >= 4 else "not_sure" if level == 3 else "no") if final else None,
        recommendation_reason=EVALUATION_COMMENTS[level] if final else None,
    )
    when = _at(period_opens_on(placement, period))
    Evaluation.objects.filter(pk=evaluation.pk).update(submitted_at=when, released_at=when)
    return evaluation


def _reflect(placement: Placement, week: int, *, reply: bool) -> None:
    if Reflection.objects.filter(placement=placement, week=week).exists():
        return
    reflection = reflection_submit(placement=placement, week=week, by=placement.student, **REFLECTION)
    when = _at(period_opens_on(placement, week), hour=20)
    Reflection.objects.filter(pk=reflection.pk).update(submitted_at=when)
    if reply:
        reflection_reply(reflection=reflection, text=MENTOR_REPLY, by=placement.mentor.user)
        Reflection.objects.filter(pk=reflection.pk).update(replied_at=when + timedelta(hours=14))


def demo_assessment_in_week_two(cohort: Cohort) -> None:
    """The summer cohort is in its second week: week 1 is evaluated for all interns but the last
    (whose evaluation is overdue, so the mentor's home and the reminders have work); week 1's
    reflections are written by all but the last, and the mentor answered the first half."""
    placements = list(
        cohort.placements.filter(status__in=Placement.IN_PROGRESS)
        .select_related("mentor__user", "student", "window", "cohort")
        .order_by("student__email")
    )
    for index, placement in enumerate(placements[:-1]):
        _submit(placement, 1, [4, 3, 5][index % 3])
        _reflect(placement, 1, reply=index < len(placements) // 2)


ENDED_LONG_AGO = gettext_noop("the demo data's cohort ended months ago")


def demo_finished_cohort(cohort: Cohort, staff: User) -> None:
    """Every period evaluated, every week reflected on, results confirmed, certificates issued."""
    # The graduates heard of their acceptance when they applied: no decision e-mail today.
    for application in cohort.applications.filter(status=Application.Status.ACCEPTED):
        reminders_cancel(kind=DECISION_KINDS[application.status], about=application, reason=ENDED_LONG_AGO)
    placements = list(
        cohort.placements.exclude(status=Placement.Status.WITHDRAWN)
        .select_related("mentor__user", "student", "window", "cohort")
        .order_by("student__email")
    )
    for index, placement in enumerate(placements):
        level = GRADUATE_LEVELS[index % len(GRADUATE_LEVELS)]
        evaluations = [_submit(placement, week, level) for week in WEEKS]
        evaluations.append(_submit(placement, FINAL, min(5, level + 1) if level > 1 else level))
        for week in WEEKS:
            _reflect(placement, week, reply=True)
        # The students read these months ago: no "evaluation released" e-mail today.
        for evaluation in evaluations:
            reminders_cancel(
                kind=EVALUATION_RELEASED.key,
                about=evaluation,
                reason=ENDED_LONG_AGO,
            )
    if not assessment_of(cohort).results_confirmed:
        # The programme office confirms the results and issues the certificates today: the
        # graduates get the "certificate issued" notice.
        results_confirm(cohort=cohort, by=staff)
        certificates_issue(cohort=cohort, by=staff)
