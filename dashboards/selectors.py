"""Reads for the role home pages: the programme office's overview, the mentor's interns, the 5+3 journey."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Role, User
from courses.selectors import progress_for_student
from evaluations.models import FINAL, WEEKS
from evaluations.selectors import (
    assessment_of,
    code_display,
    evaluation_statuses,
    evaluations_outstanding,
    reflections_awaiting_reply,
    released_scores,
    result_of_placement,
)
from internships.models import Application, Attendance, Placement
from internships.selectors import (
    applications_of,
    cohorts_accepting_applications,
    mentor_profile,
    placement_of,
)
from recommendations.selectors.student import student_journey_recommendation


def staff_overview() -> dict:
    open_invitation = Invitation.objects.filter(user=OuterRef("pk"), accepted_at__isnull=True)
    students = (
        User.objects.filter(role=Role.STUDENT)
        .annotate(has_open_invitation=Exists(open_invitation))
        .aggregate(
            active=Count("id", filter=Q(is_active=True)),
            invited=Count("id", filter=Q(is_active=False, has_open_invitation=True)),
        )
    )
    return {
        "students_active": students["active"],
        "students_invited": students["invited"],
        "cohorts_open": cohorts_accepting_applications().count(),
    }


def mentor_interns(user: User) -> list[Placement]:
    """The mentor's interns, withdrawn placements left out, in the order their windows start."""
    return list(
        Placement.objects.visible_to(user)
        .exclude(status=Placement.Status.WITHDRAWN)
        .select_related("student", "window", "store", "cohort__assessment")
        .order_by("window__starts_on", "student__full_name")
    )


HOME_LIST_LIMIT = 10  # reflections listed on the mentor's home; the rest on the reflections page


def mentor_home(user: User) -> dict:
    """Everything the mentor's home shows, in "what needs me now" order: today's attendance, the
    evaluations due and overdue, the reflections waiting for a reply; then the interns and the
    store. A fixed number of queries, however many interns (the interns are read once)."""
    today = timezone.localdate()
    mentor = mentor_profile(user)
    interns = mentor_interns(user) if mentor else []
    working_today = [p for p in interns if p.status in Placement.IN_PROGRESS and today in p.working_days()]
    marks = (
        {
            a.placement_id: a
            for a in Attendance.objects.filter(placement__in=[p.pk for p in working_today], day=today)
        }
        if working_today
        else {}
    )
    assessed = [
        p
        for p in interns
        if p.status != Placement.Status.PROPOSED and not assessment_of(p.cohort).results_confirmed
    ]
    statuses = evaluation_statuses([p.pk for p in assessed]) if assessed else {}
    due = [
        {
            "item": item,
            "overdue": item.is_overdue(today),
            "url": reverse("evaluations:evaluation_form", args=[item.placement.pk, item.period]),
        }
        for item in evaluations_outstanding(assessed, statuses, today)
    ]
    due.sort(key=lambda row: (not row["overdue"], row["item"].due_on))  # overdue first
    waiting = list(reflections_awaiting_reply(user)[: HOME_LIST_LIMIT + 1]) if interns else []
    return {
        "today": today,
        "mentor": mentor,
        "interns": interns,
        "attendance_today": [(p, marks.get(p.pk)) for p in working_today],
        "evaluations_due": due,
        "overdue_count": sum(1 for row in due if row["overdue"]),
        # the oldest few; one more tells the page to point to the full list
        "reflections_waiting": waiting[:HOME_LIST_LIMIT],
        "more_reflections_waiting": len(waiting) > HOME_LIST_LIMIT,
    }


JOURNEY_STEPS = [
    ("apply", _("Apply")),
    ("accepted", _("Accepted")),
    ("courses", _("Five courses")),
    ("placement", _("Store placement")),
    ("evaluation", _("Evaluation")),
    ("certificate", _("Certificate")),
    ("recommendation", _("Recommended to Xiaomi")),
]


_UNKNOWN = object()


def student_assessment(placement: Placement | None) -> dict:
    """The "+3" part of the student's journey: the evaluations they may read (scores by period,
    as a chart), whether the final one is released, their programme result and certificate.
    Two queries with a placement, none without."""
    if placement is None:
        return {
            "scores": {},
            "final_released": False,
            "result": None,
            "certificate": None,
            "certificate_code": "",
            "chart": None,
        }
    scores = released_scores(placement)
    result = result_of_placement(placement)
    certificate = getattr(result, "certificate", None) if result is not None else None
    if certificate is not None and certificate.is_revoked:
        certificate = None
    return {
        "scores": scores,
        "final_released": FINAL in scores,
        "result": result,
        "certificate": certificate,
        "certificate_code": code_display(certificate.code) if certificate is not None else "",
        "chart": score_chart(scores) if scores else None,
    }


# The week-by-week chart: an inline SVG drawn on the server (no script, no inline style).
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 320, 180, 16, 150, 34


def score_chart(scores: dict[int, float]) -> dict:
    """Bars of the mean score (1–5) of each released evaluation, weeks 1–3 then the final one,
    with the geometry the template draws (SVG user units)."""
    periods = [*WEEKS, FINAL]
    slot = (CHART_WIDTH - CHART_LEFT) / len(periods)
    span = CHART_BOTTOM - CHART_TOP
    bars = []
    for index, period in enumerate(periods):
        label = _("Final") if period == FINAL else _("Week %(n)s") % {"n": period}
        score = scores.get(period)
        height = round(span * score / 5, 1) if score is not None else 0
        x = round(CHART_LEFT + index * slot + slot * 0.2, 1)
        bars.append(
            {
                "label": label,
                "score": None if score is None else round(score, 1),
                "x": x,
                "width": round(slot * 0.6, 1),
                "y": round(CHART_BOTTOM - height, 1),
                "height": height,
                "centre": round(x + slot * 0.3, 1),
                "value_y": round(CHART_BOTTOM - height - 4, 1),
            }
        )
    grid = [{"level": level, "y": round(CHART_BOTTOM - span * level / 5, 1)} for level in range(1, 6)]
    return {
        "bars": bars,
        "grid": grid,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "bottom": CHART_BOTTOM,
        "label_y": CHART_BOTTOM + 18,
    }


def student_journey(
    user: User, progress=None, applications=None, placement=_UNKNOWN, assessment=None, recommendation=_UNKNOWN
) -> list[dict]:
    """The 5+3 journey as steps with a state each: done, current or upcoming.

    Applied once an application is submitted; accepted once one is accepted (enrolment in the
    courses happens on acceptance, so enrolled students count as accepted too); the courses step
    is done when every course is complete; the placement when it is completed; the evaluation
    when the final evaluation is released to the student; the certificate when it is issued
    (and not revoked); the last, "recommended to Xiaomi", once the programme office recommends the
    student, with the status the cohort lets them see (one query), linking to their page.
    """
    progress = progress if progress is not None else progress_for_student(user)
    applications = applications if applications is not None else applications_of(user)
    done: set[str] = set()
    placement = placement_of(user) if placement is _UNKNOWN else placement
    assessment = assessment if assessment is not None else student_assessment(placement)
    statuses = {a.status for a in applications}
    if statuses - {Application.Status.DRAFT, Application.Status.WITHDRAWN}:
        done.add("apply")
    if Application.Status.ACCEPTED in statuses:
        done |= {"apply", "accepted"}
    if progress.total:
        done |= {"apply", "accepted"}
        if progress.completed == progress.total:
            done.add("courses")
    if placement is not None:
        done |= {"apply", "accepted", "courses"}
        if placement.status == Placement.Status.COMPLETED:
            done.add("placement")
        if assessment["final_released"]:
            done |= {"placement", "evaluation"}
        if assessment["certificate"] is not None:
            done |= {"placement", "evaluation", "certificate"}
    if recommendation is _UNKNOWN:
        recommendation = student_journey_recommendation(user)
    if recommendation is not None:
        # recommended: every step before is done; this one is current while Xiaomi's answer is open
        done |= {key for key, _label in JOURNEY_STEPS if key != "recommendation"}
        if recommendation.is_final:
            done.add("recommendation")
    steps, current_found = [], False
    for key, label in JOURNEY_STEPS:
        if key in done:
            state = "done"
        elif not current_found:
            state, current_found = "current", True
        else:
            state = "upcoming"
        step = {"key": key, "label": label, "state": state}
        if key == "evaluation" and assessment["scores"] and "evaluation" not in done:
            released = len(assessment["scores"])
            step["detail"] = _("%(n)s released") % {"n": released}
        if key == "recommendation":
            step["url"] = reverse("recommendations:my_recommendation")
            if recommendation is not None:
                step["detail"] = recommendation.label
        if key == "courses" and progress.total:
            step["detail"] = f"{progress.completed}/{progress.total}"
            if progress.blocked:
                step["detail"] += " · " + str(_("blocked"))
        steps.append(step)
    return steps
